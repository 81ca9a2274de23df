/**
 * Issue 19, class 1 (link hijack): a claim binds only the link it arrived on. A Beacon
 * DISCONNECT naming B, then BEACONs carrying B's id, from another MAC, must not turn A's unicasts
 * to B toward that MAC; a forged DISCONNECT removes nothing that is B's. What open mode cannot
 * stop (a forger once B has been silent for peerIdleMs, or one that copies B's MAC) is in
 * docs/security.md.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from '../support/apps-mesh.js';
import { HelloFlag, serializeHello } from '../../modules/mycelium/wire/messages/hello.js';
import { TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { BeaconOp, beaconMessages } from '../../modules/mycelium/wire/messages/beacon.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

/** A (center) hears B and the forger X; X is a bare node: it only sends what the test makes. */
function setup(seed: number, options: AppMeshOptions = {}) {
  const mesh = new AppMesh({ seed, ...options });
  const [a, b] = mesh.addApps(2);
  const [x] = mesh.add(1);
  mesh.wire(a, b);
  mesh.wire(a, x);
  mesh.startAll();
  mesh.run(30_000);
  expect(a.packager.peer(b.node.nodeId)).toBeDefined();
  return { mesh, a, b, x };
}

/** X broadcasts a Beacon message with op `op` naming `named`. */
function forge(x: MeshNode, a: AppNode, named: Uint8Array, op: number): void {
  for (const m of unwrap(beaconMessages(op, named, [a.beacon.id]))) unwrap(x.packager.broadcast(a.beacon.id, m));
}

/** Unicasts from `from` that went to `mac` on the medium since `since` (index into the log). */
function unicastsTo(mesh: AppMesh, from: MeshNode, mac: Uint8Array, since: number): number {
  return mesh.medium.log.slice(since).filter((f) => f.to && bytesEqual(f.to, mac) && bytesEqual(f.from, from.radio.mac)).length;
}

test('a forged DISCONNECT then BEACON for B from another MAC: A still sends B its unicasts', () => {
  const { mesh, a, b, x } = setup(21);
  const before = b.app.received.length;
  forge(x, a, b.node.nodeId, BeaconOp.DISCONNECT);
  mesh.run(100);
  forge(x, a, b.node.nodeId, BeaconOp.BEACON);
  mesh.run(100);
  const since = mesh.medium.log.length;
  for (let k = 0; k < 10; k++) {
    unwrap(a.packager.send(TEST_APP_ID, Uint8Array.of(k, 1, 2, 3), { nodeId: b.node.nodeId }));
    mesh.run(3_000);
  }
  const toX = unicastsTo(mesh, a, x.radio.mac, since);
  const delivered = b.app.received.length - before;
  console.log(`link hijack: forged DISCONNECT + BEACON; unicasts to the forger ${toX}, delivered to B ${delivered}/10; refused ${a.packager.counters.get('beacon_disconnect_refused')}`);
  expect(toX).toBe(0); // before: every unicast (B was dropped, the forger's MAC became B's link)
  expect(delivered).toBe(10);
  expect(a.packager.peer(b.node.nodeId)!.bestLink()!.mac).toEqual(b.radio.mac);
});

test('a forger beaconing B\'s id every 5 s for 5 minutes never becomes B\'s link while B is heard', () => {
  const { mesh, a, b, x } = setup(22);
  const since = mesh.medium.log.length;
  let sent = 0;
  for (let t = 0; t < 300_000; t += 5_000) {
    forge(x, a, b.node.nodeId, t % 60_000 === 0 ? BeaconOp.DISCONNECT : BeaconOp.BEACON);
    mesh.run(2_500);
    if (a.packager.send(TEST_APP_ID, Uint8Array.of(t & 255, 9), { nodeId: b.node.nodeId }).ok) sent++;
    mesh.run(2_500);
  }
  mesh.run(10_000);
  const toX = unicastsTo(mesh, a, x.radio.mac, since);
  console.log(`link hijack, sustained: ${sent}/60 sends taken; to the forger ${toX}; B's links ${a.packager.peer(b.node.nodeId)?.links.length}`);
  expect(sent).toBe(60); // before: B was gone after the first forged DISCONNECT
  expect(toX).toBe(0);
  expect(a.packager.peer(b.node.nodeId)!.bestLink()!.mac).toEqual(b.radio.mac);
});

test('a DISCONNECT from B\'s own link still removes B at once', () => {
  const { mesh, a, b } = setup(23);
  b.node.stop(); // without Hello, B sends no DISCONNECT on stop: send the one it would
  forge(b, a, b.node.nodeId, BeaconOp.DISCONNECT);
  mesh.run(100);
  expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
});

test('a link not heard for the peer timeout is pruned: a silent forged link does not stay', () => {
  const { mesh, a, b, x } = setup(24);
  forge(x, a, b.node.nodeId, BeaconOp.BEACON);
  mesh.run(100);
  const links = () => a.packager.peer(b.node.nodeId)?.links.length ?? 0;
  const held = links();
  mesh.run(6 * 60_000); // B beacons every minute; X is silent from now on
  console.log(`link pruning: B's links after the forged beacon ${held}, 5 min later ${links()}`);
  expect(links()).toBe(1);
  expect(a.packager.peer(b.node.nodeId)!.links[0].mac).toEqual(b.radio.mac);
});

test('hellos naming V\'s parent from another MAC are not its parent\'s word: no forged root loss', () => {
  // R (root) – V (its child); the forger X, next to V, speaks hellos in R's name saying the root
  // is lost, with a newer heartbeat than any V heard.
  const mesh = new AppMesh({ seed: 25, hello: true });
  const [r, v] = mesh.addApps(2);
  const [x] = mesh.add(1);
  mesh.wire(r, v);
  mesh.wire(v, x);
  mesh.startAll();
  mesh.run(60_000);
  expect(v.tree.parentKey).toBe(toHex(r.node.nodeId));
  const root = v.tree.root.slice(0, 8);
  for (let k = 0; k < 20; k++) {
    const seq = (v.tree.heartbeat.seq + 100) & 0xffff;
    const m = unwrap(serializeHello({ seq: 1_000 + k, intervalMs: 1_000, flags: HelloFlag.ROOT_LOST, rootSeq: seq, depth: 0, root, addressTag: 0, nodeId: r.node.nodeId, heard: [] }));
    unwrap(x.packager.broadcast(v.hello!.id, m));
    mesh.run(1_000);
  }
  const lost = v.packager.counters.get('tree_root_poisoned');
  console.log(`forged hellos: 20 in the parent's name from another MAC; V gave its root up ${lost} times`);
  expect(lost).toBe(0); // before: forged hellos made V give its root up
  expect(bytesEqual(v.tree.root, r.node.nodeId)).toBe(true);
});
