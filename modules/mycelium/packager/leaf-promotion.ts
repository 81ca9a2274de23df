/**
 * A sleepy leaf that the routing nodes alone do not connect becomes one of them (docs/sleep.md
 * "A leaf that routes when the routers do not connect"), as Thread's router-eligible end devices
 * do when their partition needs a router. Leaves are placed where the user puts the batteries,
 * not where the routers would reach each other: with 10 routing nodes at random among 40 on a
 * lossy radio, the routers formed 3-7 trees and 24 % of the pings arrived.
 *
 * Two signs, each a leaf's alone:
 * - it finds no routing neighbour at all: two 3.5-s listens heard nobody (leaf-watch.ts
 *   `lonely`, decided in modem-sleep.ts);
 * - it keeps hearing a node of another tree than its own (here, fed by apps/hello.ts): a root's
 *   tree grows over its routers in seconds, so a node heard again a minute later (the first time
 *   after a minute in our tree), still in another tree whose root still beats while ours kept its
 *   root, and that no node of ours lists among the neighbours it hears, is in a part of the mesh
 *   that our routers do not reach. A leaf hears another tree's routers in the copies of their
 *   hellos spread over a whole cycle (every fourth hello: apps/hello.ts SPREAD_EVERY), which meet
 *   its window one time in eight. Another tree's leaves it hears only by listening: when its own
 *   sends have found no way (no address in the destination's tree, no route) for 20 s, after a
 *   minute in the same tree, it listens 3.5 s (a survey: a hello period of every neighbour),
 *   again after 1, 2, 4, 8 minutes while sends fail. Two leaves that join two trees both become
 *   routing nodes: the second hears the first's hellos.
 * Once a routing node, it listens in every window and spreads its hellos; the other tree's nodes
 * hear them, the schedules merge, and the better root's tree takes both. Its root claim still
 * loses to any other (tree-host.ts), so no tree is re-rooted at it. It stays a routing node.
 * Pure state: two roots and a few times.
 */
import { HELLO_ROOT_BYTES, HELLO_SHORT_ID_BYTES, HelloFlag, type HelloMessage } from '../wire/messages/hello.js';

/** A node of another tree heard again this long after the first time, both roots unchanged: promote. */
export const FOREIGN_TREE_MS = 60_000;
/** The first survey's wait after the last; doubled after each, up to SURVEY_MAX_MS. */
export const SURVEY_MIN_MS = 60_000;
export const SURVEY_MAX_MS = 8 * 60_000;
/** Sends that find no way within this long of each other are one run of refusals... */
export const REFUSED_AGAIN_MS = 60_000;
/** ...which asks for a survey once it has lasted this long. */
export const REFUSED_FOR_MS = 20_000;

export class LeafPromotion {
  /** The other tree's root (its first 8 bytes) and ours, when first heard; undefined: none. */
  #foreign: Uint8Array | undefined;
  #own: Uint8Array | undefined;
  #since = 0;
  /** Who said so (its first 4 id bytes, as heard lists name it). */
  #sender = new Uint8Array(HELLO_SHORT_ID_BYTES);
  /** The heartbeat its hello carried then (rootSeq). */
  #beat = 0;
  /** Our tree's root as last heard, and since when we are in it. */
  #root: Uint8Array | undefined;
  #rootSince = 0;
  /** No survey before this time; the wait after the next. */
  #surveyAt = 0;
  #surveyGap = SURVEY_MIN_MS;
  /** When the current run of refusals began. */
  #refusedAt = -Infinity;

  /**
   * A neighbour's hello `m` (from `sender`, its id) heard at `now` by a leaf whose tree's root is
   * `ownRoot` (it has a parent): whether the leaf should become a routing node.
   */
  heard(m: HelloMessage, sender: Uint8Array, ownRoot: Uint8Array, now: number): boolean {
    if (this.#root === undefined || !samePrefix(this.#root, ownRoot)) {
      this.#root = ownRoot.slice(0, HELLO_ROOT_BYTES);
      this.#rootSince = now;
    }
    // A node of our tree hears the other tree's: the routers join the two trees without us (a
    // root's death leaves two live trees side by side for a minute or two while they merge).
    if (this.#foreign !== undefined && samePrefix(m.root, ownRoot) && lists(m, this.#sender)) this.#foreign = undefined;
    // Only a tree whose root beats: a dead root's tree lingers for its tree age (minutes in modem
    // sleep) beside the one that replaces it, and the leaves that joined the new one heard it.
    if ((m.flags & (HelloFlag.ROOT_LOST | HelloFlag.BEATS)) !== HelloFlag.BEATS || m.depth === 255 || samePrefix(m.root, ownRoot)) return false;
    if (this.#foreign === undefined || !samePrefix(this.#foreign, m.root) || !samePrefix(this.#own as Uint8Array, ownRoot)) {
      // Counted from a minute in our tree: the trees a mesh forms at power-on can take that long
      // to merge (sleepy-leaves-lossy-40 seed 77: two, heard by one leaf 60 s apart).
      if (now - this.#rootSince < FOREIGN_TREE_MS) return false;
      this.#foreign = m.root.slice(0, HELLO_ROOT_BYTES);
      this.#sender = sender.slice(0, HELLO_SHORT_ID_BYTES);
      this.#own = this.#root;
      this.#since = now;
      this.#beat = m.rootSeq;
      return false;
    }
    // Its root beat since (numbers wrap at 16 bits): alive, not a tree that outlived it.
    const beats = (m.rootSeq - this.#beat) & 0xffff;
    return now - this.#since >= FOREIGN_TREE_MS && beats > 0 && beats < 0x8000;
  }

  /**
   * Our own send found no way at `now`: whether to survey. Only when sends have kept failing for
   * 20 s (refusals within a minute of each other; a few in a row are mostly a tree that just
   * changed: sleepy-leaves-lossy-40 has about one such run in 25 seeds, and a survey is 1.2 % of a
   * 5-minute run's radio time), after a minute in our tree, and not too soon after the last.
   */
  surveyDue(now: number): boolean {
    if (now - this.#refusedAt > REFUSED_AGAIN_MS) this.#refusedAt = now; // a new run of refusals
    if (now - this.#refusedAt < REFUSED_FOR_MS || this.#root === undefined || now - this.#rootSince < FOREIGN_TREE_MS || now < this.#surveyAt) return false;
    this.#surveyAt = now + this.#surveyGap;
    this.#surveyGap = Math.min(SURVEY_MAX_MS, this.#surveyGap * 2);
    return true;
  }
}

/** Whether hello `m` says its sender hears the node whose id starts with `short`. */
function lists(m: HelloMessage, short: Uint8Array): boolean {
  const heard = m.heard;
  for (let i = 0; i < heard.length; i++) {
    const e = heard[i].shortId;
    if (e[0] === short[0] && e[1] === short[1] && e[2] === short[2] && e[3] === short[3]) return true;
  }
  return false;
}

function samePrefix(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < HELLO_ROOT_BYTES; i++) if (a[i] !== b[i]) return false;
  return true;
}
