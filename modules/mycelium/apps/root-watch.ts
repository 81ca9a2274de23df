/**
 * The root's heartbeat as one node sees it (docs/routing.md "Fast tree repair"), and the roots
 * it knows to be dead. A root that runs Hello numbers its hellos (rootSeq); every node carries
 * the highest number it has heard for its root in its own hellos, so the number spreads down the
 * tree. Numbers only move forward (serial arithmetic on 16 bits, RFC 1982), like Babel's seqnos:
 * a claim for a root we declared dead is refused unless it carries a number newer than the last
 * one we heard, so stale claims cannot pull the mesh back into a dead tree, while a root that was
 * wrongly declared dead is taken back as soon as its next heartbeat arrives.
 */

/** Dead roots remembered at once (the oldest is forgotten first). */
const DEAD_LIMIT = 8;

interface DeadRoot {
  readonly root: string;
  readonly seq: number;
  readonly until: number;
}

/** a is newer than b (16-bit serial numbers). */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & 0xffff;
  return d !== 0 && d < 0x8000;
}

export class RootWatch {
  /** Highest heartbeat heard for the current root; -1 before any. */
  seq = -1;
  /** When it last moved forward. */
  lastBeat = 0;
  /** The current root beats (it runs Hello, directly or through the parents' hellos). */
  beats = false;
  private readonly dead: DeadRoot[] = [];

  /** A new root was taken: nothing known of its heartbeat yet. */
  reset(now: number, seq = -1): void {
    this.seq = seq;
    this.lastBeat = now;
    this.beats = false;
  }

  /** A heartbeat number for the current root; true when it moved forward. */
  advance(seq: number, now: number): boolean {
    if (this.seq >= 0 && !seqNewer(seq, this.seq)) return false;
    this.seq = seq;
    this.lastBeat = now;
    return true;
  }

  markDead(root: string, seq: number, until: number): void {
    const i = this.dead.findIndex((d) => d.root === root);
    if (i >= 0) this.dead.splice(i, 1);
    this.dead.push({ root, seq, until });
    while (this.dead.length > DEAD_LIMIT) this.dead.shift();
  }

  /** `root` (8-byte hex prefix) is dead at `seq` (undefined: a claim without a heartbeat). */
  isDead(root: string, now: number, seq?: number): boolean {
    const i = this.dead.findIndex((d) => d.root === root);
    if (i < 0) return false;
    const d = this.dead[i];
    if (d.until <= now || (seq !== undefined && seqNewer(seq, d.seq))) {
      this.dead.splice(i, 1); // expired, or the root beats again: alive after all
      return false;
    }
    return true;
  }

  get deadCount(): number {
    return this.dead.length;
  }
}
