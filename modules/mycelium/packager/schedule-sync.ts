/**
 * Which wake schedule a sleeping node follows (docs/sleep.md "Aligned windows"): its own until it
 * hears a better one in a neighbour's hello. Better = started by a node with a smaller id (the
 * first 4 bytes), or the same source fewer hops away (that neighbour is nearer the clock, so its
 * phase drifted less). Every node in a connected mesh ends on the schedule of its smallest-id
 * sleeper, as S-MAC's virtual clusters merge: one window for all, so one broadcast reaches every
 * sleeping neighbour and a relay finds its next hop awake.
 */
import { SUPERFRAME_WINDOWS, leafWindows, saneSchedule, phaseOf, signedOffset, type WakeSchedule } from './wake-schedule.js';

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

/**
 * The announcement of a hello that arrived in fragments, if they came close enough together for
 * its phase to hold: one fragment lost and sent again on request, or one of an older hello with
 * the same sequence id, made the phase seconds old, and so a window or more off (session 18:
 * 80 of 96 phases a window off on `sleepy-leaves-lossy-40` seed 1). Taken as heard, it moved
 * routers and leaves to another window of the superframe, where a leaf then heard nothing and
 * listened again. Within half a window the delay is the noise `filteredSchedule` and
 * `ScheduleSync.hear` already absorb.
 */
export function freshAnnouncement(a: ScheduleAnnouncement, assembledMs: number | undefined): ScheduleAnnouncement | undefined {
  return assembledMs === undefined || assembledMs <= a.windowMs / 2 ? a : undefined;
}

/**
 * A schedule's source (its first 4 bytes) and hops as one number, lower ranking better: a node
 * follows a neighbour's schedule whose rank, one hop further, is at most its own (`hear`).
 */
export function scheduleRank(a: Pick<ScheduleAnnouncement, 'source' | 'hops'>): number {
  const s = a.source;
  return (s[0] * 0x1000000 + (s[1] << 16) + (s[2] << 8) + s[3]) * 256 + Math.min(255, a.hops);
}

/** A phase difference below this is drift noise, not worth re-aligning for. */
const DRIFT_TOLERANCE_MS = 2;
/**
 * A hello's phase is taken at reception, so every delay between building it and hearing it
 * (transmit queue, carrier sense, airtime: several ms in a busy window on a lossy radio) makes
 * the sender's windows look later than they are, never earlier. Taking each sample as heard made
 * the schedule creep later hop by hop (19 ms across a 40-node mesh on a lossy radio, half a
 * window: neighbours missed each other's broadcasts and unicasts, and drift corrections spread
 * hellos that kept radios on). So an earlier-looking phase (a less delayed sample) is taken at
 * once and a later-looking one only slowly: our own schedule moves later by the least late of
 * LATER_SAMPLES hellos in a row; a neighbour's recorded windows (one number a peer) this share
 * of the way. Delay noise does not accumulate, and a real clock drift (a steady offset) still
 * wins within a few hellos.
 */
const LATER_SHARE = 0.125;
/** Hellos in a row whose phase must look later than ours before we move later (by the least). */
const LATER_SAMPLES = 4;
/** A shift of our schedule larger than this is a change the neighbours must hear (a spread hello). */
const CHANGE_MS = 4;

/**
 * Where a node's windows begin, filtered against a previous estimate of the same schedule:
 * `heard` taken at once when it is earlier than `prev` (a less delayed sample), an eighth of the
 * way when later by up to half a window (delay noise only makes phases look later; a larger step
 * is a real move: the node changed schedule). Any other schedule (other period or window, or none
 * before): `heard` as it is.
 */
export function filteredSchedule(prev: WakeSchedule | undefined, heard: WakeSchedule, frameMs: number): WakeSchedule {
  if (!prev || prev.periodMs !== heard.periodMs || prev.windowMs !== heard.windowMs) return heard;
  const later = signedOffset(prev, heard.epoch, frameMs);
  if (later <= 0 || later > heard.windowMs / 2) return heard;
  return { epoch: prev.epoch + later * LATER_SHARE, periodMs: prev.periodMs, windowMs: prev.windowMs };
}

/** Whose schedule a node follows on hearing a neighbour's (ScheduleSync.hear). */
export type ScheduleFollow = 'rank' | 'parent' | 'none';

export class ScheduleSync {
  #schedule: WakeSchedule;
  #source: Uint8Array;
  #hops = 0;
  /** Later-looking phases heard in a row from the same source and hops, and the least late of them. */
  #lateSamples = 0;
  #lateMin = Infinity;
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

