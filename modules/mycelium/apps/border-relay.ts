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
