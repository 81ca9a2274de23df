/**
 * The node whose heap the memory benchmark weighs: a "centre" running the standard apps (upstream's
 * five and our Hello) in a star of `peers` leaves that run them too, on a virtual clock, until the
 * centre knows every leaf as a peer with a route and the apps hold their per-peer state. Then the
 * leaves are stopped and cut off (the medium forgets them, their timers leave the clock), so that
 * what stays reachable is the centre and the little harness around it: a heap snapshot taken then,
 * minus one taken with no node at all, is the centre's state.
 *
 * Pure ECMAScript: runs inside XS (bench/memory-entry.ts) and on Node.
 */
import type { Hashes, Platform, TimerHandle } from '../modules/mycelium/platform/platform.js';
import { Node } from '../modules/mycelium/node.js';
import { addStandardApps } from '../modules/mycelium/apps/standard.js';
import type { Radio } from '../modules/mycelium/packager/radio.js';
import { BROADCAST_MAC, ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME } from '../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS } from '../modules/mycelium/wire/schemas.js';

/** One timer of the bench clock; `callback` is dropped when it fires or is cleared. */
interface Timer {
  readonly id: number;
  readonly due: number;
  callback: (() => void) | undefined;
}

function earlier(a: Timer, b: Timer): boolean {
  return a.due < b.due || (a.due === b.due && a.id < b.id);
}

/**
 * A small virtual clock (binary min-heap, cleared timers dropped lazily) that can shed every
 * cleared timer on demand (`compact`), so that stopped nodes leave nothing on it.
 */
class BenchClock {
  #now = 1_000_000;
  #nextId = 1;
  #heap: Timer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    // Whole ms, as on a device (modules/host/moddable-platform.ts: `Time.ticks`, and `Timer.set`
    // takes an integer delay): the tables keep times in 4 B words only while they are whole
    // (packager/time-words.ts), so a clock with fractions would weigh a simulator's node.
    const t: Timer = { id: this.#nextId++, due: this.#now + (ms > 0 ? Math.floor(ms) : 0), callback };
    const h = this.#heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!earlier(t, h[up])) break;
      h[i] = h[up];
      i = up;
    }
    h[i] = t;
    return t;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as Timer).callback = undefined;
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    const h = this.#heap;
    while (h.length > 0 && h[0].due <= end) {
      const t = h[0];
      const last = h.pop() as Timer;
      if (h.length > 0) this.#siftDown(last);
      const cb = t.callback;
      if (!cb) continue;
      t.callback = undefined;
      this.#now = t.due;
      cb();
    }
    this.#now = end;
  }

  #siftDown(t: Timer): void {
    const h = this.#heap;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= h.length) break;
      if (c + 1 < h.length && earlier(h[c + 1], h[c])) c++;
      if (!earlier(h[c], t)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = t;
  }

  /** Keep only live timers, in a fresh array (a sorted array is a heap). */
  compact(): void {
    this.#heap = this.#heap.filter((t) => t.callback !== undefined).sort((a, b) => (earlier(a, b) ? -1 : 1));
  }

  get pending(): number {
    return this.#heap.length;
  }
}

/** The star's air: the centre hears every leaf and every leaf the centre, 1 ms later, no loss. */
class StarAir {
  readonly #clock: BenchClock;
  #radios: StarRadio[] = [];
  constructor(clock: BenchClock) {
    this.#clock = clock;
  }

  radio(mac: Uint8Array): StarRadio {
    const r = new StarRadio(this, mac);
    this.#radios.push(r);
    return r;
  }

