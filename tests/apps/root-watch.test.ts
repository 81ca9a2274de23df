/**
 * A dead root's mark (apps/root-watch.ts): numbers that neighbours who have not heard of the loss
 * still carry are not proof of life; a root that keeps beating is.
 */
import { LIFT_MARGIN, RootWatch } from '../../modules/mycelium/apps/root-watch.js';

const ROOT = 'aabbccddeeff0011';

test('numbers carried while the mark settles raise it instead of lifting it', () => {
  const w = new RootWatch();
  w.markDead(ROOT, 100, 30_000, 6_000);
  // A neighbour that heard the last beats after we did (a beat travels a hello period a hop).
  expect(w.isDead(ROOT, 1_000, 104)).toBe(true);
  expect(w.isDead(ROOT, 5_000, 103)).toBe(true);
  // Settled: the same stale numbers, or a few more, still do not lift it.
  expect(w.isDead(ROOT, 8_000, 104)).toBe(true);
  expect(w.isDead(ROOT, 8_000, 104 + LIFT_MARGIN)).toBe(true);
  // A root that kept beating gets past the margin: alive after all.
  expect(w.isDead(ROOT, 9_000, 105 + LIFT_MARGIN)).toBe(false);
  expect(w.isDead(ROOT, 9_000)).toBe(false);
});

test('a neighbour that knew less does not weaken the mark; the mark still expires', () => {
  const w = new RootWatch();
  w.markDead(ROOT, 3_700, 30_000, 6_000);
  w.markDead(ROOT, 0, 20_000, 12_000); // a poison from a node that never heard a beat
  expect(w.isDead(ROOT, 7_000, 3_705)).toBe(true);
  expect(w.isDead(ROOT, 29_999)).toBe(true);
  expect(w.isDead(ROOT, 30_000)).toBe(false);
});

test('serial numbers wrap: the margin counts across 0xffff', () => {
  const w = new RootWatch();
  w.markDead(ROOT, 0xfffe, 30_000, 0);
  expect(w.isDead(ROOT, 1, (0xfffe + LIFT_MARGIN) & 0xffff)).toBe(true);
  expect(w.isDead(ROOT, 1, (0xffff + LIFT_MARGIN) & 0xffff)).toBe(false);
});
