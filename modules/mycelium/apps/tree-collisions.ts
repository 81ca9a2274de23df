/**
 * Two trees with one tree state (docs/routing.md "Any diameter", "Tree-state collisions"). A tree
 * state is one byte, upstream's CRC of the root's id, so of k trees some pair shares one with a
 * chance of about 1 − e^(−k(k−1)/512): half for 19 trees. Two such trees look like one: no border
 * is seen between them, their addresses clash, and packets for one end in the other.
 *
 * Where the two trees meet, a node of the worse root's tree hears a neighbour's claim for another
 * root with our tree state and a better score, which it cannot join (the better tree is full
 * there: it would have joined it otherwise). Once that has held COLLISION_SETTLE_MS, it floods a
 * step-aside notice naming both roots on the border topic (65 bytes, magic 0xb2; upstream nodes
 * and older builds of ours only relay it). The worse root, and only it, steps aside: its own claim
 * scores the worst for STEP_ASIDE_MS (as a sleepy leaf's does), it gives its root up as if lost
 * (its tree hears the poison and elects the next best root, whose tree state is another byte)
 * and, while it is still its own root, it says nothing of its tree (no SEND, RESPOND or ASSIGN,
 * no heartbeat) and joins the first tree it can. Only the worse side acts, so the better tree,
 * usually the mesh's main one, never moves. Trickle's suppression (k = 1): a node that heard a
 * notice for its root stays quiet for NOTICE_REPEAT_MS, so a collision of any length costs about
 * one flood; it is repeated that often while the collision lasts (a root that cannot step aside:
 * an upstream node).
 *
 * An attacker's notice can only make a root step aside for a claim that scores better under the
 * tree's own rules: in signed mode with pinned roots an unpinned claim scores the worst, with
 * proof of work it costs the work (docs/security.md).
 */
import { bytesEqual, compareBytes, toHex } from '../wire/bytes.js';
import { claimScore } from '../wire/ids.js';

export const STEP_ASIDE_MAGIC = 0xb2;
const NOTICE_BYTES = 1 + 32 + 32;
/** A collision must have held this long before it is announced (a tree still forming joins the better one first). */
export const COLLISION_SETTLE_MS = 30_000;
/** Longest random delay added to the first notice, so that the nodes along a collision spread out. */
export const COLLISION_SPREAD_MS = 20_000;
/** A node quiet after a notice for its root (heard or sent), and the repeat while the collision lasts. */
export const NOTICE_REPEAT_MS = 600_000;
/** How long a root that stepped aside keeps its own claim the worst. */
export const STEP_ASIDE_MS = 1_800_000;
/** Bytes of a root's id a border advert names its tree's root by (as a hello does). */
export const ROOT_TAG_BYTES = 8;
/** A notice from a root that stepped aside for one it knows by a border advert's tag only. */
const TAGGED_NOTICE_BYTES = 1 + 32 + ROOT_TAG_BYTES;
/**
 * How long, once elsewhere, a node goes on forgetting the collided tree state's addresses at each
 * check: its neighbours drop their own at their next check, and until then their hellos and
 * adverts may teach them to us again.
 */
export const FORGET_MS = 60_000;

export interface StepAsideNotice {
  /** The root that must step aside (the worse claim of the two). */
  readonly worse: Uint8Array;
  /** The better root with the same tree state: its id, or its first ROOT_TAG_BYTES (from a border advert). */
  readonly better: Uint8Array;
}

export function serializeStepAside(n: StepAsideNotice): Uint8Array {
  const tagged = n.better.length < 32;
  const out = new Uint8Array(tagged ? TAGGED_NOTICE_BYTES : NOTICE_BYTES);
  out[0] = STEP_ASIDE_MAGIC;
  out.set(n.worse.subarray(0, 32), 1);
  out.set(n.better.subarray(0, tagged ? ROOT_TAG_BYTES : 32), 33);
  return out;
}

