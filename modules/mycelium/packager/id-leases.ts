/**
 * Leases on the 8-bit packet_id and seq_id counters, so that an id names one message for as
 * long as any receiver may still remember it. A receiver recognises a retry by (origin, id,
 * body digest) within its duplicate window; if the counter wrapped inside that window, a new
 * message with the same bytes would carry the same id and be taken for a retry (dropped, but
 * acked: the sender would believe it delivered). So an id is held from each transmission until
 * the receivers' window after it has passed, and the counter skips held ids. When every id is
 * held, the caller refuses the send (`busy`) instead of reusing one.
 *
 * The wire is unchanged: ids are still upstream's u8 counters, just not always consecutive.
 */
import { WholeWords } from './whole-words.js';

const IDS = 256;

export class IdLeases {
  /**
   * Platform ms until which each id is held (0: free); made on the first hold. In 4 B words on a
   * device's whole-ms clock (1 KB a table, where a Float64Array took 2 KB: every node that sends
   * holds two; issue 21), in floats on the simulator's fractional one (whole-words.ts).
   */
  private until: WholeWords | undefined;

  /** The first id at or after `start` (mod 256) not held at `now`, or −1 when all are held. */
  free(start: number, now: number): number {
    const until = this.until;
    if (!until) return start & 0xff;
    for (let i = 0; i < IDS; i++) {
      const id = (start + i) & 0xff;
      if (until.at(id) <= now) return id;
    }
    return -1;
  }

  /** Hold `id` until `untilMs` (a later hold extends it, an earlier one never shortens it). */
  hold(id: number, untilMs: number): void {
    const i = id & 0xff;
    const until = (this.until ??= new WholeWords(IDS));
    if (untilMs > until.at(i)) until.put(i, untilMs);
  }

  /** Ids held at `now` (for `sizes()`). */
  held(now: number): number {
    const until = this.until;
    if (!until) return 0;
    let n = 0;
    for (let i = 0; i < IDS; i++) if (until.at(i) > now) n++;
    return n;
  }

  clear(): void {
    this.until = undefined;
  }
}
