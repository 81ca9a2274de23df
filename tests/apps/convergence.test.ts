/**
 * Multi-node behaviour of Beacon + Gossip + SpanningTree on the in-memory medium (issue 4):
 * discovery, one root, distinct addresses, greedy routing between every pair, re-convergence
 * after the root dies. Seeded, so every run is the same.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

function runUntil(mesh: AppMesh, done: () => boolean, limitMs: number, stepMs = 1_000): number {
  let t = 0;
  while (!done() && t < limitMs) {
    mesh.run(stepMs);
    t += stepMs;
  }
  return t;
}

/**
 * Every ordered pair pings: all nodes at once, each pinging one destination (by address) per
 * 100 ms. A ping counts when its RESPOND came back to the requester.
 */
function allPairs(mesh: AppMesh, nodes: readonly AppNode[], metric: Metric): { sent: number; delivered: number; refused: string[] } {
  const before = nodes.map((n) => n.ping.responses().length);
  let sent = 0;
  const refused: string[] = [];
  for (let k = 1; k < nodes.length; k++) {
    nodes.forEach((src, i) => {
      const dst = nodes[(i + k) % nodes.length];
      const r = src.ping.request(dst.packager.address as Address, metric);
      if (r.ok) sent++;
      else refused.push(`${src.index}→${dst.index}: ${r.error.message}`);
    });
    mesh.run(100);
  }
  mesh.run(10_000);
  const delivered = nodes.reduce((n, x, i) => n + x.ping.responses().length - before[i], 0);
  return { sent, delivered, refused };
}

test('beacons make neighbours peers, and only neighbours', () => {
  const mesh = new AppMesh();
  const [a, b, c] = mesh.addApps(3);
  mesh.wire(a, b);
  mesh.wire(b, c);
  mesh.startAll();
  mesh.run(1_000);
  expect(b.packager.peers.map((p) => p.key).sort()).toEqual([toHex(a.node.nodeId), toHex(c.node.nodeId)].sort());
  expect(a.packager.peers.map((p) => p.key)).toEqual([toHex(b.node.nodeId)]);
});

test('a 3-node line elects the best claim as root and routes end to end over both metrics', () => {
  const mesh = new AppMesh({ seed: 2, ping: { responses_limit: 10_000 } });
  const nodes = mesh.addApps(3);
  mesh.wire(nodes[0], nodes[1]);
  mesh.wire(nodes[1], nodes[2]);
  mesh.startAll();
  const t = runUntil(mesh, () => mesh.converged(), 300_000);
  expect(mesh.converged()).toBe(true);
  expect(t).toBeLessThan(120_000);
  const best = nodes.map((n) => n.node.nodeId).sort((x, y) => compareBytes(claimScore(x), claimScore(y)))[0];
  expect(mesh.roots()).toEqual([toHex(best)]);
  for (const metric of [Metric.dTree, Metric.dCPL]) {
    const r = allPairs(mesh, nodes, metric);
    expect(r.refused).toEqual([]);
    expect(r.delivered).toBe(6);
  }
});

describe('7×7 grid', () => {
  const mesh = new AppMesh({ seed: 7, tree: { pub_each_round: false }, ping: { responses_limit: 10_000 } });
  const nodes = mesh.grid(7, 7);
  mesh.startAll();
  const convergedAfter = runUntil(mesh, () => mesh.converged(), 900_000);
  // One root and distinct addresses come within seconds now; nodes still move to shallower
  // parents for a few more seconds after that, so give the routes one maintenance round to settle.
  mesh.run(20_000);

  test('converges to one root shared by all 49 nodes, with distinct addresses', () => {
    expect(mesh.converged()).toBe(true);
    expect(convergedAfter).toBeLessThan(600_000);
    const best = nodes.map((n) => n.node.nodeId).sort((x, y) => compareBytes(claimScore(x), claimScore(y)))[0];
    expect(mesh.roots()).toEqual([toHex(best)]);
  });

  test.each([
    ['dTree', Metric.dTree],
    ['dCPL', Metric.dCPL],
  ] as const)('every ordered pair pings the other by %s: 2,352 of 2,352 answered', (_name, metric) => {
    const r = allPairs(mesh, nodes, metric);
    expect(r.refused).toEqual([]);
    expect(r.delivered).toBe(49 * 48);
  });

  test('after the root stops, the others re-converge on the next-best claim and route again', () => {
    const root = nodes.find((n) => toHex(n.node.nodeId) === mesh.roots()[0]) as AppNode;
    root.node.stop();
    mesh.medium.unlink(root.radio, root.radio);
    for (const other of nodes) mesh.medium.unlink(root.radio, other.radio);
    const rest = nodes.filter((n) => n !== root);
    const t = runUntil(mesh, () => mesh.converged(rest) && mesh.roots(rest)[0] !== toHex(root.node.nodeId), 900_000);
    expect(mesh.converged(rest)).toBe(true);
    const next = rest.map((n) => n.node.nodeId).sort((x, y) => compareBytes(claimScore(x), claimScore(y)))[0];
    expect(mesh.roots(rest)).toEqual([toHex(next)]);
    expect(t).toBeLessThan(600_000);
    mesh.run(60_000); // let stale addresses of the old tree age out of use
    const r = allPairs(mesh, rest, Metric.dTree);
    expect(r.refused).toEqual([]);
    expect(r.delivered).toBe(48 * 47);
  });
});
