/** RecentPairs (issue 21): two numbers per key, least recently put evicted beyond the cap. */
import { RecentPairs } from '../../modules/mycelium/packager/recent-pairs.js';

test('keeps two numbers per key and evicts the least recently put beyond the cap', () => {
  const t = new RecentPairs<string>();
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

test('freed slots are reused without mixing up the keys that stay', () => {
  const t = new RecentPairs<number>();
  for (let i = 0; i < 8; i++) t.put(i, i, i * 10, 100);
  for (let i = 0; i < 8; i += 2) t.delete(i);
  for (let i = 100; i < 110; i++) t.put(i, i, i * 10, 100);
  for (let i = 1; i < 8; i += 2) expect([t.first(i), t.second(i)]).toEqual([i, i * 10]);
  for (let i = 100; i < 110; i++) expect([t.first(i), t.second(i)]).toEqual([i, i * 10]);
  expect(t.size).toBe(14);
  t.put(1, 5, 6, 3); // a lowered cap: the least recent go
  expect(t.size).toBe(3);
  expect([t.has(108), t.has(109), t.first(1)]).toEqual([true, true, 5]);
  t.clear();
  expect(t.size).toBe(0);
  t.put('x' as unknown as number, 1, 1, 1);
  expect(t.first('x' as unknown as number)).toBe(1);
});
