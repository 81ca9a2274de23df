/**
 * A sleepy leaf that the routing nodes alone do not connect becomes one of them (docs/sleep.md
 * "A leaf that routes when the routers do not connect"), as Thread's router-eligible end devices
 * do when their partition needs a router. Leaves are placed where the user puts the batteries,
 * not where the routers would reach each other: with 10 routing nodes at random among 40 on a
 * lossy radio, the routers formed 6-13 trees and 30 % of the pings arrived.
 *
 * Two signs, each a leaf's alone:
 * - it finds no routing neighbour, but other leaves: two 3.5-s listens heard no router
 *   (leaf-watch.ts `lonely`, decided in modem-sleep.ts);
 * - it keeps hearing a node of another tree than its own (here, fed by apps/hello.ts): a root's
 *   tree grows over its routers in seconds, so a node heard again 10 s later (the first time
 *   after 20 s in our tree; 30 s for a leaf with no router; longer on a longer cycle), still in
 *   another tree whose root still beats, while ours kept its root and that root beats too, and
 *   that no node of ours lists among the neighbours it hears, is in a part of the mesh that our
 *   routers do not reach. A leaf hears another tree's routers in the copies of their hellos
 *   spread over a whole cycle (every fourth hello: apps/hello.ts SPREAD_EVERY), which meet its
 *   window one time in eight, so that long after the first hearing it listens 3.5 s (a survey: a
 *   hello period of every neighbour) to hear that tree again; a survey also hears another tree's
 *   leaves. Two leaves that join two trees both become routing nodes: the second hears the
 *   first's hellos.
 * Once a routing node, it listens in every window and spreads its hellos; the other tree's nodes
 * hear them, the schedules merge, and the better root's tree takes both. Its root claim still
 * loses to any other (tree-host.ts), so no tree is re-rooted at it. It stays a routing node.
 * Pure state: two roots and a few times.
 */
import { prefixEqual } from '../wire/bytes.js';
import { HELLO_ROOT_BYTES, HELLO_SHORT_ID_BYTES, HelloFlag, type HelloMessage } from '../wire/messages/hello.js';

/**
 * Another tree counts only this long into ours: the trees a mesh forms at power-on take a while
 * to merge by themselves (sleepy-leaves-lossy-40 seed 23: its routers in two trees for 50 s).
 * Then a node of that tree heard again FOREIGN_TREE_MS after the first time, both roots
 * unchanged: promote. At the default 200-ms cycle; a longer cycle scales both
 * (FOREIGN_TREE_PERIOD_MS). 30 s and 30 s until session 33 left random leaves over 5 minutes
 * with 58.8 % of their pings (seeds 1-8), 20 s and 10 s give 74.3 % and promoted no leaf of
 * sleepy-leaves-lossy-40 over seeds 1-80; 10 s in our tree promoted 4 over seeds 1-40
 * (docs/sleep.md "Session 33").
 */
export const IN_TREE_MS = 20_000;
export const FOREIGN_TREE_MS = 10_000;
/**
 * The wait for a leaf heard as its own root (it has found no router: a leaf is nobody's parent, so
 * its tree is itself). In a mesh whose routers connect, it is a leaf on a weak link that finds
 * its router in the next minute; where they do not, its only way out is a neighbour that routes.
 * 10 s promoted 3 leaves of sleepy-leaves-lossy-40 over seeds 1-80 (none with this); ignoring such
 * leaves left random leaves in 2 or 3 trees for good on 4 of 8 seeds.
 */
export const LONE_LEAF_MS = 30_000;
/**
 * The cycle FOREIGN_TREE_MS is for. Trees form and merge by hellos held for windows: on a 500-ms
 * cycle, half a minute made a leaf survey 27 times on four seeds where a minute made 7.
 */
export const FOREIGN_TREE_PERIOD_MS = 200;
/** Our own root beats: its number advanced within this long (a leaf hears its parent's hello every 1.6-3 s). */
export const OWN_BEAT_MS = 15_000;

export class LeafPromotion {
  /** The waits for our cycle (the ratio of its period to FOREIGN_TREE_PERIOD_MS, at least 1). */
  readonly #scale: number;
  /** The other tree's root (its first 8 bytes) when first heard; undefined: none. */
  #foreign: Uint8Array | undefined;
  #since = 0;
  /** How long after `#since` it counts (FOREIGN_TREE_MS, or LONE_LEAF_MS, scaled). */
  #confirmMs = 0;
  /** Who said so (its first 4 id bytes, as heard lists name it). */
  #sender = new Uint8Array(HELLO_SHORT_ID_BYTES);
  /** The heartbeat its hello carried then (rootSeq). */
  #beat = 0;
  /** Our tree's root as last heard, and since when we are in it. */
  #root: Uint8Array | undefined;
  #rootSince = 0;
  /** Our root's last heartbeat number heard, and when it last advanced. */
  #ownBeat = -1;
  #ownBeatAt = -Infinity;
  /** When to listen for the other tree again (confirmDue); 0: not planned. */
  #confirmAt = 0;

