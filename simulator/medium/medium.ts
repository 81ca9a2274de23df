/**
 * The simulated radio channel of one interface kind: nodes at positions, a distance → loss
 * model, per-link overrides, airtime and transmit queues, optional collisions and modem sleep.
 * Every delivery happens later on the clock, never inside send(). See MEDIUM.md.
 *
 * Deterministic: all randomness comes from per-node streams forked from the medium's random
 * (a node's loss and jitter draws depend only on its own transmissions), and every iteration
 * order is fixed (node index, grid cell order).
 */
import type { Clock, Timers } from '../../modules/mycelium/platform/platform.js';
import type { SeededRandom } from '../engine/random.js';
import { makeLossModel, rssiAt, type LossModel, type LossModelSpec } from './loss-model.js';
import { BROADCAST_KEY, macKey, macOf } from './mac.js';
import { profileOf, type InterfaceKind, type RadioProfile } from './profiles.js';
import { ASLEEP, OFF, ON, RadioTime } from './radio-time.js';
import { SimRadio, type RadioHost, type TransmitOutlook } from './sim-radio.js';
import { SpatialGrid } from './spatial-grid.js';
import {
  newNodeStats,
  zeroReasons,
  type FrameEvent,
  type FrameListener,
  type TransmitListener,
  type LossReason,
  type MediumStats,
  type NodeStats,
} from './stats.js';

export interface MediumOptions {
  readonly clock: Clock & Timers;
  /** Root of the medium's randomness; each node gets `random.fork('medium/<index>')`. */
  readonly random: SeededRandom;
  /** Interface kind (default 'espnow') or a custom profile. */
  readonly kind?: InterfaceKind;
  readonly profile?: RadioProfile;
  /** Distance → loss (default unit disk of range 100). */
  readonly loss?: LossModelSpec;
  /** Overlapping frames at a receiver are both lost, and a transmitting node hears nothing (default false). */
  readonly collisions?: boolean;
  /**
   * With collisions: a frame survives an overlap with one received at least this many dB weaker
   * (capture; a LoRa receiver keeps the stronger of two frames of one spreading factor about
   * 6 dB apart). Strength is `rssiAt` of each sender's distance. Absent: every overlap loses both.
   */
  readonly captureDb?: number;
  /**
   * 'geometric' (default): links exist between nodes within reach, plus forced links.
   * 'explicit': only links declared with `link()` exist, whatever the positions.
   */
  readonly topology?: 'geometric' | 'explicit';
  /** Round delivery times up to a multiple of this (e.g. 1 for integer-ms clocks); 0 = exact. */
  readonly quantumMs?: number;
  /**
   * Asymmetric links: each directed link a→b gets its own extra loss, uniform in [0, asymmetry]
   * and fixed for the run (drawn from `random.fork('asym/<a>/<b>')`), on top of the model's
   * loss. 0 (default): a→b and b→a lose alike. An override's `loss` replaces both.
   */
  readonly asymmetry?: number;
}

/** A directed link's overrides; unset fields use the loss model and the profile. */
export interface LinkOverride {
  /** Loss probability replacing the model's. */
  loss?: number;
  /** Delay from end of air to delivery, replacing the profile's (and its jitter). */
  latencyMs?: number;
  /** No frame passes (and, with collisions on, no interference either). */
  cut?: boolean;
  /** The link exists whatever the distance (explicit edges, or a long link in geometric mode). */
  forced?: boolean;
}

export interface AddNodeOptions {
  x?: number;
  y?: number;
  /** Default macOf(index). */
  mac?: Uint8Array;
  name?: string;
}

/** An outgoing link as the medium sees it now (after overrides). */
export interface LinkInfo {
  readonly to: number;
  readonly distance: number;
  readonly loss: number;
  readonly latencyMs: number; // NaN = the profile's
  readonly cut: boolean;
}

interface Link extends LinkInfo {
  readonly node: MediumNode;
  readonly rssi: number;
}

