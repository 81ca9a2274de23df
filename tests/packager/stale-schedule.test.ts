/**
 * A hello's wake phase holds only when the hello reached us soon after it was built (docs/sleep.md
 * "Session 18"). One that arrived in fragments spread over more than half a window (a fragment
 * lost and sent again on request, or mixed with an older hello's) points to another window of
 * the superframe: a node must not move its schedule, nor a neighbour's recorded windows, on it.
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';
import { serializeHello } from '../../modules/mycelium/wire/messages/hello.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

/** A sleeper on its own schedule, and a hello from a neighbour whose schedule source ranks first. */
function sleeperAndHello() {
  const mesh = new TestMesh({ node: { modemSleep: true } });
  const [node, other] = mesh.add(2);
  const hello = new Hello(nodeHashes);
  node.node.addApp(hello);
  mesh.medium.link(node.radio, other.radio);
  node.node.start();
  mesh.clock.advance(5_000);
  const m = serializeHello({
    seq: 1,
    intervalMs: 3000,
    flags: 1,
    rootSeq: 0,
    depth: 255,
    root: other.node.nodeId,
    addressTag: 0,
    nodeId: other.node.nodeId,
    heard: [],
    schedule: { phaseMs: 700, periodMs: 200, windowMs: 40, hops: 0, source: new Uint8Array(4) },
  });
  if (!m.ok) throw new Error(m.error.message);
  const from = (assembledMs?: number): Delivery => ({ iface: node.packager.interfaces[0], mac: other.radio.mac, peer: undefined, from: undefined, hops: 1, assembledMs });
  return { mesh, node, other, hello, blob: m.value, from };
}

test('a hello whose fragments came over more than half a window apart moves no schedule', () => {
  const { mesh, node, other, hello, blob, from } = sleeperAndHello();
  const sleep = node.node.modemSleep!;
  const before = sleep.schedule;
  hello.receive(blob.slice(), from(400));
  expect(sleep.schedule).toEqual(before);
  expect(sleep.adoptions).toBe(0);
  expect(node.packager.peer(other.node.nodeId)?.wakes).toBeUndefined();
  expect(node.packager.counters.get('sleep_stale_schedule')).toBe(1);
  // The same hello in one frame, or in fragments close together, is followed.
  hello.receive(blob.slice(), from(3));
  expect(sleep.adoptions).toBe(1);
  expect(phaseOf({ ...sleep.schedule, periodMs: sleep.schedule.periodMs * 8 }, mesh.clock.now())).toBe(700);
});

test('a hello in one frame is followed as ever', () => {
  const { node, hello, blob, from } = sleeperAndHello();
  hello.receive(blob.slice(), from(undefined));
  expect(node.node.modemSleep!.adoptions).toBe(1);
  expect(node.packager.counters.get('sleep_stale_schedule')).toBe(0);
});

test('an app is told how long a message in several fragments took to come together', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  expect(a.packager.send(TEST_APP_ID, new Uint8Array(600).fill(7), { nodeId: b.node.nodeId }).ok).toBe(true);
  expect(a.packager.send(TEST_APP_ID, Uint8Array.of(1), { nodeId: b.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(1_000);
  const [big, small] = b.app.received;
  expect(big.blob.length).toBe(600);
  expect(big.delivery.assembledMs).toBeGreaterThanOrEqual(0);
  expect(big.delivery.assembledMs).toBeLessThan(50);
  expect(small.delivery.assembledMs).toBeUndefined();
});
