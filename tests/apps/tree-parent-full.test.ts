/**
 * A child whose parent moved within the tree and has no room for it under its new address leaves
 * that parent (apps/hanging-address.ts, docs/routing.md "Any diameter"). Its address hangs from
 * nothing: no node holds the prefix any more, so nothing routed to it arrives, and its borders
 * name a gateway nobody reaches. Before, it asked its parent again at the parent's hellos, was
 * refused each time, and kept the address for as long as the parent's heartbeat reached it: a
 * 300-node strip kept four such nodes for 440 s, one of them the only gateway its tree knew into
 * the next. On the virtual clock.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { TreeOp, parseTree } from '../../modules/mycelium/wire/messages/tree.js';
import { isPrefix } from '../../modules/mycelium/apps/tree-claims.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { AppNode } from '../support/apps-mesh.js';

/**
 * `p` leaves `c`'s REQUESTs unanswered from now on, as a parent does whose address or children
 * are full: one nibble short of the 32 with coordinates 1–7 taken, the case the strip met (a
 * whole line of 33 nodes and seven children would be needed to reach it for real).
 */
function refuseChild(p: AppNode, c: AppNode): void {
  const tree = p.tree as unknown as { onReceive(blob: Uint8Array, from: Delivery): void };
  const receive = tree.onReceive.bind(p.tree);
  tree.onReceive = (blob, from) => {
    const m = parseTree(blob);
    if (m.ok && m.value.op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT && from.peer?.key === toHex(c.node.nodeId)) return;
    receive(blob, from);
  };
}

/** `a` is `b`'s address minus its last coordinate, in the same tree. */
function parentOf(a: { treeState: number; coords: readonly number[] } | undefined, b: { treeState: number; coords: readonly number[] } | undefined): boolean {
  return a !== undefined && b !== undefined && a.treeState === b.treeState && a.coords.length === b.coords.length - 1 && isPrefix(a.coords, b.coords);
}

/**
 * A line r – x – y – p – c (r the best claim), then a new link x – p: p moves up under x, from
 * depth 3 to depth 2, in the same tree (a shallower claim is taken at once, tree-claims.ts), and
 * c must follow it.
 */
function parentMovesUp(refuses: boolean) {
  const mesh = new AppMesh({ seed: 7, hello: true, tree: { max_start_delay: 1_000 } });
  const [r, x, y, p, c] = mesh.addApps(5).sort((m, n) => compareBytes(claimScore(m.node.nodeId), claimScore(n.node.nodeId)));
  for (const [a, b] of [[r, x], [x, y], [y, p], [p, c]]) mesh.wire(a, b);
  mesh.startAll();
  mesh.run(60_000);
  expect(c.tree.parentKey).toBe(toHex(p.node.nodeId));
  expect(c.packager.address?.coords.length).toBe(4);
  if (refuses) refuseChild(p, c);
  mesh.wire(x, p);
  // c asks again at each hello of p's that shows the move (every two of its periods at most),
  // and leaves after UNANSWERED_LIMIT asks in a row: p's hellos slow down in a quiet line.
  mesh.run(300_000);
  expect(p.tree.parentKey).toBe(toHex(x.node.nodeId));
  expect(p.packager.address?.coords.length).toBe(2);
  return { p, c };
}

test('a parent that moved and answers no REQUEST of ours: we leave it instead of keeping an address under its old one', () => {
  const { p, c } = parentMovesUp(true);
  // c no longer holds an address that hangs from nothing: with no other neighbour to ask, it is
  // its own root.
  expect(parentOf(p.packager.address, c.packager.address)).toBe(false);
  expect(c.tree.isRoot).toBe(true);
  expect(c.packager.counters.get('tree_parent_left')).toBeGreaterThan(0);
});

test('a parent that moved with room below it: its child follows it under its new address', () => {
  const { p, c } = parentMovesUp(false);
  expect(parentOf(p.packager.address, c.packager.address)).toBe(true);
  expect(c.tree.isRoot).toBe(false);
  expect(c.packager.counters.get('tree_parent_left')).toBe(0);
});
