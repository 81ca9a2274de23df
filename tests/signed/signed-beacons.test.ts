/**
 * Issue 20, signed Beacons (signed/beacon-proof.ts): the link hijack of issue 19 in open mode
 * (a forger beaconing B's id from its own MAC) against signed mode, where a beacon adds a link
 * only once its id proved its key from that MAC. A = centre, B = honest neighbour, X = forger
 * (a bare node: it sends only what the test makes), recording and replaying B's key proof.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { BeaconOp, beaconMessages } from '../../modules/mycelium/wire/messages/beacon.js';
import { bytesEqual, concatBytes } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { KEY_PROOF_OP, keyProofMessage } from '../../modules/mycelium/signed/beacon-proof.js';
import { signedTreeAppId } from '../../modules/mycelium/signed/signed-tree.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import type { SecurityMode } from '../../modules/mycelium/signed/security.js';

function setup(mode: SecurityMode, seed: number) {
  const mesh = new SignedMesh({ seed, security: { mode } });
  const [a, b] = mesh.addSigned(2);
  const [x] = mesh.add(1);
  mesh.wire(a, b);
  mesh.wire(a, x);
  mesh.startAll();
  mesh.run(30_000);
  expect(a.packager.peer(b.node.nodeId)).toBeDefined();
  return { mesh, a, b, x };
}

/** X broadcasts B's key proof as recorded on the air (signed for B's MAC), then a BEACON in B's name. */
function forge(x: MeshNode, a: SignedNode, b: SignedNode): void {
  const proof = concatBytes(Uint8Array.of(KEY_PROOF_OP), b.node.nodeId, b.key.sign(keyProofMessage(b.node.nodeId, b.radio.mac)));
  unwrap(x.packager.broadcast(signedTreeAppId(portableHashes), proof));
  for (const m of unwrap(beaconMessages(BeaconOp.BEACON, b.node.nodeId, [a.beacon.id]))) unwrap(x.packager.broadcast(a.beacon.id, m));
}

function linksOfB(a: SignedNode, b: SignedNode, x: MeshNode) {
  const links = a.packager.peer(b.node.nodeId)?.links ?? [];
  return { total: links.length, forger: links.filter((l) => l.mac && bytesEqual(l.mac, x.radio.mac)).length };
}

for (const mode of ['open', 'signed'] as const) {
  test(`${mode}: a forged beacon in B's name from X's MAC ${mode === 'open' ? 'adds X as a link of B' : 'adds nothing'}`, () => {
    const { mesh, a, b, x } = setup(mode, 31);
    forge(x, a, b);
    mesh.run(100);
    const l = linksOfB(a, b, x);
    const c = a.packager.counters.snapshot();
    console.log(`${mode}: forged beacon with B's replayed proof: forger links of B ${l.forger}; bad proofs ${c.signed_beacon_bad_proof ?? 0}, unproved beacons ${c.signed_beacon_unproved ?? 0}`);
    if (mode === 'open') {
      expect(l.forger).toBe(1);
    } else {
      expect(l).toEqual({ total: 1, forger: 0 });
      expect(c.signed_beacon_bad_proof).toBeGreaterThan(0); // B's proof does not verify for X's MAC
      expect(c.signed_beacon_unproved).toBeGreaterThan(0);
    }
  });

  test(`${mode}: once B is silent, a forger beaconing its id ${mode === 'open' ? 'takes its unicasts' : 'never becomes B'}`, () => {
    const { mesh, a, b, x } = setup(mode, 32);
    b.node.stop();
    mesh.run(6 * 60_000); // B's link and peer time out
    expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
    const since = mesh.medium.log.length;
    let sent = 0;
    for (let t = 0; t < 120_000; t += 5_000) {
      forge(x, a, b);
      mesh.run(2_500);
      if (a.packager.send(TEST_APP_ID, Uint8Array.of(t & 255), { nodeId: b.node.nodeId }).ok) sent++;
      mesh.run(2_500);
    }
    const toX = mesh.medium.log.slice(since).filter((f) => f.to && bytesEqual(f.to, x.radio.mac) && bytesEqual(f.from, a.radio.mac)).length;
    console.log(`${mode}: B silent, X beacons B's id for 2 min: ${sent}/24 sends to "B" taken, ${toX} unicasts to the forger`);
    if (mode === 'open') {
      expect(toX).toBeGreaterThan(0);
    } else {
      expect(toX).toBe(0);
      expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
    }
  });
}

/** Counts the key proofs `b` broadcasts from now on. */
function countKeyProofs(b: SignedNode): { proofs: number } {
  const counted = { proofs: 0 };
  const broadcast = b.packager.broadcast.bind(b.packager);
  b.packager.broadcast = ((app: Uint8Array, blob: Uint8Array, ...rest: unknown[]) => {
    if (blob[0] === KEY_PROOF_OP && bytesEqual(app, signedTreeAppId(portableHashes))) counted.proofs++;
    return (broadcast as (...x: unknown[]) => ReturnType<typeof broadcast>)(app, blob, ...rest);
  }) as typeof b.packager.broadcast;
  return counted;
}

test('periodic beacons carry a key proof at most every 10 min; a node that appears later is still proved at once', () => {
  const mesh = new SignedMesh({ seed: 33, security: { mode: 'signed' } });
  const [a, b, c] = mesh.addSigned(3);
  mesh.wire(a, b);
  mesh.wire(b, c);
  const counted = countKeyProofs(b);
  a.node.start();
  b.node.start();
  mesh.run(30_000);
  expect(a.packager.peer(b.node.nodeId)).toBeDefined();
  // Eight minutes of periodic beacons between two nodes that proved each other: one refresh at most
  // (a proof before each beacon before: one every ~2.5 min).
  const before = counted.proofs;
  mesh.run(8 * 60_000);
  console.log(`key proofs broadcast by B: ${before} in its first 30 s, ${counted.proofs - before} in the next 8 min`);
  expect(counted.proofs - before).toBeLessThanOrEqual(1);
  expect(a.packager.peer(b.node.nodeId)).toBeDefined();
  // C appears: B answers its beacon with a proof, so they link within seconds.
  c.node.start();
  mesh.run(10_000);
  expect(b.packager.peer(c.node.nodeId)).toBeDefined();
  expect(c.packager.peer(b.node.nodeId)).toBeDefined();
});

test('neighbours that appear together are answered with one key proof, not one each, and all link', () => {
  const mesh = new SignedMesh({ seed: 34, security: { mode: 'signed' } });
  const [b, ...others] = mesh.addSigned(5);
  for (const x of others) mesh.wire(b, x);
  const counted = countKeyProofs(b);
  b.node.start();
  mesh.run(5_000);
  const atBoot = counted.proofs;
  // Four nodes power on within 300 ms of each other, well after B: B answers each one's beacon.
  for (const x of others) {
    x.node.start();
    mesh.run(75);
  }
  mesh.run(10_000);
  console.log(`key proofs broadcast by B: ${atBoot} at boot, ${counted.proofs - atBoot} for 4 neighbours appearing within 300 ms`);
  expect(counted.proofs - atBoot).toBe(1); // one each before (4)
  for (const x of others) {
    expect(b.packager.peer(x.node.nodeId)).toBeDefined();
    expect(x.packager.peer(b.node.nodeId)).toBeDefined();
  }
});
