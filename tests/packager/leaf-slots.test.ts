/**
 * Sleepy leaves spread over the superframe (docs/sleep.md "Leaves spread over the superframe"),
 * on the virtual clock: each leaf listens in the window its id gives it, its router holds frames
 * for it until then and sends a copy of each hello in every window its leaves listen in, and a
 * leaf's message to a neighbouring leaf goes through a router.
 */
import { TestMesh, TEST_APP_ID, nodeIdOf, type MeshNode } from '../support/mesh.js';
import { AppMesh } from '../support/apps-mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { SUPERFRAME_WINDOWS, leafSlotOf, msUntilWindow, phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

/** Node `n`'s test id with its last byte set, so that its leaf slot is `slot`. */
function idInSlot(n: number, slot: number): Uint8Array {
  const id = nodeIdOf(n);
  id[31] = slot;
  return id;
}

/** A router (node 0) and two leaves in slots 0 and 3, each linked to the router only. */
function routerAndTwoLeaves() {
  const ids = [nodeIdOf(1), idInSlot(2, 0), idInSlot(3, 3)];
  const mesh = new TestMesh({ node: { modemSleep: true }, nodeAt: (i) => (i > 0 ? { modemSleep: { leaf: true } } : undefined), nodeIdAt: (i) => ids[i] });
  const [router, a, b] = mesh.add(3);
  for (const n of [router, a, b]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(router, a);
  mesh.connect(router, b);
  router.node.start();
  mesh.clock.advance(700);
  a.node.start();
  b.node.start();
  mesh.clock.advance(20_000);
  return { mesh, router, a, b };
}

test('a leaf listens in the window of the superframe its id gives it', () => {
  expect(leafSlotOf(idInSlot(1, 3))).toBe(3);
  expect(leafSlotOf(idInSlot(1, 8 + 5))).toBe(5);
  const { a, b } = routerAndTwoLeaves();
  const sa = a.node.modemSleep!.ownLeafWindows;
  const sb = b.node.modemSleep!.ownLeafWindows;
  const period = a.node.modemSleep!.schedule.periodMs;
  expect(sa.periodMs).toBe(period * SUPERFRAME_WINDOWS);
  // Both follow the router's schedule; b's window opens three periods after a's.
  expect(Math.abs(phaseOf(sa, sb.epoch) - 3 * period)).toBeLessThan(3);
});

test('leaves in different windows are never on together, and each gets its frames and its router’s hellos in its own', () => {
  const { mesh, router, a, b } = routerAndTwoLeaves();
  let onA = 0;
  let onB = 0;
  let both = 0;
  for (let t = 0; t < 16_000; t++) {
    mesh.clock.advance(1);
    if (a.radio.on) onA++;
    if (b.radio.on) onB++;
    if (a.radio.on && b.radio.on) both++;
  }
  expect(onA / 16_000).toBeLessThan(0.05);
  expect(onB / 16_000).toBeLessThan(0.05);
  expect(both).toBe(0);
  for (const [n, byte] of [[a, 1], [b, 2]] as const) expect(router.packager.send(TEST_APP_ID, Uint8Array.of(byte), { nodeId: n.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(2 * SUPERFRAME_WINDOWS * router.node.modemSleep!.schedule.periodMs);
  expect(a.app.received.map((r) => Array.from(r.blob))).toEqual([[1]]);
  expect(b.app.received.map((r) => Array.from(r.blob))).toEqual([[2]]);
  expect(router.packager.counters.get('drop_peer_asleep')).toBe(0);
  // A minute on: each heard the router's hellos (a copy in its own window), so neither asked the
  // router to answer nor listened in every window. With one copy a hello, in one leaf's window,
  // the other leaf heard a hello only when one fell due in its window by chance.
  mesh.clock.advance(60_000);
  for (const n of [a, b]) {
    expect(n.packager.counters.get('sleep_leaf_probe')).toBe(0);
    expect(n.packager.counters.get('sleep_leaf_windows')).toBe(0);
  }
});

test('a unicast from the router waits for the leaf’s own window, not another leaf’s', () => {
  const { mesh, router, a, b } = routerAndTwoLeaves();
  const sb = b.node.modemSleep!.ownLeafWindows;
  // Just as a's window opens (b's is three periods later), send to b.
  mesh.clock.advance(msUntilWindow(a.node.modemSleep!.ownLeafWindows, mesh.clock.now()) + 1);
  expect(router.packager.send(TEST_APP_ID, Uint8Array.of(9), { nodeId: b.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(msUntilWindow(sb, mesh.clock.now()) - 5);
  expect(b.app.received).toEqual([]);
  mesh.clock.advance(sb.windowMs + 5);
  expect(b.app.received.map((r) => Array.from(r.blob))).toEqual([[9]]);
});

test('a leaf’s message to a neighbouring leaf goes through a router, not straight to the sleeping leaf', () => {
  const ids = [nodeIdOf(1), idInSlot(2, 1), idInSlot(3, 6)];
  const mesh = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i > 0 ? { modemSleep: { leaf: true } } : undefined), nodeIdAt: (i) => ids[i] });
  const [r, a, b] = mesh.addApps(3);
  for (const [x, y] of [[r, a], [r, b], [a, b]]) mesh.wire(x, y); // the leaves hear each other too
  mesh.startAll();
  mesh.clock.advance(90_000);
  expect(mesh.converged()).toBe(true);
  expect(a.packager.peer(b.node.nodeId)?.leaf).toBe(true);
  mesh.medium.clearLog();
  const forwarded = r.packager.counters.get('forwarded');
  expect(a.ping.request(b.packager.address as Address).ok).toBe(true);
  mesh.clock.advance(5_000);
  expect(a.ping.responses().length).toBe(1);
  expect(r.packager.counters.get('forwarded') - forwarded).toBeGreaterThanOrEqual(2); // the request and the answer
  const fromTo = (x: MeshNode, y: MeshNode) => mesh.medium.log.filter((f) => bytesEqual(f.from, x.radio.mac) && f.to !== undefined && bytesEqual(f.to, y.radio.mac));
  expect(fromTo(a, b)).toEqual([]);
  expect(fromTo(b, a)).toEqual([]);
});
