/**
 * Borders between trees (docs/routing.md "Any diameter"). A 16-byte address holds 32 levels; a
 * node whose address is full cannot take children (tree-claims.ts `isFull`), so the nodes beyond
 * it form a tree of their own. The two neighbours across that edge are the border: each gossips
 * "tree `far` is reached through my address in tree `near`" (21 bytes, our own Gossip topic, so
 * upstream nodes only relay it), and every node keeps the nearest few such gateways in its border
 * directory (packager/borders.ts), which routing uses for trees it holds no address in.
 *
 * Every advert floods the whole mesh, so they are bounded like address adverts (issue 17):
 * - a border is announced only when it is structural, not a tree still forming: the neighbour
 *   is in another tree, the node on the better root's side is full (so the two trees cannot
 *   merge), and this, with our own address, has held BORDER_SETTLE_MS (settle);
 * - a gateway whose address moved announces the new one no sooner than a holddown after its
 *   last advert: BORDER_HOLDDOWN_MS, doubling (up to BORDER_HOLDDOWN_MAX_MS) each time an
 *   announced address did not outlast it, back to the start once one did; a lapse and return
 *   at the same address after it was announced costs nothing (what was said still stands);
 * - then it is announced at a random time, again every BORDER_REFRESH_MS/2..BORDER_REFRESH_MS,
 *   unless BORDER_REDUNDANCY other gateways of the same border were heard within a refresh
 *   period (Trickle's suppression: all gateways of a border hear the same floods, so a border
 *   of any length costs about one advert per direction per period);
 * - the topic is flooded only (Gossip `subscribeFlood`): no cache, no sync, no sync restarts;
 *   its RESPOND_IDS, 16 bytes per cached advert to every peer each round and fragmented past a
 *   dozen, were most of the storm at 2,000 nodes;
 * - each node re-floods at most a few adverts a minute per neighbour (border-relay.ts).
 */
import { Address } from '../wire/address.js';
import { compareBytes, fromHex, toHex } from '../wire/bytes.js';
import { appId, treeState } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Packager } from '../packager/packager.js';
import type { Gossip } from './gossip.js';
import { isFull, type Claim } from './tree-claims.js';
import { BorderRelayCap } from './border-relay.js';

/** How often a node checks whether it borders another tree. */
export const BORDER_CHECK_MS = 10_000;
/** A border (and our address) must have held this long before it is first announced. */
export const BORDER_SETTLE_MS = 30_000;
/** A gateway's adverts of successive addresses are at least this far apart (doubling while they keep moving). */
export const BORDER_HOLDDOWN_MS = 60_000;
/** The holddown doubles up to this. */
export const BORDER_HOLDDOWN_MAX_MS = 480_000;
/** Longest random delay added to the first announcement, so that a border's gateways spread out. */
export const BORDER_SPREAD_MS = 20_000;
/** A border is announced again at a random time BORDER_REFRESH_MS/2..BORDER_REFRESH_MS after the last. */
export const BORDER_REFRESH_MS = 300_000;
/** A gossiped border lapses unless announced again (three refreshes: two may be lost). */
export const BORDER_LIFETIME_MS = 3 * BORDER_REFRESH_MS;
/** A gateway stays quiet while this many other gateways of its border were heard within a refresh period. */
export const BORDER_REDUNDANCY = 1;
/** Borders one node tracks (distinct far trees, lapsed ones kept for their holddown). */
const TRACKED_LIMIT = 8;
const MAGIC = 0xb0;
/** The same advert saying the border is gone (older builds of ours drop it: unknown magic). */
const WITHDRAWN_MAGIC = 0xb1;
const ADVERT_BYTES = 5 + 16;

export interface BorderAdvert {
  readonly far: number;
  readonly near: number;
  readonly seq: number;
  readonly address: Uint8Array;
  /** The gateway no longer borders `far`: forget it (set only on a withdrawal). */
  readonly withdrawn?: true;
}

/** The Gossip topic of border adverts: an app id nobody runs (so no upstream node delivers them). */
export function borderTopic(hashes: Hashes): Uint8Array {
  return unwrap(appId(hashes, 'TreeBorders', 'Mycelium tree borders', 0));
}

export function serializeBorder(a: BorderAdvert): Uint8Array {
  const out = new Uint8Array(ADVERT_BYTES);
  out[0] = a.withdrawn ? WITHDRAWN_MAGIC : MAGIC;
  out[1] = a.far & 0xff;
  out[2] = a.near & 0xff;
  out[3] = (a.seq >> 8) & 0xff;
  out[4] = a.seq & 0xff;
  out.set(a.address.subarray(0, 16), 5);
  return out;
}

