/**
 * The per-neighbour tables on the node's shared key index (issue 21, session 13): SlotPairs
 * (slot-pairs.ts) over NodeSlots (node-slots.ts) must answer exactly as the layout it replaced
 * (reference/recent-pairs-before.ts: one Map per table), and a slot freed with the last table
 * that held its key must bring nothing of that key to the next one.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { TokenBuckets } from '../../modules/mycelium/packager/token-buckets.js';
import { RecentPairs } from './reference/recent-pairs-before.js';
import { rng } from '../support/xorshift.js';

test('keeps two numbers per key and evicts the least recently put beyond the cap', () => {
  const t = new SlotPairs(new NodeSlots(8));
  expect(t.first('a')).toBeUndefined();
  for (let i = 0; i < 20; i++) t.put('k' + i, i, -i - 0.5, 12);
  expect(t.size).toBe(12);
  expect(t.has('k7')).toBe(false);
  expect([t.first('k8'), t.second('k8')]).toEqual([8, -8.5]);
  t.put('k8', 80, -Infinity, 12); // put again: now the most recent
  t.put('new', 1, 2, 12);
  expect(t.has('k9')).toBe(false); // the least recent went, not k8
  expect([t.first('k8'), t.second('k8')]).toEqual([80, -Infinity]);
  expect(t.delete('k8')).toBe(true);
  expect(t.delete('k8')).toBe(false);
  expect(t.size).toBe(11);
});

test('a slot freed with the last table holding its key brings nothing of it to the next key', () => {
  const slots = new NodeSlots(4);
  const beacons = new SlotPairs(slots);
  const clocks = new SlotPairs(slots);
  beacons.put('old', 111, 222, 4);
  clocks.put('old', 333, 444, 4);
  const slot = slots.slotOf('old');
  expect(beacons.delete('old')).toBe(true);
  expect(slots.slotOf('old')).toBe(slot); // still held by the clocks
  clocks.delete('old');
  expect(slots.slotOf('old')).toBeUndefined();
  expect(slots.size).toBe(0);
  // The next key takes the freed slot: no table holds it until it is put there.
  clocks.put('new', 5, 6, 4);
  expect(slots.slotOf('new')).toBe(slot);
  expect([beacons.has('new'), beacons.first('new'), beacons.second('new'), beacons.size]).toEqual([false, undefined, undefined, 0]);
  expect([clocks.first('new'), clocks.second('new')]).toEqual([5, 6]);
  beacons.put('new', 7, 8, 4);
  expect([beacons.first('new'), beacons.second('new'), clocks.first('new')]).toEqual([7, 8, 5]);
  // A key evicted by one table stays on the index while another holds it.
  beacons.put('a', 0, 0, 1); // evicts 'new' from the beacons
  expect(beacons.has('new')).toBe(false);
  expect(slots.heldKey('new')).toBe('new');
  beacons.clear();
  clocks.clear();
  expect(slots.size).toBe(0);
});

test('token buckets on a shared index start a reused slot full', () => {
  const slots = new NodeSlots(2);
  const relay = new TokenBuckets(1, slots);
  while (relay.take('flooder', 0, 1, 60_000, 3));
  relay.take('honest', 0, 1, 60_000, 3); // evicts the flooder: its slot is free
  expect(slots.slotOf('flooder')).toBeUndefined();
  const other = new TokenBuckets(2, slots);
  expect([other.take('next', 0, 1, 60_000, 2), other.take('next', 0, 1, 60_000, 2), other.take('next', 0, 1, 60_000, 2)]).toEqual([true, true, false]);
});

test('the index counts the tables holding a key and grows its columns past the peer cap', () => {
  const slots = new NodeSlots(3);
  expect([slots.size, slots.span]).toEqual([0, 1]);
  const a = slots.hold('x');
  expect(slots.hold('x')).toBe(a);
  slots.release(a);
  expect(slots.keyOf(a)).toBe('x');
  slots.release(a);
  expect(slots.keyOf(a)).toBeUndefined();
  slots.release(a); // a free slot released again changes nothing
  expect(slots.size).toBe(0);
  const t = new SlotPairs(slots);
  for (let i = 0; i < 40; i++) t.put('n' + i, i, i, 100);
  expect(slots.size).toBe(40);
  for (let i = 0; i < 40; i++) expect(t.first('n' + i)).toBe(i);
});

/** Keys the random runs draw from: more than any cap below, so that tables evict. */
const KEYS = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? '?' + i : 'ab'.repeat(16) + i.toString(16)));
const LIMITS = [1, 2, 3, 5, 8, 12, 16, 30];
const NUMBERS = [0, 1, -1, 0.5, 1e15, -Infinity, Infinity, 2 ** 53, 1_000_000.25];

/** Every answer the tables give, and (with `slots`) which keys the index holds. */
function answers(tables: readonly (SlotPairs | RecentPairs<string>)[], slots?: NodeSlots): string {
  const out: unknown[] = tables.map((t) => t.size);
  for (const t of tables) for (const k of KEYS) out.push(t.has(k), t.first(k), t.second(k));
  // The index holds exactly the keys some table holds.
  for (const k of KEYS) out.push(slots ? slots.slotOf(k) !== undefined : tables.some((t) => t.has(k)));
  return out.join(',');
}

test.each([1, 2, 3, 4, 5, 6, 7, 8])('several tables on one index answer as one Map each did (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const slots = new NodeSlots(pick([1, 4, 8, 64]));
  const tables = [0, 1, 2, 3].map(() => ({ ours: new SlotPairs(slots), ref: new RecentPairs<string>(), limit: pick(LIMITS) }));
  for (let i = 0; i < 3000; i++) {
    const t = pick(tables);
    const key = pick(KEYS);
    const op = random();
    if (op < 0.6) {
      // Mostly the table's own cap; now and then a lowered or raised one.
      if (random() < 0.05) t.limit = pick(LIMITS);
      const first = random() < 0.3 ? pick(NUMBERS) : Math.floor(random() * 1e6);
      const second = random() < 0.3 ? pick(NUMBERS) : random() * 1e4;
      t.ours.put(key, first, second, t.limit);
      t.ref.put(key, first, second, t.limit);
    } else if (op < 0.9) {
      expect(t.ours.delete(key)).toBe(t.ref.delete(key));
    } else if (op < 0.92) {
      t.ours.clear();
      t.ref.clear();
    }
    // Compared as one string a step (undefined prints empty, numbers exactly): expects are slow.
    const ours = answers(tables.map((x) => x.ours), slots);
    const ref = answers(tables.map((x) => x.ref));
    if (ours !== ref) expect(ours).toBe(ref);
  }
});