class MediumNode {
  readonly index: number;
  readonly mac: Uint8Array;
  readonly key: number;
  name: string;
  x: number;
  y: number;
  readonly radio: SimRadio;
  readonly rng: SeededRandom;
  readonly stats: NodeStats = newNodeStats();
  up = true;
  radioOn = true;
  /** Last time the radio came on (or the node came up): frames begun earlier are missed. */
  onSince = -Infinity;
  wakeTimer: unknown = undefined;
  /** End of the air time of this node's last scheduled frame (transmit queue tail). */
  busyUntil = -Infinity;
  /** End of this node's frame on air now, for half duplex. */
  airEnd = -Infinity;
  queued = 0;
  /** Frames being heard now (collisions on only). */
  rx: Reception[] = [];
  links: Link[] | undefined = undefined;
  linksVersion = -1;
  /** One of `links` has its own latency: a frame sets a delivery timer for it too. */
  ownLatency = false;

  constructor(index: number, mac: Uint8Array, x: number, y: number, name: string, radio: SimRadio, rng: SeededRandom) {
    this.index = index;
    this.mac = mac;
    this.key = macKey(mac);
    this.x = x;
    this.y = y;
    this.name = name;
    this.radio = radio;
    this.rng = rng;
  }
}

class Reception {
  readonly node: MediumNode;
  /** When the frame began at this receiver (carrier sense needs a slot to detect it). */
  start = -Infinity;
  readonly end: number;
  collided = false;
  /** Set when decided at air start (cut, loss). */
  reason: LossReason | undefined;
  readonly rssi: number;
  /** The link's modelled loss probability (a function of distance, not of this frame's draw). */
  readonly linkLoss: number;
  /** The link's own delivery delay, NaN = the profile's. */
  readonly latencyMs: number;
  constructor(node: MediumNode, end: number, link: Link, reason: LossReason | undefined, latencyMs: number) {
    this.node = node;
    this.end = end;
    this.rssi = link.rssi;
    this.linkLoss = link.loss;
    this.reason = reason;
    this.latencyMs = latencyMs;
  }
}

class Transmission {
  constructor(
    readonly id: number,
    readonly from: MediumNode,
    /** Receiver index, -1 broadcast, -2 unknown MAC. */
    readonly dest: number,
    readonly destMac: Uint8Array | undefined,
    readonly frame: Uint8Array,
    /** The source MAC receivers see: the sender's own unless it set another (transmit's `srcMac`). */
    readonly srcMac: Uint8Array,
    /** Moved later while the sender defers to a busy channel (carrier sense). */
    public airStart: number,
    public airEnd: number,
    /** Link-layer attempts already spent on this frame before this one (collision retries). */
    readonly attempts = 0,
  ) {}
}

/** 802.11b DSSS timing for carrier sense: DIFS and slot (µs → ms), CWmin 31. */
const DIFS_MS = 0.05;
const SLOT_MS = 0.02;
const CW_MIN = 31;
const CW_MAX = 1023;
/** SIFS and an ack at 1 Mbps with its long preamble: how long a sender waits for the ack. */
const ACK_TIMEOUT_MS = 0.01 + 0.192 + (14 * 8) / 1000;

/** When a unicast's MAC retries after attempt `attempts` went unacked: ack timeout, DIFS, backoff. */
function ackTimeoutAndBackoffMs(attempts: number, draw: number): number {
  const window = Math.min(CW_MAX, (CW_MIN + 1) * 2 ** attempts - 1);
  return ACK_TIMEOUT_MS + DIFS_MS + SLOT_MS * Math.floor(draw * (window + 1));
}

export class Medium implements RadioHost {
  readonly profile: RadioProfile;
  readonly model: LossModel;
  readonly collisions: boolean;
  /** See MediumOptions.captureDb; NaN: no capture (every comparison with it is false). */
  readonly captureDb: number;
  readonly topology: 'geometric' | 'explicit';
  readonly stats: MediumStats = { sent: 0, delivered: 0, lost: zeroReasons(), airtimeMs: 0, collisionRetries: 0 };
  /** Each node's time transmitting, receiving, listening, asleep and off, and its duty cycle (radio-time.ts). */
  readonly radioTime = new RadioTime();
  readonly #clock: Clock & Timers;
  readonly #random: SeededRandom;
  readonly #quantum: number;
  readonly #asymmetry: number;
  readonly #nodes: MediumNode[] = [];
  readonly #byMac = new Map<number, number>();
  readonly #grid: SpatialGrid;
  /** from index → to index → override. */
  readonly #overrides = new Map<number, Map<number, LinkOverride>>();
  #version = 0;
  #nextTx = 1;
  #listeners: FrameListener[] = [];
  #transmitListeners: TransmitListener[] = [];

