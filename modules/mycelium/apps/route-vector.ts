/**
 * RouteVector (ours; docs/lora.md "Session 25", docs/compatibility.md): every `interval_ms` a node
 * broadcasts its hop counts to the nodes of its tree — its own address at 0, then each route of
 * its table (packager/hop-vectors.ts) — and hop finding draws a next hop among the equally short
 * ones per flow, where greedy tree routing piles every flow crossing a branch onto the same relays.
 * Built for LoRa under a duty limit (on in its node defaults, modules/rylr998/timings.ts): a
 * 20-node vector is ~65–80 bytes every advert period (2 P: 8.5 minutes at SF7), and it is not in an
 * ESP-NOW node at all.
 *
 * Negotiated by being spoken: only neighbours whose adverts we hear are in the table, and an
 * upstream node drops the unknown app id. An advert is one broadcast, never relayed.
 *
 * Advert (blob): `01 <tree_state> <load>` then entries `<len:4|seq:4> <len address bytes> <metric>`,
 * the address's 16 bytes without their trailing zeros (an address needing all 16 is left out);
 * seq is the origin's (4 bits, raised every `seq_every` adverts); metric in hops (hop-vectors.ts);
 * load: the sender's airtime in its last hour, in LOAD_UNIT_MS (255: that or more), by which its
 * neighbours weigh it among equal next hops (`budget_ms`).
 */
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import { HopVectors, NO_ROUTE, seqNewer } from '../packager/hop-vectors.js';
import { Address } from '../wire/address.js';
import { ADDRESS_BYTES } from '../wire/constants.js';
import { MeshApp } from './app.js';
import { Beacon } from './beacon.js';

export interface RouteVectorParams {
  /** Ms between a node's adverts (the LoRa defaults: the tree's maintenance period P). */
  interval_ms: number;
  /** Each period drawn in ±jitter_ratio of itself, so neighbours do not keep colliding. */
  jitter_ratio: number;
  /** The origin raises its seq every this many adverts: a node left without a feasible route gets one again. */
  seq_every: number;
  /** An offer lives this many periods without being heard again. */
  hold_periods: number;
  /** A destination nobody offers is forgotten (with its feasibility distance) after this many periods. */
  forget_periods: number;
  /** Destinations kept (cap; hop-vectors.ts says how a full table makes room). */
  max_destinations: number;
  /** Entries per advert (the nearest first): one LoRa frame. */
  max_entries: number;
  /** Draw among equal next hops per packet instead of per flow. */
  per_packet: boolean;
  /** The duty budget, ms an hour: equal next hops drawn in proportion to the room each has left (0: evenly). */
  budget_ms: number;
  /** A link at or below this ETX counts one hop, a worse one `lossy_hop` (0: PREFERRED_ETX, 1.6). */
  clean_etx: number;
  /** What a hop over a worse link counts. */
  lossy_hop: number;
  /** Adverts go compact while every neighbour's Beacon lists CompactFrames. */
  compact: boolean;
}

export const ROUTE_VECTOR_DEFAULTS: RouteVectorParams = Object.freeze({
  interval_ms: 256_000,
  jitter_ratio: 0.1,
  seq_every: 4,
  hold_periods: 3.5,
  forget_periods: 16,
  max_destinations: 64,
  max_entries: 40,
  per_packet: false,
  budget_ms: 0,
  clean_etx: 0,
  lossy_hop: 2,
  compact: true,
});

const VERSION = 1;
const EVENT = 'advert';
/** A load byte counts airtime in these. */
export const LOAD_UNIT_MS = 250;
/** Airtime samples kept (one per advert) to tell the last hour's: at least an hour's worth at the LoRa periods. */
const SAMPLES = 16;
const HOUR_MS = 3_600_000;

export interface VectorEntry {
  readonly address: Address;
  readonly seq: number;
  readonly metric: number;
}

/**
 * An advert's bytes for tree `treeState`, its sender's last hour of airtime `loadMs`; entries
 * that cannot be written (16-byte addresses, metric ≥ 256) are left out.
 */
export function encodeVector(treeState: number, loadMs: number, entries: readonly VectorEntry[]): Uint8Array {
  const out: number[] = [VERSION, treeState, Math.min(255, Math.max(0, Math.round(loadMs / LOAD_UNIT_MS)))];
  for (const e of entries) {
    const b = e.address.bytes;
    let n = ADDRESS_BYTES;
    while (n > 0 && b[n - 1] === 0) n--;
    if (n >= ADDRESS_BYTES || !(e.metric >= 0 && e.metric < 256)) continue;
    out.push((n << 4) | (e.seq & 15));
    for (let i = 0; i < n; i++) out.push(b[i]);
    out.push(e.metric);
  }
  return Uint8Array.from(out);
}

/** The entries of an advert (at most `max`), or undefined when it does not parse. Never throws. */
export function decodeVector(blob: Uint8Array, max: number): { treeState: number; loadMs: number; entries: VectorEntry[] } | undefined {
  if (blob.length < 3 || blob[0] !== VERSION) return undefined;
  const treeState = blob[1];
  const loadMs = blob[2] * LOAD_UNIT_MS;
  const entries: VectorEntry[] = [];
  let at = 3;
  while (at < blob.length && entries.length < max) {
    const head = blob[at++];
    const n = head >> 4;
    if (at + n + 1 > blob.length) return undefined;
    const bytes = new Uint8Array(ADDRESS_BYTES);
    bytes.set(blob.subarray(at, at + n));
    at += n;
    const a = Address.fromBytes(treeState, bytes);
    if (!a.ok) return undefined;
    entries.push({ address: a.value, seq: head & 15, metric: blob[at++] });
  }
  return { treeState, loadMs, entries };
}

