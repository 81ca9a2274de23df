/**
 * A busy window stays open a little longer (T-MAC's adaptive listen, after S-MAC): a node that
 * hears a frame while awake listens on for WINDOW_TAIL_MS past it, up to one more window length.
 * Every neighbour queues what it held for the window's start, so in a busy neighbourhood carrier
 * sense and link-layer retries push frames past the window's end, where their receivers slept:
 * on `sleep-random-lossy-40` with a 500-ms period (sleepMs 460) 1,228 unicasts met a sleeping
 * receiver 0-20 ms after its window closed (seed 1), the tree kept failing and 63 % of pings
 * arrived (docs/sleep.md, session 29). Neighbours that hear the traffic stay on while it lasts;
 * a quiet window closes on time.
 */
import { phaseOf, type WakeSchedule } from './wake-schedule.js';

/** Listen this long after a frame heard near or past the window's end. */
export const WINDOW_TAIL_MS = 20;

/** Until when to stay awake after a frame heard at `now` on schedule `s`; undefined: no need (or no more room). */
export function windowTail(s: WakeSchedule, now: number): number | undefined {
  const phase = phaseOf(s, now);
  const end = now - phase + s.windowMs; // the window's end (past, in the tail)
  const until = Math.min(now + WINDOW_TAIL_MS, end + s.windowMs);
  return until > end && until > now ? until : undefined;
}
