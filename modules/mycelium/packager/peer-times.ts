/**
 * When each of a Packager's neighbours was last heard and its Beacon timeout counter (peer.ts
 * `lastRx`, `timeout`) as columns on the node's key index (node-slots.ts), not as two fields of
 * every `Peer` (a 16 B slot each on XS, issue 21): 16 B of a `Float64Array` by the neighbour's
 * slot and a presence byte. A Packager's peer holds its key on the index from its making until the
 * Packager drops it (its numbers then stay with the object); the slot's cells are cleared when it
 * goes, so a key that reuses the slot starts bare. Not capped here: the peer table is.
 */
import { grownColumns, grownSlots, heldSlot, type NodeSlots } from './node-slots.js';

/** The cells of a slot: when last heard, and the timeout counter. */
export const LAST_RX = 0;
export const TIMEOUT = 1;

export class PeerTimes {
  private readonly slots: NodeSlots;
  // Made with the first peer (issue 21: a node with no neighbour holds none of them).
  /** Two numbers per slot: LAST_RX, TIMEOUT. */
  declare private cells: Float64Array | undefined;
  /** 1 where the slot's key is a peer here. */
  declare private present: Uint8Array | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  /** `key`'s number in `cell` (undefined: not a peer here). */
  get(key: string, cell: number): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : (this.cells as Float64Array)[2 * s + cell];
  }

  /** Set `key`'s number in `cell`, holding the key on the index when it is new here. */
  set(key: string, cell: number, value: number): void {
    let s = this.slotHeld(key);
    if (s === undefined) {
      s = this.slots.hold(key);
      this.cover(s)[s] = 1;
    }
    (this.cells as Float64Array)[2 * s + cell] = value;
  }

  delete(key: string): void {
    const s = this.slotHeld(key);
    if (s === undefined) return;
    const cells = this.cells as Float64Array;
    cells[2 * s] = 0;
    cells[2 * s + 1] = 0;
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
    const grown = grownColumns(this.cells, old, 2, grownSlots(old ? old.length : 0, s, this.slots.expected));
    this.cells = grown.cells;
    return (this.present = grown.present);
  }
}
