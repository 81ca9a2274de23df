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

/** A stranger's hello `m` heard at `now`: whether our next hello must name us. */
export function heardStranger(peers: readonly Peer[], sleep: ModemSleep | undefined, m: HelloMessage, from: Delivery, now: number): boolean {
  if (servedByRouter(peers, now)) return false;
  const schedule = m.schedule && (m.flags & HelloFlag.LEAF) === 0 && sleep?.aligned ? freshAnnouncement(m.schedule, from.assembledMs) : undefined;
  if (schedule) sleep?.hear(undefined, schedule, false);
  return true;
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
