/**
 * The latest reading of each node, with when it arrived. At most `limit` nodes: a node not yet
 * in the table evicts the one heard longest ago (a node that went quiet goes first).
 */
import type { Reading } from './codec.js';

export interface Heard {
  readonly reading: Reading;
  /** `mesh.now()` on arrival. */
  readonly at: number;
}

export class Collector {
  readonly #limit: number;
  readonly #nodes = new Map<string, Heard>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(reading: Reading, at: number): void {
    if (!this.#nodes.has(reading.node) && this.#nodes.size >= this.#limit) this.#evictStalest();
    this.#nodes.set(reading.node, { reading, at });
  }

  get size(): number {
    return this.#nodes.size;
  }

  /** Sorted by node id, so the list reads the same every time. */
  byId(): Heard[] {
    return [...this.#nodes.values()].sort((a, b) => (a.reading.node < b.reading.node ? -1 : a.reading.node > b.reading.node ? 1 : 0));
  }

  /** The `n` heard most recently, newest first. */
  recent(n: number): Heard[] {
    return [...this.#nodes.values()].sort((a, b) => b.at - a.at).slice(0, n);
  }

  #evictStalest(): void {
    let stalest: Heard | undefined;
    for (const h of this.#nodes.values()) if (!stalest || h.at < stalest.at) stalest = h;
    if (stalest) this.#nodes.delete(stalest.reading.node);
  }
}
