/** Gossip's seen-id table: ids are remembered across its growth, and a full table evicts the flooder's. */
import { SeenIds } from '../../modules/mycelium/apps/gossip-seen.js';
import { rng } from '../support/xorshift.js';
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const idOf = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (n * 7 + i * 13 + (n >> 8)) & 0xff);

test('every id stays known while the table grows to its limit, and a flood evicts only the flooder', () => {
  let now = 0;
  const seen = new SeenIds(40, 60_000, { now: () => now });
  for (let i = 0; i < 10; i++) seen.add(idOf(i), 'honest');
  for (let i = 10; i < 40; i++) {
    now++;
    seen.add(idOf(i), 'flooder');
  }
  for (let i = 0; i < 40; i++) expect(seen.has(idOf(i))).toBe(true);
  expect(seen.ids()).toHaveLength(40);
  expect(seen.evicted).toBe(0);
  now++;
  seen.add(idOf(40), 'flooder'); // full: the flooder's oldest goes
  expect(seen.evicted).toBe(1);
  expect(seen.has(idOf(10))).toBe(false);
  for (let i = 0; i < 10; i++) expect(seen.has(idOf(i))).toBe(true);
  expect(seen.has(idOf(40))).toBe(true);
  now += 60_000; // all expired: slots are reused, nothing more is evicted
  seen.add(idOf(41), 'flooder');
  expect(seen.has(idOf(0))).toBe(false);
  expect(seen.has(idOf(41))).toBe(true);
  expect(seen.evicted).toBe(1);
  seen.clear();
  expect(seen.ids()).toHaveLength(0);
});

/**
 * How the clock moves at step `step` of the model run below, from `now`. The table keeps a time
 * in 4 bytes while every time is a whole ms within 49 days of the first, and in a number of its
 * own from the first that is not (session 20): each clock but 'whole ms' makes it move its
 * times over in the middle of the run (a fraction of a ms, as the simulator's clock gives; a
 * clock set back before the first time; a jump past 2^32 ms), and the rules must not change.
 */
const CLOCKS: Record<string, (now: number, step: number, rnd: (n: number) => number) => number> = {
  'whole ms': (now, _step, rnd) => now + rnd(4),
  'a fraction from step 1500': (now, step, rnd) => now + rnd(4) + (step >= 1500 ? rnd(4) / 8 : 0),
  'set back at step 1000': (now, step, rnd) => (step === 1000 ? now - 10_000 : now + rnd(4)),
  'a jump past 2^32 ms at step 2000': (now, step, rnd) => now + rnd(4) + (step === 2000 ? 2 ** 32 : 0),
  'starting at a fraction': (now, step, rnd) => (step === 0 ? 0.5 : now + rnd(4)),
};

/**
 * The table against a plain model of its rules (a slot per id: first an expired one, else a new
 * one, else the oldest of the owner holding the most), over a long random run with expiry,
 * eviction, growth, a clear, and ids sharing their first four bytes (the index's bucket word).
 */