export function parseBorder(blob: Uint8Array): BorderAdvert | undefined {
  if (!(blob instanceof Uint8Array) || blob.length !== ADVERT_BYTES || (blob[0] !== MAGIC && blob[0] !== WITHDRAWN_MAGIC) || blob[1] === blob[2]) return undefined;
  if (blob[0] === WITHDRAWN_MAGIC) return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address: blob.slice(5), withdrawn: true };
  return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address: blob.slice(5) };
}

/** What TreeBorders sees of the tree. */
export interface BorderHost {
  packager(): Packager;
  now(): number;
  rootScore(): Uint8Array;
  /** The claim `peerKey` last advertised, if any. */
  claimOf(peerKey: string): Claim | undefined;
  gossip(): Gossip | undefined;
  randomByte(): number;
  /** The test knob address_levels: 0, or the levels an address holds (tree-params.ts). */
  addressLevels(): number;
}

interface Tracked {
  /** Seen at the last check. */
  present: boolean;
  /** When it lapsed (platform ms), while not present: forgotten a holddown later. */
  lapsed: number;
  /** Our address (key) when the border was last (re)found: a move restarts the settle. */
  address: string;
  /** When it held unchanged since (platform ms). */
  since: number;
  /** When we last announced it (platform ms), and the holddown that follows. */
  announcedAt: number;
  holddown: number;
  /** Not announced (nor considered) before this (platform ms). */
  due: number;
  /** Announced from this address already: its adverts still stand wherever they were heard. */
  announced: boolean;
}

export class TreeBorders {
  readonly #host: BorderHost;
  readonly #hashes: Hashes;
  /** The Gossip topic of border adverts: an app id nobody runs, so only our nodes read it. */
  /** The border topic, as hex (its 16 bytes as an array cost ≈ 140 B on XS: made when used, issue 21). */
  readonly #topicKey: string;
  /** far tree state → our border with it. */
  // Made on the first set: empty until then costs nothing (issue 21).
  #tracked: Map<number, Tracked> | undefined;
  readonly #relay = new BorderRelayCap();
  #seq: number;
  /** The periodic check's event id (start's). */
  #eventId = '';

  constructor(hashes: Hashes, host: BorderHost) {
    this.#host = host;
    this.#hashes = hashes;
    this.#topicKey = toHex(borderTopic(hashes));
    this.#seq = 0;
  }

  /**
   * Listen on the topic (delivered to the app `appId`) and check every BORDER_CHECK_MS under
   * `eventId`. `seq`: two random bytes to start our advert numbers from, so that after a reboot at the same
   * address our adverts are not taken for copies already seen (Gossip remembers ids for an hour).
   */
  start(appId: Uint8Array, eventId: string, seq: Uint8Array): void {
    this.#seq = ((seq[0] << 8) | seq[1]) & 0xffff;
    this.#host.gossip()?.subscribeFlood(fromHex(this.#topicKey) as Uint8Array, appId, this); // its relay cap: admit() below
    this.#eventId = eventId;
    this.#host.packager().schedule(eventId, BORDER_CHECK_MS, TreeBorders.#tick, this);
  }

