/**
 * The root's heartbeat as one node sees it (docs/routing.md "Fast tree repair"), and the roots
 * it knows to be dead. A root that runs Hello numbers its hellos (rootSeq); every node carries
 * the highest number it has heard for its root in its own hellos, so the number spreads down the
 * tree. Numbers only move forward (serial arithmetic on 16 bits, RFC 1982), like Babel's seqnos:
 * a claim for a root we declared dead is refused unless it carries a number clearly newer than
 * the last one we heard, so stale claims cannot pull the mesh back into a dead tree, while a root
 * that was wrongly declared dead is taken back once its heartbeats prove it alive.
 *
 * "Clearly newer": a beat travels one hello period a hop, so when a root dies the nodes still
 * following it hold numbers up to a few beats apart (nearer nodes heard later beats), and a node
 * that gives the root up at number S can meet a neighbour that has not heard of the loss yet and
 * carries S + 4. Taking that as proof of life drew nodes back into the dead tree until its
 * heartbeat timed out (a 5×5 grid took 34.5 s to repair instead of 7 s). So for the first
 * `settleMs` after the mark the numbers neighbours still carry only raise it (every neighbour's
 * hello is heard in that time), and afterwards only a number LIFT_MARGIN beats past the mark lifts
 * it: a dead root's numbers stop at its last beat, a live root's keep coming one a beat.
 */

/** Dead roots remembered at once (the oldest is forgotten first). */
const DEAD_LIMIT = 8;

/** Beats past a dead mark that prove its root alive (8 s of a root's 1 s hellos). */
export const LIFT_MARGIN = 8;

/**
 * Beats *before* a dead mark that prove a new life of its root (a reboot: its heartbeat starts at
 * a random number, spanning-tree.ts `becomeRoot`). No claim of the dead tree can carry a number
 * that old: a node gives its root up once no newer beat has reached it for (4 + depth) hello
 * periods, at most 60 s, so the numbers still carried lag the last beat by at most about 60 (a
 * root beats once a second). Before, a rebooted root whose random start fell behind the mark
 * (half of them) was refused by every node that held one for the mark's whole term (30 s), and
 * the tree that stood in for it grew meanwhile (churn-100). A mark of 0 is a root given up
 * before any beat was heard: nothing is known of its numbers, and this rule stays off.
 */
export const NEW_LIFE_GAP = 256;

interface DeadRoot {
  readonly root: string;
  /** The newest number known for the root when it was marked, raised while settling. */
  seq: number;
  until: number;
  /** Until then numbers neighbours still carry raise `seq` instead of lifting the mark. */
  readonly settleUntil: number;
}

/** a is newer than b (16-bit serial numbers). */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}

/** `seq` moves a heartbeat held at `held` forward: newer, or far behind (the root rebooted and its heartbeat started again: NEW_LIFE_GAP). */
function moves(held: number, seq: number): boolean {
  return held < 0 || seqNewer(seq, held) || seqNewer((held - NEW_LIFE_GAP) & 0xffff, seq);
}

export class RootWatch {
  /** Highest heartbeat heard for the current root; -1 before any. */
  seq = -1;
  /** When it last moved forward. */
  lastBeat = 0;
  /** The current root beats (it runs Hello, directly or through the parents' hellos). */
  beats = false;
  /**
   * The highest heartbeat carried by a neighbour outside our subtree, and when it last moved: a
   * way back to the root that does not pass through us. Beats our children carry may have come
   * in through a side link deep down and prove nothing of our own way up (tree-repair.ts
   * `parentLost`).
   */
  aroundSeq = -1;
  aroundAt = 0;
  private readonly dead: DeadRoot[] = [];
  /**
   * The newest heartbeat heard for a better root than ours (a neighbour's hello), kept until we
   * join it: our first hellos in its tree then carry it (see `joined`). Declared: no slot until
   * a better root's beat is heard (issue 21).
   */
  declare private ahead: { root: string; seq: number } | undefined;
  /** The root whose dead mark beats last lifted, and when: its tree is coming back over us. */
  declare private lifted: { root: string; at: number } | undefined;

  /** The highest heartbeat, whether the root beats, when it last did (a copy for tools). */
  figures(): { readonly seq: number; readonly beats: boolean; readonly lastBeat: number } {
    return { seq: this.seq, beats: this.beats, lastBeat: this.lastBeat };
  }

  /** A new root was taken: nothing known of its heartbeat yet. */
  reset(now: number, seq = -1): void {
    this.seq = this.aroundSeq = seq;
    this.lastBeat = this.aroundAt = now;
    this.beats = false;
  }

  /** A heartbeat number for the current root; true when it moved forward. */
  advance(seq: number, now: number): boolean {
    if (!moves(this.seq, seq)) return false;
    this.seq = seq;
    this.lastBeat = now;
    return true;
  }

