/** The tree's claim table: neighbours advertising one tree share its bytes, and forgetting one leaves the rest whole. */
import { ClaimTable, type Claim } from '../../modules/mycelium/apps/tree-claims.js';

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
