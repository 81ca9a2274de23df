/**
 * Entry of the XS building-block sizes bundle (scripts/bench-xs-sizes.mjs): each input names one
 * kind of thing, of which 64 are made and kept reachable, so that the host can weigh the heap and
 * divide. What the node's tables are made of costs this much each on XS; the figures guide which
 * representation to pick (issue 21). Pure ECMAScript.
 */
import { Address } from '../modules/mycelium/wire/address.js';
import { LazyMap } from '../modules/mycelium/packager/lazy-map.js';
import { RecentPairs } from '../tests/packager/reference/recent-pairs-before.js';
import { NodeSlots } from '../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../modules/mycelium/packager/slot-pairs.js';
import { Counters } from '../modules/mycelium/packager/counters.js';
import { Scheduler } from '../modules/mycelium/packager/scheduler.js';
import { GOSSIP_ENTRY_OVERHEAD, GossipCache } from '../modules/mycelium/apps/gossip-cache.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

export const COUNT = 64;
const holder = globalThis as { kept?: unknown };

function hex64(n: number): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += ((n * 131 + i * 17 + 7) & 0xff).toString(16).padStart(2, '0');
  return s;
}

/** Keys made before any weighing (the kinds that key tables by them do not pay for the strings). */
const hexKeys: string[] = [];
for (let i = 0; i < COUNT; i++) hexKeys.push(hex64(i));

function many(make: (i: number) => unknown): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < COUNT; i++) out.push(make(i));
  return out;
}

/** Two fields, public or #private: what the first #private field of a class costs on XS. */
class TwoFields {
  a: number;
  b = 0;
  constructor(a: number) {
    this.a = a;
  }
}

class OnePrivate {
  #a: number;
  constructor(a: number) {
    this.#a = a;
  }
  get a(): number {
    return this.#a;
  }
}
class SixPrivate {
  #a: number;
  #b = 0;
  #c = 0;
  #d = 0;
  #e = 0;
  #f = 0;
  constructor(a: number) {
    this.#a = a;
  }
  sum(): number {
    return this.#a + this.#b + this.#c + this.#d + this.#e + this.#f;
  }
}
class SixFields {
  a: number;
  b = 0;
  c = 0;
  d = 0;
  e = 0;
  f = 0;
  constructor(a: number) {
    this.a = a;
  }
}
class WithArrow {
  #a: number;
  readonly f = (): number => this.#a;
  constructor(a: number) {
    this.#a = a;
  }
}
class WithBound {
  #a: number;
  readonly f: () => number;
  constructor(a: number) {
    this.#a = a;
    this.f = this.get.bind(this);
  }
  get(): number {
    return this.#a;
  }
}
class SixPrivateMethods {
  #a: number;
  constructor(a: number) {
    this.#a = a;
  }
  #m1(): number {
    return this.#a;
  }
  #m2(): number {
    return this.#m1();
  }
  #m3(): number {
    return this.#m2();
  }
  #m4(): number {
    return this.#m3();
  }
  #m5(): number {
    return this.#m4();
  }
  #m6(): number {
    return this.#m5();
  }
  get a(): number {
    return this.#m6();
  }
}
class SixPublicMethods {
  #a: number;
  constructor(a: number) {
    this.#a = a;
  }
  m1(): number {
    return this.#a;
  }
  m2(): number {
    return this.m1();
  }
  m3(): number {
    return this.m2();
  }
  m4(): number {
    return this.m3();
  }
  m5(): number {
    return this.m4();
  }
  m6(): number {
    return this.m5();
  }
}
class TwoPrivate {
  #a: number;
  #b = 0;
  constructor(a: number) {
    this.#a = a;
  }
  sum(): number {
    return this.#a + this.#b;
  }
}

const address = (i: number) => {
  const a = Address.fromCoords(1, [1, i + 1]);
  return a.ok ? Address.fromBytes(1, a.value.bytes) : a;
};

