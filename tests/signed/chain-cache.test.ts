/**
 * Links verified once are not sent or verified again (issue 20, the signed tree's cost): a
 * neighbour is asked only for the tail of its chain below what this node verified, its parent's
 * chain is not repeated in an ASSIGN, and a node announces its own new link once. The cache is
 * ChainBook's holders; these tests check that what it gives back is only ever verified, current
 * and bounded — a stale or evicted link costs a request, never a wrong acceptance.
 */
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { signLink, verifyChain, type Link } from '../../modules/mycelium/signed/tree-chain.js';
import { ChainBook } from '../../modules/mycelium/signed/chain-book.js';
import { nodeSignatures as ed } from '../../simulator/platform/node-signatures.js';
import type { Signatures } from '../../modules/mycelium/platform/platform.js';
import { SignedMesh } from '../support/signed-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';

const key = (n: number): NodeKey => NodeKey.fromSeed(ed, new Uint8Array(32).fill(n));
const [root, a, b, c, d] = [1, 2, 3, 4, 5].map(key);
const tree = { root: root.publicKey, epoch: 7 };
const link = (parent: NodeKey, child: NodeKey, coords: number[], t = tree): Link => signLink((m) => parent.sign(m), t, child.publicKey, coords)!;
const hex = (l: Link) => Buffer.from(l.address).toString('hex');

test('the verified prefix is the chain recorded, and stops where a coordinate changed hands', () => {
  const book = new ChainBook(() => 32, () => 60_000, () => 600_000);
  const chain = [link(root, a, [3]), link(a, b, [3, 9])];
  book.record('b', root.publicKey, 7, chain, hex(chain[1]), 0);
  expect(book.verifiedPrefix(root.publicKey, 7, [3, 9, 1])).toEqual(chain);
  expect(book.verifiedPrefix(root.publicKey, 8, [3, 9, 1])).toEqual([]); // another epoch: nothing
  // [3] is given to c now (a lease ran out): a's link to b below it is no longer under [3]'s holder.
  book.record('c', root.publicKey, 7, [link(root, c, [3])], hex(link(root, c, [3])), 120_000);
  const after = book.verifiedPrefix(root.publicKey, 7, [3, 9, 1]);
  expect(after).toHaveLength(1);
  expect(after[0].child).toEqual(c.publicKey);
});

test('the cache is bounded: links of a flood of self-made trees push out old ones, which only cost a request', () => {
  const book = new ChainBook(() => 4, () => 60_000, () => 600_000); // 16 coordinates kept
  const chain = [link(root, a, [3]), link(a, b, [3, 9])];
  book.record('b', root.publicKey, 7, chain, hex(chain[1]), 0);
  for (let i = 0; i < 20; i++) {
    const own = { root: d.publicKey, epoch: i };
    const l = link(d, c, [i + 1], own);
    book.record('d', d.publicKey, i, [l], hex(l), 1_000 + i);
  }
  expect(book.verifiedPrefix(root.publicKey, 7, [3, 9])).toEqual([]); // evicted: asked for again, in full
});

test('links verified before are not verified again; a tail signed by anyone else still fails', () => {
  const calls: number[] = [];
  const counting: Signatures = { ...ed, verify: (k, m, s) => (calls.push(1), ed.verify(k, m, s)) };
  const chain = [link(root, a, [3]), link(a, b, [3, 9]), link(b, c, [3, 9, 2])];
  expect(verifyChain(counting, tree, chain, 16, 2).ok).toBe(true);
  expect(calls).toHaveLength(1);
  // The tail's link signed by c instead of b (its parent in the prefix) does not verify.
  expect(verifyChain(ed, tree, [...chain.slice(0, 2), link(c, d, [3, 9, 2])], 16, 2).ok).toBe(false);
  // A prefix that does not descend coordinate by coordinate is refused whatever is trusted.
  expect(verifyChain(ed, tree, [link(root, a, [3]), link(a, b, [4, 9])], 16, 2).ok).toBe(false);
});

function line(mesh: SignedMesh, n: number) {
  const nodes = mesh.addSigned(n);
  for (let i = 0; i + 1 < n; i++) mesh.wire(nodes[i], nodes[i + 1]);
  return nodes;
}

test('a signed line of 8 proves every address with fewer than one chain request per node (13 before)', () => {
  const mesh = new SignedMesh({ seed: 11, security: { mode: 'signed' } });
  const nodes = line(mesh, 8);
  mesh.startAll();
  mesh.run(180_000);
  expect(mesh.converged()).toBe(true);
  const sum = (name: string) => nodes.reduce((s, x) => s + (x.packager.counters.snapshot()[name] ?? 0), 0);
  const verified = sum('signed_verify');
  console.log(`signed line of 8: verified ${verified}, chains asked ${sum('signed_chain_requested')}, proved locally ${sum('signed_chain_local')}, stale ${sum('signed_chain_stale')}`);
  expect(sum('signed_bad_signature') + sum('signed_bad_chain')).toBe(0);
  // Each node announces its link once and its neighbours hold the rest: 13 requests (each a whole
  // chain) before tails and announcements.
  expect(sum('signed_chain_requested')).toBeLessThan(nodes.length);
  // Routed sends along the whole line reach their node.
  nodes[0].packager.send(TEST_APP_ID, Uint8Array.of(1), { address: nodes[7].packager.address! });
  nodes[7].packager.send(TEST_APP_ID, Uint8Array.of(2), { address: nodes[0].packager.address! });
  mesh.run(5_000);
  expect(nodes[7].app.received.length).toBe(1);
  expect(nodes[0].app.received.length).toBe(1);
});
