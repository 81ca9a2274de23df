/**
 * A virtual clock with timers, for tests and the simulator: time moves only when `advance` is
 * called, so an hour of mesh life runs in milliseconds and every run is reproducible. Pure
 * ECMAScript (runs on XS too). Timers due at the same time fire in the order they were set.
 *
 * The simulator puts every timer of thousands of nodes on one clock (200,000 pending at 10,000
 * nodes), so the pending set is a 4-ary min-heap keyed by (due, id): set and fire are O(log n).
 * The keys sit in arrays of numbers beside the entries, so sifting compares numbers instead of
 * loading an entry object per comparison (the tree is half as deep as a binary one). Plain
 * arrays, not Float64Arrays: V8 keeps both unboxed, but the XS runner's worker (xsnap) reads a
 * typed array's element through a getter call, twice the time of an array element read. clearTimeout is O(1): it marks
 * the timer cancelled and leaves it in the heap (lazy deletion); cancelled entries are dropped
 * when they reach the top, or all at once when they outnumber the live ones, so memory stays
 * bounded when a node re-arms and cancels the same timeout over and over.
 */
import type { Clock, TimerHandle, Timers } from '../../modules/mycelium/platform/platform.js';

/** States of a timer entry. */
const PENDING = 0;
const FIRED = 1;
const CANCELLED = 2;

/** One scheduled callback; the object itself is the handle given to the caller. */
class Entry {
  readonly clock: VirtualClock;
  readonly id: number;
  readonly due: number;
  callback: (() => void) | undefined;
  state = PENDING;
  constructor(clock: VirtualClock, id: number, due: number, callback: () => void) {
    this.clock = clock;
    this.id = id;
    this.due = due;
    this.callback = callback;
  }
}

/** Children per heap node. */
const ARITY = 4;

export class VirtualClock implements Clock, Timers {
  #now: number;
  #nextId = 1;
  readonly #heap: Entry[] = [];
  /** #heap[i]'s due time and id, at index i: a fires before b by (due, id). */
  #dues: number[] = new Array<number>(1024).fill(0);
  #ids: number[] = new Array<number>(1024).fill(0);
  /** Timers set and neither fired nor cancelled (the heap also holds cancelled ones). */
  #live = 0;
  #stepLimit = Infinity;
  #lastDue = NaN;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** A negative or NaN delay counts as 0 (due now, after the timers already due now). */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const delay = delayMs > 0 ? delayMs : 0;
    const e = new Entry(this, this.#nextId++, this.#now + delay, callback);
    this.#lastDue = e.due;
    this.#push(e);
    this.#live++;
    return e;
  }