// 48: the table doubles to its limit; 300: it doubles to 32 slots, then grows 32 at a time and
// its index has up to two slots a bucket (session 18).
test.each([
  [48, 64, 500, 'whole ms'],
  [300, 400, 2000, 'whole ms'],
  [48, 64, 500, 'a fraction from step 1500'],
  [300, 400, 2000, 'a fraction from step 1500'],
  [48, 64, 500, 'set back at step 1000'],
  [300, 400, 2000, 'a jump past 2^32 ms at step 2000'],
  [48, 64, 500, 'starting at a fraction'],
])('has(), ids() and evictions agree with a scan of every slot through growth, reuse, eviction and clear (limit %i, %i ids, ttl %i, clock: %s)', (limit, ids, ttl, clock) => {
  let now = 0;
  const seen = new SeenIds(limit, ttl, { now: () => now });
  const model: { id: string; at: number; owner: string }[] = [];
  /** Owners in the order the table first charged them (ties between owners go to the first). */
  const seenOwners: string[] = [];
  const live = (s: { at: number }) => now - s.at < ttl;
  let modelEvicted = 0;
  const random = rng(7);
  const rnd = (n: number) => Math.floor(random() * n);
  // `ids` distinct ids; those with the same n % 4 share their first word.
  const idOf = (n: number) => Uint8Array.from({ length: 16 }, (_, i) => (i < 4 ? (n % 4) * 17 + i : i === 4 ? n >> 8 : (n * 31 + i * 7) & 0xff));
  const key = (n: number) => Array.from(idOf(n)).join(',');
  for (let step = 0; step < 6000; step++) {
    now = CLOCKS[clock](now, step, rnd);
    if (step === 3000) {
      seen.clear();
      model.length = 0;
      seenOwners.length = 0;
    }
    const n = rnd(ids);
    if (rnd(3) === 0) {
      expect(seen.has(idOf(n))).toBe(model.some((s) => s.id === key(n) && live(s)));
      continue;
    }
    const owner = ['a', 'b', 'c'][rnd(3)];
    seen.add(idOf(n), owner);
    if (model.some((s) => s.id === key(n) && live(s))) continue;
    let slot = model.findIndex((s) => !live(s));
    if (slot < 0 && model.length < limit) slot = model.length;
    if (slot < 0) {
      const counts = new Map<string, number>();
      for (const s of model) counts.set(s.owner, (counts.get(s.owner) ?? 0) + 1);
      let heaviest = seenOwners[0];
      for (const o of seenOwners) if ((counts.get(o) ?? 0) > (counts.get(heaviest) ?? 0)) heaviest = o;
      slot = -1;
      model.forEach((s, i) => {
        if (s.owner === heaviest && (slot < 0 || s.at < model[slot].at)) slot = i;
      });
      modelEvicted++;
    }
    model[slot] = { id: key(n), at: now, owner };
    if (!seenOwners.includes(owner)) seenOwners.push(owner);
    // Live ids oldest first (by slot among equal times), as the console's get_seen lists them.
    if (step % 500 === 499) {
      const order = model.map((s, i) => ({ ...s, i })).filter(live);
      order.sort((a, b) => a.at - b.at || a.i - b.i);
      expect(seen.ids().map((id) => Array.from(id).join(','))).toEqual(order.map((s) => s.id));
    }
  }
  expect(seen.evicted).toBe(modelEvicted);
  expect(modelEvicted).toBeGreaterThan(0);
  for (let n = 0; n < ids; n++) expect(seen.has(idOf(n))).toBe(model.some((s) => s.id === key(n) && live(s)));
});

/**
 * Owners that are node keys are charged by their slot on the key index, which the table holds
 * while they own ids (issue 21, session 19: no key string of their own here), while other keys
 * come and go on the index and take freed slots: the flood still evicts only the flooder's ids,
 * and a clear lets the slots go.
 */
test('node-key owners are charged by their key-index slot through slot reuse; a clear lets them go', () => {
  let now = 0;
  const slots = new NodeSlots(8);
  const others = new SlotPairs(slots);
  const nodeKey = (n: number) => toHex(Uint8Array.from({ length: 32 }, (_, i) => (n * 41 + i) & 0xff));
  const [honest, flooder] = [nodeKey(1), nodeKey(2)];
  const seen = new SeenIds(40, 60_000, { now: () => now, nodeSlots: () => slots });
  // Both are on the index as peers are when their frames arrive; then only the table holds them.
  others.put(honest, 0, 0, 16);
  others.put(flooder, 0, 0, 16);
  for (let i = 0; i < 10; i++) seen.add(idOf(i), honest);
  for (let i = 10; i < 40; i++) {
    now++;
    if (i === 12) others.put(flooder, 0, 0, 16);
    seen.add(idOf(i), flooder);
    // Other nodes come and go, taking the slots others let go.
    if (i % 3 === 0) others.put(nodeKey(10 + i), 0, 0, 16);
    if (i % 3 === 1) others.delete(nodeKey(9 + i));
    if (i === 20) {
      others.delete(honest);
      others.delete(flooder);
    }
  }
  expect(slots.slotOf(honest)).toBeDefined(); // held by the table alone now
  expect(slots.slotOf(flooder)).toBeDefined();
  now++;
  seen.add(idOf(40), flooder);
  expect(seen.evicted).toBe(1);
  expect(seen.has(idOf(10))).toBe(false);
  for (let i = 0; i < 10; i++) expect(seen.has(idOf(i))).toBe(true);
  seen.clear();
  expect(slots.slotOf(honest)).toBeUndefined();
  expect(slots.slotOf(flooder)).toBeUndefined();
});
