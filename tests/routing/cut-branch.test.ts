/**
 * The head of a branch dies for good, and the node below it has no neighbour of the tree
 * shallower than itself or as deep (docs/routing.md "Fast tree repair", item 4): only its own
 * subtree, whose far end touches another branch. The root's heartbeat still reached that node,
 * through the side link and back up its own subtree, so it kept its dead parent, and its subtree
 * an address under the dead node, for as long as the mesh ran (relay-kill-100 seed 4: a third of
 * the pings lost from the kill to the end). Beats from our own subtree no longer count as a way
 * back: the node gives the root up, and the branch hangs again from the side link.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

const RING = 9;

/**
 * A ring of 9 with a leaf on every ring node (so that every ring node is a parent and sends its
 * hellos at the normal pace: a quiet leaf's slow hellos carry the heartbeat too slowly to hide
 * the loss). `at(0)` is the ring node at or next to the root, `at(k)` k steps round the ring.
 */
function ring(seed: number): { mesh: AppMesh; nodes: AppNode[]; at: (k: number) => AppNode } {
  const mesh = new AppMesh({ seed, hello: true, tree: { pub_each_round: false } });
  const nodes = mesh.addApps(2 * RING);
  for (let i = 0; i < RING; i++) {
    mesh.wire(nodes[i], nodes[(i + 1) % RING]);
    mesh.wire(nodes[i], nodes[RING + i]);
  }
  mesh.startAll();
  mesh.run(60_000);
  const r = nodes.findIndex((n) => bytesEqual(n.tree.root, n.node.nodeId));
  const hub = r % RING;
  return { mesh, nodes, at: (k) => nodes[(hub + k + RING) % RING] };
}

const depth = (n: AppNode) => n.packager.address?.coords.length ?? -1;

describe.each([1, 2, 3])('seed %i: the head of a branch dies for good', (seed) => {
  const { mesh, nodes, at } = ring(seed);
  const root = nodes.find((n) => bytesEqual(n.tree.root, n.node.nodeId)) as AppNode;
  const [hub, head, orphan] = [at(0), at(1), at(2)];
  const formed = mesh.converged() && depth(orphan) === depth(head) + 1 && depth(head) === depth(hub) + 1;
  const cutAddress = orphan.packager.address?.toString();
  const cutOff = nodes[RING + nodes.indexOf(head)]; // the head's own leaf goes with it
  head.node.stop();
  for (const n of mesh.apps) if (n !== head) mesh.medium.unlink(n.radio, head.radio);
  mesh.run(120_000);

  test('within two minutes the branch below it hangs from the other branch, in the one tree', () => {
    expect(formed).toBe(true);
    expect(mesh.converged(mesh.apps.filter((n) => n !== head && n !== cutOff))).toBe(true);
    expect(orphan.packager.address?.toString()).not.toBe(cutAddress);
    expect(depth(orphan)).toBeGreaterThan(depth(hub) + 2); // round the ring now
  });

  test('pings from the root reach it at its new address', () => {
    for (let i = 0; i < 3; i++) {
      expect(root.ping.request(orphan.packager.address as Address).ok).toBe(true);
      mesh.run(5_000);
    }
    expect(root.ping.responses().length).toBe(3);
  });
});
