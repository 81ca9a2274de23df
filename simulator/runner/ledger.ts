/**
 * The run's traffic ledger: every message a flow sent, when and whether it arrived, over how
 * many hops against the shortest path, duplicates, and why messages were not sent. Ping
 * messages are found again by (source, 8-bit nonce): the nonce is the message id's low byte, so
 * a source may have 256 pings in flight before an answer could be credited to a newer one.
 */

export type SkipReason = 'src_down' | 'dst_down' | 'no_address' | 'unreachable';

interface Message {
  readonly flow: number;
  readonly src: number;
  readonly dst: number;
  readonly sentAt: number;
  /** Fewest hops over the links that exist, at send time (or at arrival, if fewer then). */
  shortest: number;
  readonly ping: boolean;
  readonly metric: string;
  arrivedAt: number;
  hops: number;
  answeredAt: number;
  copies: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface TrafficSummary {
  readonly sent: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly duplicates: number;
  /** Copies that arrived at a node other than their destination (a stale address's new holder). */
  readonly misdelivered: number;
  readonly latency_ms: LatencySummary;
  readonly hops_mean: number;
  readonly stretch_mean: number;
  /** The smallest stretch of any delivered message (≥ 1: shortest paths are over links that exist); 0 when none. */
  readonly stretch_min: number;
  /** Pings whose answer came back to the source. */
  readonly round_trips: { readonly answered: number; readonly ratio: number; readonly rtt_ms: LatencySummary };
  /** Messages a flow did not send, by reason (not counted in `sent`). */
  readonly skipped: Record<SkipReason, number>;
  /** Messages the source node refused at once, by the Packager's error code. */
  readonly send_failed: Record<string, number>;
  readonly flows: readonly { flow: number; src: number; dst: number; sent: number; delivered: number }[];
  /** The same figures per routing metric (dTree, dCPL) used by the flows. */
  readonly by_metric: Record<string, MetricSummary>;
}

export interface MetricSummary {
  readonly sent: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly hops_mean: number;
  readonly stretch_mean: number;
  readonly latency_ms: LatencySummary;
}

/** Told about messages as the ledger records them (the run's time series). */
export interface LedgerObserver {
  sent(at: number): void;
  delivered(sentAt: number, at: number): void;
  refused(at: number, code: string): void;
  /** Fewest hops from a to b now if the topology changed after `since`, else undefined. */
  shortestSince?(since: number, a: number, b: number): number | undefined;
}

export class TrafficLedger {
  readonly #messages: Message[] = [];
  readonly #observer: LedgerObserver | undefined;
  /** src * 256 + nonce → latest ping message id. */
  readonly #pings = new Map<number, number>();
  readonly #skipped: Record<SkipReason, number> = { src_down: 0, dst_down: 0, no_address: 0, unreachable: 0 };
  readonly #failed: Record<string, number> = {};
  #misdelivered = 0;

  constructor(observer?: LedgerObserver) {
    this.#observer = observer;
  }

  /**
   * A message handed to its source node; returns its id. `shortest`: the fewest hops from src
   * to dst over the links that exist at send time (stretch is measured against it).
   */
  sent(flow: number, src: number, dst: number, at: number, shortest: number, ping: boolean, metric: string): number {
    const id = this.#messages.length;
    this.#observer?.sent(at);
    this.#messages.push({ flow, src, dst, sentAt: at, shortest, ping, metric, arrivedAt: -1, hops: 0, answeredAt: -1, copies: 0 });
    if (ping) this.#pings.set(src * 256 + (id & 0xff), id);
    return id;
  }

  skip(reason: SkipReason): void {
    this.#skipped[reason]++;
  }

  /** The source refused the message at `at` (it stays counted as sent, and lost). */
  failed(code: string, at: number): void {
    this.#failed[code] = (this.#failed[code] ?? 0) + 1;
    this.#observer?.refused(at, code);
  }

  /** Message `id` reached node `at`; arrivals at the wrong node are ignored. */
  arrived(id: number, node: number, time: number, hops: number): void {
    const m = this.#messages[id];
    if (m && m.dst !== node) this.#misdelivered++;
    if (!m || m.dst !== node) return;
    m.copies++;
    if (m.arrivedAt >= 0) return;
    m.arrivedAt = time;
    m.hops = hops;
    // A path that opened while the message travelled counts too: stretch stays ≥ 1.
    const now = this.#observer?.shortestSince?.(m.sentAt, m.src, m.dst);
    if (now !== undefined && now >= 0 && (m.shortest < 0 || now < m.shortest)) m.shortest = now;
    this.#observer?.delivered(m.sentAt, time);
  }

