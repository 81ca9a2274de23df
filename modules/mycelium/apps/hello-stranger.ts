/**
 * A hello from a stranger (docs/sleep.md, session 23): a neighbour that is not our peer and did not
 * say who it is. Its id rides on every twelfth hello, so when both Beacons were lost (collisions at
 * boot) two neighbours waited for each other's twelfth hello; a sleepy leaf, awake 2.5 % of the
 * time, often missed it for a minute and listened continuously to find a router it already heard.
 *
 * Only a node that no router serves acts on a stranger: with routers around, strangers are mostly
 * far neighbours whose id-carrying frames rarely get through, and answering each cost 8 % more
 * control bytes on sleepy-leaves-lossy-40. Such a node
 * - names itself in its next hello (hello-pace.ts STRANGER), so the stranger makes it a peer, says
 *   a neighbour appeared and names itself in turn;
 * - follows the stranger's wake schedule when it is a routing node's (not a leaf's), as it would a
 *   peer's: that is when the stranger listens and talks, so the named hellos meet.
 * A stranger can set a lonely node's schedule and add 32 bytes to its next hello; a peer's hello
 * can do as much (hellos are not signed), and the schedule stays within saneSchedule's bounds.
 *
 * A served routing node acts on one stranger only (session 34): a routing node on another wake
 * schedule (another source). Two clusters that formed apart, each served and on its own
 * schedule, hear each other only through the copies of a spread hello, and the id rides on none
 * of those (it goes on every twelfth hello, never a spread one): they stayed strangers, and two
 * trees, for good. The served node follows the stranger's schedule when it ranks better, as it
 * would a peer's (schedule-sync.ts); then the two listen together, the id-carrying hellos meet
 * and the trees join. It names nobody (no bytes), and ignores strangers on its own schedule: their
 * phase, heard late through lossy links, moved a served mesh for nothing (30-minute runs: 99.4 →
 * 95.5 % when every stranger's was followed).
 */
import type { Delivery } from '../packager/application.js';
import type { Peer } from '../packager/peer.js';
import type { ModemSleep } from '../packager/modem-sleep.js';
import { freshAnnouncement, scheduleHeard } from '../packager/schedule-sync.js';
import { leafWindows, type WakeSchedule } from '../packager/wake-schedule.js';
import { HelloFlag, type HelloMessage } from '../wire/messages/hello.js';

/** Whether a usable neighbour that routes (not a sleepy leaf) is among `peers`. */
export function servedByRouter(peers: readonly Peer[], now: number): boolean {
  for (let i = 0; i < peers.length; i++) if (peers[i].leaf !== true && peers[i].usable(now)) return true;
  return false;
}

/**
 * A served node leaves another cluster's stranger alone this long after it started: at boot every
 * node is a cluster of its own and Beacons pair most neighbours within seconds, and following
 * strangers then (mostly far neighbours) only stirred the boot (sleep-random-lossy-40 seeds 1–20:
 * 99.7 → 98.7 %). Two clusters still apart after it stay apart without this rule.
 */
export const STRANGER_SETTLE_MS = 30_000;

/**
 * A stranger's hello `m` heard at `now`, `uptimeMs` after we started: whether our next hello must
 * name us. A served routing node names nobody, but once settled follows a routing stranger's
 * schedule from another source when it ranks better (session 34, above).
 */
export function heardStranger(peers: readonly Peer[], sleep: ModemSleep | undefined, m: HelloMessage, from: Delivery, now: number, uptimeMs = Infinity): boolean {
  const served = servedByRouter(peers, now);
  if (served && (sleep?.leaf || uptimeMs < STRANGER_SETTLE_MS || !otherSource(sleep, m))) return false;
  const schedule = m.schedule && (m.flags & HelloFlag.LEAF) === 0 && sleep?.aligned ? freshAnnouncement(m.schedule, from.assembledMs) : undefined;
  if (schedule) sleep?.hear(undefined, schedule, false);
  return !served;
}

/** Whether `m` announces a schedule whose source is not ours: another cluster's. */
function otherSource(sleep: ModemSleep | undefined, m: HelloMessage): boolean {
  if (!sleep?.aligned || !m.schedule) return false;
  const ours = sleep.announce().source;
  for (let i = 0; i < ours.length; i++) if (ours[i] !== m.schedule.source[i]) return true;
  return false;
}

/**
 * A lonely routing node's answer to a sleepy leaf it heard as a stranger: when the leaf listens
 * (its hello's schedule), so that our next hello, which names us, goes there too (hello-leaves.ts).
 * Sent only in our own windows it met the leaf's, one in a superframe, by chance, and the pair
 * waited for the leaf's every-window listen, 15 s or more.
 */
export function strangerLeafWindows(sleep: ModemSleep | undefined, m: HelloMessage, from: Delivery, now: number): WakeSchedule | undefined {
  const a = m.schedule && (m.flags & HelloFlag.LEAF) !== 0 && sleep?.aligned && !sleep.leaf ? freshAnnouncement(m.schedule, from.assembledMs) : undefined;
  const s = a && scheduleHeard(a, now);
  return s && leafWindows(s);
}
