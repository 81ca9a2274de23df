/**
 * Hellos for sleepy-leaf neighbours (docs/sleep.md "Sleepy leaves", "Session 17"): when a routing
 * node sends the copy of its hello that its leaves hear.
 */
import type { ModemSleep } from '../packager/modem-sleep.js';
import type { Peer } from '../packager/peer.js';
import type { Packager } from '../packager/packager.js';
import type { Platform } from '../platform/platform.js';
import { inWindow, msUntilWindow, phaseOf, type WakeSchedule } from '../packager/wake-schedule.js';

/** The pending event of the copy (Hello's event ids). */
export const LEAF_COPY_EVENT = 'hl';
/** The pending event of the copy for a leaf left on an older schedule. */
export const LEAF_BEHIND_EVENT = 'hb';
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

/**
 * A copy for a leaf left behind: its window is not inside ours, because we moved to a better
 * schedule since it last heard us (the mesh's schedules merging), and it would follow ours on
 * hearing it. In how many ms (at its window; we wake for it), or undefined when no leaf is so.
 * Without it the leaf heard none of our hellos, and after 12 s of silence listened in every window
 * of the old schedule (640 ms), then continuously (up to 3.5 s) to find ours: most of the radio
 * time of the leaves over 5 % on `sleepy-leaves-lossy-40` (docs/sleep.md "Session 22"). A leaf on
 * a schedule it would not leave for ours (a better one, from other routers) gets none: what this
 * costs us is bounded by the leaves that will follow, one wake per hello. One leaf per hello,
 * drawn at random, so that leaves behind in different windows all get their turn.
 */
export function copyForBehindLeafAt(peers: Iterable<Peer>, sleep: ModemSleep | undefined, platform: Platform): number | undefined {
  if (!sleep || sleep.leaf) return undefined;
  const own = sleep.schedule;
  let chosen: WakeSchedule | undefined;
  let seen = 0;
  for (const p of peers) {
    const w = p.wakes;
    if (!p.leaf || w?.rank === undefined || inWindow(own, w.epoch, LEAF_WINDOW_GUARD_MS) || !sleep.leads(w.rank)) continue;
    // Reservoir sampling: the k-th such leaf replaces the choice with probability 1/k.
    if (platform.randomBytes(new Uint8Array(1))[0] < 256 / ++seen) chosen = w;
  }
  if (!chosen) return undefined;
  const r = platform.randomBytes(new Uint8Array(1))[0];
  return msUntilWindow(chosen, platform.now()) + 1 + Math.floor((r / 256) * (chosen.windowMs - LEAF_HELLO_TAIL_MS));
}

/**
 * After a hello: its copy in the window of the leaves that share ours, and one in the window of a
 * leaf left behind (waking for it). `send` sends the hello again (its phase built anew).
 */
export function scheduleLeafCopies(packager: Packager, sleep: ModemSleep, eventId: (suffix: string) => string, send: () => void): void {
  const copyAt = copyForLeavesAt(packager.peers, sleep, packager.platform);
  if (copyAt !== undefined) packager.schedule(eventId(LEAF_COPY_EVENT), copyAt, send);
  const behindAt = copyForBehindLeafAt(packager.peers, sleep, packager.platform);
  if (behindAt === undefined) return;
  packager.schedule(eventId(LEAF_BEHIND_EVENT), behindAt, () => {
    sleep.keepAwakeUntil(packager.platform.now() + LEAF_HELLO_TAIL_MS);
    send();
  });
}

/**
 * The routing neighbour a sleepy leaf asks to answer when its routers went quiet (leaf-watch.ts):
 * the one it heard last, of those whose windows it knows (the question waits for them).
 */
export function routerToAsk(peers: Iterable<Peer>): Peer | undefined {
  let best: Peer | undefined;
  for (const p of peers) if (p.link && !p.leaf && p.wakes && (!best || p.lastRx > best.lastRx)) best = p;
  return best;
}
