/**
 * A node whose parent joins a tree with no room below it gives its root up at once
 * (spanning-tree.ts #parentLeft, docs/routing.md "Formation: better roots travel faster"):
 * its address hangs from nothing, and keeping the old tree let its old subtree lend it back to
 * it until the tree aged out (60 s). On the virtual clock.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { TreeOp, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { encodeCoords } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

/** The claim whose score is 0: better than every node's. */
const BEST = new TextEncoder().encode('1234'.repeat(8));

function lineOfThree() {
  // Addresses hold 2 levels: r at the root, p at depth 1, c at depth 2.
  const mesh = new AppMesh({ seed: 4, tree: { max_start_delay: 1_000, address_levels: 2 } });
  const [r, p, c] = mesh.addApps(3).sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  mesh.wire(r, p);
  mesh.wire(p, c);
  mesh.startAll();
  mesh.run(30_000);
  return { mesh, r, p, c };
}

/** p tells c it now sits at depth `depth` of the best tree. */
function parentMoves(mesh: AppMesh, p: AppNode, c: AppNode, depth: number): void {
  const address = new Uint8Array(16);
  address.set(unwrap(encodeCoords(Array.from({ length: depth }, () => 1))));
  const msg = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(mesh.clock.now()), age: 0, claim: BEST, address, nodeId: p.node.nodeId }));
  const d: Delivery = { iface: c.packager.interfaceOf(c.radio), mac: p.radio.mac, peer: c.packager.peer(p.node.nodeId), from: undefined };
  c.tree.receive(msg, d);
}

test('a parent that joins a full tree: its child gives the old root up at once', () => {
  const { mesh, r, p, c } = lineOfThree();
  expect(c.tree.parentKey).toBe(toHex(p.node.nodeId));
  expect(toHex(c.tree.root)).toBe(toHex(r.node.nodeId));
  parentMoves(mesh, p, c, 2); // full: no room for c below it
  mesh.run(1_000);
  expect(c.tree.isRoot).toBe(true);
  expect(c.packager.counters.get('tree_parent_left')).toBe(1);
});

test('a parent that joins a better tree with room below it: its child follows it (paced), the root is not given up', () => {
  const { mesh, r, p, c } = lineOfThree();
  expect(toHex(c.tree.root)).toBe(toHex(r.node.nodeId));
  parentMoves(mesh, p, c, 1);
  mesh.run(50);
  expect(c.tree.isRoot).toBe(false);
  expect(c.packager.counters.get('tree_parent_left')).toBe(0);
});
