/**
 * A busy window stays open a little longer (packager/window-tail.ts): a routing node that hears a
 * frame near or past its window's end listens on for WINDOW_TAIL_MS, at most one more window; a
 * quiet window closes on time. Frames that carrier sense pushed past the window's end found their
 * receivers asleep (docs/sleep.md, session 29).
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { WINDOW_TAIL_MS, windowTail } from '../../modules/mycelium/packager/window-tail.js';
import { phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';

const S = { epoch: 0, periodMs: 500, windowMs: 40 };

test('a frame heard early in the window changes nothing; near its end or past it, the radio stays on a little, one window at most', () => {
  expect(windowTail(S, 5)).toBeUndefined();
  expect(windowTail(S, 30)).toBe(30 + WINDOW_TAIL_MS);
  expect(windowTail(S, 500 + 45)).toBe(500 + 45 + WINDOW_TAIL_MS);
  expect(windowTail(S, 75)).toBe(80); // capped at one more window length
  expect(windowTail(S, 200)).toBeUndefined(); // long after: nothing to extend
});

/** Two routing sleepers on one schedule (started together), linked. */
function pair() {
  const mesh = new TestMesh({ node: { modemSleep: { sleepMs: 460 } } });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  a.node.start();
  b.node.start();
  mesh.clock.advance(10_000);
  const s = b.node.modemSleep!.schedule;
  // To 33 ms into the next window.
  mesh.clock.advance(s.periodMs - phaseOf(s, mesh.clock.now()) + 33);
  return { mesh, a, b, s };
}

test('a node that hears a frame 33 ms into its 40-ms window is still listening at 50 ms; without it, asleep', () => {
  const busy = pair();
  expect(busy.a.packager.broadcast(TEST_APP_ID, Uint8Array.of(7)).ok).toBe(true);
  busy.mesh.clock.advance(17);
  expect(phaseOf(busy.s, busy.mesh.clock.now())).toBe(50);
  expect(busy.b.radio.on).toBe(true);
  busy.mesh.clock.advance(40);
  expect(busy.b.radio.on).toBe(false); // the tail ended

  const quiet = pair();
  quiet.mesh.clock.advance(17);
  expect(quiet.b.radio.on).toBe(false);
});
