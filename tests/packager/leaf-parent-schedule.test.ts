/**
 * A sleepy leaf keeps its tree parent's windows (docs/sleep.md, session 29): two routers the same
 * hops from the schedule's source can hold phases tens of ms apart, and a leaf that took its
 * schedule from another router stayed beside its parent's windows, overlapping them 9 ms of 40,
 * for the rest of the run (its broadcasts missed the parent; it lost its tree for minutes).
 */
import { ScheduleSync } from '../../modules/mycelium/packager/schedule-sync.js';
import { SUPERFRAME_WINDOWS } from '../../modules/mycelium/packager/wake-schedule.js';
import { AppMesh } from '../support/apps-mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const FRAME = 200 * SUPERFRAME_WINDOWS;
const source = Uint8Array.of(0, 0, 0, 1);
/** A hello heard at `at` from a router `hops` from `source`, whose superframes begin at `epoch`. */
const hello = (epoch: number, at: number, hops: number, src = source) => ({ phaseMs: (((at - epoch) % FRAME) + FRAME) % FRAME, periodMs: 200, windowMs: 40, hops, source: src });
/** How far `epoch` is from `ref` in the superframe, in (-FRAME/2, FRAME/2]. */
const offset = (epoch: number, ref: number) => {
  const d = (((epoch - ref) % FRAME) + FRAME) % FRAME;
  return d > FRAME / 2 ? d - FRAME : d;
};

/** A leaf three hops from the source, on the phase of the hops-2 router it heard first (epoch 0). */
function leafSync(): ScheduleSync {
  const sync = new ScheduleSync(Uint8Array.of(0xff, 0xff, 0xff, 0xff), { epoch: 500, periodMs: 200, windowMs: 40 });
  sync.hear(hello(0, 10_000, 2), 10_000);
  expect(offset(sync.schedule.epoch, 0)).toBe(0);
  return sync;
}

test('by rank, a router as far from the source as we are never moves us: a leaf stayed 31 ms off its parent', () => {
  const sync = leafSync();
  for (let k = 1; k <= 10; k++) sync.hear(hello(-31, 10_000 + k * 3_000, 3), 10_000 + k * 3_000);
  expect(offset(sync.schedule.epoch, 0)).toBe(0);
});

test("a leaf takes its parent's earlier phase at once, and a later one after a few hellos in a row", () => {
  const sync = leafSync();
  expect(sync.hear(hello(-31, 13_000, 3), 13_000, 'parent').adopted).toBe(true);
  expect(offset(sync.schedule.epoch, -31)).toBe(0);
  // A parent 25 ms later: one hello could be a delayed one; the same in every hello is real.
  expect(sync.hear(hello(-6, 16_000, 3), 16_000, 'parent').adopted).toBe(false);
  for (let k = 2; k <= 4; k++) sync.hear(hello(-6, 13_000 + k * 3_000, 3), 13_000 + k * 3_000, 'parent');
  expect(offset(sync.schedule.epoch, -6)).toBe(0);
});

test("a leaf with a parent follows no other router's schedule, even a better-ranked one; its parent's whatever its rank", () => {
  const sync = leafSync();
  const better = Uint8Array.of(0, 0, 0, 0);
  expect(sync.hear(hello(-500, 13_000, 0, better), 13_000, 'none').adopted).toBe(false);
  expect(offset(sync.schedule.epoch, 0)).toBe(0);
  const worse = Uint8Array.of(0, 0, 0, 9);
  expect(sync.hear(hello(-700, 16_000, 0, worse), 16_000, 'parent').adopted).toBe(true);
  expect(offset(sync.schedule.epoch, -700)).toBe(0);
});

test("a leaf whose parent is not the best-ranked schedule's router keeps its parent's windows", () => {
  // Routers r0 and r1 are not neighbours: each starts its own schedule and its own tree. The
  // leaf hears both; it joins the better root's tree: r1's (its claim scores better), while r0's
  // schedule ranks better (a smaller id). A leaf that may not route (`promote: false`): one that
  // may would join the two trees as a routing node (leaf-promotion.test.ts).
  const mesh = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i === 0 ? { modemSleep: { leaf: true, promote: false } } : undefined) });
  const [leaf, r0, r1] = mesh.addApps(3);
  mesh.wire(r0, leaf);
  mesh.wire(r1, leaf);
  // Started 700 ms apart: their own schedules begin 700 ms apart in the superframe.
  for (const n of [r0, r1, leaf]) {
    n.node.start();
    mesh.clock.advance(700);
  }
  mesh.clock.advance(120_000);
  expect(leaf.node.state().tree?.parent).toBe(toHex(r1.node.nodeId));
  const [parent, other] = [r1, r0];
  const own = leaf.node.modemSleep!.schedule.epoch;
  expect(Math.abs(offset(own, parent.node.modemSleep!.schedule.epoch))).toBeLessThan(5);
  // The two routers' schedules stay apart (neither hears the other), so the test tells them apart.
  expect(Math.abs(offset(other.node.modemSleep!.schedule.epoch, parent.node.modemSleep!.schedule.epoch))).toBeGreaterThan(40);
});