export class RouteVector extends MeshApp<RouteVectorParams> {
  /** Our seq as an origin (4 bits). */
  #seq = 0;
  #sent = 0;
  /** (time, total airtime) at our last adverts, oldest first, at most SAMPLES pairs. */
  #air: number[] = [];
  declare private table: HopVectors | undefined;

  constructor(hashes: Hashes, params: Partial<RouteVectorParams> = {}) {
    super(hashes, 'RouteVector', 'Hop counts to the nodes of the tree, for routes that spread the relaying (moddable-mycelium)', 0, ROUTE_VECTOR_DEFAULTS, params);
  }

  /** The table hop finding reads (undefined while stopped). */
  get vectors(): HopVectors | undefined {
    return this.table;
  }

  protected override onStart(): void {
    const p = this.params;
    const platform = this.node.platform;
    const counters = this.packager.counters;
    this.table = new HopVectors(
      { maxDestinations: p.max_destinations, holdMs: p.hold_periods * p.interval_ms, forgetMs: p.forget_periods * p.interval_ms, perPacket: p.per_packet, budgetMs: p.budget_ms, cleanEtx: p.clean_etx || undefined, lossyHop: p.lossy_hop },
      counters,
      () => platform.randomBytes(new Uint8Array(1))[0] / 256,
    );
    this.packager.useHopVectors(this.table);
    const r = platform.randomBytes(new Uint8Array(2));
    this.#seq = r[0] & 15;
    this.packager.schedule(this.eventId(EVENT), 1 + Math.floor((r[1] / 256) * p.interval_ms), RouteVector.#sendNow, this);
  }

  protected override onStop(): void {
    this.packager.cancel(this.eventId(EVENT));
    this.packager.useHopVectors(undefined);
    this.table = undefined;
  }

  static #sendNow(app: RouteVector): void {
    app.send();
  }

  /** Advertise now (the next advert a period later). Nothing while we hold no address. */
  send(): void {
    this.#scheduleNext();
    const own = this.packager.address;
    const table = this.table;
    if (!own || !table) return;
    if (this.#sent > 0 && this.#sent % Math.max(1, this.params.seq_every) === 0) this.#seq = (this.#seq + 1) & 15;
    this.#sent++;
    const entries: VectorEntry[] = [{ address: own, seq: this.#seq, metric: 0 }];
    const max = this.params.max_entries;
    const packager = this.packager;
    table.advertise(own.treeState, { peerByKey: (k) => packager.peerByKey(k), now: this.now() }, (address, seq, metric) => {
      if (entries.length < max && metric < NO_ROUTE && !address.equals(own)) entries.push({ address, seq, metric });
    });
    const compact = this.params.compact && this.#neighboursExpand();
    this.packager.broadcast(this.id, encodeVector(own.treeState, this.#lastHourAirMs(), entries), undefined, compact);
  }

  /**
   * Our airtime in the last hour: the duty limiter's own figure when the radio has one, else since
   * the newest sample at least an hour old (since the oldest while we are younger).
   */
  #lastHourAirMs(): number {
    let total = 0;
    let duty = 0;
    let metered = false;
    for (const i of this.packager.interfaces) {
      total += i.radio.txAirtimeMs?.() ?? 0;
      const used = i.radio.dutyUsedMs?.();
      if (used !== undefined) [duty, metered] = [duty + used, true];
    }
    if (metered) return duty;
    const now = this.now();
    const air = this.#air;
    let since = air.length > 0 ? air[1] : total;
    for (let k = 0; k < air.length; k += 2) if (now - air[k] >= HOUR_MS) since = air[k + 1];
    air.push(now, total);
    if (air.length > 2 * SAMPLES) air.splice(0, 2);
    return total - since;
  }

  #scheduleNext(): void {
    const p = this.params;
    const r = this.node.platform.randomBytes(new Uint8Array(1))[0];
    const jitter = p.interval_ms * p.jitter_ratio * (2 * (r / 256) - 1);
    this.packager.schedule(this.eventId(EVENT), Math.max(1, Math.round(p.interval_ms + jitter)), RouteVector.#sendNow, this);
  }

  /** Every peer's Beacon says it expands compact frames (an upstream neighbour's never does). */
  #neighboursExpand(): boolean {
    const beacon = this.node.app(Beacon);
    const peers = this.packager.peers;
    return beacon !== undefined && peers.length > 0 && peers.every((p) => beacon.expandsCompactPeer(p));
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    if (!from.mac) return; // our own, back through the loopback
    const table = this.table;
    const peer = from.peer;
    if (!table) return;
    const m = decodeVector(blob, this.params.max_entries);
    // From a node that is no peer yet (its beacon not heard): it is no next hop either.
    if (!peer || from.hops !== 1 || !m) return this.packager.counters.inc(m ? 'route_vector_stranger' : 'route_vector_bad_message');
    const now = this.now();
    for (const e of m.entries) {
      if (this.packager.isOwnAddress(e.address)) {
        // Our own address with a seq newer than ours: we restarted; go on after it.
        if (seqNewer(e.seq, this.#seq)) this.#seq = (e.seq + 1) & 15;
        continue;
      }
      table.hear(peer.key, this.packager.sharedAddress(e.address), e.seq, e.metric, now, m.loadMs);
    }
  }
}
