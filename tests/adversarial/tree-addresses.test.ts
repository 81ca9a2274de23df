/**
 * Issue 19, class 2 (duplicate tree addresses, no attacker needed): a parent that drops a child
 * as a peer (beacon timeout, DISCONNECT, table eviction) keeps the child's coordinate leased
 * while the child may still use it, so the next joiner gets another address; the child gets
 * its own back when it asks again; a coordinate whose holder is never heard again is free after
 * the tree timeout. A parent back from a reboot, its table gone, leaves the children that still
 * hold addresses under its own their coordinates.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { TreeCoordinates } from '../../modules/mycelium/apps/tree-coordinates.js';
import { compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { reboot } from '../support/reboot.js';

/** P (lowest claim score: the root) with child C; N is wired to P and started by the test. */
function setup(seed: number) {
  const mesh = new AppMesh({ seed });
  const [p, c, n] = mesh.addApps(3);
  mesh.wire(p, c);
  p.node.start();
  c.node.start();
  mesh.run(60_000);
  expect(c.packager.address?.coords.length).toBe(1);
  return { mesh, p, c, n };
}

function join(mesh: AppMesh, p: AppNode, n: AppNode): void {
  mesh.wire(p, n);
  n.node.start();
  mesh.run(30_000);
}

const addr = (a: AppNode) => a.packager.address!.toString();

test('a child dropped as a peer keeps its coordinate: the next joiner gets another address', () => {
  const { mesh, p, c, n } = setup(31);
  const before = addr(c);
  p.packager.removePeer(c.node.nodeId); // what a beacon timeout, a DISCONNECT or an eviction does
  join(mesh, p, n);
  console.log(`tree addresses: child ${before} dropped as a peer; the joiner got ${addr(n)}; the child holds ${addr(c)}`);
  expect(addr(c)).toBe(before); // the child never learnt it was dropped
  expect(addr(n)).not.toBe(addr(c)); // before: the same address, for good
  // Blobs routed to each address reach that node only.
  let wrong = 0;
  for (let k = 0; k < 10; k++) {
    const to = k % 2 ? n : c;
    const other = k % 2 ? c : n;
    const got = other.app.received.length;
    unwrap(p.packager.send(TEST_APP_ID, Uint8Array.of(k, 7), { address: to.packager.address! }));
    mesh.run(5_000);
    wrong += other.app.received.length - got;
  }
  expect(wrong).toBe(0);
  mesh.run(5 * 60_000); // the child is heard again (beacons, adverts): its coordinate stays its own
  const [m] = mesh.addApps(1);
  join(mesh, p, m);
  expect(new Set([addr(c), addr(n), addr(m)]).size).toBe(3);
});

test('the dropped child asking again gets its old coordinate back', () => {
  const { mesh, p, c, n } = setup(32);
  const before = addr(c);
  p.packager.removePeer(c.node.nodeId);
  join(mesh, p, n);
  c.node.stop();
  c.node.start(); // a reboot: it starts as its own root and asks P again
  mesh.run(30_000);
  expect(addr(c)).toBe(before);
  expect(addr(n)).not.toBe(before);
});

test('the coordinate of a child never heard again is free after the tree timeout', () => {
  const { mesh, p, c, n } = setup(33);
  const before = addr(c);
  c.node.stop();
  mesh.medium.unlink(p.radio, c.radio);
  p.packager.removePeer(c.node.nodeId);
  mesh.run(2 * p.tree.params.max_tree_age * 1000);
  join(mesh, p, n);
  expect(addr(n)).toBe(before); // 135 coordinates per parent: leases must end
});

test('a parent that moves away and comes back does not hand a coordinate still in use to a new child', () => {
  // Seen in root-kill-grid-100: after the root died a parent moved and came back to its old
  // address, its table had been voided, and the next joiner got a coordinate a child still held.
  const heard = new Map<string, number>([['a', 0]]);
  const coords = new TreeCoordinates({ leaseMs: () => 60_000, lastHeard: (k) => heard.get(k) });
  const x = unwrap(Address.fromCoords(7, [1, 2]));
  const elsewhere = unwrap(Address.fromCoords(7, [3]));
  coords.rebase(x);
  const a = coords.assign('a', 0);
  coords.rebase(elsewhere); // a repair moves the parent; child a has not followed yet
  coords.rebase(x); // and back
  heard.set('a', 5_000); // a is still a neighbour, still at x + its coordinate
  expect(coords.assign('b', 6_000)).not.toBe(a); // before: the table was void, b got a's coordinate
  expect(coords.assign('a', 7_000)).toBe(a); // a asking again keeps its own
});

test('a parent back from a reboot leaves its old children their coordinates: a joiner gets another', () => {
  // R (the best claim) - P - C in a line. P reboots: its table of coordinates goes with it, and
  // C, whose link to P stays up, keeps its address under P's. Then N joins P.
  const mesh = new AppMesh({ seed: 34 });
  const [r, p, c, n] = mesh.addApps(4).sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  mesh.wire(r, p);
  mesh.wire(p, c);
  r.node.start();
  p.node.start();
  c.node.start();
  mesh.run(60_000);
  const before = addr(c);
  const parentBefore = addr(p);
  mesh.medium.unlink(r.radio, p.radio);
  mesh.medium.unlink(p.radio, c.radio);
  mesh.run(1);
  const fresh = reboot(mesh, p, 340).node;
  mesh.medium.link(r.radio, p.radio);
  mesh.medium.link(p.radio, c.radio);
  mesh.run(30_000);
  expect(fresh.packager.address?.toString()).toBe(parentBefore);
  mesh.wire(p, n);
  n.node.start();
  mesh.run(30_000);
  console.log(`tree addresses: child ${before} under a parent back from a reboot holds ${addr(c)}; the joiner got ${addr(n)}`);
  expect(addr(n)).not.toBe(addr(c)); // before: the joiner took the child's coordinate
});

test('a neighbour at an address under ours that we did not give keeps its coordinate, never one another holds', () => {
  const heard = new Map<string, number>([['c', 0], ['e', 0]]);
  const coords = new TreeCoordinates({ leaseMs: () => 60_000, lastHeard: (k) => heard.get(k) });
  const x = unwrap(Address.fromCoords(7, [1, 2]));
  const under = (c: number) => unwrap(Address.fromCoords(7, [1, 2, c]));
  coords.rebase(x);
  coords.heard('c', under(1), 1_000); // c holds x + 1 from before a reboot
  expect(coords.assign('n', 2_000)).toBe(2);
  coords.heard('e', under(1), 3_000); // e claims c's coordinate: it stays c's
  coords.heard('e', unwrap(Address.fromCoords(7, [4])), 3_000); // not under ours: nothing
  expect(coords.assign('m', 4_000)).toBe(3);
  expect(coords.assign('c', 5_000)).toBe(1); // c asking keeps its own
});
