/**
 * Which wake schedule a sleeping node follows (docs/sleep.md "Aligned windows"): its own until it
 * hears a better one in a neighbour's hello. Better = started by a node with a smaller id (the
 * first 4 bytes), or the same source fewer hops away (that neighbour is nearer the clock, so its
 * phase drifted less). Every node in a connected mesh ends on the schedule of its smallest-id
 * sleeper, as S-MAC's virtual clusters merge: one window for all, so one broadcast reaches every
 * sleeping neighbour and a relay finds its next hop awake.
 */
import { SUPERFRAME_WINDOWS, leafWindows, saneSchedule, phaseOf, type WakeSchedule } from './wake-schedule.js';

export const SOURCE_BYTES = 4;

/** What a sleeper announces in its hello (wire/messages/hello.ts, flag SCHEDULE). */
export interface ScheduleAnnouncement {
  /** Ms since the sender's current superframe began (wake-schedule.ts), when the hello was built. */
  readonly phaseMs: number;
  readonly periodMs: number;
  readonly windowMs: number;
  /** Hops from the node whose schedule this is (0: the sender's own). */
  readonly hops: number;
  /** The first 4 bytes of that node's id. */
  readonly source: Uint8Array;
}

/** A neighbour's announced schedule in our clock, heard at `now`; undefined when not sane. */
export function scheduleHeard(a: ScheduleAnnouncement, now: number): WakeSchedule | undefined {
  if (!saneSchedule(a.periodMs, a.windowMs) || a.phaseMs >= a.periodMs * SUPERFRAME_WINDOWS || a.source.length !== SOURCE_BYTES) return undefined;
  return { epoch: now - a.phaseMs, periodMs: a.periodMs, windowMs: a.windowMs };
}

/** A phase difference below this is drift noise, not worth re-aligning for. */
const DRIFT_TOLERANCE_MS = 2;

export class ScheduleSync {
  #schedule: WakeSchedule;
  #source: Uint8Array;
  #hops = 0;
  /** Set when we adopted another schedule, until the neighbours were told (a spread hello). */
  #changed = false;
  adoptions = 0;

  constructor(ownId: Uint8Array, schedule: WakeSchedule) {
    this.#source = ownId.slice(0, SOURCE_BYTES);
    this.#schedule = schedule;
  }

  get schedule(): WakeSchedule {
    return this.#schedule;
  }

  get hops(): number {
    return this.#hops;
  }

  /** Restart from our own schedule (the node started again). */
  reset(ownId: Uint8Array, schedule: WakeSchedule): void {
    this.#source = ownId.slice(0, SOURCE_BYTES);
    this.#schedule = schedule;
    this.#hops = 0;
    this.#changed = false;
  }

  announce(now: number): ScheduleAnnouncement {
    const s = this.#schedule;
    return { phaseMs: phaseOf(leafWindows(s), now), periodMs: s.periodMs, windowMs: s.windowMs, hops: this.#hops, source: this.#source };
  }

  /**
   * A neighbour's announcement heard at `now`: its schedule in our clock, if sane (else
   * undefined), and whether we adopted it (then the caller re-times the radio).
   */
  hear(a: ScheduleAnnouncement, now: number): { schedule: WakeSchedule | undefined; adopted: boolean } {
    const schedule = scheduleHeard(a, now);
    if (!schedule) return { schedule: undefined, adopted: false };
    const order = compare(a.source, this.#source);
    const hops = Math.min(255, a.hops + 1);
    const frame = a.periodMs * SUPERFRAME_WINDOWS;
    const offset = phaseOf(leafWindows(this.#schedule), schedule.epoch);
    const moved = a.periodMs !== this.#schedule.periodMs || a.windowMs !== this.#schedule.windowMs || Math.min(offset, frame - offset) > DRIFT_TOLERANCE_MS;
    // A smaller source; the same source nearer; or the same source from a neighbour one hop
    // nearer it (`hops` equal to ours) whose phase ours drifted away from.
    const adopt = order < 0 || (order === 0 && (hops < this.#hops || (hops === this.#hops && hops > 0 && moved)));
    if (!adopt) return { schedule, adopted: false };
    this.#schedule = schedule;
    this.#source = a.source.slice();
    this.#hops = hops;
    if (moved) {
      this.#changed = true;
      this.adoptions++;
    }
    return { schedule, adopted: moved };
  }

  /** True once after each change of schedule: the next hello must reach every phase. */
  takeChanged(): boolean {
    const c = this.#changed;
    this.#changed = false;
    return c;
  }
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < SOURCE_BYTES; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
