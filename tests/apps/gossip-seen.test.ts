/** Gossip's seen-id table: ids are remembered across its growth, and a full table evicts the flooder's. */
import { SeenIds } from '../../modules/mycelium/apps/gossip-seen.js';

const idOf = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (n * 7 + i * 13 + (n >> 8)) & 0xff);

test('every id stays known while the table grows to its limit, and a flood evicts only the flooder', () => {
  let now = 0;
  const seen = new SeenIds(40, 60_000, () => now);
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
