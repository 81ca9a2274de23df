/**
 * Signed tree addresses (issue 20): the chain from the root. Each attack of the issue that
 * concerns addresses, as a user would see it: in open mode (today, upstream) anything a parent
 * says is taken; with chains, a forged or stolen address does not verify.
 */
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { MAX_CHAIN_LINKS, conflicting, decodeChain, encodeChain, signLink, verifyChain, type Link } from '../../modules/mycelium/signed/tree-chain.js';
import { signedTreeCosts } from '../../modules/mycelium/signed/air-budget.js';
import { nodeSignatures as ed } from '../../simulator/platform/node-signatures.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const key = (n: number): NodeKey => NodeKey.fromSeed(ed, new Uint8Array(32).fill(n));
const [root, a, b, c, mallory] = [1, 2, 3, 4, 5].map(key);
const tree = { root: root.publicKey, epoch: 7 };
const sign = (k: NodeKey) => (m: Uint8Array) => k.sign(m);
const link = (parent: NodeKey, child: NodeKey, coords: number[]): Link => signLink(sign(parent), tree, child.publicKey, coords)!;

test('a chain root → a → b verifies and names b as the holder of [3, 9]', () => {
  const chain = [link(root, a, [3]), link(a, b, [3, 9])];
  const check = verifyChain(ed, tree, decodeChain(encodeChain(chain))!);
  expect(check).toEqual({ ok: true, holder: b.publicKey, coords: [3, 9] });
  expect(verifyChain(ed, tree, [])).toEqual({ ok: true, holder: root.publicKey, coords: [] });
});

test('a parent cannot hand out an address it does not hold', () => {
  // a holds [3]; it signs [4, 1] for b (a subtree of someone else's coordinate)
  const chain = [link(root, a, [3]), link(a, b, [4, 1])];
  expect(verifyChain(ed, tree, chain)).toMatchObject({ ok: false, why: 'not_child' });
  // mallory, not in the tree, signs b a link under a's address
  expect(verifyChain(ed, tree, [link(root, a, [3]), link(mallory, b, [3, 1])])).toMatchObject({ ok: false, why: 'bad_signature' });
  // mallory claims to be root's child directly
  expect(verifyChain(ed, tree, [link(mallory, mallory, [1])])).toMatchObject({ ok: false, why: 'bad_signature' });
});

test("a coordinate is bound to the child's key: another node cannot present it", () => {
  const chainOfB = [link(root, a, [3]), link(a, b, [3, 9])];
  const stolen = [chainOfB[0], { ...chainOfB[1], child: c.publicKey }];
  expect(verifyChain(ed, tree, stolen)).toMatchObject({ ok: false, why: 'bad_signature' });
});

test('a rogue parent giving one coordinate to two children leaves proof of it', () => {
  const toB = link(a, b, [3, 9]);
  const toC = link(a, c, [3, 9]);
  // Both verify (a really signed them) — each binds its own child …
  for (const l of [toB, toC]) expect(verifyChain(ed, tree, [link(root, a, [3]), l]).ok).toBe(true);
  // … and together they prove a's equivocation, so a node holding both can drop a's subtree.
  expect(conflicting(toB, toC)).toBe(true);
  expect(conflicting(toB, link(a, c, [3, 10]))).toBe(false);
});

test('links of another tree or epoch do not verify', () => {
  const chain = [link(root, a, [3])];
  expect(verifyChain(ed, { ...tree, epoch: 8 }, chain).ok).toBe(false);
  expect(verifyChain(ed, { root: mallory.publicKey, epoch: 7 }, chain).ok).toBe(false);
});

test('malformed chains are refused, not thrown', () => {
  expect(decodeChain(new Uint8Array(111))).toBeUndefined();
  const l = link(root, a, [3]);
  expect(verifyChain(ed, tree, [{ ...l, signature: l.signature.subarray(1) }])).toMatchObject({ ok: false, why: 'bad_link' });
  expect(verifyChain(ed, tree, Array.from({ length: MAX_CHAIN_LINKS + 1 }, () => l))).toMatchObject({ ok: false, why: 'too_deep' });
  expect(toHex(encodeChain(decodeChain(encodeChain([l]))!))).toBe(toHex(encodeChain([l])));
});

test('every signed tree message still fits one ESP-NOW and one RYLR-998 packet', () => {
  for (const row of signedTreeCosts()) {
    expect([row.what, row.fitsEspnow, row.fitsRylr]).toEqual([row.what, true, true]);
  }
});
