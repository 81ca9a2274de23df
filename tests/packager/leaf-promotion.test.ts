/**
 * A sleepy leaf that the routing nodes alone do not connect becomes one of them (docs/sleep.md
 * "A leaf that routes when the routers do not connect", packager/leaf-promotion.ts), on the
 * virtual clock; and one that they do connect stays a leaf.
 */
import { AppMesh } from '../support/apps-mesh.js';
import type { Address } from '../../modules/mycelium/wire/address.js';
import { FOREIGN_TREE_MS, FOREIGN_TREE_PERIOD_MS, IN_TREE_MS, LONE_LEAF_MS, LeafPromotion } from '../../modules/mycelium/packager/leaf-promotion.js';
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
function hello(root: Uint8Array, rootSeq: number, heard: Uint8Array[] = [], flags: number = HelloFlag.BEATS, depth = 2): HelloMessage {
  return { seq: 1, intervalMs: 3000, flags, rootSeq, depth, root, addressTag: 0, heard: heard.map((shortId) => ({ shortId, quality: 255 })) };
}

const parent = Uint8Array.of(7, 7, 7, 7);
/** A leaf's rule, in our tree since 0 (a hello of our tree heard then). */
function settled(periodMs?: number): LeafPromotion {
  const p = new LeafPromotion(periodMs);
  p.heard(hello(ours, 1), parent, ours, 0);
  return p;
}
let seq = 100;
/** Our root beats: our parent's hello with the next number, heard at `t`. */
function beat(p: LeafPromotion, t: number, root = ours): void {
  p.heard(hello(root, seq++), parent, root, t);
}
const T = IN_TREE_MS; // 20 s in our tree: from then on another tree counts
const F = FOREIGN_TREE_MS; // 10 s after that, heard again: promote

test('another tree heard again 10 s later, both roots beating, ours unchanged: promote', () => {
  const p = settled();
  beat(p, T - 1_000);
  expect(p.heard(hello(theirs, 10), sender, ours, T)).toBe(false);
  beat(p, T + F - 2_000);
  expect(p.heard(hello(theirs, 40), sender, ours, T + F - 1)).toBe(false);
  expect(p.heard(hello(theirs, 70), sender, ours, T + F)).toBe(true);
});

test('another tree heard in our first 20 s in a tree does not count: power-on trees take that long to merge', () => {
  const p = settled();
  beat(p, 4_000);
  expect(p.heard(hello(theirs, 10), sender, ours, 5_000)).toBe(false);
  beat(p, 4_000 + T);
  expect(p.heard(hello(theirs, 70), sender, ours, 5_000 + T)).toBe(false); // the first that counts
  beat(p, 4_000 + T + F);
  expect(p.heard(hello(theirs, 130), sender, ours, 5_000 + T + F)).toBe(true);
});

test('a leaf heard as its own root (no router found yet) counts only after half a minute', () => {
  const lone = (rootSeq: number) => hello(theirs, rootSeq, [], HelloFlag.BEATS | HelloFlag.LEAF, 0);
  const p = settled();
  beat(p, T);
  expect(p.heard(lone(10), sender, ours, T)).toBe(false);
  beat(p, T + F);
  expect(p.heard(lone(20), sender, ours, T + F)).toBe(false); // it may find its router yet
  expect(p.confirmDue(T + F)).toBe(false);
  expect(p.confirmDue(T + LONE_LEAF_MS)).toBe(true);
  beat(p, T + LONE_LEAF_MS - 1_000);
  expect(p.heard(lone(40), sender, ours, T + LONE_LEAF_MS)).toBe(true);
});

test('their root or ours not beating, a node of ours hearing it, it in our tree now, or ours changing: no promotion', () => {
  const dead = settled();
  beat(dead, T);
  dead.heard(hello(theirs, 10), sender, ours, T);
  beat(dead, 3 * T);
  expect(dead.heard(hello(theirs, 10), sender, ours, 3 * T)).toBe(false); // their number stood still
  const noBeats = settled();
  beat(noBeats, T);
  noBeats.heard(hello(theirs, 10, [], 0), sender, ours, T);
  beat(noBeats, 3 * T);
  expect(noBeats.heard(hello(theirs, 70, [], 0), sender, ours, 3 * T)).toBe(false);
  const oursDead = settled(); // our root's number last moved at T: 20 s later it is dead to us
  beat(oursDead, T);
  expect(oursDead.heard(hello(theirs, 10), sender, ours, 2 * T)).toBe(false);
  expect(oursDead.heard(hello(theirs, 70), sender, ours, 3 * T)).toBe(false);
  const listed = settled();
  beat(listed, T);
  listed.heard(hello(theirs, 10), sender, ours, T);
  listed.heard(hello(ours, seq++, [sender.subarray(0, 4)]), parent, ours, T + 1_000); // our router hears it
  beat(listed, 3 * T);
  expect(listed.heard(hello(theirs, 70), sender, ours, 3 * T)).toBe(false);
  const joined = settled();
  beat(joined, T);
  joined.heard(hello(theirs, 10), sender, ours, T);
  joined.heard(hello(ours, seq++), sender, ours, T + 1_000); // its sender is in our tree now
  beat(joined, 3 * T);
  expect(joined.heard(hello(theirs, 70), sender, ours, 3 * T)).toBe(false);
  const moved = settled();
  beat(moved, T);
  moved.heard(hello(theirs, 10), sender, ours, T);
  const ours2 = Uint8Array.of(3, 3, 3, 3, 3, 3, 3, 3);
  beat(moved, 2 * T, ours2);
  expect(moved.heard(hello(theirs, 70), sender, ours2, 2 * T)).toBe(false); // in a new tree: from its first 20 s on
  beat(moved, 3 * T, ours2);
  expect(moved.heard(hello(theirs, 130), sender, ours2, 3 * T)).toBe(false);
  beat(moved, 3 * T + F, ours2);
  expect(moved.heard(hello(theirs, 190), sender, ours2, 3 * T + F)).toBe(true);
});

test('10 s after another tree is first heard, one survey listens for it again', () => {
  const p = settled();
  beat(p, T);
  p.heard(hello(theirs, 10), sender, ours, T);
  expect(p.confirmDue(T + F - 1)).toBe(false);
  expect(p.confirmDue(T + F)).toBe(true);
  expect(p.confirmDue(T + F + 1)).toBe(false); // once
  const forgot = settled();
  beat(forgot, T);
  forgot.heard(hello(theirs, 10), sender, ours, T);
  forgot.heard(hello(ours, seq++), sender, ours, T + 1_000); // it joined our tree meanwhile
  expect(forgot.confirmDue(T + F)).toBe(false);
});

test('on a longer cycle both waits grow with it: trees form and merge more slowly there', () => {
  const scale = 500 / FOREIGN_TREE_PERIOD_MS; // 50 s and 25 s on a 500-ms cycle
  const [inTree, again] = [T * scale, F * scale];
  const p = settled(500);
  beat(p, T);
  expect(p.heard(hello(theirs, 10), sender, ours, T)).toBe(false); // not yet long enough in our tree
  beat(p, inTree);
  expect(p.heard(hello(theirs, 40), sender, ours, inTree)).toBe(false); // the first that counts
  expect(p.confirmDue(inTree + again - 1)).toBe(false);
  expect(p.confirmDue(inTree + again)).toBe(true);
  beat(p, inTree + again - 1_000);
  expect(p.heard(hello(theirs, 70), sender, ours, inTree + again - 1)).toBe(false);
  expect(p.heard(hello(theirs, 71), sender, ours, inTree + again)).toBe(true);
});
