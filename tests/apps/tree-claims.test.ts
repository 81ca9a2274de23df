/** The tree's claim table: neighbours advertising one tree share its bytes, and forgetting one leaves the rest whole. */
import { ClaimTable, type Claim } from '../../modules/mycelium/apps/tree-claims.js';
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const bytes = (n: number, len = 32) => Uint8Array.from({ length: len }, (_, i) => (n + i * 7) & 0xff);

function claimOf(peer: number, claim: Uint8Array, score: Uint8Array, table: ClaimTable): Claim {
  const same = table.sameClaim(claim, score);
  return { claim: same ? same.claim : claim.slice(), score: same ? same.score : score, refreshed: 0, depth: 1, coords: [1], peerKey: `p${peer}`, peerId: bytes(peer) };
}

test('a claim heard again from another neighbour shares the first one’s arrays; other claims do not', () => {
  const table = new ClaimTable({ claims_limit: 8 });
  const root = bytes(1);
  const score = bytes(2);
  table.remember(claimOf(1, root, score, table));
  table.remember(claimOf(2, bytes(1), bytes(2), table)); // equal bytes, other arrays
  const [a, b] = table.list;
  expect(b.claim).toBe(a.claim);
  expect(b.score).toBe(a.score);
  expect(table.sameClaim(bytes(1), bytes(3))).toBeUndefined(); // same claim, another score
  expect(table.sameClaim(bytes(9), bytes(2))).toBeUndefined();
  table.forgetPeer('p1');
  expect(table.list).toHaveLength(1);
  expect(table.list[0].claim).toEqual(bytes(1)); // the survivor's bytes are intact
  expect(table.list[0].peerKey).toBe('p2');
});

/**
 * A claim heard keeps its advertiser as a slot on the node's key index while listed (issue 21,
 * session 19: no key string of its own); it is found, refreshed and forgotten by its key as
 * before, and a claim let go still answers its key after another node took its slot.
 */
test('claims heard hold their advertiser on the key index, and a claim let go keeps its key', () => {
  const slots = new NodeSlots(8);
  const table = new ClaimTable({ claims_limit: 2 });
  const nodeKey = (n: number) => toHex(Uint8Array.from({ length: 32 }, (_, i) => (n * 41 + i) & 0xff));
  const advert = { claim: bytes(1), age: 0 };
  table.rememberAdvert(advert, bytes(2), undefined, nodeKey(1), 5000, slots);
  table.rememberAdvert(advert, bytes(2), undefined, nodeKey(2), 5000, slots);
  const first = table.of(nodeKey(1)) as Claim;
  expect(Object.keys(first)).not.toContain('peerKey');
  expect(first.peerKey).toBe(nodeKey(1));
  expect(first.peerId).toEqual(Uint8Array.from({ length: 32 }, (_, i) => (41 + i) & 0xff));
  table.touch(nodeKey(2), bytes(1), 0, 9000); // its depth is 0 (no coordinates): refreshed
  expect(table.of(nodeKey(2))?.refreshed).toBe(9000);
  table.rememberAdvert(advert, bytes(2), undefined, nodeKey(3), 6000, slots); // over the cap: the first goes
  expect(table.of(nodeKey(1))).toBeUndefined();
  expect(slots.slotOf(nodeKey(1))).toBeUndefined(); // its slot let go…
  slots.hold(nodeKey(4)); // …and taken by another node
  expect(first.peerKey).toBe(nodeKey(1));
  table.forgetPeer(nodeKey(2));
  expect(table.list.map((c) => c.peerKey)).toEqual([nodeKey(3)]);
  table.rememberAdvert(advert, bytes(2), undefined, nodeKey(3), 7000, slots); // heard again: one claim, one hold
  table.forgetPeer(nodeKey(3));
  expect(table.list).toHaveLength(0);
  expect(slots.slotOf(nodeKey(3))).toBeUndefined();
});
