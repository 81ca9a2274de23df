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
 * in the tree changed (root, depth, address, flags), or a neighbour took it as parent (`hurry`).
 *
 * Each hello announces the period to its next one (its interval field, as it always did), so
 * neighbours' link estimates count a slow leaf's missed hellos in its own periods. The price: a dead
 * leaf stops being used by its neighbours after up to 12 of its periods (when its last report of
 * them goes stale), about 2½ minutes at 12 s instead of about one at 3 s; nobody routes *through* a
 * leaf but short paths, and a parent's death is noticed as fast as before. Nothing new goes on air:
 * builds that do not pace read the same field the same way.
 *
 * The state is one number on the Hello app (a field is a 16 B slot on XS, issue 21): bits 0–2 the
 * doublings taken, bit 3 "a neighbour appeared since the last hello", the bits above the
 * signature of what the last hello said of the tree.
 */
import { HelloFlag } from '../wire/messages/hello.js';

/** At most this many doublings (the period is capped by `quiet_interval_ms` long before). */
const MAX_STEPS = 7;
const APPEARED = 8;
const SIGNATURE_SHIFT = 4;

/** What a hello says of the sender's tree, folded to 24 bits: a change of any of it is news. */
export function treeSignature(root: Uint8Array, depth: number, flags: number, tag: number): number {
  let h = 0x811c9dc5; // FNV-1a over the root's first 4 bytes, depth, flags and address tag
  for (let i = 0; i < 4 && i < root.length; i++) h = Math.imul(h ^ root[i], 0x01000193);
  h = Math.imul(h ^ (depth & 0xff), 0x01000193);
  h = Math.imul(h ^ (flags & 0xff), 0x01000193);
  h = Math.imul(h ^ (tag & 0xffff), 0x01000193);
  return (h >>> 8) & 0xffffff;
}

/** The state after a hello: one more doubling when `calm` and the tree is as the last hello said, else none. */
export function nextPace(pace: number, calm: boolean, signature: number): number {
  const same = pace >>> SIGNATURE_SHIFT === signature;
  const steps = calm && same ? Math.min(MAX_STEPS, (pace & MAX_STEPS) + 1) : 0;
  return (signature << SIGNATURE_SHIFT) | (pace & APPEARED) | steps;
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
