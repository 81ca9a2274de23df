/**
 * Issue 20, rogue parent: a parent that gives one coordinate to all its children makes routed
 * sends land at the wrong node. Open mode: it does (documented). Signed mode: the two links a
 * neighbour of two such children holds prove the parent's equivocation; the proof spreads, every
 * node refuses the parent, its children take addresses elsewhere: 0 misdelivered sends.
 *
 *   P (root) ─ R (rogue) ─ c1..c4            P ─ H1 ─ H ─ c1..c4
 * The children prefer R (depth 2) to H (depth 3); H hears every child's advert.
 */
import { SignedMesh, groundKey, type SignedNode } from '../support/signed-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { TreeOp } from '../../modules/mycelium/wire/messages/tree.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import type { TreeLayer } from '../../modules/mycelium/apps/tree-layer.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';

/** Make `rogue` give the first address it assigns to every child after it (over its own layer, if any). */
function turnRogue(rogue: SignedNode): void {
  const inner = rogue.tree.layer;
  let first: Uint8Array | undefined;
  const layer: TreeLayer = {
    seal(bytes, to) {
      if (bytes[0] === TreeOp.ASSIGN_ADDRESS) {
        first ??= bytes.slice(42, 58);
        bytes = bytes.slice();
        bytes.set(first, 42);
      }
      return inner ? inner.seal(bytes, to) : bytes;
    },
    open: (blob, from, accept) => (inner ? inner.open(blob, from, accept) : accept(blob)),
    score: (claim) => (inner ? inner.score(claim) : claimScore(claim)),
    gossipsAdverts: inner?.gossipsAdverts ?? true,
  };
  rogue.tree.layer = layer;
}

function run(security: SecurityOptions): { misdelivered: number; delivered: number; sent: number; equivocations: number } {
  // P wins the election in both modes: its key is ground to score best.
  const best = groundKey();
  const mesh = new SignedMesh({ seed: 21, security, keyFor: (i) => (i === 0 ? best : undefined) });
  const [p, r, h1, h, ...children] = mesh.addSigned(8);
  mesh.wire(p, r);
  mesh.wire(p, h1);
  mesh.wire(h1, h);
  for (const c of children) {
    mesh.wire(r, c);
    mesh.wire(h, c);
  }
  mesh.startAll();
  turnRogue(r);
  mesh.run(240_000);
  const all = [p, r, h1, h, ...children];
  let misdelivered = 0;
  let delivered = 0;
  let sent = 0;
  for (let round = 0; round < 50; round++) {
    for (const c of children) {
      const before = all.map((n) => n.app.received.length);
      const addr = c.packager.address;
      if (addr && p.packager.send(TEST_APP_ID, Uint8Array.of(round, c.index), { address: addr }).ok) sent++;
      mesh.run(400);
      all.forEach((n, i) => {
        const got = n.app.received.length - before[i];
        if (n === c) delivered += got;
        else misdelivered += got;
      });
    }
  }
  const equivocations = all.reduce((s, n) => s + (n.packager.counters.snapshot().signed_equivocation ?? 0), 0);
  console.log(
    `${security.mode}: root ${toHex(p.tree.root) === toHex(p.node.nodeId) ? 'P' : '?'}; children at ${children.map((c) => c.packager.address?.toString()).join(' ')}; ` +
      `${sent} sends, ${delivered} delivered, ${misdelivered} misdelivered; equivocations proved ${equivocations}`,
  );
  return { misdelivered, delivered, sent, equivocations };
}

test('open mode: a rogue parent handing one coordinate to its children misdelivers sends (the attack succeeds)', () => {
  const r = run({ mode: 'open' });
  expect(r.misdelivered).toBeGreaterThan(0);
});

test('signed mode: the rogue parent is proved and refused; 0 misdelivered sends', () => {
  const r = run({ mode: 'signed' });
  expect(r.equivocations).toBeGreaterThan(0);
  expect(r.misdelivered).toBe(0);
  expect(r.delivered).toBe(r.sent);
  expect(r.sent).toBe(200);
});