  constructor(options: MediumOptions) {
    this.#clock = options.clock;
    this.#random = options.random;
    this.profile = options.profile ?? profileOf(options.kind ?? 'espnow');
    this.model = makeLossModel(options.loss ?? { model: 'unit-disk', range: 100 });
    this.collisions = options.collisions ?? false;
    this.captureDb = options.captureDb ?? NaN;
    this.topology = options.topology ?? 'geometric';
    this.#quantum = options.quantumMs ?? 0;
    this.#asymmetry = options.asymmetry ?? 0;
    this.#grid = new SpatialGrid(this.model.reach);
  }

  get size(): number {
    return this.#nodes.length;
  }

  /** Adds a node and returns its radio (index = radio.index = previous size). */
  addNode(options: AddNodeOptions = {}): SimRadio {
    const index = this.#nodes.length;
    const mac = (options.mac ?? macOf(index)).slice();
    if (mac.length !== 6) throw new RangeError(`addNode: a MAC has 6 bytes, got ${mac.length}`);
    const key = macKey(mac);
    if (key === BROADCAST_KEY) throw new RangeError('addNode: the broadcast MAC cannot name a node');
    if (this.#byMac.has(key)) throw new RangeError(`addNode: MAC already in use by node ${this.#byMac.get(key)}`);
    const x = options.x ?? 0;
    const y = options.y ?? 0;
    const radio = new SimRadio(this, index, mac, this.profile);
    const node = new MediumNode(index, mac, x, y, options.name ?? `n${index}`, radio, this.#random.fork(`medium/${index}`));
    this.#nodes.push(node);
    this.#byMac.set(key, index);
    this.#grid.insert(index, x, y);
    this.radioTime.add(this.#clock.now());
    this.#version++;
    return radio;
  }

  radio(index: number): SimRadio {
    return this.#node(index).radio;
  }

  /** Node index of a MAC, or undefined. */
  indexOf(mac: Uint8Array): number | undefined {
    return mac.length === 6 ? this.#byMac.get(macKey(mac)) : undefined;
  }

  position(index: number): { x: number; y: number } {
    const n = this.#node(index);
    return { x: n.x, y: n.y };
  }

  name(index: number): string {
    return this.#node(index).name;
  }

  setName(index: number, name: string): void {
    this.#node(index).name = name;
  }

  setPosition(index: number, x: number, y: number): void {
    const n = this.#node(index);
    this.#grid.remove(index, n.x, n.y);
    n.x = x;
    n.y = y;
    this.#grid.insert(index, x, y);
    this.#version++;
  }

  nodeStats(index: number): Readonly<NodeStats> {
    return this.#node(index).stats;
  }

  airtimeMs(index: number): number {
    return this.#node(index).stats.airtimeMs;
  }

  // ---- churn and sleep ---------------------------------------------------------------------

  isUp(index: number): boolean {
    return this.#node(index).up;
  }

  /** A down node neither sends nor receives; its queued frames are dropped. */
  setUp(index: number, up: boolean): void {
    const n = this.#node(index);
    if (n.up === up) return;
    n.up = up;
    if (up) n.onSince = this.#clock.now();
    this.#powered(n);
  }

  isRadioOn(index: number): boolean {
    return this.#node(index).radioOn;
  }

  /**
   * What `transmit` would meet now at node `index`, for callers that answer a node's radio
   * calls before the medium sees them (the XS runner's workers hold their calls:
   * simulator/xs/xs-protocol.ts). A frame is refused while the node is down or its radio off,
   * over the MTU, or with `room` frames queued already. An accepted frame sets exactly one clock
   * timer, due after now (its start on air behind the queue or after the channel clears, or,
   * when it starts at once, its settling or delivery at the end of its airtime or later), unless
   * one of the node's links has its own latency (a delivery timer more per such receiver) or
   * the profile gives a frame no airtime.
   */
  transmitOutlook(index: number): TransmitOutlook {
    const n = this.#node(index);
    this.#links(n);
    return { up: n.up, radioOn: n.radioOn, room: this.profile.txQueue - n.queued, oneTimerPerFrame: !n.ownLatency && this.profile.airtimeMs(0) > 0, busyUntil: n.busyUntil };
  }

  /**
   * The earliest a frame's timer can fall due, for a frame of `bytes` bytes accepted while its
   * node's queue is idle (`busyUntil` not after now): now + fixedMs + perByteMs × bytes at the
   * least (behind a busy queue, its timer is the start on air, at `busyUntil`). With carrier
   * sense a busy channel defers the frame by DIFS and more; otherwise its delivery (or its
   * settling, collisions on) comes after its airtime, which is at least airtimeMs(0) + perByteMs ×
   * bytes for the slope perByteMs below every length's. Lower bounds: rounding and jitter add.
   */
  frameTimerFloor(): { readonly fixedMs: number; readonly perByteMs: number } {
    const p = this.profile;
    const maxFrame = p.mtu + p.airOverheadBytes;
    const base = p.airtimeMs(0);
    let perByte = Infinity;
    let deliver = Infinity;
    for (let b = 1; b <= maxFrame; b++) {
      perByte = Math.min(perByte, (p.airtimeMs(b) - base) / b);
      deliver = Math.min(deliver, p.deliverMs(b));
    }
    perByte = Math.max(0, perByte === Infinity ? 0 : perByte);
    deliver = Math.max(0, Math.min(deliver, p.deliverMs(0)));
    if (this.collisions && p.carrierSense) return { fixedMs: Math.min(DIFS_MS, base), perByteMs: 0 };
    return { fixedMs: base + (this.collisions ? 0 : deliver), perByteMs: perByte };
  }

  /** Radio off for `ms` (Infinity or ≤ 0: until wake()). */
  sleep(index: number, ms: number): void {
    const n = this.#node(index);
    if (n.wakeTimer !== undefined) this.#clock.clearTimeout(n.wakeTimer);
    n.wakeTimer = undefined;
    n.radioOn = false;
    this.#powered(n);
    if (ms > 0 && Number.isFinite(ms)) n.wakeTimer = this.#clock.setTimeout(() => this.wake(index), ms);
  }

  wake(index: number): void {
    const n = this.#node(index);
    if (n.wakeTimer !== undefined) this.#clock.clearTimeout(n.wakeTimer);
    n.wakeTimer = undefined;
    if (n.radioOn) return;
    n.radioOn = true;
    n.onSince = this.#clock.now();
    this.#powered(n);
  }

  /** Tell the radio-time accounting the node's power state changed. */
  #powered(n: MediumNode): void {
    this.radioTime.setPower(n.index, !n.up ? OFF : n.radioOn ? ON : ASLEEP, this.#clock.now());
  }

  /** Schedule a modem-sleep window: radio off from `atMs` (absolute) for `durationMs`. */
  scheduleSleep(index: number, atMs: number, durationMs: number): void {
    this.#node(index);
    this.#clock.setTimeout(() => this.sleep(index, durationMs), atMs - this.#clock.now());
  }

  // ---- links ------------------------------------------------------------------------------

  /** Declare a link a→b (and b→a unless oneWay) that exists whatever the distance. */
  link(a: number, b: number, options: { loss?: number; latencyMs?: number; oneWay?: boolean } = {}): void {
    const o: LinkOverride = { forced: true };
    if (options.loss !== undefined) o.loss = options.loss;
    if (options.latencyMs !== undefined) o.latencyMs = options.latencyMs;
    this.setLink(a, b, o);
    if (!options.oneWay) this.setLink(b, a, { ...o });
  }

  /** Merge overrides into the directed link from → to. */
  setLink(from: number, to: number, override: LinkOverride): void {
    this.#node(from);
    this.#node(to);
    let m = this.#overrides.get(from);
    if (!m) this.#overrides.set(from, (m = new Map()));
    m.set(to, { ...m.get(to), ...override });
    this.#nodes[from].links = undefined;
  }

  cut(a: number, b: number, oneWay = false): void {
    this.setLink(a, b, { cut: true });
    if (!oneWay) this.setLink(b, a, { cut: true });
  }

  restore(a: number, b: number, oneWay = false): void {
    this.setLink(a, b, { cut: false });
    if (!oneWay) this.setLink(b, a, { cut: false });
  }

  /** Outgoing links of `index` (receivers in reach or forced), cut ones included, by index. */
  links(index: number): readonly LinkInfo[] {
    return this.#links(this.#node(index)).map(({ to, distance, loss, latencyMs, cut }) => ({ to, distance, loss, latencyMs, cut }));
  }

  // ---- observation -----------------------------------------------------------------------

  /** Observe every frame outcome; returns a function that removes the listener. */
  onFrame(listener: FrameListener): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Observe every frame a radio accepts (once per transmission, at send time, before it goes on
   * air): e.g. counting bytes by purpose. Returns a function that removes the listener.
   */
  onTransmit(listener: TransmitListener): () => void {
    this.#transmitListeners = [...this.#transmitListeners, listener];
    return () => {
      this.#transmitListeners = this.#transmitListeners.filter((l) => l !== listener);
    };
  }

  // ---- transmission -------------------------------------------------------------------------

  /**
   * Called by a SimRadio. Returns false when refused (down, radio off, over MTU, queue full).
   * `srcMac`: the source address receivers see, when the sender set another one than its own
   * (an ESP32 may change its MAC between frames; the adversary nodes do, simulator/adversary/).
   */
  transmit(index: number, destMac: Uint8Array | undefined, frame: Uint8Array, srcMac?: Uint8Array): boolean {
    const n = this.#node(index);
    const now = this.#clock.now();
    const broadcast = destMac === undefined || macKey(destMac) === BROADCAST_KEY;
    const refusal: LossReason | undefined = !n.up
      ? 'down'
      : !n.radioOn
        ? 'asleep'
        : frame.length > this.profile.mtu + this.profile.airOverheadBytes
          ? 'mtu'
          : n.queued >= this.profile.txQueue
            ? 'queue'
            : undefined;
    if (refusal) {
      n.stats.refused[refusal]++;
      this.stats.lost[refusal]++;
      if (this.#listeners.length > 0) this.#emit(now, -1, n.index, -1, broadcast, frame.slice(), refusal);
      return false;
    }
    let dest = -1;
    if (!broadcast) dest = (destMac.length === 6 ? this.#byMac.get(macKey(destMac)) : undefined) ?? -2;
    const len = frame.length;
    const start = n.busyUntil > now ? n.busyUntil : now;
    const airStart = start + this.profile.prepareMs(len);
    const airEnd = airStart + this.profile.airtimeMs(len);
    n.busyUntil = airEnd;
    n.queued++;
    const tx = new Transmission(this.#nextTx++, n, dest, broadcast ? undefined : destMac.slice(), frame.slice(), srcMac?.slice() ?? n.mac, airStart, airEnd);
    for (const l of this.#transmitListeners) l(n.index, tx.frame, tx.destMac);
    if (airStart <= now) this.#begin(tx);
    else this.#clock.setTimeout(() => this.#begin(tx), airStart - now);
    return true;
  }

  /** The frame goes on air: decide cut/loss per receiver, register interference, schedule delivery. */
  #begin(tx: Transmission): void {
    const n = tx.from;
    const now = this.#clock.now();
    if (this.collisions && this.profile.carrierSense && n.up && n.radioOn) {
      // Listen before talk: while the sender hears a frame (or is still sending one), wait for
      // it to end, then DIFS and a random backoff. A frame begun less than a slot ago is not yet
      // detected (two starts in one slot collide, as in 802.11); hidden nodes still collide.
      let clearAt = n.airEnd;
      for (const r of n.rx) if (r.end > clearAt && r.start <= now - SLOT_MS) clearAt = r.end;
      if (clearAt > now) {
        const start = clearAt + DIFS_MS + SLOT_MS * Math.floor(n.rng.float() * (CW_MIN + 1));
        tx.airEnd += start - tx.airStart;
        tx.airStart = start;
        if (n.busyUntil < tx.airEnd) n.busyUntil = tx.airEnd;
        this.#clock.setTimeout(() => this.#begin(tx), start - now);
        return;
      }
    }
    n.queued--;
    if (!n.up || !n.radioOn) {
      // Queued behind the node going down or to sleep: never on air.
      const reason: LossReason = n.up ? 'asleep' : 'down';
      n.stats.refused[reason]++;
      this.stats.lost[reason]++;
      if (this.#listeners.length > 0) this.#emit(now, -1, n.index, -1, tx.dest === -1, tx.frame, reason);
      // Reported as ESP-NOW's send callback reports a frame it could not send: the sender counts
      // its frames still in the radio (modules/mycelium/packager/send-listen.ts).
      n.radio.onSent?.(tx.destMac, false);
      return;
    }
    const airtime = tx.airEnd - tx.airStart;
    if (tx.attempts === 0) {
      // A collision retry is the same frame again, counted as the loss retries are: in airtime.
      n.stats.sent++;
      this.stats.sent++;
    }
    n.stats.airtimeMs += airtime;
    this.stats.airtimeMs += airtime;
    const collisions = this.collisions;
    const capture = this.captureDb;
    if (collisions) {
      n.airEnd = tx.airEnd;
      // Half duplex: whatever this node was hearing is lost.
      for (const r of n.rx) if (r.end > tx.airStart) r.collided = true;
    }
    const links = this.#links(n);
    const broadcast = tx.dest === -1;
    let retries = 0;
    const delivering: Reception[] = [];
    const custom: Reception[] = []; // links with their own latency
    let destInReach = false;
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const intended = broadcast || link.to === tx.dest;
      if (!intended && !collisions) continue;
      if (link.cut) {
        if (intended) {
          destInReach = true;
          delivering.push(new Reception(link.node, tx.airEnd, link, 'cut', NaN));
        }
        continue;
      }
      let rec: Reception | undefined;
      if (intended) {
        destInReach = true;
        let lost = link.loss > 0 && (link.loss >= 1 || n.rng.float() < link.loss);
        if (!broadcast && lost && link.loss < 1) {
          // Link-layer retransmissions: each retry is another draw and another airtime.
          for (let k = tx.attempts; k < this.profile.linkRetries && lost; k++) {
            retries++;
            lost = n.rng.float() < link.loss;
          }
        }
        rec = new Reception(link.node, tx.airEnd + retries * airtime, link, lost ? 'loss' : undefined, link.latencyMs);
        if (Number.isNaN(link.latencyMs)) delivering.push(rec);
        else custom.push(rec);
      }
      if (collisions) {
        const r = link.node;
        rec ??= new Reception(r, tx.airEnd, link, undefined, NaN);
        rec.start = tx.airStart;
        let busy = r.airEnd > tx.airStart;
        let k = 0;
        for (let j = 0; j < r.rx.length; j++) {
          const other = r.rx[j];
          if (other.end <= tx.airStart) continue; // over: forget it
          // Both lost, unless one is stronger by at least captureDb (NaN: never; a tie: never).
          const margin = other.rssi - rec.rssi;
          if (!(margin > 0 && margin >= capture)) other.collided = true;
          if (!(-margin > 0 && -margin >= capture)) busy = true;
          r.rx[k++] = other;
        }
        r.rx.length = k;
        r.rx.push(rec);
        if (busy) rec.collided = true;
      }
    }
    if (retries > 0) {
      n.stats.airtimeMs += retries * airtime;
      this.stats.airtimeMs += retries * airtime;
      if (n.busyUntil < tx.airEnd + retries * airtime) n.busyUntil = tx.airEnd + retries * airtime;
    }
    this.#onAir(n, links, tx.airStart, tx.airEnd + retries * airtime);
    const unreachable = !broadcast && !destInReach;
    if (collisions && !broadcast && custom.length === 0 && delivering.length === 1 && !delivering[0].reason) {
      const attempts = tx.attempts + retries + 1;
      if (attempts <= this.profile.linkRetries) {
        // The receiver acks only a frame it heard whole: settle at the frame's end whether a
        // collision there (hidden nodes) leaves it unacked, and retransmit it as the MAC does.
        const rec = delivering[0];
        this.#clock.setTimeout(() => this.#settle(tx, rec, attempts, retries), rec.end - now);
        return;
      }
    }
    this.#scheduleDelivery(tx, delivering, custom, unreachable, retries);
  }

  /**
   * A unicast whose reception collided at its destination got no ack: the sender's MAC sends it
   * again after the ack timeout and a backoff drawn from a window that doubles per attempt
   * (802.11 DCF), ahead of the frames queued behind it. Otherwise it is delivered as usual.
   */
  #settle(tx: Transmission, rec: Reception, attempts: number, retries: number): void {
    const n = tx.from;
    if (!rec.collided || !n.up || !n.radioOn) {
      this.#scheduleDelivery(tx, [rec], [], false, retries);
      return;
    }
    this.stats.collisionRetries++;
    const now = this.#clock.now();
    const airtime = tx.airEnd - tx.airStart;
    const airStart = now + ackTimeoutAndBackoffMs(attempts, n.rng.float());
    const retry = new Transmission(tx.id, n, tx.dest, tx.destMac, tx.frame, tx.srcMac, airStart, airStart + airtime, attempts);
    if (n.busyUntil < retry.airEnd) n.busyUntil = retry.airEnd;
    n.queued++;
    this.#clock.setTimeout(() => this.#begin(retry), airStart - now);
  }

  #scheduleDelivery(tx: Transmission, delivering: Reception[], custom: Reception[], unreachable: boolean, retries: number): void {
    const n = tx.from;
    const now = this.#clock.now();
    const airtime = tx.airEnd - tx.airStart;
    const jitter = this.profile.jitterMs > 0 ? n.rng.float() * this.profile.jitterMs : 0;
    const deliverAt = this.#quantize(tx.airEnd + retries * airtime + this.profile.deliverMs(tx.frame.length) + jitter);
    const broadcast = tx.dest === -1;
    // The unicast's SENT status comes with the receiver's own delivery event.
    const reports = broadcast || custom.length === 0;
    this.#clock.setTimeout(() => this.#deliver(tx, delivering, unreachable, reports), deliverAt - now);
    for (const rec of custom) {
      const at = this.#quantize(rec.end + rec.latencyMs);
      this.#clock.setTimeout(() => this.#deliver(tx, [rec], false, !broadcast), at - now);
    }
  }

  /** Radio time: the sender transmits, and every radio on in reach (uncut links) receives, retries included. */
  #onAir(n: MediumNode, links: Link[], start: number, end: number): void {
    const time = this.radioTime;
    time.transmit(n.index, start, end);
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      if (!link.cut && link.node.up && link.node.radioOn) time.receive(link.to, start, end);
    }
  }

  #deliver(tx: Transmission, receptions: Reception[], unreachable: boolean, reports: boolean): void {
    const now = this.#clock.now();
    const from = tx.from;
    const listening = this.#listeners.length > 0;
    let unicastDelivered = false;
    if (unreachable) {
      from.stats.txLost.range++;
      this.stats.lost.range++;
      if (tx.dest >= 0) this.#nodes[tx.dest].stats.rxLost.range++;
      if (listening) this.#emit(now, tx.id, from.index, tx.dest >= 0 ? tx.dest : -1, false, tx.frame, 'range');
    }
    for (let i = 0; i < receptions.length; i++) {
      const rec = receptions[i];
      const r = rec.node;
      const reason: LossReason | undefined =
        rec.reason ?? (!r.up ? 'down' : !r.radioOn || r.onSince > tx.airStart ? 'asleep' : rec.collided ? 'collision' : undefined);
      if (reason) {
        from.stats.txLost[reason]++;
        r.stats.rxLost[reason]++;
        this.stats.lost[reason]++;
        if (listening) this.#emit(now, tx.id, from.index, r.index, tx.dest === -1, tx.frame, reason);
        continue;
      }
      r.stats.received++;
      this.stats.delivered++;
      if (tx.dest !== -1) unicastDelivered = true;
      if (listening) this.#emit(now, tx.id, from.index, r.index, tx.dest === -1, tx.frame, 'delivered');
      const radio = r.radio;
      if (radio.onReceive) {
        radio.lastRssi = rec.rssi;
        radio.lastLinkLoss = rec.linkLoss;
        radio.onReceive(tx.frame.slice(), tx.srcMac);
      }
    }
    if (reports) from.radio.onSent?.(tx.destMac, tx.dest === -1 || unicastDelivered);
  }

  #emit(time: number, tx: number, from: number, to: number, broadcast: boolean, frame: Uint8Array, outcome: FrameEvent['outcome']): void {
    const event: FrameEvent = { time, tx, from, to, broadcast, bytes: frame.length, outcome, frame };
    for (const l of this.#listeners) l(event);
  }

  #quantize(t: number): number {
    const q = this.#quantum;
    return q > 0 ? Math.ceil(t / q) * q : t;
  }

