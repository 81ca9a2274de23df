/**
 * The loop rules of taking a parent in our own tree (docs/routing.md "Fast tree repair"): which
 * ASSIGN we take (SpanningTree `adopt`), and which REQUEST we leave unanswered while ours to the
 * same neighbour is out (`assign`). A repair may make us deeper (a better link, or a neighbour
 * no shallower than us: tree-repair.ts), so depth alone no longer rules a loop out; our own
 * address does.
 */
import { compareBytes } from '../wire/bytes.js';
import { isPrefix } from './tree-claims.js';

export interface Offer {
  /** The offered tree's root against ours: < 0 a better one, 0 our own. */
  readonly cmp: number;
  readonly isRoot: boolean;
  /** Our coordinates now, and the ones offered. */
  readonly mine: readonly number[];
  readonly offered: readonly number[];
  /** We asked this neighbour to take us in even if deeper. */
  readonly asked: boolean;
}

/**
 * 'take'; 'no' when it does not improve our place (upstream's rule: a better root, or our tree
 * but shallower); 'inside' when it lies under our own address: the neighbour has moved into our
 * subtree since its advert (a renumbering on its way) or our REQUESTs crossed, and taking it
 * would hang us from ourselves.
 */
export function judgeOffer(o: Offer): 'take' | 'no' | 'inside' {
  if (o.cmp < 0) return 'take';
  if (o.cmp > 0 || o.isRoot) return 'no';
  if (o.mine.length > 0 && o.offered.length > o.mine.length && isPrefix(o.mine, o.offered)) return 'inside';
  return o.offered.length < o.mine.length || o.asked ? 'take' : 'no';
}

/**
 * A neighbour asks us for an address while our REQUEST to it (one that may make us deeper) is
 * unanswered: two repairs asking each other. The lower id waits for its answer instead of
 * answering, so the two never take each other in one exchange.
 */
export function yieldsTo(ownId: Uint8Array, peerId: Uint8Array, askedIt: boolean): boolean {
  return askedIt && compareBytes(ownId, peerId) < 0;
}

/**
 * An ASSIGN from our parent for our root that answers no REQUEST of ours and offers `offered`, a
 * sibling of our address `mine` (same parent, another coordinate): the parent found another node
 * at our address and tells us to move (tree-assign.ts `tellToMove`). We ask it; its answer moves
 * us (a REQUEST made as a repair takes an address no shallower). A replay of its ASSIGNs offers
 * our own address or an old one we left: the first is no word, the second costs one REQUEST.
 */
export function toldToMove(mine: readonly number[], offered: readonly number[]): boolean {
  const n = mine.length;
  return n > 0 && offered.length === n && offered[n - 1] !== mine[n - 1] && isPrefix(mine.slice(0, n - 1), offered);
}
