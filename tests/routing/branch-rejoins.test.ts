/**
 * A branch cut off from its root gives the root up (poison, dead marks: docs/routing.md "Fast
 * tree repair") and forms a tree of its own. When the way back returns within the marks' term,
 * the root's tree must come back over the branch in about a round trip a hop. The marks refuse
 * SENDs (no heartbeat in upstream's advert), so the news travels on hellos that carry the root's
 * beat: before, a node that joined restarted its heartbeat at none and said it only after its
 * parent's next hello and then its own, two hello periods a hop (churn-100: three nodes beside a
 * relay that had rebooted stayed in a tree of their own for 25 s, and every ping to them failed).
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';

/** Run in 100 ms steps until `done`; the ms it took (Infinity past `limitMs`). */
function timeUntil(mesh: AppMesh, done: () => boolean, limitMs: number): number {
  for (let t = 0; t <= limitMs; t += 100) {
    if (done()) return t;
    mesh.run(100);
  }
  return Infinity;
}

/** A line of `n` nodes whose best claim is at one end (the root), the worse ones after it. */
function lineFromBest(mesh: AppMesh, n: number): AppNode[] {
  const nodes = mesh.addApps(n).sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  for (let i = 1; i < n; i++) mesh.wire(nodes[i - 1], nodes[i]);
  return nodes;
}

test('a branch that gave its root up is taken back hop by hop at a round trip a hop once the way returns', () => {
  const mesh = new AppMesh({ seed: 5, hello: true, tree: { pub_each_round: false } });
  const line = lineFromBest(mesh, 10);
  mesh.startAll();
  mesh.run(60_000);
  const root = toHex(line[0].node.nodeId);
  expect(mesh.roots()).toEqual([root]);

  // The link between nodes 2 and 3 fails: the branch 3–9 loses its way to the root.
  const relay = line[3];
  relay.radio.on = false;
  const branch = line.slice(4);
  const gaveUp = timeUntil(mesh, () => branch.every((n) => toHex(n.tree.root) !== root), 20_000);
  expect(gaveUp).toBeLessThan(20_000); // the branch formed a tree of its own
  // Back before the branch's dead marks end (30 s).
  mesh.run(Math.max(0, 15_000 - gaveUp));
  expect(branch.every((n) => toHex(n.tree.root) !== root)).toBe(true);
  relay.radio.on = true;

  // The relay's link must prove itself again before it rejoins (several hellos, link-quality.ts);
  // from then on the branch's 6 hops follow it.
  const relayBack = timeUntil(mesh, () => toHex(relay.tree.root) === root, 60_000);
  expect(relayBack).toBeLessThan(60_000);
  const branchBack = timeUntil(mesh, () => mesh.converged() && mesh.roots()[0] === root, 60_000);
  // Two hello periods (3 s) a hop took 23.8 s here; a round trip a hop takes under 3 s.
  expect(branchBack).toBeLessThanOrEqual(3_000);
});
