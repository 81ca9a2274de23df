/**
 * Mixed mode (issue 20): our nodes sign among themselves and take upstream neighbours (no
 * SignedTree in their Beacon, upstream's 90-byte tree messages) as leaves only: an upstream node
 * joins under us and is reachable, but is never our parent or root, whatever its id scores.
 */
import { SignedMesh, groundKey } from '../support/signed-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

function mixed(bestIs: 'ours' | 'upstream') {
  const best = groundKey();
  const mesh = new SignedMesh({ seed: 9, security: { mode: 'mixed' }, keyFor: (i) => (i === (bestIs === 'ours' ? 0 : 3) ? best : undefined) });
  const [a, b, c] = mesh.addSigned(3);
  const [u] = mesh.addSigned(1, { mode: 'open' }); // an upstream node: upstream's apps only
  mesh.wire(a, b);
  mesh.wire(b, c);
  mesh.wire(b, u);
  mesh.startAll();
  mesh.run(180_000);
  return { mesh, ours: [a, b, c], a, b, u };
}

test('an upstream neighbour joins our signed tree as a leaf and is reachable', () => {
  const { mesh, ours, a, b, u } = mixed('ours');
  expect(mesh.roots(ours)).toEqual([toHex(a.node.nodeId)]);
  expect(toHex(u.tree.root)).toBe(toHex(a.node.nodeId));
  expect(u.tree.parentKey).toBe(toHex(b.node.nodeId));
  // The upstream node only ever received upstream's 90-byte tree messages.
  expect(u.packager.counters.snapshot().tree_bad_message ?? 0).toBe(0);
  // Our nodes signed among themselves: nothing unsigned was taken from each other.
  expect(ours.every((n) => (n.packager.counters.snapshot().signed_unsigned_refused ?? 0) === 0)).toBe(true);
  a.packager.send(TEST_APP_ID, Uint8Array.of(7), { address: u.packager.address! });
  mesh.run(5_000);
  expect(u.app.received.length).toBe(1);
});

test('an upstream neighbour whose id scores best is still never our root or parent', () => {
  const { mesh, ours, u } = mixed('upstream');
  const roots = mesh.roots(ours);
  expect(roots).toHaveLength(1);
  expect(roots[0]).not.toBe(toHex(u.node.nodeId));
  expect(ours.every((n) => n.tree.parentKey !== toHex(u.node.nodeId))).toBe(true);
  expect(ours.some((n) => (n.packager.counters.snapshot().signed_leaf_only ?? 0) > 0)).toBe(true);
});
