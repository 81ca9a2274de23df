/**
 * The layout slot-pairs.ts replaced (session 13), kept as the reference its differential test
 * (tests/packager/slot-pairs.test.ts) drives beside it. Unchanged from packager/recent-pairs.ts:
 *
 * Two numbers per key (a token bucket's tokens and time, a sender's clock and when it was heard),
 * least recently put first and capped: a new key beyond the cap evicts the least recently put
 * one, so made-up keys only push each other out (rule 2). The tables that hold one entry per
 * neighbour use it (issue 21): on XS a Map entry whose value is a two-field object costs ≈ 97 B;
 * here the Map's value is a slot number and the two numbers sit in one Float64Array that every
 * entry shares (49 B + 16 B). The array grows by doubling up to the cap and is made on first use.
 */

/** Slots of the first array, its header included: a node alone (its own loopback) needs one or two. */
const FIRST_SLOTS = 4;

export class RecentPairs<K> {
  // TS-private fields, not #private ones, and the array's bookkeeping inside the array: a node
  // has half a dozen of these tables, so each field of theirs is a 16 B slot (issue 21).
  /** Key → its slot; Map order is put order (least recent first). Made on the first put. */
  declare private map: Map<K, number> | undefined;
  /**
   * Slot s ≥ 1 holds its two numbers at 2s and 2s + 1; a freed slot's first number links the next
   * freed one. Slot 0 is the header: slots handed out so far (the header included), first freed
   * slot (0: none). Made on the first put.
   */
  declare private values: Float64Array | undefined;

  get size(): number {
    return this.map ? this.map.size : 0;
  }

  has(key: K): boolean {
    return this.map ? this.map.has(key) : false;
  }

  /** The first number put with `key`, undefined when it has none. */
  first(key: K): number | undefined {
    const s = this.map?.get(key);
    return s === undefined ? undefined : (this.values as Float64Array)[2 * s];
  }

  /** The second number put with `key`, undefined when it has none. */
  second(key: K): number | undefined {
    const s = this.map?.get(key);
    return s === undefined ? undefined : (this.values as Float64Array)[2 * s + 1];
  }

  /** Set `key`'s numbers and make it the most recent; the least recent go beyond `limit` (at least 1). */
  put(key: K, first: number, second: number, limit: number): void {
    const cap = Math.max(1, limit);
    const slots = (this.map ??= new Map());
    let s = slots.get(key);
    if (s !== undefined) slots.delete(key);
    else {
      // A new key: the least recent go first, so that their slots are reused.
      while (slots.size >= cap) this.evictOldest();
      s = this.take(cap);
    }
    const values = this.values as Float64Array;
    values[2 * s] = first;
    values[2 * s + 1] = second;
    slots.set(key, s);
    while (slots.size > cap) this.evictOldest(); // the cap was lowered since
  }

  delete(key: K): boolean {
    const s = this.map?.get(key);
    if (s === undefined) return false;
    this.map?.delete(key);
    const values = this.values as Float64Array;
    values[2 * s] = values[1];
    values[1] = s;
    return true;
  }

  clear(): void {
    this.map?.clear();
    if (this.values) this.values = undefined;
  }

  private evictOldest(): void {
    this.delete((this.map as Map<K, number>).keys().next().value as K);
  }

  /** A free slot: a freed one, else the next of the array, grown (doubled, at most to `cap`) if full. */
  private take(cap: number): number {
    let values = this.values;
    if (values && values[1] !== 0) {
      const s = values[1];
      values[1] = values[2 * s];
      return s;
    }
    const used = values ? values[0] : 1;
    const capacity = values ? values.length / 2 : 0;
    if (used >= capacity) {
      const grown = new Float64Array(2 * Math.max(used + 1, Math.min(Math.max(FIRST_SLOTS, 2 * capacity), cap + 1)));
      if (values) grown.set(values);
      this.values = values = grown;
    }
    values = values as Float64Array;
    values[0] = used + 1;
    return used;
  }
}