  #node(index: number): MediumNode {
    const n = this.#nodes[index];
    if (!n) throw new RangeError(`no node ${index} (medium has ${this.#nodes.length})`);
    return n;
  }

  /**
   * The model's loss on the directed link from → to with its own extra loss (independent of the
   * model's, so lossless links gain exactly `extra`). The draw depends only on the medium's seed
   * and the two indices, not on when or how often the links are rebuilt.
   */
  #asymmetric(modelLoss: number, from: number, to: number): number {
    if (this.#asymmetry <= 0 || modelLoss >= 1) return modelLoss;
    const extra = this.#random.fork(`asym/${from}/${to}`).float() * this.#asymmetry;
    return modelLoss + (1 - modelLoss) * extra;
  }

  /** The cached outgoing links of n, rebuilt after any node was added or moved or n's overrides changed. */
  #links(n: MediumNode): Link[] {
    if (n.links && n.linksVersion === this.#version) return n.links;
    const out: Link[] = [];
    const overrides = this.#overrides.get(n.index);
    const seen = new Set<number>();
    const add = (j: number, o: LinkOverride | undefined): void => {
      const m = this.#nodes[j];
      const d = Math.hypot(m.x - n.x, m.y - n.y);
      // A forced link beyond reach (or any explicit edge) gets the model's loss at distance 0.
      const modelLoss = this.topology === 'explicit' || (o?.forced && d > this.model.reach) ? this.model.lossAt(0) : this.model.lossAt(d);
      const loss = o?.loss ?? this.#asymmetric(modelLoss, n.index, j);
      if (loss >= 1 && !o) return; // at the very edge of reach: never heard (unless overridden)
      out.push({ to: j, node: m, distance: d, loss, latencyMs: o?.latencyMs ?? NaN, cut: o?.cut ?? false, rssi: rssiAt(d) });
      seen.add(j);
    };
    if (this.topology === 'geometric') {
      const reach2 = this.model.reach * this.model.reach;
      this.#grid.around(n.x, n.y, (j) => {
        if (j === n.index) return;
        const m = this.#nodes[j];
        const dx = m.x - n.x;
        const dy = m.y - n.y;
        if (dx * dx + dy * dy <= reach2) add(j, overrides?.get(j));
      });
    }
    if (overrides) {
      for (const [j, o] of overrides) if (o.forced && !seen.has(j) && j !== n.index) add(j, o);
    }
    out.sort((a, b) => a.to - b.to); // fixed order whatever the grid's
    n.links = out;
    n.ownLatency = out.some((l) => !Number.isNaN(l.latencyMs));
    n.linksVersion = this.#version;
    return out;
  }
}