  /** The periodic check's handler: shared, given the borders (no closure per pending event, issue 21). */
  static #tick(b: TreeBorders): void {
    b.#host.packager().schedule(b.#eventId, BORDER_CHECK_MS, TreeBorders.#tick, b);
    b.check();
  }

  /** Flooded border adverts' relay cap (Gossip's FloodGate): false, and one is not re-flooded. */
  admit(_data: Uint8Array, sender: string): boolean {
    return this.#relay.admit(sender, this.#host.now(), this.#host.packager().nodeSlots);
  }

  stop(appId: Uint8Array, eventId: string): void {
    this.#host.packager().cancel(eventId);
    this.#host.gossip()?.unsubscribe(fromHex(this.#topicKey) as Uint8Array, appId);
    this.#relay.clear();
  }

  isTopic(topic: Uint8Array | undefined): boolean {
    return topic !== undefined && toHex(topic) === this.#topicKey;
  }

  /** A border advert arrived through Gossip. */
  receive(blob: Uint8Array): void {
    const h = this.#host;
    const p = h.packager();
    const a = parseBorder(blob);
    const gw = a && Address.fromBytes(a.near, a.address);
    if (!a || !gw || !gw.ok) {
      p.counters.inc('tree_border_bad');
      return;
    }
    if (p.isOwnAddress(gw.value)) return; // our own, back through Gossip
    const now = h.now();
    if (a.withdrawn) p.borders.refute(a.far, gw.value);
    else p.borders.add(a.far, gw.value, now, now + BORDER_LIFETIME_MS);
  }

  /** Every BORDER_CHECK_MS: which other trees do we border, and announce the lasting ones. */
  check(): void {
    const h = this.#host;
    const p = h.packager();
    const own = p.address;
    const now = h.now();
    const far = new Set<number>();
    if (own) {
      const ownFull = isFull(own.coords, h.addressLevels());
      for (const peer of p.peers) {
        if (!peer.usable(now)) continue;
        const c = h.claimOf(peer.key);
        if (!c) continue;
        const ts = treeState(this.#hashes, c.claim);
        if (ts === own.treeState) continue;
        const cmp = compareBytes(c.score, h.rootScore());
        // The side of the better root is full: the trees cannot merge across this edge.
        if ((cmp > 0 && ownFull) || (cmp < 0 && c.full === true)) far.add(ts);
      }
    }
    for (const [ts, t] of this.#tracked ?? []) {
      if (far.has(ts)) continue;
      if (t.present) {
        t.present = false;
        t.lapsed = now;
      } else if (now - t.lapsed >= t.holddown) {
        this.#tracked?.delete(ts);
        if (t.announced) this.withdraw(ts, t.address);
      }
    }
    if (!own) return;
    for (const ts of far) {
      const t = this.track(ts, own.key, now);
      if (!t || now < t.due) continue;
      t.due = now + this.refreshDelay();
      // Trickle's suppression: another gateway of this border spoke within a period, since we
      // found it here (one heard before may be where the border was before the trees moved).
      if (p.borders.heardCount(ts, own.treeState, Math.max(t.since, now - BORDER_REFRESH_MS), own) >= BORDER_REDUNDANCY) continue;
      this.#seq = (this.#seq + 1) & 0xffff;
      const gossip = h.gossip();
      if (!gossip?.publish(fromHex(this.#topicKey) as Uint8Array, serializeBorder({ far: ts, near: own.treeState, seq: this.#seq, address: own.bytes }))) continue;
      t.announced = true;
      t.announcedAt = now;
      p.counters.inc('tree_border_advert');
    }
  }

  /**
   * Say that our border with tree `far`, announced from address `key`, is gone. Without this the
   * advert stood everywhere for its lifetime (900 s) and packets for `far` kept coming to a
   * gateway with no way across, which could only hand them back (random-1000-trees seed 7's loops
   * into tree 106). Sent once a lapse has outlasted the holddown, so a flapping link costs nothing.
   */
  private withdraw(far: number, key: string): void {
    const dash = key.indexOf('-');
    const address = fromHex(key.slice(dash + 1));
    const near = Number(key.slice(0, dash));
    if (!address || address.length !== 16 || !(near >= 0 && near <= 255)) return;
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#host.gossip()?.publish(fromHex(this.#topicKey) as Uint8Array, serializeBorder({ far, near, seq: this.#seq, address, withdrawn: true }));
  }

  /** The far trees this node currently borders (for state and tests). */
  bordered(): number[] {
    const out: number[] = [];
    for (const [ts, t] of this.#tracked ?? []) if (t.present) out.push(ts);
    return out;
  }

  /** The entry of a border found at this check, its settle restarted if it lapsed or our address moved; undefined when the table is full. */
  private track(ts: number, address: string, now: number): Tracked | undefined {
    let t = this.#tracked?.get(ts);
    if (!t) {
      if ((this.#tracked?.size ?? 0) >= TRACKED_LIMIT && !this.evictLapsed()) return undefined;
      t = { present: true, lapsed: 0, address, since: now, announcedAt: -Infinity, holddown: BORDER_HOLDDOWN_MS, due: now + BORDER_SETTLE_MS + this.spread(), announced: false };
      (this.#tracked ??= new Map()).set(ts, t);
      return t;
    }
    if (t.present && t.address === address) return t;
    t.present = true;
    // Back after a lapse at the same address, once announced: what we said still stands, so the
    // refresh goes on as planned; a flapping link costs no advert.
    if (t.address === address && t.announced) return t;
    if (t.address !== address && t.announced) {
      // The announced address did not outlast the holddown: the tree here is still moving.
      t.holddown = now - t.announcedAt < t.holddown ? Math.min(BORDER_HOLDDOWN_MAX_MS, t.holddown * 2) : BORDER_HOLDDOWN_MS;
    }
    // Back before it was announced, or across from a new address of ours: settle again.
    t.address = address;
    t.announced = false;
    t.since = now;
    t.due = Math.max(now + BORDER_SETTLE_MS + this.spread(), t.announcedAt + t.holddown);
    return t;
  }

  /** Forget the border that lapsed longest ago, if any. */
  private evictLapsed(): boolean {
    let oldest: number | undefined;
    let at = Infinity;
    for (const [ts, t] of this.#tracked ?? []) {
      if (!t.present && t.lapsed < at) {
        oldest = ts;
        at = t.lapsed;
      }
    }
    if (oldest === undefined) return false;
    this.#tracked?.delete(oldest);
    return true;
  }

  private spread(): number {
    return Math.floor((this.#host.randomByte() / 256) * BORDER_SPREAD_MS);
  }

  private refreshDelay(): number {
    return BORDER_REFRESH_MS / 2 + Math.floor((this.#host.randomByte() / 256) * (BORDER_REFRESH_MS / 2));
  }
}