/** Name → what to make; `list` holds 64 plain numbers: the list every other kind is kept in. */
const KINDS: Readonly<Record<string, () => unknown>> = Object.freeze({
  list: () => many((i) => i),
  'empty array': () => many(() => []),
  'object of 4 fields': () => many((i) => ({ a: i, b: null, c: i + 0.5, d: false })),
  'class instance of 2 fields': () => many((i) => new TwoFields(i)),
  'class instance of 2 #private fields': () => many((i) => new TwoPrivate(i)),
  'Uint8Array of 6 bytes': () => many(() => new Uint8Array(6)),
  'Uint8Array of 32 bytes': () => many(() => new Uint8Array(32)),
  '64-digit hex string': () => many(hex64),
  'Map entry, hex key (key included)': () => new Map(many((i) => [hex64(i), 1]) as [string, number][]),
  'Map entry, number key': () => new Map(many((i) => [i * 7, 1]) as [number, number][]),
  'empty Map': () => many(() => new Map()),
  'empty LazyMap (packager/lazy-map.ts)': () => many(() => new LazyMap()),
  'arrow function closing over a variable': () => many((i) => () => i),
  'arrow function closing over two variables': () => many((i) => { const j = i + 1; return () => i + j; }),
  'bound function': () => many((i) => TwoFields.prototype.constructor.bind(null, i)),
  'method bound to an instance (instance of 2 #private fields included)': () => many((i) => { const t = new TwoPrivate(i); return t.sum.bind(t); }),
  'class instance with an arrow field (this)': () => many((i) => new WithArrow(i)),
  'class instance with a bound-method field': () => many((i) => new WithBound(i)),
  'empty object': () => many(() => ({})),
  'object of 1 field': () => many((i) => ({ a: i })),
  'class instance of 1 #private field': () => many((i) => new OnePrivate(i)),
  'class instance of 6 #private fields': () => many((i) => new SixPrivate(i)),
  'class instance of 6 fields': () => many((i) => new SixFields(i)),
  'class instance of 1 #private field and 6 #private methods': () => many((i) => new SixPrivateMethods(i)),
  'class instance of 1 #private field and 6 public methods': () => many((i) => new SixPublicMethods(i)),
  'empty Set': () => many(() => new Set()),
  'four RecentPairs tables (session 12\'s layout), one key of each': () => {
    const t = [0, 1, 2, 3].map(() => new RecentPairs<string>());
    for (let i = 0; i < COUNT; i++) for (const x of t) x.put(hexKeys[i], i, i, COUNT);
    return t;
  },
  'four SlotPairs tables on one NodeSlots, one key of each': () => {
    const slots = new NodeSlots(COUNT);
    const t = [0, 1, 2, 3].map(() => new SlotPairs(slots));
    for (let i = 0; i < COUNT; i++) for (const x of t) x.put(hexKeys[i], i, i, COUNT);
    return [slots, t];
  },
  'NodeSlots, one key held': () => {
    const slots = new NodeSlots(COUNT);
    for (let i = 0; i < COUNT; i++) slots.hold(hexKeys[i]);
    return slots;
  },
  'RegExp /^[0-9a-f]{32}/': () => many(() => /^[0-9a-f]{32}/),
  'short string (8 chars, built)': () => many((i) => 'abcdefg' + (i % 10)),
  'Address from 16 bytes': () => many((i) => (address(i) as { value: Address }).value),
  'Address from 16 bytes, coordinates read': () =>
    many((i) => {
      const a = (address(i) as { value: Address }).value;
      void a.coords;
      return a;
    }),
  'Address with its key': () =>
    many((i) => {
      const a = (address(i) as { value: Address }).value;
      void a.key;
      return a;
    }),
});

/**
 * A Packager event pending on a still clock (a timer handle of 2 fields, as a host timer is one
 * object): the scheduler's entry, its timer callback and the handler an app hands in (closing
 * over one variable). A node keeps a dozen of these at rest and one per retry, echo and sync.
 */
function scheduled(n: number): Scheduler {
  const timers: unknown[] = [];
  const clock = {
    now: () => 0,
    setTimeout: (callback: () => void, ms: number) => {
      const t = { callback, ms };
      timers.push(t);
      return t;
    },
    clearTimeout: () => {},
  };
  const s = new Scheduler(clock, new Counters(), 1000);
  for (let i = 0; i < n; i++) s.schedule('RP' + i, 1000, () => void i);
  return s;
}

/** Gossip's cached messages (a 107-byte message each): the star's biggest capped cache. */
function gossipCache(n: number, length = 107): GossipCache {
  const topic = new Uint8Array(16).fill(3);
  const cache = new GossipCache(100, 1 << 20, { now: () => 0 });
  for (let i = 0; i < n; i++) {
    const message = new Uint8Array(length); // op ‖ topic ‖ data, as received
    message[0] = 0xf0;
    message.set(topic, 1);
    message[17] = i;
    cache.add(hex64(i).slice(0, 32), message, 1e9);
  }
  return cache;
}

globalThis.handleInput = (input: string) => {
  if (input === 'kinds') return JSON.stringify(Object.keys(KINDS));
  if (input === 'gossip entry overhead') return String(GOSSIP_ENTRY_OVERHEAD);
  if (input === 'gossip cache, empty') holder.kept = gossipCache(0);
  else if (input === 'gossip cache') holder.kept = gossipCache(COUNT);
  else if (input === 'events, none') holder.kept = scheduled(0);
  else if (input === 'events') holder.kept = scheduled(COUNT);
  else if (input === 'gossip cache, 1000-byte messages') holder.kept = gossipCache(COUNT, 1000);
  else holder.kept = KINDS[input]?.();
  (globalThis as { gc?: () => void }).gc?.();
  return '';
};
