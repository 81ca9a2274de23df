/**
 * A sleepy leaf's send slot (docs/sleep.md "Session 17"): its broadcasts (hello, tree adverts,
 * Beacon) go in a routing window other than its own listening window. That one window is the only
 * one in which the leaf hears its routers, and 30 leaves' broadcasts there collided with the
 * routers' hellos to them. The routers listen in every window. Pure arithmetic on a schedule.
 */
import { inWindow, leafWindows, msUntilWindow, nextWindowStart, phaseOf, type WakeSchedule } from './wake-schedule.js';

/** The leaf's radio is on this long for the send: carrier sense and a few frames of ESP-NOW airtime (about 1 ms each). */
export const LEAF_SEND_AWAKE_MS = 8;
/** A send slot starts this long at least before its window closes (frames sent late in it are lost). */
const LEAF_SEND_GUARD_MS = 12;

/** Whether `now` is in a send slot of schedule `s`: a routing window not the leaf's own, with time to spare. */
export function inSendSlot(s: WakeSchedule, now: number, own = leafWindows(s)): boolean {
  return inWindow(s, now, LEAF_SEND_AWAKE_MS) && !inWindow(own, now);
}

/**
 * Ms from `now` to a moment when the leaf's routing neighbours listen and it does not (a window
 * of schedule `s` other than the leaf's own), at a point of that window's first part set by
 * `r` (a random byte), so that the leaves sending in the same window spread out.
 */
export function sendSlotMs(s: WakeSchedule, now: number, r: number, own = leafWindows(s)): number {
  let at = now + msUntilWindow(s, now, LEAF_SEND_GUARD_MS);
  // Not in our own listening window (the one our routers' hellos to us use), nor in one that
  // began before now (its start is behind us: pick from the next one).
  if (inWindow(own, at) || phaseOf(s, at) > 0) at = nextWindowStart(s, at + 1);
  if (inWindow(own, at)) at += s.periodMs;
  return at - now + 1 + Math.floor((r / 256) * (s.windowMs - LEAF_SEND_GUARD_MS));
}
