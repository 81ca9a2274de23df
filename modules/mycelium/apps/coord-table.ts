/**
 * A parent's coordinate holders (tree-coordinates.ts) in the order they were first set, by the
 * holder's slot on the node's key index (node-slots.ts), without a `Map` (issue 21). A `Map`
 * entry a child was 49 B on XS; here an entry is its slot (4 B) and two numbers (16 B): when the
 * holder was last known to use its coordinate, and the coordinate, negated while released. A
 * table holds each key's slot on the index, so the slot is never another key's while listed.
 *
 * Lookups walk the entries: a parent has at most 135 coordinates to hand out, and a lookup is
 * made once a tree message from a holder, not once a packet.
 */
import type { NodeSlots } from '../packager/node-slots.js';

/** Entries of the first columns (a parent of a few children holds little). */
const FIRST_ENTRIES = 4;

export class CoordTable {
  readonly slots: NodeSlots;
  /** Entries held (read it as `size`). */
  private n = 0;
  // Made on the first entry (issue 21).
  /** Entry i → the holder's slot, oldest first. */
  declare private at: Int32Array | undefined;
  /** Entry i → when last known to use it (2i), its coordinate, negated while released (2i + 1). */
  declare private nums: Float64Array | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  get size(): number {
    return this.n;
  }

  /** `key`'s entry, -1 when it holds none. */
  find(key: string): number {
    const s = this.slots.slotOf(key);
    const at = this.at;
    if (s === undefined || at === undefined) return -1;
    for (let i = 0; i < this.n; i++) if (at[i] === s) return i;
    return -1;
  }

  keyAt(i: number): string {
    return this.slots.keyOf((this.at as Int32Array)[i]) as string;
  }

  coordAt(i: number): number {
    return Math.abs((this.nums as Float64Array)[2 * i + 1]);
  }

  releasedAt(i: number): boolean {
    return (this.nums as Float64Array)[2 * i + 1] < 0;
  }

  heardAt(i: number): number {
    return (this.nums as Float64Array)[2 * i];
  }

  /** Entry `i` holds `coord` now, released or not, last known used at `heard` (its place kept). */
  setAt(i: number, coord: number, released: boolean, heard: number): void {
    const nums = this.nums as Float64Array;
    nums[2 * i] = heard;
    nums[2 * i + 1] = released ? -coord : coord;
  }

  /** `key` (holding no entry) holds `coord` as the newest entry. */
  add(key: string, coord: number, released: boolean, heard: number): void {
    this.append(this.slots.hold(key), coord, released, heard);
  }

  /** Forget entry `i` (the later ones move up: the order is kept) and let go of its slot. */
  removeAt(i: number): void {
    const at = this.at as Int32Array;
    const nums = this.nums as Float64Array;
    const slot = at[i];
    at.copyWithin(i, i + 1, this.n);
    nums.copyWithin(2 * i, 2 * i + 2, 2 * this.n);
    this.n--;
    this.slots.release(slot);
  }

  clear(): void {
    const at = this.at;
    for (let i = 0; i < this.n; i++) this.slots.release((at as Int32Array)[i]);
    this.n = 0;
    this.at = undefined;
    this.nums = undefined;
  }

  /** A copy with every coordinate released (leases), in the same order, holding the slots anew. */
  released(): CoordTable {
    const copy = new CoordTable(this.slots);
    for (let i = 0; i < this.n; i++) copy.append(this.slots.hold(this.keyAt(i)), this.coordAt(i), true, this.heardAt(i));
    return copy;
  }

  private append(slot: number, coord: number, released: boolean, heard: number): void {
    let at = this.at;
    if (at === undefined || this.n === at.length) {
      const grown = new Int32Array(at ? 2 * at.length : FIRST_ENTRIES);
      const nums = new Float64Array(2 * grown.length);
      if (at) grown.set(at);
      if (this.nums) nums.set(this.nums);
      this.at = at = grown;
      this.nums = nums;
    }
    at[this.n] = slot;
    this.setAt(this.n++, coord, released, heard);
  }
}
