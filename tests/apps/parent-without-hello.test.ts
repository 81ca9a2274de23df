/**
 * The root's heartbeat travels in hellos, so none comes through a parent that sends none
 * (upstream's nodes, ours with Hello off). A child of such a parent heard beats only round a side
 * way; when that way went, the beats stopped and it gave its live root up as stale and poisoned
 * it, and its subtree with it (`lossy-50` with 10 upstream stand-ins, seed 4: whole branches
 * restarted every minute from 185 s). Now such a parent makes our root "far", as a bridge's LoRa
 * parent does: upstream's tree age judges it, kept fresh by its adverts and our asks
 * (apps/parent-refresh.ts), and our hellos tell our own children not to wait for beats either
 * (docs/routing.md "Mixed meshes with upstream nodes"). Below such a parent no beat refreshes
 * anyone's tree, so a grandchild whose SEND adverts are lost asks its own parent too.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { bytesEqual, compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { TreeOp } from '../../modules/mycelium/wire/messages/tree.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

function byScore(nodes: AppNode[]): AppNode[] {
  return [...nodes].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
}

test('a child of a parent without Hello keeps its live root when the beats round a side way stop', () => {
  const mesh = new AppMesh({ seed: 5, tree: { pub_each_round: false }, hello: true });
  const [r, s1, s2, c, d] = byScore(mesh.addApps(5));
  const [u] = mesh.addApps(1, false);
  // r — u — c — d, and r — s1 — s2 — c: c is at depth 2 under u, and hears r's beats from s2.
  mesh.wirePairs([[r, u], [u, c], [c, d], [r, s1], [s1, s2], [s2, c]]);
  mesh.startAll();
  mesh.run(120_000);
  expect(bytesEqual(c.tree.root, r.node.nodeId)).toBe(true);
  expect(c.node.state().tree?.parent).toBe(toHex(u.node.nodeId));
  const address = c.packager.address?.toString();
  // The side way goes: only u leads c to r now, and u carries no beats.
  mesh.medium.unlink(s2.radio, c.radio);
  mesh.run(300_000);
  for (const n of [c, d]) {
    expect(n.packager.counters.get('tree_root_stale')).toBe(0);
    expect(bytesEqual(n.tree.root, r.node.nodeId)).toBe(true);
  }
  expect(c.packager.address?.toString()).toBe(address);
  expect(d.packager.counters.get('tree_root_poisoned')).toBe(0);
});

test('below a parent without Hello, a grandchild whose SEND adverts are lost asks its own parent', () => {
  const mesh = new AppMesh({ seed: 5, tree: { pub_each_round: false }, hello: true });
  const [r, c, d] = byScore(mesh.addApps(3));
  const [u] = mesh.addApps(1, false);
  // r — u — c — d: r's beats never cross u, so c and d live on SEND adverts (and asks) alone.
  mesh.wirePairs([[r, u], [u, c], [c, d]]);
  mesh.startAll();
  mesh.run(120_000);
  expect(d.node.state().tree?.parent).toBe(toHex(c.node.nodeId));
  const address = d.packager.address?.toString();
  const resets = d.packager.counters.get('tree_reset');
  // Every tree advert (SEND) lost at d; c's hellos and its answers still arrive.
  const tree = d.tree as unknown as { onReceive(blob: Uint8Array, from: Delivery): void };
  const receive = tree.onReceive.bind(tree);
  tree.onReceive = (blob, from) => (blob[0] === TreeOp.SEND ? undefined : receive(blob, from));
  mesh.run(120_000);
  expect(d.packager.address?.toString()).toBe(address);
  expect(d.packager.counters.get('tree_reset')).toBe(resets);
  expect(d.packager.counters.get('tree_refresh_asked')).toBeGreaterThanOrEqual(1);
});
