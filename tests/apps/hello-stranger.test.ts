/**
 * Two Hello-speaking neighbours that missed each other's Beacons hear only hellos that do not say
 * who sent them (the id rides on every twelfth). A node that no router serves and hears such a
 * stranger names itself in its next hello, so the stranger makes it a peer at once and names
 * itself back: both are peers within a hello period and a half (1.2–1.4 s), where before they
 * took 7.2–7.6 s. Only a node no router serves acts on a stranger (the rule's own tests below):
 * with routers around, strangers are far neighbours, and their hellos must not make it send its
 * id. On the virtual clock.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { TestMesh, type MeshNode } from '../support/mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { phaseOf } from '../../modules/mycelium/packager/wake-schedule.js';
import { heardStranger, STRANGER_SETTLE_MS } from '../../modules/mycelium/apps/hello-stranger.js';
import { HelloFlag, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { ModemSleep } from '../../modules/mycelium/packager/modem-sleep.js';

test.each([3, 7, 11])('neighbours whose Beacons were lost become peers within a hello period and a half (seed %d)', (seed) => {
  // Beacons only at boot (their period far beyond the test), hellos every 3 s.
  const mesh = new AppMesh({ seed, hello: true, beacon: { beacon_interval: 3_600_000 } });
  const [a, b] = mesh.addApps(2);
  mesh.startAll();
  // Apart while their boot Beacons go out and their first (id-carrying) hellos are sent.
  mesh.run(5_000);
  expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
  mesh.wire(a, b);
  let both = -1;
  for (let t = 0; t < 30_000 && both < 0; t += 100) {
    mesh.run(100);
    if (a.packager.peer(b.node.nodeId) && b.packager.peer(a.node.nodeId)) both = t;
  }
  expect(both).toBeGreaterThanOrEqual(0);
  // The first stranger's hello, then the named one it calls for, and the named one back.
  expect(both).toBeLessThanOrEqual(4_500);
  expect(a.packager.counters.get('hello_from_stranger') + b.packager.counters.get('hello_from_stranger')).toBeGreaterThan(0);
});

describe('what a stranger’s hello may do (hello-stranger.ts)', () => {
  const schedule = { phaseMs: 10, periodMs: 200, windowMs: 40, hops: 0, source: Uint8Array.of(0, 0, 0, 1) };
  const router = (usable: boolean) => ({ leaf: undefined, usable: () => usable }) as unknown as Peer;
  const leafPeer = { leaf: true, usable: () => true } as unknown as Peer;
  const hello = (flags: number) => ({ seq: 1, intervalMs: 3000, flags, rootSeq: 0, depth: 255, root: new Uint8Array(32), addressTag: 0, heard: [], schedule }) as HelloMessage;
  const from = {} as Delivery;
  const sleeper = (ours = Uint8Array.of(0, 0, 0, 9), leaf = false) => {
    const heard: unknown[] = [];
    const sleep = { aligned: true, leaf, announce: () => ({ ...schedule, source: ours }), hear: (peer: unknown, a: unknown, fromLeaf: boolean) => heard.push({ peer, a, fromLeaf }) } as unknown as ModemSleep;
    return { sleep, heard };
  };

  test('a node a usable router serves names nobody, and takes a schedule only from another source', () => {
    const { sleep, heard } = sleeper(schedule.source);
    expect(heardStranger([leafPeer, router(true)], sleep, hello(0), from, 1_000)).toBe(false);
    expect(heard).toEqual([]);
    const other = sleeper();
    // Not in its first half-minute: at boot every node is a cluster of its own (STRANGER_SETTLE_MS).
    expect(heardStranger([leafPeer, router(true)], other.sleep, hello(0), from, 1_000, STRANGER_SETTLE_MS - 1)).toBe(false);
    expect(other.heard).toEqual([]);
    expect(heardStranger([leafPeer, router(true)], other.sleep, hello(0), from, 1_000, STRANGER_SETTLE_MS)).toBe(false);
    expect(other.heard).toEqual([{ peer: undefined, a: schedule, fromLeaf: false }]);
    // A served leaf keeps its parent's windows; a leaf's schedule is never followed.
    const leaf = sleeper(undefined, true);
    expect(heardStranger([router(true)], leaf.sleep, hello(0), from, 1_000)).toBe(false);
    expect(heardStranger([router(true)], other.sleep, hello(HelloFlag.LEAF), from, 1_000)).toBe(false);
    expect(leaf.heard).toEqual([]);
    expect(other.heard).toHaveLength(1);
  });

  test('a node no usable router serves names itself, and follows a routing stranger’s schedule only', () => {
    const { sleep, heard } = sleeper();
    expect(heardStranger([leafPeer, router(false)], sleep, hello(0), from, 1_000)).toBe(true);
    expect(heard).toEqual([{ peer: undefined, a: schedule, fromLeaf: false }]);
    // A leaf's schedule is never followed (it is sparser than any router's).
    expect(heardStranger([], sleep, hello(HelloFlag.LEAF), from, 1_000)).toBe(true);
    expect(heard).toHaveLength(1);
  });
});

/**
 * Two pairs of sleepers that formed apart, each served (a peer that routes) and each on its own
 * wake schedule, then brought into reach of each other between b and c without a Beacon (Hello
 * only: peers come from id-carrying hellos). A hello's id goes out in the sleepers' own window;
 * across schedules only the copies of a spread hello are heard, and they carry none. Before
 * session 34 b and c stayed strangers on two schedules for good (sleep-random-lossy-40 on a
 * sparser layout: two trees for the whole run, 25 % delivered). Now a served routing node, past
 * its first half-minute, follows a routing stranger's schedule from another source when it ranks
 * better, as it would a peer's: one schedule, then the id-carrying hellos meet.
 */
test('two served clusters on different schedules end on one and become peers', () => {
  const mesh = new TestMesh({ node: { modemSleep: true } });
  const [a, b, c, d] = mesh.add(4);
  for (const n of [a, b, c, d]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(a, b);
  mesh.connect(c, d);
  a.node.start();
  b.node.start();
  mesh.clock.advance(1_117); // a phase apart that a drift correction would not bridge
  c.node.start();
  d.node.start();
  mesh.clock.advance(30_000);
  const phase = (n: MeshNode) => phaseOf(n.node.modemSleep!.schedule, mesh.clock.now());
  expect(b.node.packager.peer(a.node.nodeId)).toBeDefined();
  expect(c.node.packager.peer(d.node.nodeId)).toBeDefined();
  expect(Math.abs(phase(a) - phase(c))).toBeGreaterThan(8);
  mesh.medium.link(b.radio, c.radio); // in reach, no Beacon: strangers
  mesh.clock.advance(60_000);
  expect(b.node.packager.counters.get('hello_from_stranger') + c.node.packager.counters.get('hello_from_stranger')).toBeGreaterThan(0);
  expect(b.node.packager.peer(c.node.nodeId)).toBeDefined();
  expect(c.node.packager.peer(b.node.nodeId)).toBeDefined();
  for (const n of [b, c, d]) expect(Math.abs(phase(n) - phase(a))).toBeLessThanOrEqual(3);
});
