/**
 * A dead root's mark (apps/root-watch.ts): numbers that neighbours who have not heard of the loss
 * still carry are not proof of life; a root that keeps beating is.
 */
import { LIFT_MARGIN, NEW_LIFE_GAP, RootWatch } from '../../modules/mycelium/apps/root-watch.js';

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

test('a rebooted root whose new heartbeat starts far behind the mark is alive, not stale', () => {
  const w = new RootWatch();
  w.markDead(ROOT, 5_000, 30_000, 6_000);
  // The dead tree's lagging claims carry numbers up to about 60 behind its last beat: refused.
  expect(w.isDead(ROOT, 8_000, 5_000 - 60)).toBe(true);
  expect(w.isDead(ROOT, 8_000, 5_000 - NEW_LIFE_GAP)).toBe(true);
  // The root came back, its heartbeat started at a random number far behind: lifted at once.
  expect(w.isDead(ROOT, 9_000, 5_000 - NEW_LIFE_GAP - 1)).toBe(false);
  expect(w.isDead(ROOT, 9_000)).toBe(false);
  // Across the wrap too.
  const v = new RootWatch();
  v.markDead(ROOT, 100, 30_000, 0);
  expect(v.isDead(ROOT, 1, (100 - NEW_LIFE_GAP) & 0xffff)).toBe(true);
  expect(v.isDead(ROOT, 1, (100 - NEW_LIFE_GAP - 44) & 0xffff)).toBe(false);
});

test('a mark made before any beat was heard (0) knows no numbers: only newer ones lift it', () => {
  const w = new RootWatch();
  w.markDead(ROOT, 0, 30_000, 0);
  expect(w.isDead(ROOT, 1_000, 0x9000)).toBe(true);
  expect(w.isDead(ROOT, 1_000, 1 + LIFT_MARGIN)).toBe(false);
});

test('our root rebooted: its new heartbeat, far behind the number we hold, is taken', () => {
  const w = new RootWatch();
  expect(w.advance(5_000, 1_000)).toBe(true);
  expect(w.advance(4_990, 2_000)).toBe(false); // a lagging neighbour's number
  expect(w.advance(5_000 - NEW_LIFE_GAP - 1, 3_000)).toBe(true);
  expect(w.seq).toBe(5_000 - NEW_LIFE_GAP - 1);
  expect(w.lastBeat).toBe(3_000);
});