/** A notice, or undefined for any other blob (a border advert, garbage). */
export function parseStepAside(blob: Uint8Array): StepAsideNotice | undefined {
  if (!(blob instanceof Uint8Array) || (blob.length !== NOTICE_BYTES && blob.length !== TAGGED_NOTICE_BYTES) || blob[0] !== STEP_ASIDE_MAGIC) return undefined;
  const worse = blob.slice(1, 33);
  const better = blob.slice(33);
  return bytesEqual(worse.subarray(0, better.length), better) ? undefined : { worse, better };
}

/** The root tagged `tag` (an id's first bytes) scores better than `root` by upstream's claim score, as far as the tags tell. */
export function tagBeats(tag: Uint8Array, root: Uint8Array): boolean {
  return compareBytes(claimScore(tag).subarray(0, ROOT_TAG_BYTES), claimScore(root.subarray(0, ROOT_TAG_BYTES)).subarray(0, ROOT_TAG_BYTES)) < 0;
}

/** One collision of our root's tree, as this node sees it (one at a time: our root has one tree state). */
interface Seen {
  /** Our root's id prefix (hex) when it was found: a new root starts over. */
  readonly root: string;
  readonly better: Uint8Array;
  /** Not announced before this (settle, spread, or a notice heard or sent). */
  due: number;
}

/** When to announce a collision of our root's tree (see the top of this file). */
export class CollisionWatch {
  #seen: Seen | undefined;
  /** A notice for this root (hex prefix) was heard until then: quiet. */
  #heard: { root: string; until: number } | undefined;
  /**
   * A root (hex prefix) of a tree state must step aside: once we are not in its tree, what we hold
   * in this tree state from its tree goes (the better tree hands out the same addresses: a packet
   * for one of them must not end at, or be drawn toward, a node of the worse). Upstream keeps a
   * node's previous address until a third replaces it.
   */
  #leaving: { root: string; treeState: number; until?: number } | undefined;

  /**
   * A border check found `better` (undefined: none) colliding with `root`, ours. Returns the
   * notice to flood now, if any; `random` draws the spread (only for a collision newly seen).
   */
  check(root: Uint8Array, better: Uint8Array | undefined, now: number, random: { randomByte(): number }): StepAsideNotice | undefined {
    if (!better) {
      this.#seen = undefined;
      return undefined;
    }
    const key = toHex(root.subarray(0, ROOT_TAG_BYTES));
    const s = this.#seen;
    if (!s || s.root !== key || !bytesEqual(s.better, better)) {
      this.#seen = { root: key, better, due: now + COLLISION_SETTLE_MS + Math.floor((random.randomByte() / 256) * COLLISION_SPREAD_MS) };
      return undefined;
    }
    const h = this.#heard;
    if (h && h.root === key && now < h.until) s.due = Math.max(s.due, h.until);
    if (now < s.due) return undefined;
    s.due = now + NOTICE_REPEAT_MS;
    return { worse: root, better };
  }

  /**
   * Root `worse` (its id, or its first bytes) of tree state `treeState` must step aside (we told
   * it, heard it told, or saw it and a better root of that tree state in border adverts).
   */
  leave(worse: Uint8Array, treeState: number): void {
    this.#leaving = { root: toHex(worse.subarray(0, ROOT_TAG_BYTES)), treeState };
  }

  /**
   * What we must forget now that our newest address is `current` under `root`, if anything (asked
   * once a check, for FORGET_MS from the first time): the worse root's tree state, and its id's
   * first bytes (hex). Nothing while we are still in the worse tree.
   */
  dropNow(root: Uint8Array, current: { readonly treeState: number }, now: number): { readonly treeState: number; readonly root: string } | undefined {
    const l = this.#leaving;
    if (!l || (current.treeState === l.treeState && l.root === toHex(root.subarray(0, ROOT_TAG_BYTES)))) return undefined;
    l.until ??= now + FORGET_MS;
    if (now < l.until) return l;
    this.#leaving = undefined;
    return undefined;
  }

  /** A notice for `worse` went by: a node of its tree stays quiet for NOTICE_REPEAT_MS. */
  heard(worse: Uint8Array, now: number): void {
    this.#heard = { root: toHex(worse.subarray(0, ROOT_TAG_BYTES)), until: now + NOTICE_REPEAT_MS };
  }
}
