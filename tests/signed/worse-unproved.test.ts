/**
 * A neighbour's SEND for a root worse than ours is answered (RESPOND) but its chain is not asked
 * for (signed-tree.ts, docs/security.md "Formation"): its sender is behind the formation's wave
 * and will join a tree with room at a new address, so proving the old one — often a whole chain
 * of another tree — bought nothing. On the virtual clock.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';

const sum = (nodes: readonly SignedNode[], name: string): number => nodes.reduce((s, x) => s + (x.packager.counters.snapshot()[name] ?? 0), 0);

test('a signed 6×6 grid powered on at once forms one tree that routes, with worse roots answered and not proved', () => {
  const mesh = new SignedMesh({ seed: 9, security: { mode: 'signed' }, tree: { max_start_delay: 2_000 } });
  const nodes = mesh.addSigned(36);
  for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) {
    if (c < 5) mesh.wire(nodes[r * 6 + c], nodes[r * 6 + c + 1]);
    if (r < 5) mesh.wire(nodes[r * 6 + c], nodes[(r + 1) * 6 + c]);
  }
  mesh.startAll();
  mesh.run(120_000);
  expect(mesh.converged()).toBe(true);
  // Chains asked: 111 before (every worse root proved), 107 with it (the 300-node figures are in docs/benchmarks.md).
  console.log(`signed 6×6 grid: chains asked ${sum(nodes, 'signed_chain_requested')}, worse roots answered unproved ${sum(nodes, 'signed_worse_unproved')}, verified ${sum(nodes, 'signed_verify')}`);
  expect(sum(nodes, 'signed_worse_unproved')).toBeGreaterThan(0);
  expect(sum(nodes, 'signed_bad_signature') + sum(nodes, 'signed_bad_chain')).toBe(0);
  // Corner to corner and back along the tree that formed.
  const [a, z] = [nodes[0], nodes[35]];
  a.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: z.packager.address! });
  z.packager.send(TEST_APP_ID, Uint8Array.of(2), { address: a.packager.address! });
  mesh.run(5_000);
  expect(sum([a, z], 'delivered')).toBeGreaterThanOrEqual(2);
});
