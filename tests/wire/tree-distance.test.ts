/**
 * dTreeWithin (wire/address.ts), the distance short paths measure each candidate with: the same
 * as dTree whenever it is within the limit, and over the limit whenever dTree is, so a relay
 * that skips what cannot win picks the hop it picked before.
 */
import { dTree, dTreeWithin, positionLength } from '../../modules/mycelium/wire/address.js';

/** A small deterministic generator (no timing, no platform). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Positions sharing prefixes, some with a zero inside (a position ends at its first zero). */
function position(rnd: () => number, base: readonly number[]): number[] {
  const keep = Math.floor(rnd() * (base.length + 1));
  const out = base.slice(0, keep);
  const extra = Math.floor(rnd() * 6);
  for (let i = 0; i < extra; i++) out.push(rnd() < 0.08 ? 0 : 1 + Math.floor(rnd() * (rnd() < 0.2 ? 135 : 7)));
  return out;
}

test('positionLength stops at the first zero', () => {
  expect(positionLength([])).toBe(0);
  expect(positionLength([3, 1, 2])).toBe(3);
  expect(positionLength([3, 0, 2])).toBe(1);
  expect(positionLength([0])).toBe(0);
});

test('dTreeWithin is dTree up to the limit, and over the limit exactly when dTree is', () => {
  const rnd = lcg(17);
  const base = [2, 5, 1, 9, 3, 3, 7, 1, 2, 4, 6, 1];
  let skipped = 0;
  for (let i = 0; i < 5000; i++) {
    const a = position(rnd, base);
    const b = position(rnd, base);
    const limit = Math.floor(rnd() * 14) - 1;
    const exact = dTree(a, b);
    const within = dTreeWithin(a, b, positionLength(b), limit);
    if (exact <= limit) expect(within).toBe(exact);
    else {
      expect(within).toBeGreaterThan(limit);
      if (within !== exact) skipped++;
    }
  }
  expect(skipped).toBeGreaterThan(0); // the depth bound did cut some comparisons short
  expect(dTreeWithin([1, 2, 3], [1, 4], 2, Infinity)).toBe(dTree([1, 2, 3], [1, 4]));
});
