/**
 * Hellos for sleepy-leaf neighbours (docs/sleep.md "Sleepy leaves", "Session 17"): when a routing
 * node sends the copy of its hello that its leaves hear.
 */
import type { ModemSleep } from '../packager/modem-sleep.js';
import type { Peer } from '../packager/peer.js';
import type { Platform } from '../platform/platform.js';
import { inWindow, msUntilWindow, phaseOf, type WakeSchedule } from '../packager/wake-schedule.js';

/** The pending event of the copy (Hello's event ids). */
export const LEAF_COPY_EVENT = 'hl';
/** A leaf's window counts as inside ours when it opens at least this long before ours closes. */
const LEAF_WINDOW_GUARD_MS = 4;
/** A hello to leaves starts at least this long before the window closes (airtime and carrier sense). */
const LEAF_HELLO_TAIL_MS = 10;

/**
 * With sleepy-leaf neighbours, a copy of the hello (same number, its phase built anew) goes in
 * their window, one in a superframe, unless this one went in it: in how many ms, or undefined
 * for no copy. The hello itself went in whichever of our windows it fell due: sent only in the
 * leaves' window, every routing node's hello landed in that one window in eight, where they
 * collided with each other (hidden terminals two hops apart) and the routers' links to each
 * other, and so the tree among them, fell apart on a lossy radio. Our routing neighbours drop the
 * copy as a repeat (same number); a leaf counts it as the hello.
 */
export function copyForLeavesAt(peers: Iterable<Peer>, sleep: ModemSleep | undefined, platform: Platform): number | undefined {
  const leaves = sleep && !sleep.leaf ? leafWindowsOf(peers, sleep.schedule) : undefined;
  const now = platform.now();
  if (!leaves || inWindow(leaves, now, LEAF_WINDOW_GUARD_MS)) return undefined;
  const r = platform.randomBytes(new Uint8Array(1))[0];
  return msUntilWindow(leaves, now) + 1 + Math.floor((r / 256) * (leaves.windowMs - LEAF_HELLO_TAIL_MS));
}

/**
 * When our sleepy-leaf neighbours listen (they share one superframe), if we have any whose
 * window opens inside ours. A leaf still on another schedule is left out: waiting for its window
 * and then for ours deferred the hello for ever (it never went out: our routing neighbours lost
 * us); it hears none of our hellos, and so listens again to find our schedule (modem-sleep.ts).
 */
function leafWindowsOf(peers: Iterable<Peer>, own: WakeSchedule | undefined): WakeSchedule | undefined {
  for (const p of peers) {
    if (!p.leaf || !p.wakes) continue;
    if (!own) return p.wakes;
    if (!inWindow(own, p.wakes.epoch, LEAF_WINDOW_GUARD_MS)) continue;
    // Our own window that holds the leaf's, one in a superframe: a leaf's recorded phase is
    // late by its hello's delay (several ms in a busy window), and a hello timed on it went out
    // after our routing neighbours' window closed (docs/sleep.md "Session 17").
    return { epoch: p.wakes.epoch - phaseOf(own, p.wakes.epoch), periodMs: p.wakes.periodMs, windowMs: p.wakes.windowMs };
  }
  return undefined;
}
