/**
 * Loop detection for relayed packets (issue 19, class 6; docs/routing.md, "Loops"). Greedy
 * routing cannot loop while every node's idea of its neighbours' addresses is true: each hop is
 * strictly closer to the target. A false or stale address breaks that, and a packet then circles
 * until its ttl runs out (hundreds of frames). This table remembers the packets we relayed
 * lately: the same packet back with a ttl that shows it travelled further since is going round
 * a loop. It is dropped, and the caller forgets the belief that sent it on its way.
 *
 * A sender's own retry is the same packet with the same starting ttl, so it comes back with the
 * same ttl along the same path and is relayed as before. Bounded: the oldest record is forgotten,
 * and a record older than the longest window anything reads it in (`keepMs`) goes at the next
 * relay. Before that sweep a relay kept its last `recentForwards` (64) records for good, each
 * holding the Addresses of its hop: 12.5 KB a node at 1,000 simulated nodes with traffic, the
 * largest table of the run (docs/benchmarks.md, session 26).
 */
import type { Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';
import type { Packet } from '../wire/packet.js';
import type { PackagerContext } from './context.js';

/**
 * Under modem sleep a loop round takes wake periods, not milliseconds: a round of two hops, each
 * waiting for its neighbour's next window, two periods.
 */
const SLEEP_LOOP_PERIODS = 2;

/** How we relayed a packet: its ttl on arrival, its direction, and the hop we chose. */
export interface Relayed {
  readonly ttl: number;
  readonly error: boolean;
  readonly at: number;
  /** How many times it came back round so far. */
  readonly returns: number;
  readonly peerKey: string;
  /** The address the hop was chosen on (the target itself for a direct route). */
  readonly address: Address;
  /** The origin of the learnt path the hop followed, if it did (learned-paths.ts). */
  readonly learned?: Address;
  /** Copies of the packet that died through `peerKey` in a row before this one (resend-around.ts). */
  readonly fails?: number;
}

export class LoopGuard {
  private readonly ctx: PackagerContext;
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private recent: Map<string, Relayed> | undefined;

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
  }

  /** The packet's identity across hops: everything but its ttl and flags. */
  identity(p: Packet): string {
    const seq = p.seqId === undefined ? '' : `${p.seqId}.${p.seqSize ?? ''}`;
    return `${p.schemaId}/${p.treeState ?? ''}/${toHex(p.toAddr ?? new Uint8Array(0))}/${toHex(p.fromAddr ?? new Uint8Array(0))}/${p.packetId}/${seq}/${this.ctx.platform.crc32(p.body) >>> 0}`;
  }

  /** Our last relay of the packet with this identity, if we still remember it. */
  last(key: string): Relayed | undefined {
    return this.recent?.get(key);
  }

  /**
   * `r` (our last relay of this packet) when the packet is back after going further (a loop),
   * else undefined. Error packets count their ttl up, the others down.
   */
  looped(r: Relayed | undefined, ttl: number, error: boolean, now: number): Relayed | undefined {
    if (!r || r.error !== error || now - r.at > this.window()) return undefined;
    return (error ? ttl > r.ttl : ttl < r.ttl) ? r : undefined;
  }

  /**
   * `r` (our last relay of this packet) when the packet is its origin's resend (resend-around.ts):
   * the same ttl (the same path so far), later than a loop round and within `windowMs`.
   */
  resent(r: Relayed | undefined, ttl: number, now: number, windowMs: number): Relayed | undefined {
    if (!r || r.error || r.ttl !== ttl) return undefined;
    const age = now - r.at;
    return age > this.window() && age <= windowMs ? r : undefined;
  }

  /**
   * How long after our relay a packet's return counts as a loop round: `loopWindowMs`, or under
   * modem sleep two wake periods. With 150 ms, a packet going round two sleeping relays was
   * never seen to return and went round until its ttl ran out, every hop a frame in the shared
   * window; asleep, three returns in ten came 150–400 ms after the relay (docs/routing.md
   * "Routes and loops", session 28). Kept below half the resend period, so that an origin's
   * resend on a longer path is not taken for a loop.
   */
  window(): number {
    const { loopWindowMs, sendRetryDelayMs } = this.ctx.timings;
    const period = this.ctx.ownSleep?.schedule.periodMs;
    return period ? Math.max(loopWindowMs, Math.min(SLEEP_LOOP_PERIODS * period, sendRetryDelayMs / 2)) : loopWindowMs;
  }

  /**
   * Keep `relayed` as our last relay of `key`. Records are in the order they were made (a new one
   * for a key goes last), so those older than `keepMs` are the first ones: they go now.
   */
  remember(key: string, relayed: Relayed, keepMs: number): void {
    this.recent?.delete(key);
    const recent = this.recent;
    if (recent) {
      for (const [k, r] of recent) {
        if (relayed.at - r.at <= keepMs) break;
        recent.delete(k);
      }
    }
    if ((this.recent?.size ?? 0) >= Math.max(1, this.ctx.limits.recentForwards)) {
      this.recent?.delete((this.recent as Map<string, Relayed>).keys().next().value as string);
    }
    (this.recent ??= new Map()).set(key, relayed);
  }

  get size(): number {
    return this.recent?.size ?? 0;
  }

  clear(): void {
    this.recent?.clear();
  }
}
