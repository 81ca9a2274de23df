/**
 * Issue 19, classes 7 and 5 (peer-table flood, links without end): beacons with made-up ids
 * cannot push out the neighbours a node hears, and forged beacons carrying one peer's id from
 * ever new MACs cannot grow that peer's links (memory and per-beacon time stay bounded).
 */
import { AppMesh } from '../support/apps-mesh.js';
import { macOf } from '../support/mesh.js';

test('1,000 beacons with random ids in 10 s: the real neighbours stay peers', () => {
  const mesh = new AppMesh({ seed: 7 });
  const nodes = mesh.addApps(5);
  const [center, ...ring] = nodes;
  for (const n of ring) mesh.wire(center, n);
  mesh.startAll();
  mesh.run(60_000);
  expect(center.packager.peers.length).toBe(4);
  const random = (k: number) => Uint8Array.from({ length: 32 }, (_, i) => (k * 31 + i * 7 + 1) & 255);
  for (let k = 0; k < 1_000; k++) {
    center.packager.addPeer(random(k), [{ mac: macOf(1_000 + k), radio: center.radio }]);
    mesh.run(10);
  }
  const real = ring.filter((n) => center.packager.peer(n.node.nodeId) !== undefined).length;
  console.log(`peer flood: 1,000 forged ids; real neighbours kept ${real} of 4; refused ${center.packager.counters.get('peer_refused')}`);
  expect(real).toBe(4); // before: 0 (each new id evicted the least recently heard peer)
  expect(center.packager.peers.length).toBeLessThanOrEqual(center.packager.sizes().peers.limit);
});

test('20,000 forged beacons naming one peer from new MACs: its links stay capped, the real link first', () => {
  const mesh = new AppMesh({ seed: 8 });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.run(30_000);
  for (let k = 0; k < 20_000; k++) a.packager.addPeer(b.node.nodeId, [{ mac: macOf(5_000 + k), radio: a.radio }]);
  const peer = a.packager.peer(b.node.nodeId)!;
  console.log(`link flood: 20,000 forged links; links held ${peer.links.length}`);
  expect(peer.links.length).toBeLessThanOrEqual(4); // before: 20,001
  expect(peer.links[0].mac).toEqual(b.radio.mac);
});
