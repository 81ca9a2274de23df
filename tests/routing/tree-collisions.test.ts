/**
 * Two trees with one tree state (docs/routing.md "Tree-state collisions"): the worse root steps
 * aside, its tree elects the next best root (another tree state), and the two trees are joined by
 * a border as any others. On the virtual clock: a line of 10 whose addresses hold 4 levels, so it
 * ends as two trees of five; the second tree's root is given an id whose tree state is the
 * first's, so before the fix the two trees hand out the same addresses.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { nodeIdOf } from '../support/mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { claimScore, treeState } from '../../modules/mycelium/wire/ids.js';
import { bytesEqual, compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';
import { CollisionWatch, COLLISION_SETTLE_MS, NOTICE_REPEAT_MS, STEP_ASIDE_MAGIC, parseStepAside, serializeStepAside } from '../../modules/mycelium/apps/tree-collisions.js';

const ts = (id: Uint8Array) => treeState(portableHashes, id);

/** nodeIdOf(n) with byte 30 chosen so that its tree state is `target`'s (its score's order is kept: byte 0 leads). */
function collidingId(n: number, target: Uint8Array): Uint8Array {
  for (let b = 0; b < 256; b++) {
    const id = nodeIdOf(n);
    id[30] = b;
    if (ts(id) === ts(target)) return id;
  }
  throw new Error('no colliding byte');
}

/**
 * A line ordered by claim score, the best at index 0, as trees of five (addresses hold 4 levels).
 * Scores order nodeIdOf(1..15) as 1,3,2,5,4 | 7,6,9,8,11 | 10,13,12,15,14, so the second tree's
 * root is nodeIdOf(7) (node index 6), the third's nodeIdOf(10) (index 9); `collider`: that node
 * index gets an id with the first tree's tree state.
 */
function line(n: number, collider: number | undefined, seed: number): { mesh: AppMesh; line: AppNode[] } {
  // join_margin 0: the layout counts on trees filling all 4 levels (with the default margin a node
  // settled in its own tree crosses only two levels short of full, and the trees come out smaller).
  const mesh = new AppMesh({ seed, hello: true, tree: { pub_each_round: false, address_levels: 4, join_margin: 0 }, nodeIdAt: (i) => (i === collider ? collidingId(i + 1, nodeIdOf(1)) : undefined) });
  const nodes = [...mesh.addApps(n)].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  for (let i = 0; i + 1 < nodes.length; i++) mesh.wire(nodes[i], nodes[i + 1]);
  return { mesh, line: nodes };
}

const addresses = (nodes: AppNode[]) => nodes.map((n) => (n.packager.address as Address).toString());

describe('two trees of one tree state', () => {
  const { mesh, line: nodes } = line(10, 6, 5);
  const [first, last] = [nodes[0], nodes[9]];
  const stepped = nodes[5];
  mesh.startAll();
  mesh.run(240_000);

  test('the worse root stepped aside: two trees, two tree states, no address held twice', () => {
    expect(ts(stepped.node.nodeId)).toBe(ts(first.node.nodeId));
    expect(stepped.packager.counters.get('tree_root_stepped_aside')).toBe(1);
    expect(bytesEqual(stepped.tree.root, stepped.node.nodeId)).toBe(false);
    expect(toHex(last.tree.root)).toBe(toHex(nodes[6].node.nodeId)); // the next best of its tree
    expect(new Set(nodes.map((n) => (n.packager.address as Address).treeState)).size).toBe(2);
    expect(new Set(addresses(nodes)).size).toBe(10);
    expect(nodes.slice(0, 5).every((n) => bytesEqual(n.tree.root, first.node.nodeId))).toBe(true); // the better tree never moved
  });

  test('pings cross between the two trees, both ways', () => {
    expect(mesh.pingBothWays(first, last)).toEqual({ sent: true, ab: 3, ba: 3 });
  });

  test('it stays so: the stepped-aside node is not root again, one notice was enough', () => {
    const before = addresses(nodes);
    mesh.run(120_000);
    expect(addresses(nodes)).toEqual(before);
    expect(nodes.reduce((n, x) => n + x.packager.counters.get('tree_collision_notice'), 0)).toBeLessThanOrEqual(2);
  });
});