  /** Centre ↔ leaf only: a leaf's frame reaches the centre (radio 0), the centre's every leaf. */
  transmit(from: StarRadio, to: Uint8Array | undefined, frame: Uint8Array): boolean {
    const centre = this.#radios[0];
    if (!this.#radios.includes(from)) return true; // a leaf cut off: heard by nobody
    const targets = from === centre ? this.#radios.slice(1) : [centre];
    for (const r of targets) {
      if (to && !sameBytes(to, r.mac) && !sameBytes(to, BROADCAST_MAC)) continue;
      const copy = frame.slice();
      const mac = from.mac;
      this.#clock.setTimeout(() => r.onReceive?.(copy, mac), 1);
    }
    return true;
  }

  /** Keep only the centre's radio: the leaves become garbage. */
  cutLeaves(): void {
    this.#radios = this.#radios.slice(0, 1);
  }
}

class StarRadio implements Radio {
  readonly name = ESPNOW_NAME;
  readonly bitrate = ESPNOW_BITRATE;
  readonly schemaIds = ESPNOW_SCHEMA_IDS;
  readonly mtu = ESPNOW_MTU;
  readonly mac: Uint8Array;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  readonly #air: StarAir;
  constructor(air: StarAir, mac: Uint8Array) {
    this.#air = air;
    this.mac = mac;
  }
  send(mac: Uint8Array, frame: Uint8Array): boolean {
    return this.#air.transmit(this, mac, frame);
  }
  broadcast(frame: Uint8Array): boolean {
    return this.#air.transmit(this, undefined, frame);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function platformOf(clock: BenchClock, hashes: Hashes, seed: number): Platform {
  let x = seed * 2654435761 || 1;
  return {
    now: () => clock.now(),
    setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
    clearTimeout: (h) => clock.clearTimeout(h),
    sha256: hashes.sha256,
    crc32: hashes.crc32,
    randomBytes: (into) => {
      for (let i = 0; i < into.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        into[i] = x & 0xff;
      }
      return into;
    },
    log: () => {},
  };
}

/** Node id and MAC of star member `n` (0 = centre). */
function idOf(n: number): Uint8Array {
  const id = new Uint8Array(32);
  for (let i = 0; i < 32; i++) id[i] = (n * 131 + i * 17 + 7) & 0xff;
  return id;
}

export interface Star {
  /** The centre node, still running on its clock. */
  readonly centre: Node;
  readonly clock: { now(): number; advance(ms: number): void };
  /** What the centre knows at the end. */
  readonly peers: number;
  readonly routes: number;
  /** Timers the centre has pending. */
  readonly timers: number;
}

/**
 * Build a star of `peers` leaves around one centre, run it `seconds` of simulated time, then
 * stop the leaves and cut them off. `centreHashes` should be the plain portable hashes (the
 * centre's own state must not include a memo); `leafHashes` may memoize (every leaf checks the
 * centre's broadcasts: the same bytes many times). `peerCap`: the centre's peer cap (default:
 * the Packager's, 64); set to `peers`, the columns on its key index, sized to the cap, are sized
 * to the star, so that what they cost counts per peer.
 */
export function buildStar(peers: number, seconds: number, centreHashes: Hashes, leafHashes: Hashes, peerCap?: number): Star {
  const clock = new BenchClock();
  const air = new StarAir(clock);
  const nodes: Node[] = [];
  const radios: StarRadio[] = [];
  for (let n = 0; n <= peers; n++) radios.push(air.radio(Uint8Array.of(0x02, 0, 0, 0, n >> 8, n & 0xff)));
  // The centre is built last: XS (xsnap) keeps the last Packager it built reachable after it is
  // dropped (cause not found), and that must be the centre, not a leaf.
  for (let n = peers; n >= 0; n--) {
    const hashes = n === 0 ? centreHashes : leafHashes;
    const packager = n === 0 && peerCap !== undefined ? { limits: { peers: peerCap } } : undefined;
    const node = new Node({ platform: platformOf(clock, hashes, n + 1), nodeId: idOf(n), radios: [radios[n]], packager });
    addStandardApps(node, {}, hashes);
    nodes[n] = node;
  }
  for (const node of nodes) node.start();
  clock.advance(seconds * 1000);
  air.cutLeaves(); // first: what a stopping leaf says (a goodbye) must not reach the centre
  for (let n = 1; n < nodes.length; n++) nodes[n].stop();
  clock.advance(5); // frames in flight land (on the centre) or go nowhere
  clock.compact();
  const centre = nodes[0];
  return { centre, clock, peers: centre.packager.peers.length, routes: centre.packager.routes.length, timers: clock.pending };
}
