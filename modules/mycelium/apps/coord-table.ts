/**
 * A parent's coordinate holders (tree-coordinates.ts) in the order they were first set, by the
 * holder's slot on the node's key index (node-slots.ts), without a `Map` (issue 21). A `Map`
 * entry a child was 49 B on XS; here an entry is 12 B: one 32-bit word holding the slot, whether
 * the coordinate is released and the coordinate (1..135), and one number, when the holder was
 * last known to use it. (The coordinate had a number of its own, negated while released: 8 B
 * more an entry, 9 B a peer of the memory bench's star, session 20.) A table holds each key's
 * slot on the index, so the slot is never another key's while listed.
 *
 * Lookups walk the entries: a parent has at most 135 coordinates to hand out, and a lookup is
 * made once a tree message from a holder, not once a packet.
 */
import type { NodeSlots } from '../packager/node-slots.js';

/** Entries of the first columns (a parent of a few children holds little). */
const FIRST_ENTRIES = 4;

/**
 * An entry's word: slot × ENTRY_SLOT + RELEASED (while released) + the coordinate (≤ 135 <
 * RELEASED). A slot below 2^23 fits: the key index holds at most the sum of its tables' caps.
 */
const RELEASED = 256;
const COORD_BITS = 255;
const ENTRY_SLOT = 512;
const SLOT_SHIFT = 9;

export class CoordTable {
  readonly slots: NodeSlots;
  /** Entries held (read it as `size`). */
  private n = 0;
  // Made on the first entry (issue 21).
  /** Entry i → its word (see ENTRY_SLOT): the holder's slot, released or not, the coordinate; oldest first. */
  declare private at: Uint32Array | undefined;
  /** Entry i → when last known to use its coordinate. */
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
    // slotIn inlined: a call per entry cost XS more than the walk itself.
    for (let i = 0; i < this.n; i++) if (at[i] >>> SLOT_SHIFT === s) return i;
    return -1;
  }

  keyAt(i: number): string {
    return this.slots.keyOf(slotIn((this.at as Uint32Array)[i])) as string;
  }

  coordAt(i: number): number {
    return (this.at as Uint32Array)[i] & COORD_BITS;
  }

  releasedAt(i: number): boolean {
    return ((this.at as Uint32Array)[i] & RELEASED) !== 0;
  }

  heardAt(i: number): number {
    return (this.nums as Float64Array)[i];
  }

  /** Entry `i` holds `coord` now, released or not, last known used at `heard` (its place kept). */
  setAt(i: number, coord: number, released: boolean, heard: number): void {
    const at = this.at as Uint32Array;
    at[i] = slotIn(at[i]) * ENTRY_SLOT + (released ? RELEASED : 0) + coord;
    (this.nums as Float64Array)[i] = heard;
  }

  /** `key` (holding no entry) holds `coord` as the newest entry. */
  add(key: string, coord: number, released: boolean, heard: number): void {
    this.append(this.slots.hold(key), coord, released, heard);
  }

  /** Forget entry `i` (the later ones move up: the order is kept) and let go of its slot. */
  removeAt(i: number): void {
    const at = this.at as Uint32Array;
    const nums = this.nums as Float64Array;
    const slot = slotIn(at[i]);
    at.copyWithin(i, i + 1, this.n);
    nums.copyWithin(i, i + 1, this.n);
    this.n--;
    this.slots.release(slot);
  }

  clear(): void {
    const at = this.at;
    for (let i = 0; i < this.n; i++) this.slots.release(slotIn((at as Uint32Array)[i]));
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
      const grown = new Uint32Array(at ? 2 * at.length : FIRST_ENTRIES);
      const nums = new Float64Array(grown.length);
      if (at) grown.set(at);
      if (this.nums) nums.set(this.nums);
      this.at = at = grown;
      this.nums = nums;
    }
    at[this.n] = slot * ENTRY_SLOT;
    this.setAt(this.n++, coord, released, heard);
  }
}

/** The slot an entry's word holds. */
function slotIn(word: number): number {
  return word >>> SLOT_SHIFT;
}
