/**
 * When each of a Packager's neighbours was last heard and its Beacon timeout counter (peer.ts
 * `lastRx`, `timeout`) as columns on the node's key index (node-slots.ts), not as two fields of
 * every `Peer` (a 16 B slot each on XS, issue 21): a 4 B word each by the neighbour's slot
 * (whole-words.ts: 16 B of a `Float64Array` before session 25, and again where the clock has
 * fractions of a ms) and a presence byte. A Packager's peer holds its key on the index from its
 * making until the Packager drops it (its numbers then stay with the object); the slot's cells
 * are cleared when it goes, so a key that reuses the slot starts bare. Not capped here: the peer
 * table is.
 */
import type { NodeSlots } from './node-slots.js';
import { SlotColumns } from './slot-columns.js';
import { WholeWords } from './whole-words.js';

export class PeerTimes extends SlotColumns {
  /** Slot → when the neighbour was last heard (platform ms). */
  declare rx: WholeWords;
  /** Slot → its Beacon timeout counter. */
  declare timeouts: WholeWords;

  constructor(slots: NodeSlots) {
    super(slots, 0);
  }

  /**
   * Enter `key` with its two numbers: its slot, which stays `key`'s until `delete` (the key is
   * held on the index meanwhile), so a peer keeps it and reads its cells without a lookup.
   */
  enter(key: string, lastRx: number, timeout: number): number {
    const s = this.entrySlot(key);
    this.rx.put(s, lastRx);
    this.timeouts.put(s, timeout);
    return s;
  }

  delete(key: string): void {
    this.dropEntry(key);
  }

  protected override growCells(n: number): void {
    this.rx = this.rx ? this.rx.grown(n) : new WholeWords(n);
    this.timeouts = this.timeouts ? this.timeouts.grown(n) : new WholeWords(n);
  }

  protected override clearCells(s: number): void {
    this.rx.put(s, 0);
    this.timeouts.put(s, 0);
  }
}
