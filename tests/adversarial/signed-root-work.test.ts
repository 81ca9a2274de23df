/**
 * Issue 20, root capture against proof-of-work weighting (signed/root-work.ts). Open mode: a
 * chosen id becomes root of every node. Signed + root_work: an attacker whose key is ground for
 * a low claim score but who did no work captures nobody — the honest node with the most work is
 * root — and the attacker wins only by out-working the best honest node (the accounting in
 * docs/security.md "Proof of work"). All on the virtual clock.
 */
import { SignedMesh, groundKey, keyOf as keyOfIndex, type SignedNode } from '../support/signed-mesh.js';
import { ROOT_ID_TARGETS, claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { grindWork, weightedScore } from '../../modules/mycelium/signed/root-work.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';
import type { NodeKey } from '../../modules/mycelium/signed/node-key.js';

const GRID = 4;
const ATTACKER = GRID * GRID;
/** Honest nodes' grinding budget here: 2^8 nonces each (≈ 8 bits; the best of 16 ≈ 12). */
const HONEST_ATTEMPTS = 256;
/** Floor 1: every bit of work is a score bit (the accounting of docs/security.md below the floor). */
const POW: SecurityOptions = { mode: 'signed', root_work: true, root_work_floor: 1 };

function work(key: NodeKey, attempts: number) {
  return grindWork(portableHashes, key.publicKey, attempts);
}

/** A 4×4 grid plus an attacker (node 16) wired to corner node 15. */
function meshWithAttacker(security: SecurityOptions, attacker: { id?: Uint8Array; key?: NodeKey; attempts: number }, honestWork = (key: NodeKey) => work(key, HONEST_ATTEMPTS)) {
  const mesh = new SignedMesh({
    seed: 11,
    security,
    idOf: (i) => (i === ATTACKER ? attacker.id : undefined),
    keyFor: (i) => (i === ATTACKER ? attacker.key : undefined),
    workFor: (i, key) => (i === ATTACKER ? (attacker.attempts > 0 ? work(key, attacker.attempts) : undefined) : honestWork(key)),
  });
  const honest = mesh.addSigned(GRID * GRID);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      if (c < GRID - 1) mesh.wire(honest[r * GRID + c], honest[r * GRID + c + 1]);
      if (r < GRID - 1) mesh.wire(honest[r * GRID + c], honest[(r + 1) * GRID + c]);
    }
  }
  const [bad] = mesh.addSigned(1);
  mesh.wire(bad, honest[GRID * GRID - 1]);
  return { mesh, honest, bad };
}

function capturedBy(honest: readonly SignedNode[], bad: SignedNode): number {
  return honest.filter((n) => toHex(n.tree.root) === toHex(bad.node.nodeId)).length;
}

/** The honest node the weighted election should pick: most work, then lowest claim score. */
function bestHonest(honest: readonly SignedNode[]): string {
  const scored = honest.map((n) => ({ id: n.node.nodeId, score: weightedScore(n.node.nodeId, work(n.key, HONEST_ATTEMPTS).bits) }));
  scored.sort((a, b) => compareBytes(a.score, b.score));
  return toHex(scored[0].id);
}

test('open mode: a chosen id without any work becomes root of every node', () => {
  const { mesh, honest, bad } = meshWithAttacker({ mode: 'open' }, { id: ROOT_ID_TARGETS[0], attempts: 0 });
  mesh.startAll();
  mesh.run(180_000);
  expect(capturedBy(honest, bad)).toBe(honest.length);
});

test('signed + root_work: a ground key without work never becomes root; the most-worked honest node is', () => {
  const ground = groundKey();
  const { mesh, honest, bad } = meshWithAttacker(POW, { key: ground, attempts: 0 });
  // Without work weighting, this key wins (signed-root-capture.test.ts): it scores better than every honest key.
  for (const n of honest) expect(compareBytes(claimScore(ground.publicKey), claimScore(n.node.nodeId))).toBeLessThan(0);
  mesh.startAll();
  let worst = 0;
  for (let t = 0; t < 36; t++) {
    mesh.run(5_000);
    worst = Math.max(worst, capturedBy(honest, bad));
  }
  console.log(`signed+root_work, attacker without work: at most ${worst} of ${honest.length} captured`);
  expect(worst).toBe(0);
  expect(mesh.converged(honest)).toBe(true);
  expect(mesh.roots(honest)).toEqual([bestHonest(honest)]);
});

test('signed + root_work: only out-working the best honest node captures the root (work is what pays)', () => {
  const ground = groundKey();
  const honestBest = Math.max(...Array.from({ length: GRID * GRID }, (_, i) => i).map((i) => work(keyOfIndex(i), HONEST_ATTEMPTS).bits));
  const attackerWork = work(ground, 1 << 14);
  expect(attackerWork.bits).toBeGreaterThan(honestBest); // 2^14 attempts buy more bits than 16 × 2^8
  const { mesh, honest, bad } = meshWithAttacker(POW, { key: ground, attempts: 1 << 14 });
  mesh.startAll();
  mesh.run(180_000);
  console.log(`signed+root_work: honest best ${honestBest} bits; attacker ${attackerWork.bits} bits captured ${capturedBy(honest, bad)} of ${honest.length}`);
  expect(capturedBy(honest, bad)).toBe(honest.length);
});

test('signed + root_work with a floor: work below it buys no score bit, so a cheap grind captures nobody', () => {
  // Floor 10 here (20 on nodes: the same rule, 2^10 times cheaper to run). Honest nodes grind
  // until they reach it; the attacker's key has the best claim score and 2^8 attempts of work.
  const FLOOR = 10;
  const ground = groundKey();
  const attackerWork = work(ground, 1 << 8);
  expect(attackerWork.bits).toBeLessThan(FLOOR);
  const security: SecurityOptions = { mode: 'signed', root_work: true, root_work_floor: FLOOR };
  const { mesh, honest, bad } = meshWithAttacker(security, { key: ground, attempts: 1 << 8 }, (key) => grindWork(portableHashes, key.publicKey, 1 << 16, 0, FLOOR));
  mesh.startAll();
  mesh.run(180_000);
  const captured = capturedBy(honest, bad);
  console.log(`signed+root_work, floor ${FLOOR}: attacker with ${attackerWork.bits} bits captured ${captured} of ${honest.length}`);
  expect(captured).toBe(0);
  expect(mesh.roots(honest)).toHaveLength(1);
});
