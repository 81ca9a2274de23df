/**
 * A table of number columns on the node's key index (node-slots.ts): `width` cells of `cells` per
 * slot and a presence column, both made with the table's first entry and grown by doubling
 * (issue 21: a node with no neighbour holds none of them). A key is held on the index while the
 * table has an entry for it and released when the entry goes; its cells are cleared then, so a
 * key that reuses the slot starts bare. The tables (link-estimates.ts, peer-times.ts) add what
 * their cells mean. Not capped here: the peer table is, and each holds one entry a peer.
 */
import { grownSlots, heldSlot, type NodeSlots } from './node-slots.js';

export class SlotColumns {
  protected readonly slots: NodeSlots;
  /** Cells per slot. */
  private readonly width: number;
  /**
   * `width` numbers per slot: floats, or words where a table keeps its numbers so (its own
   * growCells, link-estimates.ts). Declared: read only at a slot `present` holds, so never before
   * it is made.
   */
  declare cells: Float64Array | Int32Array;
  /** 1 where the slot's key has an entry here. */
  declare private present: Uint8Array | undefined;

  constructor(slots: NodeSlots, width: number) {
    this.slots = slots;
    this.width = width;
  }

  /** `key`'s slot when it has an entry here. */
  protected slotHeld(key: string): number | undefined {
    return heldSlot(this.slots, this.present, key);
  }

  /** Whether slot `s` has an entry here (for a caller that kept its slot: no lookup by key). */
  holdsSlot(s: number): boolean {
    const present = this.present;
    return present !== undefined && s < present.length && present[s] !== 0;
  }

  /** `key`'s slot, holding the key on the index and marking the entry when it is new here. */
  protected entrySlot(key: string): number {
    let s = this.slotHeld(key);
    if (s === undefined) {
      s = this.slots.hold(key);
      this.cover(s)[s] = 1;
    }
    return s;
  }

  /** Drop `key`'s entry: its cells cleared, the key released; its slot, or undefined when it had none. */
  protected dropEntry(key: string): number | undefined {
    const s = this.slotHeld(key);
    if (s === undefined) return undefined;
    this.clearCells(s);
    (this.present as Uint8Array)[s] = 0;
    this.slots.release(s);
    return s;
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s`; the presence column. */
  private cover(s: number): Uint8Array {
    const old = this.present;
    if (old && s < old.length) return old;
    const n = grownSlots(old ? old.length : 0, s, this.slots.expected);
    this.growCells(n);
    const present = new Uint8Array(n);
    if (old) present.set(old);
    return (this.present = present);
  }

  /** Make the cells `n` slots long, what they held kept (a table with columns of its own overrides it). */
  protected growCells(n: number): void {
    const cells = new Float64Array(this.width * n);
    if (this.cells) cells.set(this.cells);
    this.cells = cells;
  }

  /** Clear slot `s`'s cells (a table with columns of its own overrides it). */
  protected clearCells(s: number): void {
    this.cells.fill(0, this.width * s, this.width * (s + 1));
  }
}
