/**
 * A routed packet to a sleeping neighbour that the radio reports failed once the neighbour's
 * window had closed goes again in its next window (datagrams.ts `retryAtWindow`, docs/sleep.md
 * "Session 21"). The medium here delivers 6 ms after a frame is sent, and a hello's phase is
 * read that late too, so a's view of b's windows runs 6 ms behind b's radio: a frame a starts
 * with 5 ms of the window left by its view (past its 4-ms send guard) finds b asleep, and its
 * failure is reported once that window has closed — what carrier sense and link-layer retries
 * do on a busy ESP-NOW channel.
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

/** Two aligned sleepers with tree addresses, the clock 5 ms before the end of b's window as a sees it. */
function lateInWindow() {
  const mesh = new TestMesh({ acks: true, latencyMs: 6, node: { modemSleep: true } });
  const [a, b] = mesh.add(2);
  for (const n of [a, b]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(a, b);
  a.node.start();
  mesh.clock.advance(300);
  b.node.start();
  mesh.clock.advance(20_000);
  mesh.place(a, 7, []);
  const bAddr = mesh.place(b, 7, [1]);
  const s = a.packager.peer(b.node.nodeId)!.wakes!;
  const phase = phaseOf(s, mesh.clock.now());
  mesh.clock.advance((s.windowMs - 5 - phase + s.periodMs) % s.periodMs);
  return { mesh, a, b, bAddr, periodMs: s.periodMs };
}

test('a routed packet whose receiver slept before it landed goes again in the next window', () => {
  const { mesh, a, b, bAddr, periodMs } = lateInWindow();
  unwrap(a.packager.send(TEST_APP_ID, Uint8Array.of(1, 2, 3), { address: bAddr }));
  mesh.clock.advance(10);
  expect(b.app.received).toHaveLength(0); // lost: b's window closed before it landed
  mesh.clock.advance(periodMs);
  // One window later, not after the origin's 2-s end-to-end resend.
  expect(b.app.received.map((r) => Array.from(r.blob))).toEqual([[1, 2, 3]]);
  expect(a.packager.counters.get('unicast_unacked')).toBe(1);
  expect(a.packager.counters.get('unicast_window_retry')).toBe(1);
  // The timing lost it, not the link: b is not avoided.
  expect(a.packager.counters.get('rerouted_unacked')).toBe(0);
});

test('a retry that fails again is left to the end-to-end resend (one retry per window miss)', () => {
  const { mesh, a, b, bAddr, periodMs } = lateInWindow();
  mesh.medium.unlink(a.radio, b.radio); // every copy fails from now on
  unwrap(a.packager.send(TEST_APP_ID, Uint8Array.of(9), { address: bAddr }));
  mesh.clock.advance(3 * periodMs);
  expect(a.packager.counters.get('unicast_window_retry')).toBe(1);
  expect(b.app.received).toHaveLength(0);
});

test("a neighbour's own message (no route fields) is not retried at the window", () => {
  const { mesh, a, b, periodMs } = lateInWindow();
  unwrap(a.packager.send(TEST_APP_ID, Uint8Array.of(4, 5), { nodeId: b.node.nodeId }));
  mesh.clock.advance(periodMs + 10);
  expect(a.packager.counters.get('unicast_window_retry')).toBe(0);
  expect(b.app.received).toHaveLength(0); // until its own (end-to-end) retry
});
