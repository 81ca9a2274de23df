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
import { heardStranger } from '../../modules/mycelium/apps/hello-stranger.js';
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
  const sleeper = () => {
    const heard: unknown[] = [];
    const sleep = { aligned: true, hear: (peer: unknown, a: unknown, fromLeaf: boolean) => heard.push({ peer, a, fromLeaf }) } as unknown as ModemSleep;
    return { sleep, heard };
  };

  test('a node a usable router serves ignores it: no id in its next hello, no schedule taken', () => {
    const { sleep, heard } = sleeper();
    expect(heardStranger([leafPeer, router(true)], sleep, hello(0), from, 1_000)).toBe(false);
    expect(heard).toEqual([]);
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
