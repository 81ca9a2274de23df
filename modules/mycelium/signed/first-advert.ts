/**
 * When a signed node first advertises its own claim to be root (issue 20, session 12).
 *
 * A mesh powered on at once starts with every node its own root, and each node's first SEND
 * goes out at a uniform random time within the tree's `max_start_delay` (10 s): the best root
 * speaks, on average, after half the mesh has started waves of its own. In signed mode every
 * wave that reaches a node before the best one costs it a chain of that tree (up to 32 links
 * of 96 bytes), not only a REQUEST and an ASSIGN. Within the same window, a signed node now
 * speaks in the order of its claim's pace (0 best … 1 worst, the layer's rank: pins and root
 * work count): the best claims first, after a floor that lets neighbours admit us (key proofs
 * are gathered over 500 ms) so that the first SEND is heard. A node that learns a better root
 * before its turn joins it and never starts a wave (RootNews spreads the best root's word).
 * Only timing changes: which root wins, and the messages, stay the same; a newcomer in a
 * formed mesh still speaks within `max_start_delay`, as before.
 */

/** No first SEND before this: our neighbours must have admitted us (key proofs) to take it. */
export const FIRST_ADVERT_FLOOR_MS = 1_000;
/** Ties (equal paces: unpinned nodes where roots are pinned) spread over this much of the draw. */
const FIRST_ADVERT_JITTER_MS = 250;

/**
 * The first SEND's delay for a claim of `pace`, within [FLOOR, `maxMs`) when `maxMs` leaves
 * room for the floor (else upstream's `drawn`); `drawn` (upstream's uniform draw) adds the jitter.
 * By the square root of the pace: the few best claims, which alone can spread far, are spread
 * furthest apart (at 1,000 nodes the best at ≈ 1.3 s, the 10th at ≈ 1.9 s, the 50th at ≈ 3 s),
 * so the best root's news (root-news.ts) reaches most nodes before the next ones speak.
 */
export function firstAdvertDelay(pace: number, drawn: number, maxMs: number): number {
  const span = maxMs - FIRST_ADVERT_FLOOR_MS - FIRST_ADVERT_JITTER_MS;
  if (!(span > 0)) return drawn;
  const p = Math.min(1, Math.max(0, Number.isFinite(pace) ? pace : 1));
  return FIRST_ADVERT_FLOOR_MS + Math.floor(Math.sqrt(p) * span) + (Math.floor(drawn) % FIRST_ADVERT_JITTER_MS);
}
