/**
 * A token bucket per previous hop for the packets we relay (issue 19, "per-neighbour rate limits
 * for forwarding"): a neighbour pushing relayed traffic at full rate gets `relayPerSecond`
 * packets through us (after a burst of `relayBurst`), the rest of our airtime and transmit queue
 * stays for the others. Frames from a link that is not a peer share one bucket, so made-up MACs
 * buy nothing. Bounded: a new previous hop takes the slot of the least recently seen one.
 */
import type { PackagerContext } from './context.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** The shared key of frames from links that belong to no peer. */
export const UNKNOWN_HOP = '?';

export class RelayLimit {
  readonly #ctx: PackagerContext;
  readonly #buckets = new Map<string, Bucket>();

  constructor(ctx: PackagerContext) {
    this.#ctx = ctx;
  }

  /** True when the previous hop `key` may have one more packet relayed now (and takes it). */
  take(key: string): boolean {
    const now = this.#ctx.platform.now();
    const { relayPerSecond, relayBurst, relayBuckets } = this.#ctx.limits;
    let b = this.#buckets.get(key);
    if (b) this.#buckets.delete(key);
    else {
      if (this.#buckets.size >= Math.max(1, relayBuckets)) this.#buckets.delete(this.#buckets.keys().next().value as string);
      b = { tokens: relayBurst, at: now };
    }
    b.tokens = Math.min(relayBurst, b.tokens + (Math.max(0, now - b.at) * relayPerSecond) / 1000);
    b.at = now;
    this.#buckets.set(key, b); // newest last: the least recently seen is first
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
