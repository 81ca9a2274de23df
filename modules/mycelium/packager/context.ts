/**
 * What every part of the Packager shares: the platform, the node's identity and tunables, the
 * counter table, the event hooks, the timed events, the packet/sequence id counters and the
 * modem-sleep skips. One small object handed to each part, so no part holds the whole Packager.
 */
import type { Platform } from '../platform/platform.js';
import { Counters } from './counters.js';
import type { PackagerEvents } from './events.js';
import { Hooks } from './hooks.js';
import type { Limits, Timings } from './options.js';
import { Scheduler } from './scheduler.js';

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
  #sleepSkips = 0;

  constructor(platform: Platform, nodeKey: string, timings: Timings, limits: Limits) {
    this.platform = platform;
    this.nodeKey = nodeKey;
    this.timings = timings;
    this.limits = limits;
    this.hooks = new Hooks<PackagerEvents>(this.counters);
    this.scheduler = new Scheduler(platform, () => platform.now(), this.counters, limits.events);
  }

  /** Run `handler` after `delayMs` under `id` (an id already pending is replaced). */
  schedule(id: string, delayMs: number, handler: () => void): boolean {
    this.hooks.call('queue_event', id, delayMs);
    return this.scheduler.schedule(id, delayMs, handler);
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

  /** Take the seq_id for a new sequence. */
  nextSeqId(): number {
    const id = this.seqId;
    this.seqId = (this.seqId + 1) & 0xff;
    return id;
  }

  /** Traffic asks the modem-sleep cycle to stay awake one more period (upstream's sleepskip). */
  skipSleep(): void {
    if (this.#sleepSkips < this.limits.sleepSkips) this.#sleepSkips++;
  }

  /** Consume one sleep-skip; false when none is queued (the radio may sleep). */
  takeSleepSkip(): boolean {
    if (this.#sleepSkips === 0) return false;
    this.#sleepSkips--;
    return true;
  }

  get pendingSleepSkips(): number {
    return this.#sleepSkips;
  }

  clearSleepSkips(): void {
    this.#sleepSkips = 0;
  }
}
