/**
 * A neighbour's SEND for a root worse than ours whose address we cannot prove from links we hold
 * is answered (RESPOND) but its chain is not asked for (signed-tree.ts, docs/security.md "Session
 * 9"): its sender is behind the formation's wave and will join a tree with room at a new address,
 * so proving the old one — often a whole chain of another tree — bought nothing. On the virtual
 * clock.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { TEST_APP_ID } from '../support/mesh.js';

const count = (n: SignedNode, name: string): number => n.packager.counters.snapshot()[name] ?? 0;

test('a node that starts next to a worse tree answers its neighbour without asking its chain; the tree then forms under it and routes', () => {
  const mesh = new SignedMesh({ seed: 5, security: { mode: 'signed' }, tree: { max_start_delay: 1_000 } });
  // r — x — w — a: a holds the best claim, r the best of the other three.
  const nodes = mesh.addSigned(4).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  const [a, r] = nodes;
  const [x, w] = nodes.slice(2);
  mesh.wire(r, x);
  mesh.wire(x, w);
  mesh.wire(w, a);
  for (const n of [r, x, w]) n.node.start();
  mesh.run(60_000);
  expect(toHex(w.tree.root)).toBe(toHex(r.node.nodeId)); // w at depth 2 of r's tree: a holds none of its chain
  a.node.start();
  mesh.run(60_000);
  expect(count(a, 'signed_worse_unproved')).toBeGreaterThan(0);
  expect(count(a, 'signed_chain_requested')).toBe(0); // w's chain under r: never asked
  expect(mesh.converged()).toBe(true);
  expect(toHex(r.tree.root)).toBe(toHex(a.node.nodeId));
  expect(nodes.reduce((s, n) => s + count(n, 'signed_bad_chain') + count(n, 'signed_bad_signature'), 0)).toBe(0);
  // The tree that formed routes: r, three hops from the root, reaches it and back.
  r.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: a.packager.address! });
  a.packager.send(TEST_APP_ID, Uint8Array.of(2), { address: r.packager.address! });
  mesh.run(5_000);
  expect(count(a, 'delivered')).toBeGreaterThan(0);
  expect(count(r, 'delivered')).toBeGreaterThan(0);
});