  /** Whether a node on a schedule of `rank` would follow ours on hearing it (one hop further). */
  leads(rank: number): boolean {
    return scheduleRank({ source: this.#source, hops: this.#hops + 1 }) <= rank;
  }

  /** Restart from our own schedule (the node started again). */
  reset(ownId: Uint8Array, schedule: WakeSchedule): void {
    this.#source = ownId.slice(0, SOURCE_BYTES);
    this.#schedule = schedule;
    this.#hops = 0;
    this.#changed = false;
    this.#clearLate();
  }

  /** `slot`: a sleepy leaf's window in the superframe; its phase counts from that window, where its neighbours hold its frames. */
  announce(now: number, slot = 0): ScheduleAnnouncement {
    const s = this.#schedule;
    return { phaseMs: phaseOf(leafWindows(s, slot), now), periodMs: s.periodMs, windowMs: s.windowMs, hops: this.#hops, source: this.#source };
  }

  /**
   * A neighbour's announcement heard at `now`: its schedule in our clock, if sane (else
   * undefined), and whether we adopted it (then the caller re-times the radio). `follow`: by
   * rank (routing nodes, and a leaf without a parent); `parent`, a leaf's parent, whose windows
   * the leaf keeps whatever their rank; `none`, another neighbour of a leaf with a parent.
   */
  hear(a: ScheduleAnnouncement, now: number, follow: ScheduleFollow = 'rank'): { schedule: WakeSchedule | undefined; adopted: boolean } {
    const schedule = scheduleHeard(a, now);
    if (!schedule || follow === 'none') return { schedule, adopted: false };
    const order = compare(a.source, this.#source);
    const hops = Math.min(255, a.hops + 1);
    const frame = a.periodMs * SUPERFRAME_WINDOWS;
    const sameCycle = a.periodMs === this.#schedule.periodMs && a.windowMs === this.#schedule.windowMs;
    const offset = signedOffset(this.#schedule, schedule.epoch, frame);
    // A leaf's parent: its phase as the one-hop-nearer neighbour's below, whatever its hops. Two
    // routers the same hops from the source can hold phases tens of ms apart (they came down
    // different paths); a leaf that took its schedule from the one it no longer hears kept it
    // beside its parent's, their windows overlapping 9 ms of 40, and lost its tree for minutes
    // (docs/sleep.md, session 29). A leaf sets no one's schedule, so following its parent spreads
    // nothing; another source or cycle is taken as heard (the parent leads: its rank decides).
    const moved = !sameCycle || Math.abs(offset) > DRIFT_TOLERANCE_MS;
    if (follow === 'parent' && order === 0 && sameCycle) this.#hops = hops;
    else if (follow === 'parent') return this.adopt(a, schedule, hops, moved);
    // A smaller source, or the same source nearer: take it as heard.
    else if (order < 0 || (order === 0 && hops < this.#hops)) return this.adopt(a, schedule, hops, moved);
    // The same source from a neighbour one hop nearer it (`hops` equal to ours): correct our drift
    // from its phase, against delay noise (which only makes phases look later): an earlier phase
    // is taken at once, a later one only when the least late of LATER_SAMPLES hellos in a row
    // still is (a real drift of our clock, not a delayed hello). Also a phase later by over half a
    // window: two such neighbours whose phases came down different paths can differ by that much,
    // and taking the later at once had a router swing 27 ms (of a 40-ms window) each time it
    // heard the other, its leaves' copies with it (docs/sleep.md, session 23).
    else if (order !== 0 || hops !== this.#hops || hops === 0) return { schedule, adopted: false };
    if (sameCycle && offset > DRIFT_TOLERANCE_MS) {
      this.#lateMin = Math.min(this.#lateMin, offset);
      if (++this.#lateSamples < LATER_SAMPLES) return { schedule, adopted: false };
      const shift = this.#lateMin;
      this.#clearLate();
      this.#schedule = { ...this.#schedule, epoch: this.#schedule.epoch + shift };
    } else {
      this.#clearLate();
      if (sameCycle && offset >= -DRIFT_TOLERANCE_MS && offset <= DRIFT_TOLERANCE_MS) return { schedule, adopted: false };
      this.#schedule = schedule;
    }
    if (!sameCycle || Math.abs(offset) > CHANGE_MS) this.#changed = true;
    this.adoptions++;
    return { schedule, adopted: true };
  }

  /** Take `a`'s schedule as heard (`moved`: a change the neighbours and the radio must hear of). */
  private adopt(a: ScheduleAnnouncement, schedule: WakeSchedule, hops: number, moved: boolean): { schedule: WakeSchedule; adopted: boolean } {
    this.#schedule = schedule;
    this.#source = a.source.slice();
    this.#hops = hops;
    this.#clearLate();
    if (moved) {
      this.#changed = true;
      this.adoptions++;
    }
    return { schedule, adopted: moved };
  }

  #clearLate(): void {
    this.#lateSamples = 0;
    this.#lateMin = Infinity;
  }

  /** Our neighbours must hear of our schedule (a leaf became a routing node): the next hello reaches every phase. */
  markChanged(): void {
    this.#changed = true;
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
