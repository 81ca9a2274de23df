/**
 * The route table's address index without a `Map` (issue 21, session 17): route-index.ts keeps
 * table key → route number in refresh order as an open-addressing hash over route numbers and a
 * linked list beside. Driven against a `Map` (what routes.ts kept before) through random adds,
 * refreshes, removals and renumberings (a node's newer address becoming its only one), with keys
 * that share buckets, numbers and strings: every lookup and the order must be the same.
 */
import { RouteIndex, type RouteKeys } from '../../modules/mycelium/packager/route-index.js';
import { rng } from '../support/xorshift.js';

/** The table's side: which key each route number holds. */
class Keys implements RouteKeys {
  readonly at = new Map<number, number | string>();
  routeKey(r: number): number | string {
    const k = this.at.get(r);
    if (k === undefined) throw new Error(`route ${r} holds no key`);
    return k;
  }
}

function order(index: RouteIndex): number[] {
  const out: number[] = [];
  for (let r = index.oldest(); r >= 0; r = index.newer(r)) out.push(r);
  return out;
}

test.each([1, 2, 3, 4, 5, 6, 7, 8])('answers as a Map in refresh order (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const ROUTES = 2 * 48;
  // Keys as tableKey makes them: tree state × 2^40 plus five bytes, few bits apart; some strings.
  const KEYS: (number | string)[] = Array.from({ length: 120 }, (_, i) => (i % 9 === 0 ? '1-' + i.toString(16).padStart(32, '0') : (1 + (i % 3)) * 2 ** 40 + (i >> 2) * 2 ** 32 + (i & 3)));
  const keys = new Keys();
  const index = new RouteIndex(keys);
  index.cover(seed % 2 ? ROUTES : 8);
  let covered = seed % 2 ? ROUTES : 8;
  const ref = new Map<number | string, number>(); // key → route number, in refresh order
  for (let i = 0; i < 3000; i++) {
    const op = pick(100);
    if (op < 45) {
      // A free route number takes a key no route holds.
      const key = KEYS[pick(KEYS.length)];
      const r = pick(ROUTES);
      if (ref.has(key) || keys.at.has(r)) continue;
      if (r >= covered) index.cover((covered = ROUTES));
      keys.at.set(r, key);
      index.add(r, key);
      ref.set(key, r);
    } else if (op < 65 && ref.size > 0) {
      const [key, r] = [...ref][pick(ref.size)];
      index.refresh(r);
      ref.delete(key);
      ref.set(key, r);
    } else if (op < 90 && ref.size > 0) {
      const [key, r] = [...ref][pick(ref.size)];
      index.remove(r, key);
      keys.at.delete(r);
      ref.delete(key);
    } else if (ref.size > 0) {
      // A route moves to a free number, its place in the order kept.
      const [key, from] = [...ref][pick(ref.size)];
      const to = pick(covered);
      if (keys.at.has(to)) continue;
      index.renumber(from, to, key);
      keys.at.delete(from);
      keys.at.set(to, key);
      ref.set(key, to);
    }
    expect(index.size).toBe(ref.size);
    if (i % 5 === 0) {
      expect(order(index)).toEqual([...ref.values()]);
      for (const k of KEYS) if (index.get(k) !== (ref.get(k) ?? -1)) expect([k, index.get(k)]).toEqual([k, ref.get(k) ?? -1]);
    }
  }
  index.clear();
  expect([index.size, index.oldest(), index.get(KEYS[1])]).toEqual([0, -1, -1]);
});
