/**
 * Hostile Hello messages from a neighbour (session 22's ops: a leaf's WHERE and HERE, news of a
 * root): random blobs under every op, to a router, a sleepy leaf and a node whose formation is
 * paced (news on). Nothing may throw out of the receive path, and each node still talks to its
 * neighbour afterwards. Seeded: a failure reproduces.
 */
import fc from 'fast-check';
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';

/** Random Hello blobs: an op from 0 to 8 and up to 80 random bytes, or an op at the exact length of its layout (WHERE 33, HERE 50, news 10 bytes). */
const helloBlob = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 8 }), fc.uint8Array({ maxLength: 80 })).map(([op, rest]) => Uint8Array.of(op, ...rest)),
  fc.constantFrom<[number, number]>([4, 32], [5, 49], [6, 9], [2, 0], [3, 18]).chain(([op, n]) => fc.uint8Array({ minLength: n, maxLength: n }).map((rest) => Uint8Array.of(op, ...rest))),
);

function feed(n: AppNode, from: AppNode, blobs: readonly Uint8Array[]): void {
  const hello = n.node.app(Hello) as Hello;
  const peer = n.packager.peers.find((p) => p.key === from.packager.nodeKey);
  expect(peer).toBeDefined();
  const link = peer!.bestLink();
  for (const blob of blobs) expect(() => hello.receive(blob, { iface: link?.iface, mac: link?.mac, peer, from: undefined, hops: 1 })).not.toThrow();
}

function stillTalks(mesh: AppMesh, a: AppNode, b: AppNode, byte: number): void {
  expect(a.packager.send(TEST_APP_ID, Uint8Array.of(byte), { nodeId: b.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(4_000);
  expect(b.app.received.map((r) => Array.from(r.blob))).toContainEqual([byte]);
}

test('random Hello ops from a neighbour never throw, on a router, a leaf and a paced node', () => {
  fc.assert(
    fc.property(fc.array(helloBlob, { minLength: 1, maxLength: 40 }), (blobs) => {
      const sleepy = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined) });
      const [router, leaf] = sleepy.addApps(2);
      sleepy.wire(router, leaf);
      sleepy.startAll();
      sleepy.clock.advance(30_000);
      feed(router, leaf, blobs);
      feed(leaf, router, blobs);
      stillTalks(sleepy, router, leaf, 1);
      const paced = new AppMesh({ hello: true, tree: { claim_pace_ms: 4000 } });
      const [a, b] = paced.addApps(2);
      paced.wire(a, b);
      paced.startAll();
      paced.clock.advance(20_000);
      feed(a, b, blobs);
      stillTalks(paced, b, a, 2);
    }),
    { seed: 22, numRuns: 25 },
  );
});