describe('two trees of one tree state with a third between them', () => {
  // They never meet: the worse root learns of the better from the root tag in border adverts.
  const { mesh, line: nodes } = line(15, 9, 7);
  const [first, last] = [nodes[0], nodes[14]];
  const stepped = nodes[10];
  mesh.startAll();
  mesh.run(300_000);

  test('the worse root stepped aside: three trees, three tree states, no address held twice', () => {
    expect(ts(stepped.node.nodeId)).toBe(ts(first.node.nodeId));
    expect(stepped.packager.counters.get('tree_root_stepped_aside')).toBe(1);
    expect(nodes.reduce((n, x) => n + x.packager.counters.get('tree_collision_notice'), 0)).toBe(0); // not beside each other: no notice
    expect(new Set(nodes.map((n) => (n.packager.address as Address).treeState)).size).toBe(3);
    expect(new Set(addresses(nodes)).size).toBe(15);
  });

  test('pings cross both borders, both ways', () => {
    mesh.run(60_000);
    expect(mesh.pingBothWays(first, last)).toEqual({ sent: true, ab: 3, ba: 3 });
  });
});

describe('without a collision nothing steps aside', () => {
  test('the same line with ordinary ids', () => {
    const { mesh, line: nodes } = line(10, undefined, 5);
    mesh.startAll();
    mesh.run(240_000);
    expect(nodes.reduce((n, x) => n + x.packager.counters.get('tree_collision_notice') + x.packager.counters.get('tree_root_stepped_aside'), 0)).toBe(0);
    expect(new Set(addresses(nodes)).size).toBe(10);
  });
});

describe('notices', () => {
  const worse = nodeIdOf(7);
  const better = nodeIdOf(1);

  test('round trip; anything else is not a notice', () => {
    const blob = serializeStepAside({ worse, better });
    expect(blob.length).toBe(65);
    expect(blob[0]).toBe(STEP_ASIDE_MAGIC);
    const n = parseStepAside(blob);
    expect(n && toHex(n.worse)).toBe(toHex(worse));
    expect(n && toHex(n.better)).toBe(toHex(better));
    expect(parseStepAside(blob.subarray(0, 64))).toBeUndefined();
    expect(parseStepAside(serializeStepAside({ worse, better: worse }))).toBeUndefined();
    expect(parseStepAside(new Uint8Array(21).fill(0xb0))).toBeUndefined();
  });

  test('announced once it has held, then quiet; a notice heard for our root keeps us quiet', () => {
    const random = { randomByte: () => 0 };
    const w = new CollisionWatch();
    expect(w.check(worse, better, 0, random)).toBeUndefined();
    expect(w.check(worse, better, COLLISION_SETTLE_MS - 1, random)).toBeUndefined();
    expect(w.check(worse, better, COLLISION_SETTLE_MS, random)?.worse).toBe(worse);
    expect(w.check(worse, better, COLLISION_SETTLE_MS + 10_000, random)).toBeUndefined();
    expect(w.check(worse, better, COLLISION_SETTLE_MS + NOTICE_REPEAT_MS, random)).toBeDefined(); // still there: once more
    const quiet = new CollisionWatch();
    quiet.heard(worse, 5_000);
    expect(quiet.check(worse, better, 0, random)).toBeUndefined();
    expect(quiet.check(worse, better, COLLISION_SETTLE_MS, random)).toBeUndefined();
    expect(quiet.check(worse, better, 5_000 + NOTICE_REPEAT_MS, random)).toBeDefined();
    // Gone before it held: starts over.
    const gone = new CollisionWatch();
    gone.check(worse, better, 0, random);
    gone.check(worse, undefined, 10_000, random);
    expect(gone.check(worse, better, COLLISION_SETTLE_MS, random)).toBeUndefined();
  });
});
