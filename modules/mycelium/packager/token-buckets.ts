/**
 * Token buckets keyed by neighbour, the one rate limiter behind every per-neighbour cap (relayed
 * packets, relay-limit.ts; Gossip relays, gossip-relay.ts; border adverts, border-relay.ts). The
 * table is bounded: a new key takes the slot of the least recently used one, so made-up senders
 * can only push each other out, never buy more tokens than one fresh bucket's burst.
 */

import { NodeSlots } from './node-slots.js';
import { SlotPairs } from './slot-pairs.js';

export class TokenBuckets {
  /**
   * Key → tokens left and when they were counted, on the node's key index (slot-pairs.ts: 24 B a
   * bucket on XS beside the node's shared slot, not 65 B).
   */
  private readonly buckets: SlotPairs;
  private readonly limit: number;

  /** `limit`: buckets kept (at least 1); `slots`: the node's key index (a table of its own without one). */
  constructor(limit: number, slots: NodeSlots = new NodeSlots(limit)) {
    this.limit = Math.max(1, limit);
    this.buckets = new SlotPairs(slots);
  }

  /**
   * Refill `key`'s bucket by `amount` tokens per `periodMs` since it was last used (at most
   * `burst`; a new bucket starts full), then take one token. False when there was none.
   */
  take(key: string, now: number, amount: number, periodMs: number, burst: number): boolean {
    const held = this.buckets.has(key);
    const before = held ? (this.buckets.first(key) as number) : burst;
    const at = held ? (this.buckets.second(key) as number) : now;
    const tokens = Math.min(burst, before + (Math.max(0, now - at) * amount) / periodMs);
    // Most recently used last: a new key beyond the limit evicts the least recently used.
    this.buckets.put(key, tokens < 1 ? tokens : tokens - 1, now, this.limit);
    return tokens >= 1;
  }

  clear(): void {
    this.buckets.clear();
  }
}
