/**
 * Hello's link estimates of a Packager's neighbours (link-quality.ts) as columns on the node's
 * key index (node-slots.ts), not as one object each (issue 21): an estimate object was 96 B on XS
 * and the peer's property holding it 16 B; here a neighbour's five numbers take 20 B of words by
 * its slot (estimate-cells.ts; 40 B of a `Float64Array` before session 25) and a byte of a
 * presence column. `of` hands out a view (a `LinkEstimate` over the slot's cells), made when
 * asked.
 *
 * A key is held on the index while it has an estimate and released when the estimate goes; the
 * slot's cells and rare figures are cleared then, so a key that reuses the slot starts bare. Not
 * capped here: a neighbour has at most one, and the peer table is capped (its peers' estimates go
 * with them).
 */
import { ESTIMATE_CELLS, type EstimateStore } from './estimate-cells.js';
import { LinkEstimate } from './link-quality.js';
import type { NodeSlots } from './node-slots.js';
import { SlotColumns } from './slot-columns.js';

export class LinkEstimates extends SlotColumns implements EstimateStore {
  // The columns (slot-columns.ts) are made with the first estimate: a Packager whose neighbours
  // never say hello (upstream's, our LoRa nodes) holds none of them (issue 21).
  declare timeBase: number;
  declare odd: Map<number, number> | undefined;

  constructor(slots: NodeSlots) {
    super(slots, ESTIMATE_CELLS);
  }

  /** A view of `key`'s estimate, undefined when it has none. */
  of(key: string): LinkEstimate | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : new LinkEstimate(0, this, s);
  }

  /** A view of the estimate at slot `s` (a peer's own slot, see peer-times.ts `enter`), undefined when none. */
  atSlot(s: number): LinkEstimate | undefined {
    return this.holdsSlot(s) ? new LinkEstimate(0, this, s) : undefined;
  }

  has(key: string): boolean {
    return this.slotHeld(key) !== undefined;
  }

  /** Give `key` the numbers of `estimate` (a copy: the object given stays apart from the table). */
  put(key: string, estimate: LinkEstimate): void {
    estimate.copyTo(this, this.entrySlot(key));
  }

  delete(key: string): void {
    const s = this.dropEntry(key);
    if (s !== undefined) for (let which = 0; which < 3; which++) this.odd?.delete(3 * s + which);
  }

  /** Cells of the same kind (words or floats) and times from the same base (estimate-cells.ts). */
  protected override growCells(n: number): void {
    const old = this.cells;
    const cells = old instanceof Float64Array ? new Float64Array(ESTIMATE_CELLS * n) : new Int32Array(ESTIMATE_CELLS * n);
    if (old) cells.set(old);
    else this.timeBase = NaN;
    this.cells = cells;
  }
}
