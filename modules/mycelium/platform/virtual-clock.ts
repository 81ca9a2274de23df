/**
 * A virtual clock with timers, for tests and the simulator: time moves only when `advance` is
 * called, so an hour of mesh life runs in milliseconds and every run is reproducible. Pure
 * ECMAScript (runs on XS too). Timers due at the same time fire in the order they were set.
 */
import type { Clock, TimerHandle, Timers } from './platform.js';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

export class VirtualClock implements Clock, Timers {
  #now: number;
  #nextId = 1;
  #pending: Pending[] = []; // sorted by (due, id)

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const t: Pending = { id: this.#nextId++, due: this.#now + Math.max(0, delayMs), callback };
    let i = this.#pending.length;
    while (i > 0 && this.#pending[i - 1].due > t.due) i--;
    this.#pending.splice(i, 0, t);
    return t.id;
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.#pending.findIndex((t) => t.id === handle);
    if (i >= 0) this.#pending.splice(i, 1);
  }

  /** Number of timers not yet fired. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /** Due time of the next timer, or undefined. */
  get nextDue(): number | undefined {
    return this.#pending[0]?.due;
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due, in order; a timer set by a
   * callback fires in the same call if it is due by the end. Returns how many fired.
   */
  advance(ms: number): number {
    const end = this.#now + Math.max(0, ms);
    let fired = 0;
    while (this.#pending.length > 0 && this.#pending[0].due <= end) {
      const t = this.#pending.shift() as Pending;
      this.#now = t.due;
      fired++;
      t.callback();
    }
    this.#now = end;
    return fired;
  }
}
