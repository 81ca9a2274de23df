/**
 * Named events on the platform's timers (upstream's `schedule` keyed by event id, without its
 * busy `process()` loop). Scheduling an id that is pending replaces it; a handler that throws is
 * contained and counted (upstream lets it kill the work loop, §9.2 item 7).
 *
 * Budgets (issue 19): the table is capped, and so is each owner's share of it, so one source of
 * events (a flood of sends and their retries, forged Ping requests, Gossip echoes) cannot take
 * the slots every other part needs. An owner is the app whose id starts the event id (apps name
 * their events `<app id hex>…`), else the id's two-letter family (RP, RS, SS, …). And a
 * handler may always re-arm its own id: the slot it just freed is its own, so a periodic timer
 * can never be refused and lost for good because the table filled meanwhile.
 */
import type { TimerHandle, Timers } from '../platform/platform.js';

/** Timers and the clock they run on (the platform). */
type Clock = Timers & { now(): number };
import type { Counters } from './counters.js';

/** Hex digits of an app id. */
const APP_HEX = 32;

/**
 * A pending event. Each has a platform timer of its own, armed when it is scheduled (so that it
 * fires exactly where it did among every other timer of the host), but all of a scheduler's
 * timers call one shared callback, which runs the event whose timer that is: the earliest by
 * `at`, and of equals the first in the table, whose order is the order the timers were set in:
 * the order a host fires timers in (due time, then the order they were set). A
 * callback per event (a closure over it) cost ≈ 200 B on XS for every event pending (issue 21).
 */
class Pending {
  readonly id: string;
  readonly handler: EventHandler<unknown>;
  /** What the handler is called with: an app hands in a shared function and itself, not a closure. */
  readonly arg: unknown;
  /** When its timer fires, its due time (the delay as a host's timer takes it: a negative one is 0). */
  readonly at: number;
  /** Set as soon as the timer is armed, before anything can look the event up. */
  handle: TimerHandle;

  constructor(id: string, handler: EventHandler<unknown>, arg: unknown, at: number) {
    this.id = id;
    this.handler = handler;
    this.arg = arg;
    this.at = at;
  }
}

/**
 * What an event runs: called with the `arg` it was scheduled with. A handler that needs its
 * owner takes it as `arg` (a static method or module function), so that a pending event holds
 * no closure of its own: an arrow closing over `this` costs ≈ 200 B on XS (issue 21).
 */
export type EventHandler<A> = (arg: A) => void;

/**
 * Whether an event id starts with 32 lowercase hex digits (an app id), as /^[0-9a-f]{32}/ tells:
 * each 8-digit part read as a number must print back as itself. A RegExp per scheduler cost 248 B
 * on XS (issue 21; a module-level one never matched once preloaded into the firmware, session 8),
 * and a charCodeAt loop over 32 digits 1,391 bytecodes an event.
 */
function appLed(id: string): boolean {
  if (id.length < APP_HEX) return false;
  for (let i = 0; i < APP_HEX; i += 8) {
    const part = id.slice(i, i + 8);
    const n = parseInt(part, 16);
    if (n !== n || (n >>> 0).toString(16).padStart(8, '0') !== part) return false;
  }
  return true;
}

export class Scheduler {
  private readonly timers: Clock;
  private readonly counters: Counters;
  private readonly limit: number;
  private readonly perOwner: number;
  private readonly pending = new Map<string, Pending>();
  /** Pending events per owner. */
  private readonly owners = new Map<string, number>();
  /** The id whose handler is running (it may re-arm itself whatever the budgets). */
  private running: string | undefined;
  /** Every timer's callback: run the event whose timer fell due (see Pending). */
  private readonly fireNext = (): void => this.fireEarliest();

  constructor(timers: Clock, counters: Counters, limit: number, perOwner = limit) {
    this.timers = timers;
    this.counters = counters;
    this.limit = limit;
    this.perOwner = Math.max(1, perOwner);
  }

  /** Run `handler` after `delayMs` under `id`. False (and counted) when the schedule is full. */
  schedule<A>(id: string, delayMs: number, handler: EventHandler<A>, arg?: A): boolean {
    const old = this.pending.get(id);
    const owner = this.ownerOf(id);
    // A replaced event goes to the end: the table's order is the order its timers were set in.
    if (old) {
      this.timers.clearTimeout(old.handle);
      this.pending.delete(id);
    }
    else if (id !== this.running) {
      if (this.pending.size >= this.limit) {
        this.counters.inc('schedule_full');
        return false;
      }
      if ((this.owners.get(owner) ?? 0) >= this.perOwner) {
        this.counters.inc('schedule_owner_full');
        return false;
      }
    }
    const now = this.timers.now();
    const p = new Pending(id, handler as EventHandler<unknown>, arg, now + (delayMs > 0 ? delayMs : 0));
    p.handle = this.timers.setTimeout(this.fireNext, delayMs);
    if (!old) this.owners.set(owner, (this.owners.get(owner) ?? 0) + 1);
    this.pending.set(id, p);
    return true;
  }

  /**
   * One of our timers fired: run the earliest pending event, whose timer it is (a replaced or
   * cancelled event's timer was cleared). A host that fires a timer late only delays the event;
   * none runs before its own timer's due time.
   */
  private fireEarliest(): void {
    let p: Pending | undefined;
    for (const e of this.pending.values()) if (!p || e.at < p.at) p = e; // the first of equals: set first
    if (!p) return;
    this.remove(p.id);
    const outer = this.running;
    this.running = p.id;
    try {
      p.handler(p.arg);
    } catch {
      this.counters.inc('event_error');
    } finally {
      this.running = outer;
    }
  }

  cancel(id: string): boolean {
    const p = this.pending.get(id);
    if (!p) return false;
    this.timers.clearTimeout(p.handle);
    this.remove(id);
    return true;
  }

  private remove(id: string): void {
    this.pending.delete(id);
    const owner = this.ownerOf(id);
    const n = (this.owners.get(owner) ?? 1) - 1;
    if (n > 0) this.owners.set(owner, n);
    else this.owners.delete(owner);
  }

  has(id: string): boolean {
    return this.pending.has(id);
  }

  /** Due time (platform ms) of a pending event. */
  due(id: string): number | undefined {
    return this.pending.get(id)?.at;
  }

  get size(): number {
    return this.pending.size;
  }

  ids(): string[] {
    return [...this.pending.keys()];
  }

  cancelAll(): void {
    for (const p of this.pending.values()) this.timers.clearTimeout(p.handle);
    this.pending.clear();
    this.owners.clear();
  }

  /** Who an event id belongs to: an app (its 32-hex-digit id leads), else the id's family. */
  private ownerOf(id: string): string {
    // An owner already counted needs no check: appLed reads only the first APP_HEX characters,
    // and a family owner is 2 long. Most events are an app's own, which has others pending
    // (removing one always finds its owner here): appLed took 3 % of the simulator at 100 nodes.
    const head = id.slice(0, APP_HEX);
    if (head.length === APP_HEX && this.owners.has(head)) return head;
    if (appLed(id)) return head;
    return id.slice(0, 2);
  }
}
