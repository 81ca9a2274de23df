/**
 * A token bucket per previous hop for the packets we relay (issue 19, "per-neighbour rate limits
 * for forwarding"): a neighbour pushing relayed traffic at full rate gets `relayPerSecond`
 * packets through us (after a burst of `relayBurst`), the rest of our airtime and transmit queue
 * stays for the others. Frames from a link that is not a peer share one bucket, so made-up MACs
 * buy nothing. Bounded: a new previous hop takes the slot of the least recently seen one.
 *
 * Work-conserving: the buckets always count, but a packet is refused only while the node is
 * congested — its radio refused a frame (transmit queue full) within the last `relayHoldMs`. An
 * idle relay relays everything, as upstream; a busy one shares its airtime among the neighbours
 * that use it, so one of them cannot crowd out the others.
 */
import type { PackagerContext } from './context.js';
import { TokenBuckets } from './token-buckets.js';

/** The shared key of frames from links that belong to no peer. */
export const UNKNOWN_HOP = '?';

export class RelayLimit {
  private readonly ctx: PackagerContext;
  /** On the node's key index; made on the first relayed packet (a lone node relays none, issue 21). */
  declare private buckets: TokenBuckets | undefined;
  /** The radio refusals counted when we last looked, and until when we count as congested. */
  private refusals = 0;
  private congestedUntil = -Infinity;

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
  }

  /** True when a packet from the previous hop `key` may be relayed now (its token is taken). */
  take(key: string): boolean {
    const now = this.ctx.platform.now();
    const { relayPerSecond, relayBurst } = this.ctx.limits;
    const buckets = (this.buckets ??= new TokenBuckets(this.ctx.limits.relayBuckets, this.ctx.nodeSlots));
    return buckets.take(key, now, relayPerSecond, 1000, relayBurst) || !this.congested(now);
  }

  clear(): void {
    this.buckets?.clear();
  }

  private congested(now: number): boolean {
    const refusals = this.ctx.counters.get('radio_refused');
    if (refusals !== this.refusals) {
      this.refusals = refusals;
      this.congestedUntil = now + this.ctx.timings.relayHoldMs;
    }
    return now < this.congestedUntil;
  }
}
