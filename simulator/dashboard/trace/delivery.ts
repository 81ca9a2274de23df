/**
 * Delivery over time for the dashboard's chart: the scenario's traffic messages (blob and ping
 * flows) by the simulated second they were handed to their source, and how many of those have
 * reached their destination so far. Matched the way the run's ledger matches them (message id;
 * a ping by source and its id's low byte, the nonce), so the buckets add up to the report's
 * `sent` and `delivered`. Sends a flow skipped before handing them to a node (source down, no
 * address, …) are not seen here, as they are not in the report's ratio.
 *
 * A delivery changes an earlier bucket, so `take` hands out everything from the earliest
 * bucket that changed since the last call.
 */

import type { DeliveryBucket } from './types.js';

export class DeliveryRecorder {
  readonly buckets: DeliveryBucket[] = [];
  /** Message id → [second sent, destination], until it arrives. */
  readonly #open = new Map<number, [number, number]>();
  /** src * 256 + nonce → latest ping id. */
  readonly #pings = new Map<number, number>();
  #dirty = Infinity;

  sent(id: number, src: number, dst: number, ping: boolean, t: number): void {
    const sec = Math.floor(t / 1000);
    while (this.buckets.length <= sec) this.buckets.push([0, 0]);
    this.buckets[sec][0]++;
    this.#open.set(id, [sec, dst]);
    if (ping) this.#pings.set(src * 256 + (id & 0xff), id);
    this.#dirty = Math.min(this.#dirty, sec);
  }

  /** Message `id` reached `node` (copies and wrong nodes are ignored). */
  arrived(id: number, node: number): void {
    const m = this.#open.get(id);
    if (!m || m[1] !== node) return;
    this.#open.delete(id);
    this.buckets[m[0]][1]++;
    this.#dirty = Math.min(this.#dirty, m[0]);
  }

  pingArrived(src: number, node: number, nonce: number): void {
    const id = this.#pings.get(src * 256 + nonce);
    if (id !== undefined) this.arrived(id, node);
  }

  /** Buckets from the earliest one changed since the last call (undefined: none changed). */
  take(): { from: number; buckets: DeliveryBucket[] } | undefined {
    if (this.#dirty === Infinity) return undefined;
    const from = this.#dirty;
    this.#dirty = Infinity;
    return { from, buckets: this.buckets.slice(from).map((b) => [b[0], b[1]]) };
  }
}
