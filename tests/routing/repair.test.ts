/**
 * Fast tree repair (SpanningTree with Hello, docs/routing.md "Fast tree repair") on the virtual
 * clock: what a user notices is how long the mesh is without one live tree after a failure, and
 * whether it ever follows a dead root again. The same meshes without Hello (upstream's apps only)
 * show the difference: they wait for the 60 s tree age.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { bytesEqual, compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';

/** Run in 250 ms steps until `done`, return the ms it took (or Infinity past `limitMs`). */
function timeUntil(mesh: AppMesh, done: () => boolean, limitMs: number): number {
  for (let t = 0; t <= limitMs; t += 250) {
    if (done()) return t;
    mesh.run(250);
  }
  return Infinity;
}

/** One tree of live nodes, rooted at a live node, distinct addresses. */
function oneLiveTree(mesh: AppMesh, live: readonly AppNode[]): boolean {
  if (!mesh.converged(live)) return false;
  return live.some((n) => bytesEqual(n.tree.root, n.node.nodeId));
}

function crash(n: AppNode): void {
  n.radio.on = false; // powered off: no goodbye, nothing heard from it again
}

function bestOf(nodes: readonly AppNode[]): AppNode {
  return [...nodes].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)))[0];
}

describe.each([
  ['with Hello', true, 0],
  // Paced formation (tree-pace.ts) slows the next root's wave: beats still travelling after the
  // root died once drew nodes back into the dead tree and left a branch under a parent that had
  // given the root up, until its heartbeat timed out (34.5 s; root-watch.ts, tree-repair.ts).
  ['with Hello and claim pacing', true, 4000],
  ['upstream apps only', false, 0],
] as const)('root killed in a 5×5 grid, %s', (_name, hello, pace) => {
  const mesh = new AppMesh({ seed: 3, tree: { pub_each_round: false, claim_pace_ms: pace }, ...(hello ? { hello: true } : {}) });
  const nodes = mesh.grid(5, 5);
  mesh.startAll();
  const formed = timeUntil(mesh, () => oneLiveTree(mesh, nodes), 300_000);
  mesh.run(30_000);
  const root = bestOf(nodes);
  crash(root);
  const live = nodes.filter((n) => n !== root);
  const repaired = timeUntil(mesh, () => oneLiveTree(mesh, live), 300_000);

  test('the tree forms, then one live tree holds every live node again', () => {
    expect(formed).toBeLessThan(300_000);
    expect(repaired).toBeLessThan(Infinity);
    expect(mesh.roots(live)).toEqual([toHex(bestOf(live).node.nodeId)]);
  });

  test(hello ? 'with Hello it takes seconds (≤ 10 s)' : 'without Hello it waits for the tree age (> 30 s)', () => {
    if (hello) expect(repaired).toBeLessThanOrEqual(10_000);
    else expect(repaired).toBeGreaterThan(30_000);
  });

  test('no live node goes back to the dead root afterwards', () => {
    mesh.run(90_000);
    expect(live.every((n) => !bytesEqual(n.tree.root, root.node.nodeId))).toBe(true);
    expect(mesh.roots(live)).toHaveLength(1);
  });
});

test('a lost parent is replaced by a neighbour of the same tree: same root, no global reset', () => {
  // 0 — 1 — 2 and 0 — 3 — 2: node 2's parent is 1 or 3; kill that one and 2 must move to the other.
  const mesh = new AppMesh({ seed: 5, hello: true, tree: { pub_each_round: false } });
  const n = mesh.addApps(4);
  mesh.wire(n[0], n[1]);
  mesh.wire(n[1], n[2]);
  mesh.wire(n[0], n[3]);
  mesh.wire(n[3], n[2]);
  // make node 0 the root: the others' claims must be worse, so pick the order by score
  mesh.startAll();
  expect(timeUntil(mesh, () => oneLiveTree(mesh, n), 120_000)).toBeLessThan(Infinity);
  mesh.run(30_000);
  const rootNode = n.find((x) => bytesEqual(x.tree.root, x.node.nodeId)) as AppNode;
  // a node two hops from the root whose parent is not the root
  const deep = n.find((x) => (x.packager.address?.coords.length ?? 0) === 2);
  if (!deep) throw new Error('the square did not give a depth-2 node');
  const parent = n.find((x) => toHex(x.node.nodeId) === deep.tree.parentKey) as AppNode;
  crash(parent);
  const live = n.filter((x) => x !== parent);
  const before = deep.packager.counters.get('tree_root_lost');
  const t = timeUntil(mesh, () => deep.tree.parentKey !== undefined && deep.tree.parentKey !== toHex(parent.node.nodeId) && oneLiveTree(mesh, live), 60_000);
  // The parent is gone after 4–8 of its 3 s hello periods of silence, then the repair takes a moment.
  expect(t).toBeLessThanOrEqual(27_000);
  expect(bytesEqual(deep.tree.root, rootNode.node.nodeId)).toBe(true);
  expect(deep.packager.counters.get('tree_root_lost')).toBe(before);
});

test('two halves of a grid, cut then joined: one tree again within 10 s of the heal', () => {
  const mesh = new AppMesh({ seed: 9, hello: true, tree: { pub_each_round: false } });
  const nodes = mesh.grid(4, 6);
  mesh.startAll();
  expect(timeUntil(mesh, () => oneLiveTree(mesh, nodes), 120_000)).toBeLessThan(Infinity);
  const west = (i: number) => i % 6 < 3;
  const cut: [AppNode, AppNode][] = [];
  for (let r = 0; r < 4; r++) cut.push([nodes[r * 6 + 2], nodes[r * 6 + 3]]);
  for (const [a, b] of cut) mesh.medium.unlink(a.radio, b.radio);
  const halves = [nodes.filter((_, i) => west(i)), nodes.filter((_, i) => !west(i))];
  const split = timeUntil(mesh, () => halves.every((h) => oneLiveTree(mesh, h)), 120_000);
  expect(split).toBeLessThan(30_000);
  mesh.run(120_000);
  for (const [a, b] of cut) mesh.medium.link(a.radio, b.radio);
  const healed = timeUntil(mesh, () => oneLiveTree(mesh, nodes), 120_000);
  expect(healed).toBeLessThanOrEqual(10_000);
});

test('a one-way link never becomes a tree edge', () => {
  // a — b both ways, b → c only one way (c hears b, b never hears c), a — c both ways.
  const mesh = new AppMesh({ seed: 4, hello: true, tree: { pub_each_round: false } });
  const [a, b, c] = mesh.addApps(3);
  mesh.wire(a, b);
  mesh.wire(a, c);
  mesh.medium.link(b.radio, c.radio, undefined, true); // b → c only
  mesh.startAll();
  mesh.run(120_000);
  const keyOf = (x: AppNode) => toHex(x.node.nodeId);
  expect(c.tree.parentKey === keyOf(b)).toBe(false);
  expect(b.tree.parentKey === keyOf(c)).toBe(false);
  expect(mesh.converged([a, b, c])).toBe(true);
});
