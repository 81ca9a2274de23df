/**
 * Named events on the platform's timers (upstream's `schedule` keyed by event id, without its
 * busy `process()` loop). Scheduling an id that is pending replaces it; the number of pending
 * events is capped; a handler that throws is contained and counted (upstream lets it kill the
 * work loop, §9.2 item 7).
 */
import type { TimerHandle, Timers } from '../platform/platform.js';
import type { Counters } from './counters.js';

interface Pending {
  readonly handle: TimerHandle;
  readonly due: number;
}

export class Scheduler {
  readonly #timers: Timers;
  readonly #now: () => number;
  readonly #counters: Counters;
  readonly #limit: number;
  readonly #pending = new Map<string, Pending>();

  constructor(timers: Timers, now: () => number, counters: Counters, limit: number) {
    this.#timers = timers;
    this.#now = now;
    this.#counters = counters;
    this.#limit = limit;
  }

  /** Run `handler` after `delayMs` under `id`. False (and counted) when the schedule is full. */
  schedule(id: string, delayMs: number, handler: () => void): boolean {
    const old = this.#pending.get(id);
    if (old) this.#timers.clearTimeout(old.handle);
    else if (this.#pending.size >= this.#limit) {
      this.#counters.inc('schedule_full');
      return false;
    }
    const handle = this.#timers.setTimeout(() => {
      if (this.#pending.get(id)?.handle !== handle) return;
      this.#pending.delete(id);
      try {
        handler();
      } catch {
        this.#counters.inc('event_error');
      }
    }, delayMs);
    this.#pending.set(id, { handle, due: this.#now() + delayMs });
    return true;
  }

  cancel(id: string): boolean {
    const p = this.#pending.get(id);
    if (!p) return false;
    this.#timers.clearTimeout(p.handle);
    this.#pending.delete(id);
    return true;
  }

  has(id: string): boolean {
    return this.#pending.has(id);
  }

  /** Due time (platform ms) of a pending event. */
  due(id: string): number | undefined {
    return this.#pending.get(id)?.due;
  }

  get size(): number {
    return this.#pending.size;
  }

  ids(): string[] {
    return [...this.#pending.keys()];
  }

  cancelAll(): void {
    for (const p of this.#pending.values()) this.#timers.clearTimeout(p.handle);
    this.#pending.clear();
  }
}
