/**
 * What every part of the Packager shares: the platform, the node's identity and tunables, the
 * counter table, the event hooks, the timed events, the packet/sequence id counters and the
 * modem-sleep skips. One small object handed to each part, so no part holds the whole Packager.
 */
import { retryWindowMs } from './retry-backoff.js';
import type { Platform } from '../platform/platform.js';
import { Counters } from './counters.js';
import { IdLeases } from './id-leases.js';
import type { PackagerEvents } from './events.js';
import { Hooks } from './hooks.js';
import type { Limits, Timings } from './options.js';
import { Scheduler, type EventHandler } from './scheduler.js';
import { NodeSlots } from './node-slots.js';
import type { HopVectors } from './hop-vectors.js';

/**
 * The node's own aligned modem sleep as the Packager's parts see it (docs/sleep.md); absent when
 * the node never sleeps or runs upstream's cycle.
 */
export interface OwnSleep {
  readonly asleep: boolean;
  /** A sleepy leaf (docs/sleep.md "Sleepy leaves"): it reaches other leaves through a router. */
  readonly leaf: boolean;
  /** The wake schedule we follow: a hop to a neighbour on it may wait up to a period. */
  readonly schedule: { readonly periodMs: number };
  /** Ms until our next wake window (0 while the radio is on). */
  msUntilWindow(): number;
  /**
   * A frame goes out now to a neighbour that hears it now: wake if needed and listen for the
   * answer. `answered`: an answer comes at once (a hop ack, a NIA); without it nothing does, and
   * the listen ends when the radio has sent what it was given (`frameDone`).
   */
  wakeToSend(answered?: boolean): void;
  /** A radio accepted a frame of ours (Radio.send / broadcast returned true). */
  frameHanded(): void;
  /** The node received a frame (window-tail.ts: a busy window stays open a little longer). */
  frameHeard(): void;
  /** A radio is done with one of those frames (Radio.onSent). */
  frameDone(): void;
  /** A broadcast just went out: repeat it for upstream neighbours in their own cycle, if any. */
  echoForUpstream(send: () => void): void;
  /**
   * Whether a broadcast made now must wait (in the wake queue): while the radio sleeps, and for a
   * sleepy leaf always but in its own send slot (modem-sleep.ts `broadcastHeld`).
   */
  holdsBroadcast(): boolean;
  /** A broadcast was put in the wake queue: a sleepy leaf plans its send slot (no-op otherwise). */
  broadcastHeld(): void;
}

export class PackagerContext {
  readonly platform: Platform;
  readonly nodeKey: string;
  readonly timings: Timings;
  readonly limits: Limits;
  readonly counters = new Counters();
  readonly hooks: Hooks<PackagerEvents>;
  readonly scheduler: Scheduler;
  /**
   * packet_id of the next single packet we send. Shared with RNS/NIA, which take one each
   * (`nextPacketId`); a unicast advances it only after transmitting, as upstream does.
   */
  packetId = 0;
  /** seq_id of the next sequence (fix: every sequence gets its own, broadcast or unicast). */
  seqId = 0;
  /** packet_ids of our single unicasts, held while a receiver may still take a reuse for a retry. */
  readonly packetIds = new IdLeases();
  /** seq_ids of our sequences, held while a receiver may still take a reuse for a resend. */
  readonly seqIds = new IdLeases();
  /** Local number of the next message `send` accepts (reported in its outcome events). */
  private messageNumber = 0;
  private sleepSkips = 0;
  /** Our aligned modem sleep, when the node runs one (set by ModemSleep). */
  ownSleep: OwnSleep | undefined;
  /** Hop counts by neighbour, while our RouteVector app runs (hop-vectors.ts); declared: no slot elsewhere. */
  declare vectors: HopVectors | undefined;
  /** The per-neighbour tables' shared key index (`nodeSlots`): declared, made on first use (issue 21). */
  declare private slotsMemo: NodeSlots | undefined;

  constructor(platform: Platform, nodeKey: string, timings: Timings, limits: Limits) {
    this.platform = platform;
    this.nodeKey = nodeKey;
    this.timings = timings;
    this.limits = limits;
    this.hooks = new Hooks<PackagerEvents>(this.counters);
    this.scheduler = new Scheduler(platform, this.counters, limits.events, limits.eventsPerOwner);
  }

  /** One small number per node key, shared by every per-neighbour table (node-slots.ts). */
  get nodeSlots(): NodeSlots {
    return (this.slotsMemo ??= new NodeSlots(this.limits.peers));
  }

  /** The key index's string for `key` (node-slots.ts `heldKey`), without making the index. */
  heldKey(key: string): string | undefined {
    return this.slotsMemo?.heldKey(key);
  }

  /** Run `handler` after `delayMs` under `id` (an id already pending is replaced). */
  schedule<A>(id: string, delayMs: number, handler: EventHandler<A>, arg?: A): boolean {
    if (this.hooks.has('queue_event')) this.hooks.call('queue_event', id, delayMs);
    return this.scheduler.schedule(id, delayMs, handler, arg);
  }

  cancel(id: string): boolean {
    return this.scheduler.cancel(id);
  }

  /** Take a packet_id for a control frame (RNS, NIA). */
  nextPacketId(): number {
    const id = this.packetId;
    this.packetId = (this.packetId + 1) & 0xff;
    return id;
  }

  /** Move the packet_id counter onto an id no receiver may still remember (id-leases.ts); false when all are held. */
  freshPacketId(): boolean {
    const id = this.packetIds.free(this.packetId, this.platform.now());
    if (id >= 0) this.packetId = id;
    return id >= 0;
  }

  /** Move the seq_id counter onto an id no receiver may still remember; false when all are held. */
  freshSeqId(): boolean {
    const id = this.seqIds.free(this.seqId, this.platform.now());
    if (id >= 0) this.seqId = id;
    return id >= 0;
  }

  /** Hold packet_id `id` after one transmission of the message it names. */
  holdPacketId(id: number, timings: Timings = this.timings, heldMs = 0): void {
    // A receiver remembers a delivery for its duplicate window (retryWindowMs); the extra retry
    // delay covers the time the frame spends on its way (on the interface it went: `timings`),
    // after the `heldMs` it waits before leaving (a spread send).
    this.packetIds.hold(id, this.platform.now() + heldMs + retryWindowMs(timings) + timings.sendRetryDelayMs);
  }

  /** Take the seq_id for a new sequence, held as long as its frames may be resent and remembered. */
  nextSeqId(): number {
    const id = this.seqId;
    // The sender keeps a sequence for outboundTtlMs; a receiver remembers a completed one for
    // outboundTtlMs after completion.
    this.seqIds.hold(id, this.platform.now() + 2 * this.timings.outboundTtlMs);
    this.seqId = (this.seqId + 1) & 0xff;
    return id;
  }

  /** A number for the next message `send` accepts; it never wraps in a node's lifetime. */
  nextMessageNumber(): number {
    return ++this.messageNumber;
  }

  /** Traffic asks the modem-sleep cycle to stay awake one more period (upstream's sleepskip). */
  skipSleep(): void {
    if (this.sleepSkips < this.limits.sleepSkips) this.sleepSkips++;
  }

  /** Consume one sleep-skip; false when none is queued (the radio may sleep). */
  takeSleepSkip(): boolean {
    if (this.sleepSkips === 0) return false;
    this.sleepSkips--;
    return true;
  }

  get pendingSleepSkips(): number {
    return this.sleepSkips;
  }

  clearSleepSkips(): void {
    this.sleepSkips = 0;
  }
}
