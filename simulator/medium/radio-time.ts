/**
 * Where each node's radio spent its time, accumulated exactly on the virtual clock from the
 * medium's events: power changes (node down/up, radio sleep/wake) and frames going on air.
 *
 * Every instant of a node's life is in exactly one state, by priority:
 *   off     the node is down (churn): no current at all;
 *   asleep  the node is up, its radio off (the Packager's modem sleep, a scenario sleep window);
 *   tx      the radio is on and transmitting (its own frames' air time, link-layer retries included);
 *   rx      on, not transmitting, and some frame from a node in reach is on air (a link that is
 *           not cut, whoever the frame is for, whatever the loss draw: the radio demodulates it);
 *           a frame whose start the radio missed (asleep then) is not received;
 *   listen  on and idle.
 *
 * Frames are registered when they go on air, in time order, and may end in the future: the
 * busy time already counted past "now" is taken back when the radio goes off mid-frame, and
 * left out of a snapshot. A transmission overlapping a reception takes that time from rx (half
 * duplex: a transmitting radio hears nothing).
 */
import { DutyCycle } from './duty-cycle.js';

export const OFF = 0;
export const ASLEEP = 1;
export const ON = 2;
export type PowerState = typeof OFF | typeof ASLEEP | typeof ON;

/** A node's radio state times, ms. */
export interface RadioTimes {
  readonly txMs: number;
  readonly rxMs: number;
  readonly listenMs: number;
  readonly sleepMs: number;
  readonly offMs: number;
}

class NodeTime {
  state: PowerState = ON;
  since: number;
  /** Closed power segments, ms. */
  onMs = 0;
  sleepMs = 0;
  offMs = 0;
  /** Busy time counted so far, possibly reaching past now. */
  txMs = 0;
  rxMs = 0;
  /** End of the latest transmission, and of all busy time counted (tx or rx). */
  txEnd = -Infinity;
  covered = -Infinity;
  /** The transmission not yet given to the duty cycle (it may still be cut short). */
  pendingStart = NaN;
  pendingEnd = NaN;
  readonly duty = new DutyCycle();
  constructor(now: number) {
    this.since = now;
  }
}

export class RadioTime {
  readonly #nodes: NodeTime[] = [];
  #hourWindows = true;

  /** A new node, powered and listening from `now`. */
  add(now: number): void {
    const n = new NodeTime(now);
    if (!this.#hourWindows) n.duty.totalsOnly();
    this.#nodes.push(n);
  }

  /**
   * The run lasts less than an hour (DUTY_WINDOW_MS): its duty cycle is transmit time ÷ its
   * length, so keep transmit totals only, not the intervals of the last hour (duty-cycle.ts).
   * Call before time starts; applies to every node, present and future.
   */
  totalsOnly(): void {
    this.#hourWindows = false;
    for (const n of this.#nodes) n.duty.totalsOnly();
  }

  setPower(index: number, state: PowerState, now: number): void {
    const n = this.#nodes[index];
    if (n.state === state) return;
    const span = now - n.since;
    if (n.state === ON) {
      n.onMs += span;
      this.#cut(n, now);
    } else if (n.state === ASLEEP) {
      n.sleepMs += span;
    } else {
      n.offMs += span;
    }
    n.state = state;
    n.since = now;
  }

  isOn(index: number): boolean {
    return this.#nodes[index].state === ON;
  }

  /** The node's radio transmits over [start, end] (start = now). */
  transmit(index: number, start: number, end: number): void {
    const n = this.#nodes[index];
    if (n.state !== ON || !(end > start)) return;
    // Busy time already counted in [start, ...) is rx except where an earlier transmission runs on.
    const from = n.txEnd > start ? n.txEnd : start;
    const moved = Math.min(n.covered, end) - from;
    if (moved > 0) n.rxMs -= moved;
    if (end > from) n.txMs += end - from;
    if (n.pendingEnd >= start) {
      // Overlaps the previous transmission (a frame queued before that one's retries were known).
      if (end > n.pendingEnd) n.pendingEnd = end;
    } else {
      this.#settle(n);
      n.pendingStart = start;
      n.pendingEnd = end;
    }
    if (end > n.txEnd) n.txEnd = end;
    if (end > n.covered) n.covered = end;
  }

  /** A frame is on air in the node's reach over [start, end] (start = now); ignored unless its radio is on. */
  receive(index: number, start: number, end: number): void {
    const n = this.#nodes[index];
    if (n.state !== ON) return;
    const from = n.covered > start ? n.covered : start;
    if (end > from) {
      n.rxMs += end - from;
      n.covered = end;
    }
  }

  /** The node's state times up to `now` (does not change anything). */
  times(index: number, now: number): RadioTimes {
    const n = this.#nodes[index];
    const span = now - n.since;
    const on = n.onMs + (n.state === ON ? span : 0);
    let tx = n.txMs;
    let rx = n.rxMs;
    if (n.state === ON) {
      const txAhead = Math.max(0, n.txEnd - now);
      tx -= txAhead;
      rx -= Math.max(0, n.covered - now) - txAhead;
    }
    return {
      txMs: tx,
      rxMs: rx,
      listenMs: Math.max(0, on - tx - rx),
      sleepMs: n.sleepMs + (n.state === ASLEEP ? span : 0),
      offMs: n.offMs + (n.state === OFF ? span : 0),
    };
  }

  /**
   * The node's duty-cycle figures up to `now`: transmit ms in all, and the largest transmit ms
   * in any hour-long window. Settles the transmission in progress as if it ended at `now`, so
   * call it once, at the end of the run.
   */
  duty(index: number, now: number): { totalMs: number; maxWindowMs: number } {
    const n = this.#nodes[index];
    if (n.pendingEnd > now) n.pendingEnd = now;
    this.#settle(n);
    return { totalMs: n.duty.total, maxWindowMs: n.duty.maxWindowMs };
  }

  /** The radio goes off at `t`: busy time counted past t is taken back, the transmission ends at t. */
  #cut(n: NodeTime, t: number): void {
    const txAhead = Math.max(0, n.txEnd - t);
    const busyAhead = Math.max(0, n.covered - t);
    n.txMs -= txAhead;
    n.rxMs -= busyAhead - txAhead;
    if (n.txEnd > t) n.txEnd = t;
    if (n.covered > t) n.covered = t;
    if (n.pendingEnd > t) n.pendingEnd = t;
    this.#settle(n);
  }

  #settle(n: NodeTime): void {
    if (Number.isNaN(n.pendingStart)) return;
    n.duty.add(n.pendingStart, n.pendingEnd);
    n.pendingStart = NaN;
    n.pendingEnd = NaN;
  }
}
