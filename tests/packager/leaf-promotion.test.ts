/**
 * A sleepy leaf that the routing nodes alone do not connect becomes one of them (docs/sleep.md
 * "A leaf that routes when the routers do not connect", packager/leaf-promotion.ts), on the
 * virtual clock; and one that they do connect stays a leaf.
 */
import { AppMesh } from '../support/apps-mesh.js';
import type { Address } from '../../modules/mycelium/wire/address.js';
import { FOREIGN_TREE_MS, LeafPromotion, SURVEY_MIN_MS } from '../../modules/mycelium/packager/leaf-promotion.js';
import { HelloFlag, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';

/** Two routing nodes that do not hear each other, and a leaf (node 0) that hears both. */
function bridgeLeaf(promote?: boolean, routersLinked = false) {
  const mesh = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i === 0 ? { modemSleep: { leaf: true, promote } } : undefined) });
  const [leaf, r0, r1] = mesh.addApps(3);
  mesh.wire(r0, leaf);
  mesh.wire(r1, leaf);
  if (routersLinked) mesh.wire(r0, r1);
  for (const n of [r0, r1, leaf]) {
    n.node.start();
    mesh.clock.advance(700);
  }
  return { mesh, leaf, r0, r1 };
}

test('a leaf between two routing nodes that do not hear each other joins their trees as a routing node', () => {
  const { mesh, leaf, r0, r1 } = bridgeLeaf();
  mesh.clock.advance(10 * 60_000);
  expect(leaf.packager.counters.get('sleep_leaf_promoted')).toBe(1);
  expect(leaf.node.modemSleep!.leaf).toBe(false);
  expect(mesh.roots()).toHaveLength(1);
  // Its neighbours route through it now: a ping from one router reaches the other and comes back.
  expect(r0.ping.request(r1.packager.address as Address).ok).toBe(true);
  mesh.clock.advance(5_000);
  expect(r0.ping.responses()).toHaveLength(1);
});

test('a leaf that may not route (promote: false) leaves the two trees apart', () => {
  const { mesh, leaf } = bridgeLeaf(false);
  mesh.clock.advance(10 * 60_000);
  expect(leaf.packager.counters.get('sleep_leaf_promoted')).toBe(0);
  expect(mesh.roots()).toHaveLength(2);
});

test('a leaf whose routing neighbours hear each other stays a leaf, its radio on under 5 %', () => {
  const { mesh, leaf } = bridgeLeaf(undefined, true);
  mesh.clock.advance(5 * 60_000);
  let on = 0;
  for (let i = 0; i < 60_000; i++) {
    mesh.clock.advance(1);
    if (leaf.radio.on) on++;
  }
  expect(leaf.packager.counters.get('sleep_leaf_promoted')).toBe(0);
  expect(mesh.roots()).toHaveLength(1);
  expect(on / 60_000).toBeLessThan(0.05);
});

test('a leaf that finds no routing neighbour becomes one, and a leaf beside it joins its tree', () => {
  const mesh = new AppMesh({ hello: true, node: { modemSleep: { leaf: true } } });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.clock.advance(5 * 60_000);
  const promoted = [a, b].filter((n) => n.packager.counters.get('sleep_leaf_promoted') === 1);
  expect(promoted.length).toBeGreaterThanOrEqual(1);
  expect(mesh.roots()).toHaveLength(1);
  expect(a.ping.request(b.packager.address as Address).ok).toBe(true);
  mesh.clock.advance(5_000);
  expect(a.ping.responses()).toHaveLength(1);
});

// ---- the rule alone ------------------------------------------------------------------------

const ours = Uint8Array.of(1, 1, 1, 1, 1, 1, 1, 1);
const theirs = Uint8Array.of(2, 2, 2, 2, 2, 2, 2, 2);
const sender = Uint8Array.of(9, 9, 9, 9, ...new Array(28).fill(0));
function hello(root: Uint8Array, rootSeq: number, heard: Uint8Array[] = [], flags: number = HelloFlag.BEATS): HelloMessage {
  return { seq: 1, intervalMs: 3000, flags, rootSeq, depth: 2, root, addressTag: 0, heard: heard.map((shortId) => ({ shortId, quality: 255 })) };
}

