/**
 * Ping requests made while this node holds no address: they wait for one (docs/routing.md
 * "Sends that wait for a way").
 *
 * A REQUEST carries its sender's address, where the answer is routed, so Ping cannot hand it to
 * the Packager's held sends (packager/held-sends.ts), which keep a message's bytes as they were
 * made: without an address there is nothing to write in it. Refused at once, such a request was
 * lost, though holding no address is a passing state more often than not: the node booted a
 * moment ago and its tree has not reached it yet (a console `ping` typed right after power-on).
 * So the request waits as the Packager's held sends do, as long as its
 * end-to-end retries would have taken (`sendRetryDelayMs` × their span, 6 s on ESP-NOW), and is
 * made the moment the node takes an address (the Packager's `set_addr`): its ts1, nonce and
 * metric as asked, its address the one taken. Past the wait it is given up
 * (`ping_wait_failed`).
 *
 * Bounded: at most WAITING requests wait (`ping_wait_full` and refused as before past it); only
 * our own requests fill the table. The hook is added while one waits, removed after.
 */
import { retrySpanPeriods } from '../packager/retry-backoff.js';
import type { Packager } from '../packager/packager.js';
import type { Clock } from '../platform/platform.js';
import type { Address } from '../wire/address.js';
import type { Metric } from '../wire/constants.js';

/** Requests waiting at once. */
const WAITING = 4;

/** What a request is made of again once we hold an address. */
export interface WaitingRequest {
  readonly target: Uint8Array | Address;
  readonly metric: Metric;
  readonly nonce: number;
  /** Platform ms past which it is given up. */
  readonly until: number;
}

export class AddressWaits {
  readonly #packager: Packager;
  readonly #clock: Clock;
  /** The event that sends them (just after an address is stored) or gives them up. */
  readonly #eventId: string;
  readonly #send: (w: WaitingRequest) => void;
  #waiting: WaitingRequest[] | undefined;

  /** `send` makes a waiting request now that we hold an address (Ping.request). */
  constructor(packager: Packager, clock: Clock, eventId: string, send: (w: WaitingRequest) => void) {
    this.#packager = packager;
    this.#clock = clock;
    this.#eventId = eventId;
    this.#send = send;
  }

  /** Keep a request until we hold an address; false when the table is full. */
  hold(target: Uint8Array | Address, metric: Metric, nonce: number): boolean {
    const p = this.#packager;
    const waiting = (this.#waiting ??= []);
    if (waiting.length >= WAITING) {
      p.counters.inc('ping_wait_full');
      return false;
    }
    const t = p.timings;
    const until = this.#clock.now() + t.sendRetryDelayMs * Math.max(1, retrySpanPeriods(t.sendRetryCount, t.sendRetryMaxBackoff));
    waiting.push({ target: target instanceof Uint8Array ? target.slice() : target, metric, nonce, until });
    p.counters.inc('ping_wait');
    if (waiting.length === 1) p.addHook('set_addr', this.addressTaken, this);
    this.arm(until);
    return true;
  }

  /** Drop every waiting request (the app stops). */
  clear(): void {
    if (this.#waiting === undefined) return;
    this.#waiting = undefined;
    this.#packager.removeHook('set_addr', this.addressTaken, this);
    this.#packager.cancel(this.#eventId);
  }

  /** `set_addr` fires before the address is stored: send on the next tick. */
  private addressTaken(): void {
    this.arm(0);
  }

  private arm(until: number): void {
    const p = this.#packager;
    const now = this.#clock.now();
    const due = p.dueTime(this.#eventId);
    if (due !== undefined && due <= until) return;
    p.schedule(this.#eventId, Math.max(0, until - now), AddressWaits.tick, this);
  }

  private static tick(self: AddressWaits): void {
    const waiting = self.#waiting;
    if (!waiting) return;
    const p = self.#packager;
    if (p.address) {
      self.clear();
      for (const w of waiting) self.#send(w);
      return;
    }
    const now = self.#clock.now();
    const left = waiting.filter((w) => w.until > now);
    for (let i = left.length; i < waiting.length; i++) p.counters.inc('ping_wait_failed');
    if (left.length === 0) {
      self.clear();
      return;
    }
    self.#waiting = left;
    let next = Infinity;
    for (const w of left) next = Math.min(next, w.until);
    p.schedule(self.#eventId, Math.max(1, next - now), AddressWaits.tick, self);
  }
}
