/**
 * Beacon among nodes that all speak Hello (apps/beacon.ts `quiet_every`, docs/packager.md): the
 * minute's beacon goes on air only every fourth cycle, since hellos keep such neighbours known.
 * What a user notices: fewer control bytes, the same neighbours known, a dead neighbour still
 * dropped within minutes, and a neighbour without Hello (upstream) still gets a beacon a minute.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { BeaconOp, parseBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';

/** Periodic (op BEACON) beacons on the medium's log, by sender MAC hex. */
function beaconsOnAir(mesh: AppMesh, beaconId: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of mesh.medium.log) {
    if (f.to !== undefined) continue;
    const p = parsePacket(f.frame);
    if (!p.ok) continue;
    const pkg = parsePackage(p.value.body);
    if (!pkg.ok || !bytesEqual(pkg.value.appId, beaconId)) continue;
    const b = parseBeacon(pkg.value.blob);
    if (!b.ok || b.value.op !== BeaconOp.BEACON) continue;
    out.set(toHex(f.from), (out.get(toHex(f.from)) ?? 0) + 1);
  }
  return out;
}

function grid(quietEvery?: number): { mesh: AppMesh; nodes: AppNode[] } {
  const mesh = new AppMesh({ seed: 9, tree: { pub_each_round: false }, hello: true, ...(quietEvery !== undefined && { beacon: { quiet_every: quietEvery } }) });
  const nodes = mesh.grid(3, 3);
  mesh.startAll();
  mesh.run(120_000);
  mesh.medium.clearLog();
  return { mesh, nodes };
}

const neighbourCount = [2, 3, 2, 3, 4, 3, 2, 3, 2];

describe('a 3×3 grid of nodes that all speak Hello, over 16 minutes', () => {
  const { mesh, nodes } = grid();
  mesh.run(16 * 60_000);
  const beacons = beaconsOnAir(mesh, nodes[0].beacon.id);

  test('each node beacons about every fourth minute, not every minute', () => {
    for (const n of nodes) {
      const count = beacons.get(toHex(n.radio.mac)) ?? 0;
      expect(count).toBeGreaterThanOrEqual(3);
      expect(count).toBeLessThanOrEqual(5);
    }
  });

  test('every node still knows exactly its grid neighbours', () => {
    nodes.forEach((n, i) => expect(n.packager.peers.length).toBe(neighbourCount[i]));
  });

  test('a dead neighbour is still dropped from the peer table within six minutes', () => {
    const centre = nodes[4];
    centre.radio.on = false;
    mesh.run(6 * 60_000);
    for (const i of [1, 3, 5, 7]) expect(nodes[i].packager.peers.some((p) => bytesEqual(p.id, centre.node.nodeId))).toBe(false);
  });
});

test('quiet_every 1 is upstream: a beacon every minute', () => {
  const { mesh, nodes } = grid(1);
  mesh.run(16 * 60_000);
  for (const count of beaconsOnAir(mesh, nodes[0].beacon.id).values()) expect(count).toBeGreaterThanOrEqual(15);
});

test('a neighbour without Hello (upstream) brings back the beacon every minute', () => {
  const { mesh, nodes } = grid();
  const [upstream] = mesh.add(1); // no apps: never speaks Hello
  mesh.connect(nodes[0], upstream);
  mesh.run(150_000);
  const beacons = beaconsOnAir(mesh, nodes[0].beacon.id);
  expect(beacons.get(toHex(nodes[0].radio.mac))).toBeGreaterThanOrEqual(2);
});
