/**
 * Two numbers per node key, least recently put first and capped, on the node's shared key index
 * (node-slots.ts): what RecentPairs did with a `Map` of its own (until session 13; kept as
 * tests/packager/reference/recent-pairs-before.ts), here without one. The
 * per-neighbour tables (Beacon's last beacon, the tree's replay clocks, the relays' token
 * buckets) each paid a `Map` entry per neighbour (49 B on XS) beside their 16 B of numbers; here
 * a key costs 12 B of a column of words indexed by the key's slot (24 B as a `Float64Array`),
 * and the slot's own `Map` entry is shared by every table naming that node (issue 21).
 *
 * A new key beyond the cap evicts the least recently put one, so made-up keys only push each
 * other out (rule 2). Put order is a sequence number per key: the eviction looks for the lowest,
 * which takes one pass over the column, and only when the table is full.
 */
import { grownSlots, type NodeSlots } from './node-slots.js';
import { WholeWords } from './whole-words.js';

export class SlotPairs {
  private readonly slots: NodeSlots;
  /** Keys held (read it as `size`) and the last put sequence handed out. */
  private count = 0;
  private lastSeq = 0;
  // Made on the first put, grown by doubling to cover the index's slots, each in 4 B words while
  // its numbers are whole (whole-words.ts: a device's times, flag bits, sequences; 24 B a slot as
  // one `Float64Array` until session 25). Three columns, not one: a table whose first numbers
  // have fractions (the token buckets' tokens) keeps only that column in floats.
  /** Slot → the first number put with its key. */
  declare private firsts: WholeWords | undefined;
  /** Slot → the second number. */
  declare private seconds: WholeWords | undefined;
  /** Slot → its put sequence (0: the table does not hold the slot). */
  declare private seqs: WholeWords | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.slotHeld(key) !== undefined;
  }

  /** The first number put with `key`, undefined when it has none. */
  first(key: string): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : (this.firsts as WholeWords).at(s);
  }

  /** The second number put with `key`, undefined when it has none. */
  second(key: string): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : (this.seconds as WholeWords).at(s);
  }

  /** `second` at slot `s` (a key's slot on the index): for a caller that has it, no key needed. */
  secondAt(s: number): number | undefined {
    const seqs = this.seqs;
    return seqs !== undefined && s < seqs.length && seqs.at(s) !== 0 ? (this.seconds as WholeWords).at(s) : undefined;
  }

  /** Set `key`'s numbers and make it the most recent; the least recent go beyond `limit` (at least 1). */
  put(key: string, first: number, second: number, limit: number): void {
    const cap = Math.max(1, limit);
    let s = this.slotHeld(key);
    if (s === undefined) {
      // A new key: the least recent go first, so that their slots are reused.
      while (this.count >= cap) this.evictOldest();
      s = this.slots.hold(key);
      this.cover(s);
      this.count++;
    }
    (this.firsts as WholeWords).put(s, first);
    (this.seconds as WholeWords).put(s, second);
    (this.seqs as WholeWords).put(s, ++this.lastSeq);
    while (this.count > cap) this.evictOldest(); // the cap was lowered since
  }

  delete(key: string): boolean {
    const s = this.slotHeld(key);
    if (s === undefined) return false;
    this.drop(s);
    return true;
  }

  clear(): void {
    const seqs = this.seqs;
    if (!seqs) return;
    for (let s = 1; s < seqs.length; s++) if (seqs.at(s) !== 0) this.slots.release(s);
    this.firsts = this.seconds = this.seqs = undefined;
    this.count = this.lastSeq = 0;
  }

  /** `key`'s slot when this table holds it. */
  private slotHeld(key: string): number | undefined {
    const seqs = this.seqs;
    if (!seqs) return undefined;
    const s = this.slots.slotOf(key);
    return s !== undefined && s < seqs.length && seqs.at(s) !== 0 ? s : undefined;
  }

  /** Forget slot `s` (held): its cells are zeroed, so a key that reuses the slot starts bare. */
  private drop(s: number): void {
    (this.firsts as WholeWords).put(s, 0);
    (this.seconds as WholeWords).put(s, 0);
    (this.seqs as WholeWords).put(s, 0);
    this.count--;
    this.slots.release(s);
  }

  private evictOldest(): void {
    const seqs = this.seqs as WholeWords;
    let oldest = 0;
    let lowest = 0;
    for (let s = 1; s < seqs.length; s++) {
      const seq = seqs.at(s);
      if (seq !== 0 && (oldest === 0 || seq < lowest)) {
        oldest = s;
        lowest = seq;
      }
    }
    if (oldest !== 0) this.drop(oldest);
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s` (slot 0 is never a key's). */
  private cover(s: number): void {
    const seqs = this.seqs;
    const have = seqs ? seqs.length : 0;
    if (s < have) return;
    const n = grownSlots(have, s, this.slots.expected);
    this.firsts = this.firsts ? this.firsts.grown(n) : new WholeWords(n);
    this.seconds = this.seconds ? this.seconds.grown(n) : new WholeWords(n);
    this.seqs = seqs ? seqs.grown(n) : new WholeWords(n);
  }
}
