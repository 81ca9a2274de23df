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
