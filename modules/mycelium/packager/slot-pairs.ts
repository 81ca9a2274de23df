/**
 * Two numbers per node key, least recently put first and capped, on the node's shared key index
 * (node-slots.ts): what RecentPairs did with a `Map` of its own (until session 13; kept as
 * tests/packager/reference/recent-pairs-before.ts), here without one. The
 * per-neighbour tables (Beacon's last beacon, the tree's replay clocks, the relays' token
 * buckets) each paid a `Map` entry per neighbour (49 B on XS) beside their 16 B of numbers; here
 * a key costs 24 B in a `Float64Array` column indexed by the key's slot, and the slot's own `Map`
 * entry is shared by every table naming that node (issue 21).
 *
 * A new key beyond the cap evicts the least recently put one, so made-up keys only push each
 * other out (rule 2). Put order is a sequence number per key: the eviction looks for the lowest,
 * which takes one pass over the column, and only when the table is full.
 */
import { grownSlots, type NodeSlots } from './node-slots.js';

/** Numbers per slot: first, second, and the put sequence (0: the table does not hold the slot). */
const CELLS = 3;

export class SlotPairs {
  private readonly slots: NodeSlots;
  /**
   * Slot s holds its numbers at 3s, 3s + 1 and its put sequence at 3s + 2. Slot 0 is the header:
   * keys held (0) and the last sequence handed out (2). Made on the first put, grown by doubling
   * to cover the index's slots.
   */
  declare private cells: Float64Array | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  get size(): number {
    return this.cells ? this.cells[0] : 0;
  }

  has(key: string): boolean {
    return this.slotHeld(key) !== undefined;
  }

  /** The first number put with `key`, undefined when it has none. */
  first(key: string): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : (this.cells as Float64Array)[CELLS * s];
  }

  /** The second number put with `key`, undefined when it has none. */
  second(key: string): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : (this.cells as Float64Array)[CELLS * s + 1];
  }

  /** `second` at slot `s` (a key's slot on the index): for a caller that has it, no key needed. */
  secondAt(s: number): number | undefined {
    const cells = this.cells;
    return cells !== undefined && CELLS * s < cells.length && cells[CELLS * s + 2] !== 0 ? cells[CELLS * s + 1] : undefined;
  }

  /** Set `key`'s numbers and make it the most recent; the least recent go beyond `limit` (at least 1). */
  put(key: string, first: number, second: number, limit: number): void {
    const cap = Math.max(1, limit);
    let s = this.slotHeld(key);
    if (s === undefined) {
      // A new key: the least recent go first, so that their slots are reused.
      while (this.size >= cap) this.evictOldest();
      s = this.slots.hold(key);
      this.cover(s);
      (this.cells as Float64Array)[0]++;
    }
    const cells = this.cells as Float64Array;
    cells[CELLS * s] = first;
    cells[CELLS * s + 1] = second;
    cells[CELLS * s + 2] = ++cells[2];
    while (this.size > cap) this.evictOldest(); // the cap was lowered since
  }

  delete(key: string): boolean {
    const s = this.slotHeld(key);
    if (s === undefined) return false;
    this.drop(s);
    return true;
  }

  clear(): void {
    const cells = this.cells;
    if (!cells) return;
    for (let s = 1; s < cells.length / CELLS; s++) if (cells[CELLS * s + 2] !== 0) this.slots.release(s);
    this.cells = undefined;
  }

  /** `key`'s slot when this table holds it. */
  private slotHeld(key: string): number | undefined {
    const cells = this.cells;
    if (!cells) return undefined;
    const s = this.slots.slotOf(key);
    return s !== undefined && CELLS * s < cells.length && cells[CELLS * s + 2] !== 0 ? s : undefined;
  }

  /** Forget slot `s` (held): its cells are zeroed, so a key that reuses the slot starts bare. */
  private drop(s: number): void {
    const cells = this.cells as Float64Array;
    cells[CELLS * s] = 0;
    cells[CELLS * s + 1] = 0;
    cells[CELLS * s + 2] = 0;
    cells[0]--;
    this.slots.release(s);
  }

  private evictOldest(): void {
    const cells = this.cells as Float64Array;
    let oldest = 0;
    for (let s = 1; s < cells.length / CELLS; s++) {
      const seq = cells[CELLS * s + 2];
      if (seq !== 0 && (oldest === 0 || seq < cells[CELLS * oldest + 2])) oldest = s;
    }
    if (oldest !== 0) this.drop(oldest);
  }

  /** Grow the column (node-slots.ts `grownSlots`) until it has slot `s`. */
  private cover(s: number): void {
    const cells = this.cells;
    const have = cells ? cells.length / CELLS : 0;
    if (s < have) return;
    const grown = new Float64Array(CELLS * grownSlots(have, s, this.slots.expected));
    if (cells) grown.set(cells);
    this.cells = grown;
  }
}
