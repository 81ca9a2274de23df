/**
 * Issue 20, root capture: a node whose id scores best becomes root of the whole mesh. Open mode
 * (upstream's protocol): it succeeds, as docs/security.md says. Signed mode with operator-pinned
 * roots: it never does — whether the attacker claims a chosen id it cannot sign for, or its own
 * key ground for a low score. Signed mode without pins stops a chosen id, not a ground key.
 */
import { SignedMesh, groundKey, keyOf, type SignedNode } from '../support/signed-mesh.js';
import { ROOT_ID_TARGETS } from '../../modules/mycelium/wire/ids.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';

const GRID = 4;
/** The id that scores 0: the election's target itself ("1234" × 8). */
const BEST_ID = ROOT_ID_TARGETS[0];

/** A 4×4 grid plus an attacker wired to the corner node 15; returns [honest, attacker]. */
function meshWithAttacker(security: SecurityOptions, attacker: 'chosen-id' | 'ground-key', attackerSecurity = security) {
  const ATTACKER = GRID * GRID;
  const ground = groundKey();
  const mesh = new SignedMesh({
    seed: 11,
    security,
    idOf: (i) => (i === ATTACKER && attacker === 'chosen-id' ? BEST_ID : undefined),
    keyFor: (i) => (i === ATTACKER && attacker === 'ground-key' ? ground : undefined),
  });
  const honest = mesh.addSigned(GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      if (c < GRID - 1) mesh.wire(honest[r * GRID + c], honest[r * GRID + c + 1]);
      if (r < GRID - 1) mesh.wire(honest[r * GRID + c], honest[(r + 1) * GRID + c]);
    }
  }
  const [bad] = mesh.addSigned(1, attackerSecurity);
  mesh.wire(bad, honest[GRID * GRID - 1]);
  return { mesh, honest, bad };
}

function capturedBy(honest: readonly SignedNode[], bad: SignedNode): number {
  return honest.filter((n) => toHex(n.tree.root) === toHex(bad.node.nodeId)).length;
}

test('open mode: a node with a chosen id becomes root of every node (the attack succeeds)', () => {
  const { mesh, honest, bad } = meshWithAttacker({ mode: 'open' }, 'chosen-id');
  mesh.startAll();
  mesh.run(180_000);
  const captured = capturedBy(honest, bad);
  console.log(`open: chosen-id root captured ${captured} of ${honest.length} honest nodes`);
  expect(captured).toBe(honest.length);
});

test('signed mode: a chosen id the attacker cannot sign for captures nobody', () => {
  const { mesh, honest, bad } = meshWithAttacker({ mode: 'signed' }, 'chosen-id');
  mesh.startAll();
  mesh.run(180_000);
  expect(capturedBy(honest, bad)).toBe(0);
  expect(mesh.converged(honest)).toBe(true);
  // Refused at its first Beacon: its key proof for the chosen id does not verify (signed Beacons),
  // so it never becomes a neighbour whose tree messages would be checked.
  const counters = honest[GRID * GRID - 1].packager.counters.snapshot();
  expect(counters.signed_beacon_bad_proof).toBeGreaterThan(0);
  expect(honest[GRID * GRID - 1].packager.peer(BEST_ID)).toBeUndefined();
});

test('signed mode without pins: a ground key still wins (pins or proof of work are needed)', () => {
  const { mesh, honest, bad } = meshWithAttacker({ mode: 'signed' }, 'ground-key');
  mesh.startAll();
  mesh.run(180_000);
  const captured = capturedBy(honest, bad);
  console.log(`signed, no pins: ground-key root captured ${captured} of ${honest.length}`);
  expect(captured).toBe(honest.length);
});

test('signed + pinned root: neither a chosen id nor a ground key ever becomes root', () => {
  const pinned = { mode: 'signed' as const, pinned_roots: [toHex(keyOf(5).publicKey)] };
  for (const attacker of ['chosen-id', 'ground-key'] as const) {
    const { mesh, honest, bad } = meshWithAttacker(pinned, attacker);
    mesh.startAll();
    let worst = 0;
    for (let t = 0; t < 36; t++) {
      mesh.run(5_000);
      worst = Math.max(worst, capturedBy(honest, bad));
    }
    console.log(`signed+pinned (${attacker}): at most ${worst} captured; roots ${mesh.roots(honest).map((r) => r.slice(0, 8)).join(',')}`);
    expect(worst).toBe(0);
    expect(mesh.roots(honest)).toEqual([toHex(keyOf(5).publicKey)]);
    expect(mesh.converged(honest)).toBe(true);
  }
});
