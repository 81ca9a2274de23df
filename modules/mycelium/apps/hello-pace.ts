/**
 * Quiet leaves (docs/routing.md "Quiet leaves"): how often a node nobody depends on says hello.
 *
 * A hello every 3 s is what lets a child notice within seconds that its parent died, and it
 * carries the root's heartbeat down the tree. A node that is nobody's parent carries the heartbeat
 * to nobody and no child watches its silence, yet its hellos were most of a quiet mesh's frames
 * (in a tree over a random mesh most nodes are leaves) and most of what every neighbour spends
 * receiving. So, like Trickle (RFC 6206) for a value that does not change, a leaf doubles its
 * period after every hello that said nothing new, up to `quiet_interval_ms`, and starts again from
 * `interval_ms` at the first news: a neighbour appeared, its "I heard you" list changed, its place
 * in the tree changed (root, depth, address, flags), it relayed a packet for others (it is on
 * someone's path), or a neighbour took it as parent (`hurry`). A node with a neighbour that hears
 * it less than cleanly never slows down: over a lossy link each hello is a measurement.
 *
 * Each hello announces the period to its next one (its interval field, as it always did), so
 * neighbours' link estimates count a slow leaf's missed hellos in its own periods. Counted in
 * those alone its death would take minutes to show, so routing leaves a slowed neighbour alone once
 * it missed 2 of its periods (LinkEstimate.slowAndSilent, in Peer.usable): about as soon as a
 * neighbour at 3 s. A parent's death is noticed as fast as before. Nothing new goes on air:
 * builds that do not pace read the same field the same way.
 *
 * The state is one number on the Hello app (a field is a 16 B slot on XS, issue 21): bits 0–2 the
 * doublings taken, bit 3 "a neighbour appeared since the last hello", bits 4–11 the low byte of
 * our count of packets relayed for others at the last hello, bits 12–27 the signature of what the
 * last hello said of the tree, bit 28 "a stranger's hello was heard since the last hello", bits
 * 29–30 the hellos still to name us after a neighbour rebooted.
 */
import { HelloFlag } from '../wire/messages/hello.js';

/** At most this many doublings (the period is capped by `quiet_interval_ms` long before). */
const MAX_STEPS = 7;
const APPEARED = 8;
/**
 * A hello came from a neighbour that is not our peer and did not say who it is (its Beacon and
 * its id-carrying hellos were lost, or ours to it), while no router serves us (hello-stranger.ts):
 * our next hello carries our id, so that the stranger can make us a peer, say it has a new
 * neighbour, and name itself in its own next hello. Without it both wait for every twelfth
 * hello's id: a sleepy leaf whose boot Beacons collided went 54 s without a router (docs/sleep.md,
 * session 23).
 */
const STRANGER = 1 << 28;
/** Hellos still to carry our id after a neighbour rebooted (bits 29–30). */
const NAMED_SHIFT = 29;
const NAMED_MASK = 3 << NAMED_SHIFT;
/**
 * A neighbour that rebooted knows us no more, and the hello that names us is one broadcast: lost,
 * it heard us as a stranger until our twelfth hello (docs/routing.md "A named hello lost"). So the
 * id rides on this many hellos in a row after a restart (not after a neighbour merely heard again:
 * it still knows us, and on lossy links that comes every minute or so).
 */
export const NAMED_AFTER_RESTART = 3;
const RELAYED_SHIFT = 4;
const SIGNATURE_SHIFT = 12;

/** What a hello says of the sender's tree, folded to 16 bits: a change of any of it is news. */
export function treeSignature(root: Uint8Array, depth: number, flags: number, tag: number): number {
  let h = 0x811c9dc5; // FNV-1a over the root's first 4 bytes, depth, flags and address tag
  for (let i = 0; i < 4 && i < root.length; i++) h = Math.imul(h ^ root[i], 0x01000193);
  h = Math.imul(h ^ (depth & 0xff), 0x01000193);
  h = Math.imul(h ^ (flags & 0xff), 0x01000193);
  h = Math.imul(h ^ (tag & 0xffff), 0x01000193);
  return (h >>> 16) ^ (h & 0xffff);
}

/**
 * The state after a hello: one more doubling when `calm`, the tree is as the last hello said and
 * we relayed nothing for others since (`relayed`: our count of relayed packets), else none. A node
 * that relays is on someone's path (a short path, a greedy hop across branches): its neighbours
 * must notice its death as fast as a parent's, so it keeps the normal pace.
 */
export function nextPace(pace: number, calm: boolean, signature: number, relayed = 0): number {
  const same = ((pace >>> SIGNATURE_SHIFT) & 0xffff) === signature && ((pace >>> RELAYED_SHIFT) & 0xff) === (relayed & 0xff);
  const steps = calm && same ? Math.min(MAX_STEPS, (pace & MAX_STEPS) + 1) : 0;
  return (signature << SIGNATURE_SHIFT) | ((relayed & 0xff) << RELAYED_SHIFT) | (pace & (APPEARED | STRANGER | NAMED_MASK)) | steps;
}

/** The state with no doublings (news from outside a hello: a neighbour took us as parent). */
export function resetPace(pace: number): number {
  return pace & ~MAX_STEPS;
}

/** A neighbour appeared since our last hello (news: our next one says so, with the list and our id). */
export function neighbourAppeared(pace: number): boolean {
  return (pace & APPEARED) !== 0;
}

export function withAppeared(pace: number, appeared: boolean): number {
  return appeared ? pace | APPEARED : pace & ~APPEARED;
}

/** A stranger's hello was heard since our last hello: the next one carries our id. */
export function strangerHeard(pace: number): boolean {
  return (pace & STRANGER) !== 0;
}

export function withStranger(pace: number, heard: boolean): number {
  return heard ? pace | STRANGER : pace & ~STRANGER;
}

/** A neighbour rebooted: it appeared, and our next NAMED_AFTER_RESTART hellos name us. */
export function withRestart(pace: number): number {
  return (pace & ~NAMED_MASK) | APPEARED | (NAMED_AFTER_RESTART << NAMED_SHIFT);
}

/** The state after a hello went out: one hello fewer to name us. */
export function afterNamed(pace: number): number {
  const left = (pace & NAMED_MASK) >>> NAMED_SHIFT;
  return left === 0 ? pace : (pace & ~NAMED_MASK) | ((left - 1) << NAMED_SHIFT);
}

/** Whether this hello carries our id because a neighbour rebooted lately (withRestart). */
export function namedAgain(pace: number): boolean {
  return (pace & NAMED_MASK) !== 0;
}

/** Doublings taken. */
export function paceSteps(pace: number): number {
  return pace & MAX_STEPS;
}

/** The period to the next hello: `base` doubled per step, never past `quiet` (nor below `base`). */
export function pacedPeriod(pace: number, base: number, quiet: number): number {
  const steps = pace & MAX_STEPS;
  return steps === 0 || quiet <= base ? base : Math.min(quiet, base * 2 ** steps);
}

/** Flags that are news in themselves: a poisoned root must spread at the normal pace. */
export const URGENT_FLAGS = HelloFlag.ROOT_LOST;
