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

import { bytesEqual } from '../wire/bytes.js';
import { TreeOp } from '../wire/messages/tree.js';

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

/**
 * Our own claim is not spoken before our turn (session 15). The first SEND waits for the turn
 * above, but a claim also spread before it by two other ways, both started by Hello (whose
 * hellos name every node's root from the first second): a neighbour that sees a better root in
 * our hello unicasts its SEND to ask for our claim, and we answered with a RESPOND carrying it;
 * and we, seeing a better root in a neighbour's hello, unicast our SEND to it. So every claim
 * began to spread at hello speed, whatever its pace, and local trees formed before the best
 * root's news arrived (at 300 nodes, 243 of 537 joins went to roots other than the final one,
 * 235 of them within 4 s). Now, until our turn, a SEND or RESPOND that claims our own
 * root is not sent (`signed_claim_early`): a neighbour hears our claim at our turn, as it would
 * from our first SEND. Claims spread in the order of their pace, as with pinned roots. Only
 * timing changes: which root wins, and what is verified, stay the same; a node that joined a
 * tree speaks for that tree at once, and after the turn nothing is held back.
 */
export class OwnTurn {
  #delay = 0;
  #startedAt = Number.POSITIVE_INFINITY;

  /** Our first SEND's delay (firstAdvertDelay), kept as our turn. */
  schedule(pace: number, drawn: number, maxMs: number): number {
    this.#delay = firstAdvertDelay(pace, drawn, maxMs);
    return this.#delay;
  }

  /** The layer started at `now`: the turn counts from here. */
  start(now: number): void {
    this.#startedAt = now;
  }

  /** Whether tree message `m` speaks our own claim (we are our own root) before our turn. */
  early(m: { readonly op: number; readonly claim: Uint8Array }, isRoot: boolean, ownId: Uint8Array, now: number): boolean {
    if (!isRoot || (m.op !== TreeOp.SEND && m.op !== TreeOp.RESPOND) || now >= this.#startedAt + this.#delay) return false;
    return bytesEqual(m.claim, ownId);
  }
}
