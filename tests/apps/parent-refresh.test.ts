/**
 * A parent that sends no hellos (upstream's nodes, ours with Hello off) refreshes our tree only
 * with its SEND adverts, broadcasts the radio sends once. Lost for a minute, the tree aged out
 * and the child reset, its subtree with it. Now the child asks its parent with a REQUEST (a
 * unicast, retried by the radio), which the parent answers with the child's own address and its
 * tree age (apps/parent-refresh.ts, docs/routing.md "Mixed meshes").
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/** Root r and child c, no Hello on either (as upstream's nodes); the tree formed. */
function rootAndChild(): { mesh: AppMesh; r: AppNode; c: AppNode } {
  const mesh = new AppMesh();
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.clock.advance(60_000);
  expect(mesh.converged()).toBe(true);
  const [r, c] = a.tree.isRoot ? [a, b] : [b, a];
  return { mesh, r, c };
}

test("a parent's adverts all lost for two minutes: its child asks it, keeps its tree and address", () => {
  const { mesh, r, c } = rootAndChild();
  const address = c.packager.address?.toString();
  const transmit = mesh.medium.transmit.bind(mesh.medium);
  // Every broadcast of the root lost (its SEND adverts, its beacons); its unicasts still arrive.
  mesh.medium.transmit = (from, to, frame) => (from === r.radio && to === undefined ? true : transmit(from, to, frame));
  const resets = c.packager.counters.get('tree_reset');
  mesh.clock.advance(120_000);
  expect(c.packager.counters.get('tree_refresh_asked')).toBeGreaterThanOrEqual(2);
  expect(c.packager.counters.get('tree_reset')).toBe(resets);
  expect(c.node.state().tree?.parent).toBe(toHex(r.node.nodeId));
  expect(c.packager.address?.toString()).toBe(address);
});

test('a parent that answers nothing: the tree still ages out as before, after a few asks', () => {
  const { mesh, r, c } = rootAndChild();
  const transmit = mesh.medium.transmit.bind(mesh.medium);
  mesh.medium.transmit = (from, to, frame) => (from === r.radio ? true : transmit(from, to, frame));
  mesh.clock.advance(70_000);
  const asked = c.packager.counters.get('tree_refresh_asked');
  expect(asked).toBeGreaterThanOrEqual(1);
  // One ask per 5 s from 45 s of tree age until the maintenance round (every 20 s) that resets it.
  expect(asked).toBeLessThanOrEqual(7);
  expect(c.tree.isRoot).toBe(true);
});
