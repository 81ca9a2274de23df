/**
 * The XS runner's worker clock: the timers of the few nodes one worker hosts (a few hundred at
 * 32 nodes), in one array sorted by (due, id) with the next timer last. What the worker asks of a
 * clock (xs-worker-entry.ts) and no more; the host and the in-process runner keep VirtualClock.
 *
 * Why not VirtualClock's heap: on XS every comparison and move of a sift is bytecodes, and a
 * timer's pop cost ≈ 930 of them at 185 timers (telemetry-25, 32 nodes a worker). Here a timer is
 * placed by a binary search and the array's native `splice` moves the rest (a memmove in C), and
 * the next one leaves by `pop`. The order is the same: (due, id) is unique, and both clocks fire
 * by it. A timer cleared leaves the array at once (found by the same search), so none waits there.
 */
import type { Clock, TimerHandle, Timers } from '../../modules/mycelium/platform/platform.js';

/** A pending timer; the object is the caller's handle. `due` and `id` first: XS finds a property by walking them in creation order. */
class WorkerTimer {
  readonly due: number;
  readonly id: number;
  callback: (() => void) | undefined;
  readonly clock: WorkerClock;
  constructor(due: number, id: number, callback: () => void, clock: WorkerClock) {
    this.due = due;
    this.id = id;
    this.callback = callback;
    this.clock = clock;
  }
}

export class WorkerClock implements Clock, Timers {
  private nowMs = 0;
  /** Pending timers, latest first: the next one is last. */
  private readonly timers: WorkerTimer[] = [];
  private nextId = 1;

  now(): number {
    return this.nowMs;
  }

  /** A negative or NaN delay counts as 0 (due now, after the timers already due now), as VirtualClock's. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const t = new WorkerTimer(this.nowMs + (delayMs > 0 ? delayMs : 0), this.nextId++, callback, this);
    this.timers.splice(this.placeOf(t.due, t.id), 0, t);
    return t;
  }

  /** No-op for a timer that already fired, was already cleared, or is not this clock's. */
  clearTimeout(handle: TimerHandle): void {
    if (!(handle instanceof WorkerTimer) || handle.callback === undefined || handle.clock !== this) return;
    handle.callback = undefined;
    const timers = this.timers;
    const at = this.placeOf(handle.due, handle.id); // its own place: keys are unique
    if (timers[at] === handle) timers.splice(at, 1);
  }

  /** Due time of the next timer, or undefined. */
  get nextDue(): number | undefined {
    const timers = this.timers;
    return timers.length > 0 ? timers[timers.length - 1].due : undefined;
  }

  /** Due time and id of the next timer, or undefined. */
  peekNext(): { readonly due: number; readonly id: number } | undefined {
    const timers = this.timers;
    if (timers.length === 0) return undefined;
    const t = timers[timers.length - 1];
    return { due: t.due, id: t.id };
  }

  /**
   * Fires the next timer if it sorts at or before (`due`, `id`) and is due by `limit`, time moving
   * to its due time; false (nothing fired) otherwise. VirtualClock.stepThrough.
   */
  stepThrough(due: number, id: number, limit = Infinity): boolean {
    const timers = this.timers;
    const n = timers.length;
    if (n === 0) return false;
    const t = timers[n - 1];
    const d = t.due;
    if (d > due || (d === due && t.id > id) || d > limit) return false;
    timers.pop();
    this.nowMs = d;
    const callback = t.callback as () => void;
    t.callback = undefined;
    callback();
    return true;
  }

  /** Move time to `ms` without firing anything. */
  moveTo(ms: number): void {
    if (ms > this.nowMs) this.nowMs = ms;
  }

  /** The id the next timer set here will take. */
  get nextTimerId(): number {
    return this.nextId;
  }

  /** Ids below `id` were taken by the host's clock: the next timer set here takes `id`. */
  skipTimerIds(id: number): void {
    if (id > this.nextId) this.nextId = id;
  }

  /** Where a timer due at `due` with id `id` goes: after every one that sorts after it. */
  private placeOf(due: number, id: number): number {
    const timers = this.timers;
    let lo = 0;
    let hi = timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = timers[mid];
      if (m.due > due || (m.due === due && m.id > id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
