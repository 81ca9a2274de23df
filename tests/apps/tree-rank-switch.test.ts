/**
 * A better-linked parent of our own tree (docs/routing.md "Fast tree repair", item 2). A leaf
 * takes it. A node with children takes it only when nobody else could take it in if its parent
 * were lost: otherwise it keeps its parent, since a move gives every node of its subtree a new
 * address and their neighbours route on the old ones until they hear (strip-300-lossy, 30
 * levels deep, session 37), and it holds its parent five times as long first (session 47).
 * Upstream's rule (two levels shallower) and a better root still move it.
 */
import { ClaimTable, type Claim, type OwnPlace } from '../../modules/mycelium/apps/tree-claims.js';
import { TREE_DEFAULTS, parentHoldMs } from '../../modules/mycelium/apps/tree-params.js';

const root = Uint8Array.of(1);

function claim(peerKey: string, coords: number[]): Claim {
  return { claim: root, score: root, refreshed: 0, depth: coords.length, coords, peerKey, peerId: Uint8Array.of(coords.length) };
}

/** Ours is at depth 3 under `parent` (depth 2), whose link costs ETX 4: rank 6. The `spare` link costs 4 too (rank 6); the others' are clean. */
const rank = (c: Claim) => c.depth + (c.peerKey === 'parent' || c.peerKey === 'spare' ? 4 : 1);
const place = (leads: boolean): OwnPlace => ({ rootScore: root, isRoot: false, parentKey: 'parent', coords: [1, 2, 3], mayReplace: true, leads });

function table(...claims: Claim[]): ClaimTable {
  const t = new ClaimTable({ claims_limit: 8 });
  t.remember(claim('parent', [1, 2]));
  for (const c of claims) t.remember(c);
  return t;
}

const better = claim('better', [4, 5, 6]); // rank 4, 2 cheaper than our parent; we would be a level deeper
const spare = claim('spare', [7, 1]); // as shallow as our parent: it could take us in if our parent were lost

test('a leaf takes a better-linked parent, even one that puts it a level deeper', () => {
  expect(table(better, spare).choose(place(false), () => true, rank)).toEqual({ claim: expect.objectContaining({ peerKey: 'better' }), deeper: true });
});

test('a node with children keeps its parent while another neighbour could take it in', () => {
  expect(table(better, spare).choose(place(true), () => true, rank)).toBeUndefined();
  expect(table(better, claim('spare', [1, 2, 3, 1])).choose(place(true), () => true, rank)).toEqual({ claim: expect.objectContaining({ peerKey: 'better' }), deeper: true }); // our own child is no way back
});

test('a node with children takes the better link when its parent is its only way back', () => {
  // Its parent's link may fail: with no shallower neighbour a repair would find nothing, and the
  // subtree would fall off the tree (lossy-asym-50 lost 124 pings when such nodes stayed put).
  expect(table(better).choose(place(true), () => true, rank)).toEqual({ claim: expect.objectContaining({ peerKey: 'better' }), deeper: true });
  expect(table(better, spare).choose(place(true), (k) => k !== 'spare', rank)).toEqual({ claim: expect.objectContaining({ peerKey: 'better' }), deeper: true }); // an unusable one is none
});

test('a node with children still moves two levels shallower (upstream) and to a better root', () => {
  expect(table(spare, claim('shallow', [4])).choose(place(true), () => true, rank)).toEqual({ claim: expect.objectContaining({ peerKey: 'shallow' }), deeper: false });
  const t = table(spare);
  t.remember({ ...claim('other', [4, 5, 6, 7]), claim: Uint8Array.of(0), score: Uint8Array.of(0) });
  expect(t.choose(place(true), () => true, rank)?.claim.peerKey).toBe('other');
});

test('a node with children holds its parent five minutes before a better link replaces it, a leaf one', () => {
  // On a lossy radio the link figures keep moving: a node high in a deep tree swung between two
  // parents and renumbered its subtree at each swing (strip-300-lossy seed 6, session 47).
  const held = (ms: number, leads: boolean): OwnPlace => ({ ...place(leads), mayReplace: ms >= parentHoldMs(TREE_DEFAULTS, leads) });
  expect(table(better).choose(held(61_000, false), () => true, rank)?.claim.peerKey).toBe('better');
  expect(table(better).choose(held(61_000, true), () => true, rank)).toBeUndefined();
  expect(table(better).choose(held(299_000, true), () => true, rank)).toBeUndefined();
  expect(table(better).choose(held(300_000, true), () => true, rank)?.claim.peerKey).toBe('better');
  // Upstream's rule is not held back: two levels shallower moves it at once.
  expect(table(claim('shallow', [4])).choose(held(0, true), () => true, rank)?.claim.peerKey).toBe('shallow');
});
