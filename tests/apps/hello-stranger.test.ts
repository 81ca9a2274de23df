/**
 * Two Hello-speaking neighbours that missed each other's Beacons hear only hellos that do not say
 * who sent them (the id rides on every ninth). A node that hears such a stranger names itself in
 * its next hello, so the stranger makes it a peer at once and names itself back: both are peers
 * within a hello period and a half (1.4 s on seed 7), where before they took 7.2 s or more. On the virtual
 * clock.
 */
import { AppMesh } from '../support/apps-mesh.js';

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