  /** A heartbeat number carried by a neighbour outside our subtree (see `aroundSeq`). */
  heardAround(seq: number, now: number): void {
    if (!moves(this.aroundSeq, seq)) return;
    this.aroundSeq = seq;
    this.aroundAt = now;
  }

  /**
   * `root` is dead as of heartbeat `seq`, until `until`; numbers heard before `settleUntil` raise
   * the mark. Marking a root already marked keeps the newer number and the later end: a neighbour
   * that knew less (an older number) does not weaken what we know.
   */
  markDead(root: string, seq: number, until: number, settleUntil = 0): void {
    const i = this.dead.findIndex((d) => d.root === root);
    if (i >= 0) {
      const d = this.dead[i];
      if (seqNewer(seq, d.seq)) d.seq = seq;
      d.until = Math.max(d.until, until);
      return;
    }
    this.dead.push({ root, seq, until, settleUntil });
    while (this.dead.length > DEAD_LIMIT) this.dead.shift();
  }

  /** Whether any root is marked dead (expired marks included until read): isDead is false for every root when not. */
  get marked(): boolean {
    return this.dead.length > 0;
  }

  /** `root` (8-byte hex prefix) is dead at `seq` (undefined: a claim without a heartbeat). */
  isDead(root: string, now: number, seq?: number): boolean {
    const i = this.dead.findIndex((d) => d.root === root);
    if (i < 0) return false;
    const d = this.dead[i];
    if (d.until <= now) {
      this.dead.splice(i, 1); // expired
      return false;
    }
    if (seq === undefined) return true;
    if (!seqNewer(seq, d.seq)) {
      if (d.seq === 0 || !seqNewer((d.seq - NEW_LIFE_GAP) & 0xffff, seq)) return true;
      this.liftMark(i, root, now); // far behind the mark: the root came back with a new heartbeat
      return false;
    }
    if (now < d.settleUntil) {
      d.seq = seq; // a neighbour that has not heard of the loss: its number is no proof of life
      return true;
    }
    if (!seqNewer(seq, (d.seq + LIFT_MARGIN) & 0xffff)) return true;
    this.liftMark(i, root, now); // the root beats again: alive after all
    return false;
  }

  private liftMark(i: number, root: string, now: number): void {
    this.dead.splice(i, 1);
    this.lifted = { root, at: now };
  }

  /** A neighbour's hello carries heartbeat `seq` of `root`, better than ours (and not dead). */
  heardAhead(root: string, seq: number): void {
    const a = this.ahead;
    if (a === undefined || a.root !== root) this.ahead = { root, seq };
    else if (seqNewer(seq, a.seq)) a.seq = seq;
  }

  /**
   * We joined `root`'s tree at `now`: its heartbeat as our neighbours carried it, if we heard one,
   * so that our hellos say it beats from the first one on (before, the number restarted at none
   * and waited for our parent's next hello: a neighbour holding a dead mark for that root refuses
   * claims without a beat, so a tree came back over a branch that had given its root up at two
   * hello periods a hop). Whether a dead mark of ours for it was lifted within `withinMs`.
   */
  joined(root: string, now: number, withinMs: number): boolean {
    const a = this.ahead;
    this.reset(now, a !== undefined && a.root === root ? a.seq : -1);
    if (a !== undefined) this.ahead = undefined;
    this.beats = this.seq >= 0;
    const l = this.lifted;
    return l !== undefined && l.root === root && now - l.at <= withinMs;
  }

  get deadCount(): number {
    return this.dead.length;
  }
}

/** Why a root was given up, as counted. */
export const ROOT_LOST_COUNTER = Object.freeze({
  parent: 'tree_root_lost', // we are its child and it fell silent
  unreachable: 'tree_root_unreachable', // our parent is gone and no neighbour leads back to it
  heartbeat: 'tree_root_stale', // its heartbeat stopped reaching us
  poison: 'tree_root_poisoned', // a neighbour gave it up
  aside: 'tree_root_stepped_aside', // we are it, and another root has our tree state (tree-collisions.ts)
} as const);

/**
 * How long a node's root may go without a heartbeat reaching it before it gives the root up, ms: a
 * beat takes one hello period a level, so (4 + depth) periods, ours or the parent's if it announces
 * a longer one (it slowed down, apps/hello-pace.ts: the beats it carries come that much more
 * seldom); at most the tree age (`maxTreeAgeS`, seconds).
 */
export function beatTimeout(parentPeriodMs: number, intervalMs: number, depth: number, maxTreeAgeS: number): number {
  return Math.min(maxTreeAgeS * 1000, (4 + depth) * Math.max(parentPeriodMs, intervalMs));
}