/** A leaf's rule that has been in our tree since 0 (a hello of our tree heard then). */
function settled(): LeafPromotion {
  const p = new LeafPromotion();
  p.heard(hello(ours, 1), Uint8Array.of(7, 7, 7, 7), ours, 0);
  return p;
}
const T = FOREIGN_TREE_MS; // a minute in our tree: from then on another tree counts

test('another tree heard again a minute later, its root beating, ours unchanged: promote', () => {
  const p = settled();
  expect(p.heard(hello(theirs, 10), sender, ours, T)).toBe(false);
  expect(p.heard(hello(theirs, 40), sender, ours, T + FOREIGN_TREE_MS - 1)).toBe(false);
  expect(p.heard(hello(theirs, 70), sender, ours, T + FOREIGN_TREE_MS)).toBe(true);
});

test('another tree heard in our first minute in a tree does not count: power-on trees take that long to merge', () => {
  const p = settled();
  expect(p.heard(hello(theirs, 10), sender, ours, 5_000)).toBe(false);
  expect(p.heard(hello(theirs, 70), sender, ours, 5_000 + FOREIGN_TREE_MS)).toBe(false); // the first that counts
  expect(p.heard(hello(theirs, 130), sender, ours, 5_000 + 2 * FOREIGN_TREE_MS)).toBe(true);
});

test('a tree whose root stopped beating, or one a node of ours hears, or ours changing: no promotion', () => {
  const dead = settled();
  dead.heard(hello(theirs, 10), sender, ours, T);
  expect(dead.heard(hello(theirs, 10), sender, ours, 3 * T)).toBe(false);
  const noBeats = settled();
  noBeats.heard(hello(theirs, 10, [], 0), sender, ours, T);
  expect(noBeats.heard(hello(theirs, 70, [], 0), sender, ours, 3 * T)).toBe(false);
  const listed = settled();
  listed.heard(hello(theirs, 10), sender, ours, T);
  listed.heard(hello(ours, 5, [sender.subarray(0, 4)]), Uint8Array.of(7, 7, 7, 7), ours, T + 1_000); // our router hears it
  expect(listed.heard(hello(theirs, 70), sender, ours, 3 * T)).toBe(false);
  const moved = settled();
  moved.heard(hello(theirs, 10), sender, ours, T);
  const ours2 = Uint8Array.of(3, 3, 3, 3, 3, 3, 3, 3);
  expect(moved.heard(hello(theirs, 70), sender, ours2, 2 * T)).toBe(false); // in a new tree: from its first minute on
  expect(moved.heard(hello(theirs, 130), sender, ours2, 3 * T)).toBe(false);
  expect(moved.heard(hello(theirs, 190), sender, ours2, 4 * T)).toBe(true);
});

test('a survey needs sends failing for 20 s, a minute in our tree, and waits longer each time', () => {
  const p = new LeafPromotion();
  expect(p.surveyDue(0)).toBe(false); // no tree heard yet
  p.heard(hello(ours, 1), sender, ours, 0);
  expect(p.surveyDue(T - 20_000)).toBe(false); // the run of refusals begins, 40 s in our tree
  expect(p.surveyDue(T)).toBe(true); // 20 s of them, a minute in our tree
  expect(p.surveyDue(T + 10_000)).toBe(false); // too soon after the survey
  expect(p.surveyDue(T + SURVEY_MIN_MS)).toBe(true);
  expect(p.surveyDue(T + 2 * SURVEY_MIN_MS)).toBe(false); // the wait doubled
  expect(p.surveyDue(T + 3 * SURVEY_MIN_MS)).toBe(true);
  const burst = settled();
  for (let t = T; t < T + 15_000; t += 3_000) expect(burst.surveyDue(t)).toBe(false); // a few in a row
  expect(burst.surveyDue(T + 15_000 + 2 * 60_000)).toBe(false); // the next over a minute later: a new run
});
