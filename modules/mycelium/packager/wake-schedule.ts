/**
 * A periodic wake window (docs/sleep.md): the radio listens for `windowMs` at the start of every
 * `periodMs`, from `epoch` (a platform ms at which a window began). Our sleeping nodes share one
 * such schedule with their neighbours, so a sender knows when a sleeper hears it: it holds a
 * frame until the receiver's window instead of probing with RNS. Pure arithmetic, no state.
 */

export interface WakeSchedule {
  /** Platform ms (of the node that holds this copy) at which some window began. */
  readonly epoch: number;
  readonly periodMs: number;
  readonly windowMs: number;
  /**
   * A sleepy leaf's windows as its neighbours record them: the rank of the schedule the leaf
   * follows (schedule-sync.ts `scheduleRank`), so that a router can tell whether the leaf would
   * follow its own (hello-leaves.ts).
   */
  readonly rank?: number;
}

/**
 * Windows are counted in superframes of this many; a sleepy leaf listens only in the first window
 * of each (docs/sleep.md "Sleepy leaves"). Every node of a schedule agrees where a superframe
 * starts: the phase a hello announces is counted from it.
 */
export const SUPERFRAME_WINDOWS = 8;

/**
 * The windows a sleepy leaf listens in: window `slot` (0 ≤ slot < SUPERFRAME_WINDOWS) of every
 * superframe of `s` (docs/sleep.md "Leaves spread over the superframe").
 */
export function leafWindows(s: WakeSchedule, slot = 0): WakeSchedule {
  return { epoch: s.epoch + slot * s.periodMs, periodMs: s.periodMs * SUPERFRAME_WINDOWS, windowMs: s.windowMs };
}

/**
 * The window of the superframe a sleepy leaf listens in, from its node id: the leaves of a
 * router spread over the superframe's windows, so what the routers held for them goes out in
 * eight windows, not all in one. Fixed by the id: no neighbour can move a leaf to another window.
 */
export function leafSlotOf(nodeId: Uint8Array): number {
  return nodeId.length > 0 ? nodeId[nodeId.length - 1] % SUPERFRAME_WINDOWS : 0;
}

/** The bounds a schedule must keep; one heard outside them is not adopted or trusted. */
export const WAKE_LIMITS = Object.freeze({
  minPeriodMs: 60,
  maxPeriodMs: 4000,
  minWindowMs: 20,
  /** The window is at least 1/32 of the period: no neighbour can talk us into near-permanent sleep. */
  minDutyDivisor: 32,
});

/** Whether a schedule heard from a neighbour is one we may follow (bounded duty, sane lengths). */
export function saneSchedule(periodMs: number, windowMs: number): boolean {
  return (
    Number.isInteger(periodMs) &&
    Number.isInteger(windowMs) &&
    periodMs >= WAKE_LIMITS.minPeriodMs &&
    periodMs <= WAKE_LIMITS.maxPeriodMs &&
    windowMs >= WAKE_LIMITS.minWindowMs &&
    windowMs < periodMs &&
    windowMs * WAKE_LIMITS.minDutyDivisor >= periodMs
  );
}

/** Whether `a`'s windows open within half a window of `b`'s (the same cycle): a node on one hears a node on the other. */
export function sameWindows(a: WakeSchedule | undefined, b: WakeSchedule): boolean {
  return a !== undefined && a.periodMs === b.periodMs && Math.abs(signedOffset(b, a.epoch, b.periodMs)) <= b.windowMs / 2;
}

/** How much later than a start of `s`'s frames (every `frameMs` from its epoch) `epoch` falls, in (-frame/2, frame/2]. */
export function signedOffset(s: WakeSchedule, epoch: number, frameMs: number): number {
  let d = (epoch - s.epoch) % frameMs;
  if (d < 0) d += frameMs;
  return d > frameMs / 2 ? d - frameMs : d;
}

/** Ms since the current period began (0 ≤ phase < periodMs). */
export function phaseOf(s: WakeSchedule, t: number): number {
  const p = (t - s.epoch) % s.periodMs;
  return p < 0 ? p + s.periodMs : p;
}

/** True while the window is open at `t` and stays open for at least `guardMs` more. */
export function inWindow(s: WakeSchedule, t: number, guardMs = 0): boolean {
  return phaseOf(s, t) + guardMs < s.windowMs;
}

/** The start of the first window at or after `t`. */
export function nextWindowStart(s: WakeSchedule, t: number): number {
  const phase = phaseOf(s, t);
  return phase === 0 ? t : t + s.periodMs - phase;
}

/** Ms from `t` until a window is open (0 when one is open now with `guardMs` to spare). */
export function msUntilWindow(s: WakeSchedule, t: number, guardMs = 0): number {
  if (inWindow(s, t, guardMs)) return 0;
  return nextWindowStart(s, t + 1) - t;
}