  pingArrived(src: number, node: number, nonce: number, time: number, hops: number): void {
    const id = this.#pings.get(src * 256 + nonce);
    if (id !== undefined) this.arrived(id, node, time, hops);
  }

  pingAnswered(src: number, nonce: number, time: number): void {
    const id = this.#pings.get(src * 256 + nonce);
    const m = id === undefined ? undefined : this.#messages[id];
    if (m && m.answeredAt < 0) m.answeredAt = time;
  }

  /** Messages sent in [fromMs, toMs) and how many of them arrived (at any time): per-event windows. */
  window(fromMs: number, toMs: number): { sent: number; delivered: number } {
    let sent = 0;
    let delivered = 0;
    for (const m of this.#messages) {
      if (m.sentAt < fromMs || m.sentAt >= toMs) continue;
      sent++;
      if (m.arrivedAt >= 0) delivered++;
    }
    return { sent, delivered };
  }

  summary(): TrafficSummary {
    const ms = this.#messages;
    const arrived = ms.filter((m) => m.arrivedAt >= 0);
    const pings = ms.filter((m) => m.ping);
    const answered = ms.filter((m) => m.answeredAt >= 0);
    const withPath = arrived.filter((m) => m.shortest > 0);
    const flows = new Map<number, { flow: number; src: number; dst: number; sent: number; delivered: number }>();
    for (const m of ms) {
      const f = flows.get(m.flow) ?? { flow: m.flow, src: m.src, dst: m.dst, sent: 0, delivered: 0 };
      f.sent++;
      if (m.arrivedAt >= 0) f.delivered++;
      flows.set(m.flow, f);
    }
    return {
      sent: ms.length,
      delivered: arrived.length,
      delivery_ratio: ratio(arrived.length, ms.length),
      duplicates: arrived.reduce((s, m) => s + m.copies - 1, 0),
      misdelivered: this.#misdelivered,
      latency_ms: percentiles(arrived.map((m) => m.arrivedAt - m.sentAt)),
      hops_mean: round(mean(arrived.map((m) => m.hops))),
      stretch_mean: round(mean(withPath.map((m) => m.hops / m.shortest))),
      stretch_min: round(minStretch(withPath)),
      round_trips: {
        answered: answered.length,
        ratio: ratio(answered.length, pings.length),
        rtt_ms: percentiles(answered.map((m) => m.answeredAt - m.sentAt)),
      },
      skipped: { ...this.#skipped },
      send_failed: { ...this.#failed },
      flows: [...flows.values()].sort((a, b) => a.flow - b.flow),
      by_metric: byMetric(ms),
    };
  }
}

function byMetric(ms: readonly Message[]): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  for (const metric of [...new Set(ms.map((m) => m.metric))].sort()) {
    const mine = ms.filter((m) => m.metric === metric);
    const arrived = mine.filter((m) => m.arrivedAt >= 0);
    const withPath = arrived.filter((m) => m.shortest > 0);
    out[metric] = {
      sent: mine.length,
      delivered: arrived.length,
      delivery_ratio: ratio(arrived.length, mine.length),
      hops_mean: round(mean(arrived.map((m) => m.hops))),
      stretch_mean: round(mean(withPath.map((m) => m.hops / m.shortest))),
      latency_ms: percentiles(arrived.map((m) => m.arrivedAt - m.sentAt)),
    };
  }
  return out;
}

function minStretch(ms: readonly Message[]): number {
  let low = Infinity;
  for (const m of ms) low = Math.min(low, m.hops / m.shortest);
  return low === Infinity ? 0 : low;
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : round(a / b, 6);
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Nearest-rank percentiles, rounded to 0.001 ms. */
export function percentiles(xs: readonly number[]): LatencySummary {
  if (xs.length === 0) return { p50: 0, p95: 0, max: 0 };
  const s = xs.slice().sort((a, b) => a - b);
  const at = (q: number) => round(s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)], 3);
  return { p50: at(0.5), p95: at(0.95), max: round(s[s.length - 1], 3) };
}
