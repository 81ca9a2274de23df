/**
 * Chains sent by their holder are compact (signed-messages.ts): each link's address is the
 * holder's cut to its depth and the last child is the sender, so a link costs 96 bytes instead of
 * 112. The links that come out are the ones that went in, they verify as before, and anything
 * that does not fit is refused, never thrown.
 */
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { signLink, verifyChain, type Link } from '../../modules/mycelium/signed/tree-chain.js';
import { chainMessage, parseChainMessage } from '../../modules/mycelium/signed/signed-messages.js';
import { nodeSignatures as ed } from '../../simulator/platform/node-signatures.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const key = (n: number): NodeKey => NodeKey.fromSeed(ed, new Uint8Array(32).fill(n));
const keys = Array.from({ length: 13 }, (_, i) => key(i + 1));
const [root] = keys;
const tree = { root: root.publicKey, epoch: 9 };
/** root → keys[1] → … → keys[12], coordinates 1, 2, …, 12. */
const chain: Link[] = keys.slice(1).map((k, i) => signLink((m) => keys[i].sign(m), tree, k.publicKey, Array.from({ length: i + 1 }, (_, j) => j + 1))!);
const holder = keys[12].publicKey;
const same = (a: readonly Link[], b: readonly Link[]) => a.map((l) => toHex(l.child) + toHex(l.address) + toHex(l.signature)).join() === b.map((l) => toHex(l.child) + toHex(l.address) + toHex(l.signature)).join();

test('a whole chain and a tail come out as the links that went in, and verify', () => {
  const whole = chainMessage(tree.root, tree.epoch, 0, chain);
  expect(whole.length).toBe(1 + 32 + 4 + 16 + 12 * 96 - 32); // 1,189 bytes; 1,381 with 112-byte links
  const c = parseChainMessage(whole, holder)!;
  expect([c.from, c.epoch, toHex(c.root)]).toEqual([0, 9, toHex(root.publicKey)]);
  expect(same(c.links, chain)).toBe(true);
  expect(verifyChain(ed, tree, c.links)).toMatchObject({ ok: true, holder });

  const tail = chainMessage(tree.root, tree.epoch, 11, chain.slice(11));
  expect(tail.length).toBe(118); // one link: 150 before
  const t = parseChainMessage(tail, holder)!;
  expect(t.from).toBe(11);
  expect(same(t.links, chain.slice(11))).toBe(true);
  const mid = parseChainMessage(chainMessage(tree.root, tree.epoch, 5, chain.slice(5)), holder)!;
  expect(same(mid.links, chain.slice(5))).toBe(true);
});

test('sent by anyone but its holder, or cut, padded or mislabelled, it is refused or fails to verify', () => {
  const whole = chainMessage(tree.root, tree.epoch, 0, chain);
  // Another sender: the last link names it, and the parent never signed that.
  const other = parseChainMessage(whole, keys[5].publicKey)!;
  expect(verifyChain(ed, tree, other.links)).toMatchObject({ ok: false, why: 'bad_signature' });
  for (const bad of [whole.subarray(0, whole.length - 1), new Uint8Array([...whole, 0]), whole.subarray(0, 40), new Uint8Array(0)]) {
    expect(parseChainMessage(bad, holder)).toBeUndefined();
  }
  // A tail whose `from` does not match its address's depth.
  const tail = chainMessage(tree.root, tree.epoch, 11, chain.slice(11));
  const shifted = tail.slice();
  shifted[37] = 10;
  expect(parseChainMessage(shifted, holder)).toBeUndefined();
  expect(parseChainMessage(whole, new Uint8Array(31))).toBeUndefined();
});