  /** `periodMs`: the node's wake cycle (sleep plus window), its routers' in a mesh configured alike. */
  constructor(periodMs = FOREIGN_TREE_PERIOD_MS) {
    this.#scale = Math.max(1, periodMs / FOREIGN_TREE_PERIOD_MS);
  }

  /**
   * A neighbour's hello `m` (from `sender`, its id) heard at `now` by a leaf whose tree's root is
   * `ownRoot` (it has a parent): whether the leaf should become a routing node.
   */
  heard(m: HelloMessage, sender: Uint8Array, ownRoot: Uint8Array, now: number): boolean {
    if (this.#root === undefined || !prefixEqual(this.#root, ownRoot, HELLO_ROOT_BYTES)) {
      this.#root = ownRoot.slice(0, HELLO_ROOT_BYTES);
      this.#rootSince = now;
      this.forget(); // we moved: what we heard of the other tree was against our old one
    }
    // The other tree's node is in ours now, or a node of ours hears it: the routers join the two
    // trees without us (a root's death leaves two live trees side by side for a minute or two).
    if (this.#foreign !== undefined && prefixEqual(m.root, ownRoot, HELLO_ROOT_BYTES) && (prefixEqual(sender, this.#sender, HELLO_SHORT_ID_BYTES) || lists(m, this.#sender))) this.forget();
    // Only trees whose roots beat, ours and theirs: a dead root's tree lingers for its tree age
    // (minutes in modem sleep) beside the one that replaces it, and a leaf in either heard the other.
    if ((m.flags & (HelloFlag.ROOT_LOST | HelloFlag.BEATS)) !== HelloFlag.BEATS || m.depth === 255) return false;
    if (prefixEqual(m.root, ownRoot, HELLO_ROOT_BYTES)) {
      if (m.rootSeq !== this.#ownBeat) this.#ownBeatAt = now;
      this.#ownBeat = m.rootSeq;
      return false;
    }
    if (now - this.#ownBeatAt > OWN_BEAT_MS) return false;
    if (this.#foreign === undefined || !prefixEqual(this.#foreign, m.root, HELLO_ROOT_BYTES)) {
      // Counted from a while in our tree: the trees a mesh forms at power-on can take that long to
      // merge (sleepy-leaves-lossy-40 seed 77: two, heard by one leaf 60 s apart, promoted it
      // before this wait was asked for).
      if (now - this.#rootSince < IN_TREE_MS * this.#scale) return false;
      this.#foreign = m.root.slice(0, HELLO_ROOT_BYTES);
      this.#sender = sender.slice(0, HELLO_SHORT_ID_BYTES);
      this.#since = now;
      this.#beat = m.rootSeq;
      this.#confirmMs = ((m.flags & HelloFlag.LEAF) !== 0 && m.depth === 0 ? LONE_LEAF_MS : FOREIGN_TREE_MS) * this.#scale;
      this.#confirmAt = now + this.#confirmMs;
      return false;
    }
    // Its root beat since (numbers wrap at 16 bits): alive, not a tree that outlived it.
    const beats = (m.rootSeq - this.#beat) & 0xffff;
    return now - this.#since >= this.#confirmMs && beats > 0 && beats < 0x8000;
  }

  private forget(): void {
    this.#foreign = undefined;
    this.#confirmAt = 0;
  }

  /**
   * Whether to survey at `now` to hear the other tree again, its wait after it was first heard
   * (once): its routers' spread hellos meet a leaf's window one time in eight, so the second
   * hearing alone came minutes later; a survey hears a router's hello, or a leaf's, at once.
   */
  confirmDue(now: number): boolean {
    if (this.#confirmAt === 0 || now < this.#confirmAt) return false;
    this.#confirmAt = 0;
    return true;
  }
}

/** Whether hello `m` says its sender hears the node whose id starts with `short`. */
function lists(m: HelloMessage, short: Uint8Array): boolean {
  const heard = m.heard;
  for (let i = 0; i < heard.length; i++) if (prefixEqual(heard[i].shortId, short, HELLO_SHORT_ID_BYTES)) return true;
  return false;
}
