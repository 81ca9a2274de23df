/**
 * A routed frame that failed and was sent on by another neighbour (unacked.ts, REROUTES) keeps
 * that count while it waits for a sleeping neighbour's window (session 28). Before, it was
 * watched afresh when it left the queue, so between two sleeping neighbours that both failed it
 * was sent on again at every failure: every window, for as long as the frame lived. In a 40-node
 * sleeping mesh with 20 flows (sleep-random-lossy-40 with 20 flows, seed 14) one relay sent one
 * packet 69 times in 5 s.
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

/**
 * r (at [2]) with two neighbours that both lead to t (at [1, 1]): x, the root, and y (at [1]),
 * every node in the aligned modem sleep. Then both of r's links fail for good, and r's radio
 * reports each failure a whole window late, as carrier sense and the link layer's retries do in
 * a crowded window: every way r tries is tried again in a later window (datagrams.ts).
 */
function relayBetweenTwoSleepers() {
  const mesh = new TestMesh({ acks: true, node: { modemSleep: true } });
  const [r, x, y, t] = mesh.add(4);
  for (const n of [r, x, y, t]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(r, x);
  mesh.connect(r, y);
  mesh.connect(x, y);
  mesh.connect(y, t);
  for (const n of [x, y, t, r]) {
    n.node.start();
    mesh.clock.advance(300);
  }
  mesh.clock.advance(20_000);
  mesh.place(x, 7, []);
  mesh.place(y, 7, [1]);
  mesh.place(r, 7, [2]);
  const target = mesh.place(t, 7, [1, 1]);
  mesh.medium.unlink(r.radio, x.radio);
  mesh.medium.unlink(r.radio, y.radio);
  const report = r.radio.onSent;
  const windowMs = r.packager.peer(y.node.nodeId)!.wakes!.windowMs;
  r.radio.onSent = (mac, delivered) => (delivered ? report?.(mac, true) : mesh.clock.setTimeout(() => report?.(mac, false), windowMs));
  return { mesh, r, x, y, target };
}

test('a frame sent on after a failure is not sent on again at each failure while it waits for windows', () => {
  const { mesh, r, x, y, target } = relayBetweenTwoSleepers();
  const before = mesh.medium.log.length;
  unwrap(r.packager.send(TEST_APP_ID, Uint8Array.of(7, 7, 7), { address: target }));
  // Less than the origin's 2-s end-to-end resend: only the first copy's fate counts.
  mesh.clock.advance(1_900);
  const toNeighbours = mesh.medium.log.slice(before).filter((f) => bytesEqual(f.from, r.radio.mac) && f.to && (bytesEqual(f.to, x.radio.mac) || bytesEqual(f.to, y.radio.mac)));
  const sends = toNeighbours.length;
  console.log(`one frame between two failing sleepers: ${sends} sends in 1.9 s, rerouted ${r.packager.counters.get('rerouted_unacked')}`);
  expect(r.packager.counters.get('rerouted_unacked')).toBe(1);
  // The first way (and its window retry), then one other way (and its window retry).
  expect(sends).toBeLessThanOrEqual(4); // before: 9 sends, 4 of them sent on after failures
  expect(sends).toBeGreaterThanOrEqual(2);
});
