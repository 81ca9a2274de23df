/**
 * Token buckets keyed by neighbour, the one rate limiter behind every per-neighbour cap (relayed
 * packets, relay-limit.ts; Gossip relays, gossip-relay.ts; border adverts, border-relay.ts). The
 * table is bounded: a new key takes the slot of the least recently used one, so made-up senders
 * can only push each other out, never buy more tokens than one fresh bucket's burst.
 */

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limit: number;

  /** `limit`: buckets kept (at least 1). */
  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /**
   * Refill `key`'s bucket by `amount` tokens per `periodMs` since it was last used (at most
   * `burst`; a new bucket starts full), then take one token. False when there was none.
   */
  take(key: string, now: number, amount: number, periodMs: number, burst: number): boolean {
    let b = this.#buckets.get(key);
    if (b) this.#buckets.delete(key);
    else {
      if (this.#buckets.size >= this.#limit) this.#buckets.delete(this.#buckets.keys().next().value as string);
      b = { tokens: burst, at: now };
    }
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) * amount) / periodMs);
    b.at = now;
    this.#buckets.set(key, b); // most recently used last: the least recently used is first
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