  /** No-op for a timer that already fired, was already cleared, or is not one of this clock's. */
  clearTimeout(handle: TimerHandle): void {
    if (!(handle instanceof Entry) || handle.clock !== this || handle.state !== PENDING) return;
    handle.state = CANCELLED;
    handle.callback = undefined; // let the closure be collected before the entry leaves the heap
    this.#live--;
    if (this.#heap.length > 64 && this.#live * 2 < this.#heap.length) this.#compact();
  }

  /** Number of timers not yet fired (cancelled ones are not counted). */
  get pendingCount(): number {
    return this.#live;
  }

  /** Due time of the next timer, or undefined. */
  get nextDue(): number | undefined {
    this.#dropCancelledTop();
    return this.#heap.length > 0 ? this.#heap[0].due : undefined;
  }

  /**
   * Move time forward by `ms`, firing every timer that falls due, in order; a timer set by a
   * callback fires in the same call if it is due by the end. Returns how many fired.
   */
  advance(ms: number): number {
    const end = this.#now + (ms > 0 ? ms : 0);
    const heap = this.#heap;
    let fired = 0;
    while (heap.length > 0 && heap[0].due <= end) {
      const e = this.#pop();
      if (e.state !== PENDING) continue;
      e.state = FIRED;
      this.#live--;
      this.#now = e.due;
      const callback = e.callback as () => void;
      e.callback = undefined;
      fired++;
      callback();
    }
    this.#now = end;
    return fired;
  }

  /**
   * Fire the next timer if it is due by `limit`, moving time to its due time; false (time
   * unchanged) when none is. Lets a host do asynchronous work between timers (the XS runner).
   */
  step(limit = Infinity): boolean {
    this.#stepLimit = limit;
    this.#dropCancelledTop();
    const heap = this.#heap;
    if (heap.length === 0 || heap[0].due > limit) return false;
    const e = this.#pop();
    e.state = FIRED;
    this.#live--;
    this.#now = e.due;
    const callback = e.callback as () => void;
    e.callback = undefined;
    callback();
    return true;
  }

  /**
   * `step(limit)` if the next timer sorts at or before (`due`, `id`); false (nothing fired)
   * otherwise. One call and no object where `peekNext` then `step` made two and an object a timer:
   * the XS runner's workers fire their nodes' timers through it (xs-worker-entry.ts).
   */
  stepThrough(due: number, id: number, limit = Infinity): boolean {
    this.#dropCancelledTop();
    const heap = this.#heap;
    if (heap.length === 0) return false;
    const d = this.#dues[0];
    if (d > due || (d === due && this.#ids[0] > id)) return false;
    return this.step(limit);
  }

  /** Move time to `ms` without firing anything (after `step` found nothing due by then). */
  moveTo(ms: number): void {
    if (ms > this.#now) this.#now = ms;
  }

  // ---- mirroring: another clock that keeps some of this clock's timers (the XS runner) -------
  // Timers due at the same time fire in the order of their ids, so a clock that holds some of
  // the run's timers elsewhere (an XS worker's nodes) shares the id sequence with this one and
  // leaves a stand-in here with the due time and id of its next timer.

  /** The `limit` of the last `step` call: the worker must not run timers past it. */
  get stepLimit(): number {
    return this.#stepLimit;
  }

  /** The id the next timer set here will take. */
  get nextTimerId(): number {
    return this.#nextId;
  }

  /** Due time of the last timer `setTimeout` set (NaN: none yet): the XS runner checks a held call's. */
  get lastSetDue(): number {
    return this.#lastDue;
  }

  /** Ids below `id` were taken by the mirroring clock: the next timer set here takes `id`. */
  skipTimerIds(id: number): void {
    if (id > this.#nextId) this.#nextId = id;
  }

  /** Due time and id of the next pending timer (the one `step` would fire), or undefined. */
  peekNext(): { readonly due: number; readonly id: number } | undefined {
    this.#dropCancelledTop();
    const top = this.#heap[0];
    return top === undefined ? undefined : { due: top.due, id: top.id };
  }

  /** A timer due at `due` (not before now) that sorts as id `id`, which it does not take. */
  setTimeoutAt(due: number, id: number, callback: () => void): TimerHandle {
    const e = new Entry(this, id, due > this.#now ? due : this.#now, callback);
    this.#push(e);
    this.#live++;
    return e;
  }

  /** Runs `fn` with now() reading `ms`, then puts time back: replaying what happened at `ms`. */
  replayAt(ms: number, fn: () => void): void {
    const now = this.#now;
    this.#now = ms;
    try {
      fn();
    } finally {
      this.#now = now;
    }
  }

  #dropCancelledTop(): void {
    while (this.#heap.length > 0 && this.#heap[0].state !== PENDING) this.#pop();
  }

  /** Rebuild the heap from its live entries (Floyd's heapify, O(n)). */
  #compact(): void {
    const heap = this.#heap;
    let n = 0;
    for (let i = 0; i < heap.length; i++) if (heap[i].state === PENDING) heap[n++] = heap[i];
    heap.length = n;
    for (let i = 0; i < n; i++) {
      this.#dues[i] = heap[i].due;
      this.#ids[i] = heap[i].id;
    }
    for (let i = Math.floor((n - 2) / ARITY); i >= 0; i--) this.#siftDown(i);
  }

  #push(e: Entry): void {
    const heap = this.#heap;
    let i = heap.length;
    if (i >= this.#dues.length) this.#grow();
    heap.push(e);
    const dues = this.#dues;
    const ids = this.#ids;
    const due = e.due;
    const id = e.id;
    // Sift up, moving parents down into the hole instead of swapping.
    while (i > 0) {
      const parent = ((i - 1) / ARITY) | 0;
      const pd = dues[parent];
      if (pd < due || (pd === due && ids[parent] < id)) break;
      heap[i] = heap[parent];
      dues[i] = pd;
      ids[i] = ids[parent];
      i = parent;
    }
    heap[i] = e;
    dues[i] = due;
    ids[i] = id;
  }

  /** Doubles the key arrays (filled, so that they stay arrays of numbers without holes). */
  #grow(): void {
    const n = this.#dues.length;
    this.#dues = this.#dues.concat(new Array<number>(n).fill(0));
    this.#ids = this.#ids.concat(new Array<number>(n).fill(0));
  }

  #pop(): Entry {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      this.#dues[0] = last.due;
      this.#ids[0] = last.id;
      this.#siftDown(0);
    }
    return top;
  }

  #siftDown(start: number): void {
    const heap = this.#heap;
    const dues = this.#dues;
    const ids = this.#ids;
    const n = heap.length;
    const e = heap[start];
    const due = dues[start];
    const id = ids[start];
    let i = start;
    for (;;) {
      const first = ARITY * i + 1;
      if (first >= n) break;
      // The earliest of up to ARITY children.
      let child = first;
      let cd = dues[first];
      let ci = ids[first];
      const end = first + ARITY < n ? first + ARITY : n;
      for (let c = first + 1; c < end; c++) {
        const d = dues[c];
        if (d < cd || (d === cd && ids[c] < ci)) {
          child = c;
          cd = d;
          ci = ids[c];
        }
      }
      if (due < cd || (due === cd && id < ci)) break;
      heap[i] = heap[child];
      dues[i] = cd;
      ids[i] = ci;
      i = child;
    }
    heap[i] = e;
    dues[i] = due;
    ids[i] = id;
  }
}
