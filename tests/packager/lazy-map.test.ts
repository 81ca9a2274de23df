import { LazyMap } from '../../modules/mycelium/packager/lazy-map.js';

test('a LazyMap answers as a Map does: empty before its first entry, then in insertion order', () => {
  const m = new LazyMap<string, number>();
  expect([m.size, m.get('a'), m.has('a'), m.delete('a'), [...m], [...m.keys()], [...m.values()]]).toEqual([0, undefined, false, false, [], [], []]);
  m.set('b', 2).set('a', 1).set('b', 3);
  expect([...m]).toEqual([
    ['b', 3],
    ['a', 1],
  ]);
  expect(m.keys().next().value).toBe('b');
  expect([m.size, m.delete('b'), m.size, m.get('a')]).toEqual([2, true, 1, 1]);
  const seen: string[] = [];
  m.forEach((v, k) => seen.push(`${k}=${v}`));
  m.clear();
  expect([seen, m.size, [...m.entries()]]).toEqual([['a=1'], 0, []]);
});
