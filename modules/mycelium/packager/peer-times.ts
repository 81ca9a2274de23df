/**
 * When each of a Packager's neighbours was last heard and its Beacon timeout counter (peer.ts
 * `lastRx`, `timeout`) as columns on the node's key index (node-slots.ts), not as two fields of
 * every `Peer` (a 16 B slot each on XS, issue 21): 16 B of a `Float64Array` by the neighbour's
 * slot and a presence byte. A Packager's peer holds its key on the index from its making until the
 * Packager drops it (its numbers then stay with the object); the slot's cells are cleared when it
 * goes, so a key that reuses the slot starts bare. Not capped here: the peer table is.
 */
import type { NodeSlots } from './node-slots.js';
import { SlotColumns } from './slot-columns.js';

/** The cells of a slot: when last heard, and the timeout counter. */
export const LAST_RX = 0;
export const TIMEOUT = 1;

export class PeerTimes extends SlotColumns {
  constructor(slots: NodeSlots) {
    super(slots, 2);
  }

  /** `key`'s number in `cell` (undefined: not a peer here). */
  get(key: string, cell: number): number | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : this.cells[2 * s + cell];
  }

  /** Set `key`'s number in `cell`, holding the key on the index when it is new here. */
  set(key: string, cell: number, value: number): void {
    const s = this.entrySlot(key); // first: it may grow `cells`
    this.cells[2 * s + cell] = value;
  }

  /**
   * Enter `key` with its two numbers: its slot, which stays `key`'s until `delete` (the key is
   * held on the index meanwhile), so a peer keeps it and reads its cells without a lookup.
   */
  enter(key: string, lastRx: number, timeout: number): number {
    const s = this.entrySlot(key);
    this.cells[2 * s + LAST_RX] = lastRx;
    this.cells[2 * s + TIMEOUT] = timeout;
    return s;
  }

  delete(key: string): void {
    this.dropEntry(key);
  }
}
