/**
 * Hello's link estimates of a Packager's neighbours (link-quality.ts) as columns on the node's
 * key index (node-slots.ts), not as one object each (issue 21): an estimate object was 96 B on XS
 * and the peer's property holding it 16 B; here a neighbour's five numbers take 40 B of a
 * `Float64Array` by its slot and a byte of a presence column. `of` hands out a view (a
 * `LinkEstimate` over the slot's cells), made when asked.
 *
 * A key is held on the index while it has an estimate and released when the estimate goes; the
 * slot's cells and rare figures are cleared then, so a key that reuses the slot starts bare. Not
 * capped here: a neighbour has at most one, and the peer table is capped (its peers' estimates go
 * with them).
 */
import { ESTIMATE_CELLS, LinkEstimate, type EstimateStore } from './link-quality.js';
import { grownColumns, grownSlots, heldSlot, type NodeSlots } from './node-slots.js';

export class LinkEstimates implements EstimateStore {
  private readonly slots: NodeSlots;
  // The columns are made with the first estimate: a Packager whose neighbours never say hello
  // (upstream's, our LoRa nodes) holds none of them (issue 21).
  /**
   * ESTIMATE_CELLS numbers per slot (link-quality.ts); grown by doubling to cover the index.
   * Declared: read only at a slot `present` holds, so never before it is made.
   */
  declare cells: Float64Array;
  /** 1 where the slot's key has an estimate. */
  declare private present: Uint8Array | undefined;
  declare odd: Map<number, number> | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  /** A view of `key`'s estimate, undefined when it has none. */
  of(key: string): LinkEstimate | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : new LinkEstimate(0, this, s);
  }

  has(key: string): boolean {
    return this.slotHeld(key) !== undefined;
  }

  /** Give `key` the numbers of `estimate` (a copy: the object given stays apart from the table). */
  put(key: string, estimate: LinkEstimate): void {
    let s = this.slotHeld(key);
    if (s === undefined) {
      s = this.slots.hold(key);
      (this.cover(s) as Uint8Array)[s] = 1;
    }
    estimate.copyTo(this, s);
  }

  delete(key: string): void {
    const s = this.slotHeld(key);
    if (s === undefined) return;
    this.cells.fill(0, ESTIMATE_CELLS * s, ESTIMATE_CELLS * (s + 1));
    for (let which = 0; which < 3; which++) this.odd?.delete(3 * s + which);
    (this.present as Uint8Array)[s] = 0;
    this.slots.release(s);
  }

  private slotHeld(key: string): number | undefined {
    return heldSlot(this.slots, this.present, key);
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s`; the presence column. */
  private cover(s: number): Uint8Array {
    const old = this.present;
    if (old && s < old.length) return old;
    const grown = grownColumns(this.cells, old, ESTIMATE_CELLS, grownSlots(old ? old.length : 0, s, this.slots.expected));
    this.cells = grown.cells;
    return (this.present = grown.present);
  }
}
