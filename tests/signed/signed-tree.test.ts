/**
 * The signed layer over the tree (issue 20): a signed mesh forms one tree with distinct
 * addresses, every address proved by a chain from the root, and unsigned tree messages refused.
 */
import { SignedMesh } from '../support/signed-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';

function grid(mesh: SignedMesh, rows: number, cols: number) {
  const n = mesh.addSigned(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c < cols - 1) mesh.wire(n[r * cols + c], n[r * cols + c + 1]);
      if (r < rows - 1) mesh.wire(n[r * cols + c], n[(r + 1) * cols + c]);
    }
  }
  return n;
}

test('a signed 4×4 grid converges to one tree with distinct addresses, each proved', () => {
  const mesh = new SignedMesh({ seed: 3, security: { mode: 'signed' } });
  const nodes = grid(mesh, 4, 4);
  mesh.startAll();
  mesh.run(180_000);
  expect(mesh.converged()).toBe(true);
  const sum = (name: string) => nodes.reduce((s, n) => s + (n.packager.counters.snapshot()[name] ?? 0), 0);
  console.log(`signed 4x4: verified ${sum('signed_verify')}, chains asked ${sum('signed_chain_requested')}, bad ${sum('signed_bad_signature') + sum('signed_bad_chain')}`);
  expect(sum('signed_bad_signature') + sum('signed_bad_chain')).toBe(0);
  expect(sum('signed_verify')).toBeGreaterThan(0);
  // Routed sends reach their node.
  const [a, b] = [nodes[0], nodes[15]];
  a.packager.send(TEST_APP_ID, Uint8Array.of(1, 2, 3), { address: b.packager.address! });
  mesh.run(5_000);
  expect(b.app.received.length).toBe(1);
});

test('signed mode: a node that sends upstream\'s unsigned tree messages is never followed', () => {
  const mesh = new SignedMesh({ seed: 4, security: { mode: 'signed' } });
  const [a, b] = mesh.addSigned(2);
  const [open] = mesh.addSigned(1, { mode: 'open' }); // would win the election by score or not: never followed
  mesh.wire(a, b);
  mesh.wire(b, open);
  mesh.startAll();
  mesh.run(120_000);
  expect(mesh.roots([a, b])).toHaveLength(1);
  expect(mesh.roots([a, b])[0]).not.toBe(mesh.roots([open])[0]);
  expect(b.packager.counters.snapshot().signed_unsigned_refused).toBeGreaterThan(0);
});

test('a flood of badly signed tree messages costs at most the verification budget per round', () => {
  const mesh = new SignedMesh({ seed: 5, security: { mode: 'signed' }, signedTree: { verify_per_round: 16 } });
  const [a, b] = mesh.addSigned(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.run(60_000);
  const before = a.packager.counters.snapshot();
  // 1,000 SENDs from b's id with a made-up signature, within one 20 s round.
  // The sealed form: 58 bytes of the message (its sender's id left out), epoch, signature.
  const forged = new Uint8Array(126);
  forged.set(b.tree.root, 10);
  forged.fill(0x5a, 62);
  for (let k = 0; k < 1_000; k++) {
    forged[1] = k & 255;
    b.packager.broadcast(b.tree.id, forged);
    mesh.run(10);
  }
  const after = a.packager.counters.snapshot();
  const verified = (after.signed_verify ?? 0) - (before.signed_verify ?? 0);
  const skipped = (after.signed_budget_exceeded ?? 0) - (before.signed_budget_exceeded ?? 0);
  console.log(`forged flood: 1,000 bad signatures; verified ${verified}, dropped unverified ${skipped}`);
  // The 10 s flood meets at most two of b's 20 s budget rounds (one was opened by its real adverts).
  expect(verified).toBeLessThanOrEqual(2 * 16);
  expect(skipped).toBeGreaterThan(900);
  expect(mesh.roots()).toHaveLength(1); // the tree is untouched
});
