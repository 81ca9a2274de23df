/**
 * Hellos for sleepy-leaf neighbours (docs/sleep.md "Sleepy leaves", "Session 17"): when a routing
 * node sends the copy of its hello that its leaves hear.
 */
import type { ModemSleep } from '../packager/modem-sleep.js';
import type { Peer } from '../packager/peer.js';
import type { Packager } from '../packager/packager.js';
import type { Platform } from '../platform/platform.js';
import { SUPERFRAME_WINDOWS, inWindow, msUntilWindow, phaseOf, signedOffset, type WakeSchedule } from '../packager/wake-schedule.js';

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
 * each of their windows, one in a superframe each (leaves spread over the superframe's windows:
 * wake-schedule.ts `leafSlotOf`), except one this hello went in: in how many ms each, soonest
 * first, none without such leaves. The hello itself went in whichever of our windows it fell
 * due: sent only in the leaves' windows, every routing node's hello landed in the same few
 * windows, where they collided with each other (hidden terminals two hops apart) and the
 * routers' links to each other, and so the tree among them, fell apart on a lossy radio. Our
 * routing neighbours drop a copy as a repeat (same number); a leaf counts it as the hello.
 */
export function copiesForLeavesAt(peers: Iterable<Peer>, sleep: ModemSleep | undefined, platform: Platform): number[] {
  const at: number[] = [];
  if (!sleep || sleep.leaf) return at;
  const now = platform.now();
  const windows = leafWindowsOf(peers, sleep.schedule);
  for (let i = 0; i < windows.length; i++) if (!inWindow(windows[i], now, LEAF_WINDOW_GUARD_MS)) at.push(inLeafWindowMs(windows[i], platform));
  return at.sort((a, b) => a - b);
}

/**
 * The windows our sleepy-leaf neighbours listen in, those that open inside ours, each once (at
 * most a superframe's windows). A leaf still on another schedule is left out: waiting for its
 * window and then for ours deferred the hello for ever (it never went out: our routing
 * neighbours lost us); it hears none of our hellos, and so listens again to find our schedule
 * (modem-sleep.ts).
 */
function leafWindowsOf(peers: Iterable<Peer>, own: WakeSchedule): WakeSchedule[] {
  const found: WakeSchedule[] = [];
  for (const p of peers) {
    if (!p.leaf || !p.wakes || !inWindow(own, p.wakes.epoch, LEAF_WINDOW_GUARD_MS)) continue;
    // Our own window that holds the leaf's, one in a superframe: a leaf's recorded phase is
    // late by its hello's delay (several ms in a busy window), and a hello timed on it went out
    // after our routing neighbours' window closed (docs/sleep.md "Session 17").
    const w = { epoch: p.wakes.epoch - phaseOf(own, p.wakes.epoch), periodMs: p.wakes.periodMs, windowMs: p.wakes.windowMs };
    if (!holdsWindowAt(found, w.epoch, own.periodMs / 2)) found.push(w);
    if (found.length === SUPERFRAME_WINDOWS) break;
  }
  return found;
}

/** Whether one of `found` (a leaf's windows) opens within `near` ms of `epoch`, a superframe apart. */
function holdsWindowAt(found: readonly WakeSchedule[], epoch: number, near: number): boolean {
  for (let i = 0; i < found.length; i++) if (Math.abs(signedOffset(found[i], epoch, found[i].periodMs)) < near) return true;
  return false;
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
  return chosen && inLeafWindowMs(chosen, platform);
}

/** Ms to a random point of the next window of `w` (a leaf's) early enough for a hello. */
function inLeafWindowMs(w: WakeSchedule, platform: Platform): number {
  const r = platform.randomBytes(new Uint8Array(1))[0];
  return msUntilWindow(w, platform.now()) + 1 + Math.floor((r / 256) * (w.windowMs - LEAF_HELLO_TAIL_MS));
}

/**
 * After a hello: its copies in the windows of the leaves that share ours, one after the other
 * (one pending event; the next hello's copies replace what is left), and one in the window of a
 * leaf left behind, or else of a leaf heard as a `stranger` (hello-stranger.ts), waking for it.
 * `send` sends the hello again (its phase built anew).
 */
export function scheduleLeafCopies(packager: Packager, sleep: ModemSleep, eventId: (suffix: string) => string, send: () => void, stranger?: WakeSchedule): void {
  const copiesAt = copiesForLeavesAt(packager.peers, sleep, packager.platform);
  const start = packager.platform.now();
  const next = (i: number): void => {
    if (i >= copiesAt.length) return;
    packager.schedule(eventId(LEAF_COPY_EVENT), copiesAt[i] - (packager.platform.now() - start), () => {
      send();
      next(i + 1);
    });
  };
  next(0);
  const behindAt = copyForBehindLeafAt(packager.peers, sleep, packager.platform) ?? (stranger && inLeafWindowMs(stranger, packager.platform));
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
