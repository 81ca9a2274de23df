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

/** Border adverts re-flooded per minute of those first heard from one neighbour, and the burst. */
export const BORDER_RELAY_PER_MIN = 10;
export const BORDER_RELAY_BURST = 30;
/** Neighbour buckets kept; the least recently used is forgotten beyond it. */
const BUCKET_LIMIT = 64;

export class BorderRelayCap {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  /** An advert first heard from `sender` at `now` (ms) may be re-flooded: takes one token. */
  admit(sender: string, now: number): boolean {
    const b = this.#buckets.get(sender) ?? { tokens: BORDER_RELAY_BURST, at: now };
    b.tokens = Math.min(BORDER_RELAY_BURST, b.tokens + ((now - b.at) * BORDER_RELAY_PER_MIN) / 60_000);
    b.at = now;
    this.#buckets.delete(sender); // most recently used last: the least recently used is evicted
    this.#buckets.set(sender, b);
    while (this.#buckets.size > BUCKET_LIMIT) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
