/**
 * A parent's coordinate holders (tree-coordinates.ts) in the order they were first set, by the
 * holder's slot on the node's key index (node-slots.ts), without a `Map` (issue 21). A `Map`
 * entry a child was 49 B on XS; here an entry is two 32-bit words (8 B): one holding the slot,
 * whether the coordinate is released and the coordinate (1..135), one when the holder was last
 * known to use it (see `base`). Before session 20 an entry was its slot (4 B) and two numbers
 * (16 B): 13 B a peer more on the memory bench's star. A table holds each key's slot on the
 * index, so the slot is never another key's while listed.
 *
 * Lookups walk the entries: a parent has at most 135 coordinates to hand out, and a lookup is
 * made once a tree message from a holder, not once a packet.
 */
import type { NodeSlots } from '../packager/node-slots.js';

/** Entries of the first columns (a parent of a few children holds little). */
const FIRST_ENTRIES = 4;

/**
 * An entry's first word: slot × ENTRY_SLOT + RELEASED (while released) + the coordinate (≤ 135 <
 * RELEASED). A slot below 2^23 fits: the key index holds at most the sum of its tables' caps.
 */
const RELEASED = 256;
const COORD_BITS = 255;
const ENTRY_SLOT = 512;
const SLOT_SHIFT = 9;
/** The largest time word: a time up to 2^32 − 2 ms (49 days) after `base`. */
const HEARD_LIMIT = 0xffffffff;

export class CoordTable {
  readonly slots: NodeSlots;
  /** Entries held (read it as `size`). */
  private n = 0;
  // Made on the first entry (issue 21).
  /**
   * Entry i → its word (see ENTRY_SLOT) at 2i: the holder's slot, released or not, the
   * coordinate; at 2i + 1, while `heard` is undefined, when last known used, as `time − base + 1`.
   * Oldest first.
   */
  declare private at: Uint32Array | undefined;
  /**
   * The time the heard words count from: the first one set, when a whole ms from 0 to 2^53. A
   * time kept so reads back exactly as set; one that does not fit (a fraction of a ms, as the
   * simulator's clock has; a clock set back before `base`; 49 days on) moves every entry's time
   * into `heard`, once and for good (as gossip-seen.ts keeps its times).
   */
  declare private base: number | undefined;
  /** Entry i → when last known to use its coordinate, once the times left the words; else undefined. */
  declare private heard: Float64Array | undefined;

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
    for (let i = 0; i < this.n; i++) if (at[2 * i] >>> SLOT_SHIFT === s) return i;
    return -1;
  }

  keyAt(i: number): string {
    return this.slots.keyOf(slotIn((this.at as Uint32Array)[2 * i])) as string;
  }

  coordAt(i: number): number {
    return (this.at as Uint32Array)[2 * i] & COORD_BITS;
  }

  releasedAt(i: number): boolean {
    return ((this.at as Uint32Array)[2 * i] & RELEASED) !== 0;
  }

  heardAt(i: number): number {
    const heard = this.heard;
    return heard !== undefined ? heard[i] : (this.at as Uint32Array)[2 * i + 1] - 1 + (this.base as number);
  }

  /** Entry `i` holds `coord` now, released or not, last known used at `heard` (its place kept). */
  setAt(i: number, coord: number, released: boolean, heard: number): void {
    const at = this.at as Uint32Array;
    at[2 * i] = slotIn(at[2 * i]) * ENTRY_SLOT + (released ? RELEASED : 0) + coord;
    if (this.heard === undefined) {
      if (this.base === undefined && Number.isSafeInteger(heard) && heard >= 0) this.base = heard;
      // With heard ≥ base ≥ 0 the difference is exact: a time with a fraction never passes as whole.
      const d = heard - (this.base as number);
      if (d >>> 0 === d && d < HEARD_LIMIT) {
        at[2 * i + 1] = d + 1;
        return;
      }
      const times = new Float64Array(at.length / 2);
      for (let e = 0; e < this.n; e++) times[e] = this.heardAt(e);
      this.heard = times;
    }
    this.heard[i] = heard;
  }

  /** `key` (holding no entry) holds `coord` as the newest entry. */
  add(key: string, coord: number, released: boolean, heard: number): void {
    this.append(this.slots.hold(key), coord, released, heard);
  }

  /** Forget entry `i` (the later ones move up: the order is kept) and let go of its slot. */
  removeAt(i: number): void {
    const at = this.at as Uint32Array;
    const slot = slotIn(at[2 * i]);
    at.copyWithin(2 * i, 2 * i + 2, 2 * this.n);
    this.heard?.copyWithin(i, i + 1, this.n);
    this.n--;
    this.slots.release(slot);
  }

  clear(): void {
    const at = this.at;
    for (let i = 0; i < this.n; i++) this.slots.release(slotIn((at as Uint32Array)[2 * i]));
    this.n = 0;
    this.at = undefined;
    this.heard = undefined;
  }

  /** A copy with every coordinate released (leases), in the same order, holding the slots anew. */
  released(): CoordTable {
    const copy = new CoordTable(this.slots);
    // Its times count from the earliest (entries are in the order first set, not heard): from the
    // first, an earlier one would move them all into numbers.
    let earliest = Infinity;
    for (let i = 0; i < this.n; i++) earliest = Math.min(earliest, this.heardAt(i));
    if (Number.isSafeInteger(earliest) && earliest >= 0) copy.base = earliest;
    for (let i = 0; i < this.n; i++) copy.append(this.slots.hold(this.keyAt(i)), this.coordAt(i), true, this.heardAt(i));
    return copy;
  }

  private append(slot: number, coord: number, released: boolean, heard: number): void {
    let at = this.at;
    if (at === undefined || 2 * this.n === at.length) {
      const grown = new Uint32Array(at ? 2 * at.length : 2 * FIRST_ENTRIES);
      if (at) grown.set(at);
      this.at = at = grown;
      const times = this.heard;
      if (times !== undefined) {
        this.heard = new Float64Array(grown.length / 2);
        this.heard.set(times);
      }
    }
    at[2 * this.n] = slot * ENTRY_SLOT;
    this.setAt(this.n++, coord, released, heard);
  }
}

/** The slot an entry's word holds. */
function slotIn(word: number): number {
  return word >>> SLOT_SHIFT;
}
