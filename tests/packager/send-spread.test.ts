/**
 * Spread sends (Timings `sendSpreadMs`, send-spread.ts; the LoRa defaults under a duty limit):
 * a routed message leaves at a random time within the spread, so two apps whose periods start
 * together do not collide on every period; an acked one's retry counts from when it left.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const blobOf = (n: number, k = 0) => new Uint8Array(n).map((_, i) => (i * 7 + k) & 255);

/** a — b — c in a line, tree addresses 0, [1], [1, 1]; every node with the given timings. */
function line(timings: Record<string, number>) {
  const mesh = new TestMesh({ node: { packager: { timings } } });
  const [a, b, c] = mesh.add(3);
  mesh.connect(a, b);
  mesh.connect(b, c);
  const [, , cAddr] = [a, b, c].map((m, i) => mesh.place(m, 7, new Array<number>(i).fill(1)));
  return { mesh, a, b, c, cAddr };
}

const framesFrom = (mesh: TestMesh, node: MeshNode) => mesh.medium.log.filter((f) => bytesEqual(f.from, node.radio.mac)).length;

/** Run `ms` in 50-ms steps; the times (ms after the start) at which `node` put frames on air. */
function sendTimes(mesh: TestMesh, node: MeshNode, ms: number): number[] {
  const times: number[] = [];
  let seen = framesFrom(mesh, node);
  for (let t = 50; t <= ms; t += 50) {
    mesh.runAwake(50);
    const now = framesFrom(mesh, node);
    for (; seen < now; seen++) times.push(t);
  }
  return times;
}

test('unacked routed messages sent at one instant leave at different times within the spread, and all arrive', () => {
  const { mesh, a, c, cAddr } = line({ endToEndAcks: 0, sendSpreadMs: 6000 });
  for (let k = 0; k < 4; k++) unwrap(a.packager.send(TEST_APP_ID, blobOf(16, k), { address: cAddr }));
  expect(framesFrom(mesh, a)).toBe(0); // none at once
  const times = sendTimes(mesh, a, 10_000);
  expect(times).toHaveLength(4);
  expect(new Set(times).size).toBeGreaterThan(1); // not all at once
  expect(Math.max(...times)).toBeLessThanOrEqual(6000);
  expect(Math.max(...times)).toBeGreaterThan(100);
  expect(c.app.received.map((r) => r.blob[0]).sort()).toEqual([0, 1, 2, 3].map((k) => blobOf(16, k)[0]).sort());
  expect(a.packager.counters.get('tx_spread')).toBe(4);
});

test("upstream's rule (sendSpreadMs 0): the message goes at once", () => {
  const { mesh, a, c, cAddr } = line({ endToEndAcks: 0 });
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  expect(framesFrom(mesh, a)).toBe(1); // on the air within the send call
  mesh.runAwake(1000);
  expect(c.app.received).toHaveLength(1);
  expect(a.packager.counters.get('tx_spread')).toBe(0);
});

test('direct sends are not spread (their one hop has its retry)', () => {
  const { mesh, a, b } = line({ endToEndAcks: 1, sendSpreadMs: 6000 });
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16, 1), { nodeId: b.node.nodeId }));
  expect(framesFrom(mesh, a)).toBe(1);
  expect(a.packager.counters.get('tx_spread')).toBe(0);
});

test('an acked routed message is spread too, and its retry counts from when it left', () => {
  const retry = { sendRetryDelayMs: 2000, sendRetryJitterMs: 0, sendRetryCount: 5 };
  const { mesh, a, b, c, cAddr } = line({ endToEndAcks: 1, sendSpreadMs: 6000, ...retry });
  // b's frames to c are lost, so every attempt of a's goes unanswered.
  mesh.medium.link(b.radio, c.radio, 1, true);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  expect(framesFrom(mesh, a)).toBe(0); // held, not at once
  const times = sendTimes(mesh, a, 8_500);
  expect(a.packager.counters.get('tx_spread')).toBe(1);
  expect(times.length).toBeGreaterThanOrEqual(2);
  expect(times[0]).toBeLessThanOrEqual(6000);
  expect(times[0]).toBeGreaterThan(2000); // this draw: a retry counted from the send call would have gone first
  // Each retry waits its whole delay after the attempt before it left, not after the send call.
  for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2000);
  // b reaches c again: the next retry arrives and is acked, once.
  mesh.medium.link(b.radio, c.radio, 0, true);
  mesh.runAwake(10_000);
  expect(c.app.received).toHaveLength(1);
  expect(a.packager.counters.get('send_unacked')).toBe(0);
});

test('at most 8 wait: more go at once, none is lost', () => {
  const { mesh, a, c, cAddr } = line({ endToEndAcks: 0, sendSpreadMs: 6000 });
  for (let k = 0; k < 12; k++) unwrap(a.packager.send(TEST_APP_ID, blobOf(16, k), { address: cAddr }));
  expect(a.packager.counters.get('tx_spread')).toBe(8);
  expect(a.packager.counters.get('tx_spread_full')).toBe(4);
  mesh.runAwake(10_000);
  expect(c.app.received).toHaveLength(12);
});
