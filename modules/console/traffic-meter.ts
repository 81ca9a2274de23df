/**
 * Rates for `status` (what rnstatus shows per interface): frames per second in and out, packets
 * delivered to our apps per second, and the share of time our radios spent transmitting, over the
 * last minute. The node keeps only running totals (counters, a radio's `txAirtimeMs`), so the
 * meter samples them every few seconds into a small ring and subtracts the oldest sample still in
 * the minute from now. Until it has a sample a few seconds old, it answers over the node's
 * whole uptime instead ("since start").
 */
import type { Node } from '../mycelium/node.js';
import type { TimerHandle } from '../mycelium/platform/platform.js';

export const SAMPLE_MS = 5_000;
export const WINDOW_MS = 60_000;
/** Samples kept: one window's worth plus the one at its start. */
const SLOTS = WINDOW_MS / SAMPLE_MS + 1;

export interface TrafficRates {
  /** Span the rates cover, ms. */
  readonly windowMs: number;
  /** True when the meter has no older sample and the figures cover the node's uptime. */
  readonly sinceStart: boolean;
  readonly inPerS: number;
  readonly outPerS: number;
  readonly deliveredPerS: number;
  /** Transmit time / window, 0..100; absent when no radio of the node reports its airtime. */
  readonly airtimePct?: number;
}

interface Totals {
  readonly at: number;
  readonly rx: number;
  readonly tx: number;
  readonly delivered: number;
  /** Sum over radios that report it; undefined when none does. */
  readonly airMs: number | undefined;
}

export class TrafficMeter {
  readonly #node: Node;
  /** Ring of samples, oldest first once full (bounded by SLOTS). */
  readonly #ring: Totals[] = [];
  #timer: TimerHandle | undefined;

  constructor(node: Node) {
    this.#node = node;
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#ring.length = 0;
    this.#sample();
  }

  stop(): void {
    if (this.#timer !== undefined) this.#node.platform.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #sample(): void {
    this.#timer = undefined;
    try {
      this.#ring.push(this.#totals());
      if (this.#ring.length > SLOTS) this.#ring.shift();
      this.#timer = this.#node.platform.setTimeout(() => this.#sample(), SAMPLE_MS);
    } catch {
      // a host without a working node: no rates (status says what is wrong), no timer left behind
    }
  }

  #totals(): Totals {
    const node = this.#node;
    const c = node.packager.counters;
    let airMs: number | undefined;
    for (const iface of node.packager.interfaces) {
      const ms = iface.radio.txAirtimeMs?.();
      if (typeof ms === 'number' && Number.isFinite(ms)) airMs = (airMs ?? 0) + ms;
    }
    return { at: node.platform.now(), rx: c.get('rx_frames'), tx: c.get('tx_frames'), delivered: c.get('delivered'), airMs };
  }

  /** Rates now; undefined when the node has not run long enough to say anything (under a second). */
  rates(): TrafficRates | undefined {
    const now = this.#totals();
    const from = this.#ring.find((s) => now.at - s.at <= WINDOW_MS + SAMPLE_MS / 2 && now.at - s.at >= SAMPLE_MS);
    if (from) return rates(from, now, false);
    // No sample old enough: since the node started (its counters began at zero then).
    const uptime = this.#node.uptimeMs;
    if (uptime < 1000) return undefined;
    return rates({ at: now.at - uptime, rx: 0, tx: 0, delivered: 0, airMs: now.airMs === undefined ? undefined : 0 }, now, true);
  }
}

function rates(a: Totals, b: Totals, sinceStart: boolean): TrafficRates {
  const ms = b.at - a.at;
  // A counter lower than before (a restarted node) counts as nothing rather than a negative rate.
  const perS = (x: number) => Math.round((Math.max(0, x) * 10_000) / ms) / 10;
  const air = a.airMs !== undefined && b.airMs !== undefined ? Math.round((Math.max(0, b.airMs - a.airMs) * 1000) / ms) / 10 : undefined;
  return {
    windowMs: ms,
    sinceStart,
    inPerS: perS(b.rx - a.rx),
    outPerS: perS(b.tx - a.tx),
    deliveredPerS: perS(b.delivered - a.delivered),
    ...(air !== undefined && { airtimePct: air }),
  };
}
