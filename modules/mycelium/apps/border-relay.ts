/**
 * The relay cap of border adverts (docs/routing.md "Any diameter"): every advert floods the whole
 * mesh, so one node forging them (a new sequence number makes a new Gossip message) would make
 * every node transmit at its rate. A node re-floods at most BORDER_RELAY_PER_MIN adverts a minute
 * first heard from any one neighbour (bursts of BORDER_RELAY_BURST); beyond that they are still
 * read into the directory here, just not passed on. The cap is per neighbour, so a forger spends
 * only its own neighbours' allowance for it: what they do pass on (at most the cap) is all that
 * reaches the rest of the mesh, and honest adverts, a handful per refresh period, still arrive
 * through every other neighbour. Senders that are not peers share one bucket.
 */
import type { NodeSlots } from '../packager/node-slots.js';
import { TokenBuckets } from '../packager/token-buckets.js';

/** Border adverts re-flooded per minute of those first heard from one neighbour, and the burst. */
export const BORDER_RELAY_PER_MIN = 10;
export const BORDER_RELAY_BURST = 30;
/** Neighbour buckets kept; the least recently used is forgotten beyond it. */
const BUCKET_LIMIT = 64;

/**
 * An advert `far` ← gateway in another tree is news only outside tree `far`: routing looks up
 * gateways *toward* a tree we hold no address in (packager/borders.ts), never toward our own, and
 * a node beyond `far` that needs a way across it learns it from the adverts of `far`'s own
 * gateways, which `far` does carry. So a node of tree `far` does not pass such an advert on, and
 * a far-out root's small trees no longer make the main tree carry every advert about itself
 * (signed mode at 1,000 nodes, docs/security.md). A *tagged* advert is passed on all the same:
 * its root tag finds a second tree of the gateway's tree state anywhere beyond (tree-collisions),
 * which only a flood across every tree can. Withdrawals carry no tag and are scoped like adverts.
 * A node with no address yet (`ownTree` undefined) passes everything on.
 */
export function newsOnlyOutside(far: number, tagged: boolean, ownTree: number | undefined): boolean {
  return !tagged && far === ownTree;
}

export class BorderRelayCap {
  /** On the node's key index (`slots`); made on the first advert relayed (issue 21). */
  declare private buckets: TokenBuckets | undefined;

  /** An advert first heard from `sender` at `now` (ms) may be re-flooded: takes one token. */
  admit(sender: string, now: number, slots: NodeSlots): boolean {
    return (this.buckets ??= new TokenBuckets(BUCKET_LIMIT, slots)).take(sender, now, BORDER_RELAY_PER_MIN, 60_000, BORDER_RELAY_BURST);
  }

  clear(): void {
    this.buckets?.clear();
  }
}
