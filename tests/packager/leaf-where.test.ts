/**
 * A sleepy leaf that missed a node's address advert asks a router where that node is
 * (apps/hello-where.ts, docs/sleep.md "Sleepy leaves"), on the virtual clock.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';

/** Routers 0-1-2 in a line, leaf 3 hears router 1 only; all sleeping, converged. */
function lineWithLeaf() {
  const mesh = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i === 3 ? { modemSleep: { leaf: true } } : undefined) });
  const [r0, r1, r2, leaf] = mesh.addApps(4);
  mesh.wire(r0, r1);
  mesh.wire(r1, r2);
  mesh.wire(leaf, r1);
  mesh.startAll();
  mesh.clock.advance(90_000);
  expect(mesh.converged()).toBe(true);
  return { mesh, r0, r1, r2, leaf };
}

test('a leaf that knows no address for a node asks its router, and its next send gets through', () => {
  // Address adverts are floods, which a leaf hears one time in eight: one missed left it unable
  // to send to that node for minutes (`no_route` at every try).
  const { mesh, r0, leaf } = lineWithLeaf();
  for (const a of leaf.packager.addressesOf(r0.node.nodeId)) leaf.packager.removeRoute(a);
  expect(leaf.packager.addressesOf(r0.node.nodeId)).toEqual([]);
  const first = leaf.packager.send(TEST_APP_ID, Uint8Array.of(1), { nodeId: r0.node.nodeId });
  expect(first.ok).toBe(false);
  mesh.clock.advance(4_000); // the question in the router's window, the answer in the leaf's
  expect(leaf.packager.counters.get('hello_where_learned')).toBe(1);
  expect(leaf.packager.send(TEST_APP_ID, Uint8Array.of(2), { nodeId: r0.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(4_000);
  expect(r0.app.received.map((r) => Array.from(r.blob))).toEqual([[2]]);
});

test('a leaf asks about one node at most once in 10 s, and takes no answer it did not ask for', () => {
  const { mesh, r0, r1, leaf } = lineWithLeaf();
  for (const a of leaf.packager.addressesOf(r0.node.nodeId)) leaf.packager.removeRoute(a);
  // Its router forgets r0 too: nobody can answer, so every send is refused and asks again only every 10 s.
  for (const a of r1.packager.addressesOf(r0.node.nodeId)) r1.packager.removeRoute(a);
  for (let i = 0; i < 20; i++) {
    leaf.packager.send(TEST_APP_ID, Uint8Array.of(i), { nodeId: r0.node.nodeId });
    mesh.clock.advance(1_000);
  }
  expect(leaf.packager.counters.get('hello_where_sent')).toBe(2);
  expect(leaf.packager.counters.get('hello_where_learned')).toBe(0);
  expect(r1.packager.counters.get('hello_where_answer')).toBe(0);
  // A HERE nobody asked for changes nothing (a neighbour cannot plant routes).
  const before = leaf.packager.addressesOf(r1.node.nodeId).length;
  const here = new Uint8Array(50);
  here[0] = 0x05;
  here.set(r1.node.nodeId, 1);
  here[33] = r1.packager.address!.treeState;
  here.set(Uint8Array.of(0x70), 34);
  r1.packager.send(r1.hello!.id, here, { nodeId: leaf.node.nodeId }, { unacked: true, retries: 0 });
  mesh.clock.advance(4_000);
  expect(leaf.packager.counters.get('hello_where_unasked')).toBe(1);
  expect(leaf.packager.addressesOf(r1.node.nodeId).length).toBe(before);
});

test('a leaf floods its own gossip, and its router passes it on', () => {
  // A leaf relays no gossip: it does not route. Its own publishes were held back by the same
  // rule, so its address adverts never left it and nobody beyond its router learned where it was.
  const { mesh, r0, r1, leaf } = lineWithLeaf();
  const topic = new Uint8Array(16).fill(7);
  for (const n of [r0, r1, leaf]) n.gossip.subscribe(topic, TEST_APP_ID);
  leaf.gossip.publish(topic, Uint8Array.of(1, 2, 3));
  mesh.clock.advance(5_000);
  const got = (n: typeof r0) => n.app.received.filter((r) => r.delivery.topic !== undefined).map((r) => Array.from(r.blob));
  expect(got(r1)).toEqual([[1, 2, 3]]);
  expect(got(r0)).toEqual([[1, 2, 3]]); // two hops away, flooded on by the router
});
