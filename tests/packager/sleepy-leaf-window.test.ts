/**
 * Who talks in the leaves' window (docs/sleep.md "Session 17"), on the virtual clock: the one
 * window in eight a sleepy leaf listens in carries its routing neighbours' hellos to it, so a
 * routing node's hello goes when due in any of its windows, with a copy for the leaves in
 * theirs, and a leaf's own broadcasts go in a routing window other than its own.
 */
import { TestMesh, type MeshNode } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { inWindow } from '../../modules/mycelium/packager/wake-schedule.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { parseHello } from '../../modules/mycelium/wire/messages/hello.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

/**
 * Routers 0 and 1 and sleepy leaf 2, all in reach of each other, settled on one schedule. The
 * leaf has the default options: the send slot is on unless turned off (session 28).
 */
function twoRoutersAndLeaf() {
  const mesh = new TestMesh({ node: { modemSleep: true }, nodeAt: (i) => (i === 2 ? { modemSleep: { leaf: true } } : undefined) });
  const nodes = mesh.add(3);
  for (const n of nodes) n.node.addApp(new Hello(nodeHashes));
  const [r0, r1, leaf] = nodes;
  mesh.connect(r0, r1);
  mesh.connect(r0, leaf);
  mesh.connect(r1, leaf);
  r0.node.start();
  mesh.clock.advance(300);
  r1.node.start();
  mesh.clock.advance(700);
  leaf.node.start();
  mesh.clock.advance(30_000);
  return { mesh, r0, r1, leaf };
}

interface OnAir {
  readonly at: number;
  /** The hello's number, undefined for any other frame. */
  readonly helloSeq: number | undefined;
}

/** Step the clock 1 ms at a time for `ms`, noting when `n` put each frame on air. */
function watch(mesh: TestMesh, n: MeshNode, ms: number): OnAir[] {
  const helloId = n.node.app(Hello)!.id;
  const out: OnAir[] = [];
  for (let t = 0; t < ms; t++) {
    const before = mesh.medium.log.length;
    mesh.clock.advance(1);
    for (const f of mesh.medium.log.slice(before)) {
      if (!bytesEqual(f.from, n.radio.mac)) continue;
      out.push({ at: mesh.clock.now(), helloSeq: helloSeqOf(f.frame, helloId) });
    }
  }
  return out;
}

function helloSeqOf(frame: Uint8Array, helloId: Uint8Array): number | undefined {
  const p = parsePacket(frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, frame) ?? frame) : frame);
  if (!p.ok) return undefined;
  const pkg = parsePackage(p.value.body);
  if (!pkg.ok || !bytesEqual(pkg.value.appId, helloId)) return undefined;
  const h = parseHello(pkg.value.blob);
  return h.ok ? h.value.seq : undefined;
}

test('a routing node’s hello goes when due, in any of its windows, with a copy in the leaves’ window', () => {
  const { mesh, r0, leaf } = twoRoutersAndLeaf();
  const hellos = watch(mesh, r0, 30_000).filter((f) => f.helloSeq !== undefined);
  const leafListens = leaf.node.modemSleep!.listening;
  const bySeq = new Map<number, number[]>();
  for (const h of hellos) bySeq.set(h.helloSeq!, [...(bySeq.get(h.helloSeq!) ?? []), h.at]);
  expect(bySeq.size).toBeGreaterThanOrEqual(8); // a hello every 3 s
  // Every hello reaches the leaf: one copy of each number goes while the leaf listens.
  for (const times of bySeq.values()) expect(times.some((t) => inWindow(leafListens, t))).toBe(true);
  // Most hellos first go outside the leaves' window (7 windows in 8): the routing neighbours
  // hear them there, not all crowded into the one window every leaf and router shares.
  const firstOutside = [...bySeq.values()].filter((times) => !inWindow(leafListens, times[0])).length;
  expect(firstOutside).toBeGreaterThanOrEqual(bySeq.size / 2);
});

test('a leaf broadcasts in a routing window other than its own, its radio on only briefly for it', () => {
  const { mesh, r0, leaf } = twoRoutersAndLeaf();
  const sent = watch(mesh, leaf, 30_000);
  const routing = r0.node.modemSleep!.schedule;
  const own = leaf.node.modemSleep!.listening;
  const hellos = sent.filter((f) => f.helloSeq !== undefined);
  expect(hellos.length).toBeGreaterThanOrEqual(8);
  for (const f of hellos) {
    expect(inWindow(routing, f.at)).toBe(true); // its routers listen
    expect(inWindow(own, f.at)).toBe(false); // not where its routers' hellos to it go
  }
  // And the leaf stays within its radio budget all the same.
  let awake = 0;
  for (let t = 0; t < 16_000; t++) {
    mesh.clock.advance(1);
    if (leaf.radio.on) awake++;
  }
  expect(awake / 16_000).toBeLessThan(0.05);
  expect(leaf.packager.counters.get('radio_refused')).toBe(0);
});
