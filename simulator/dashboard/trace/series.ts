/**
 * The chart strip's figures, computed from the trace alone (so a saved trace charts the same as
 * the live run): per sample the roots and addressed nodes (rebuilt from the change-only node
 * tuples), frames/s and drops/s (differences of the medium's totals between samples), and the
 * delivery ratio of the traffic per bucket of `bucketMs`. Extended incrementally as a live
 * trace grows. No Node or DOM APIs.
 *
 * Definitions (docs/simulator.md, "Charts"):
 * - roots: live running nodes that are their own root; addressed: live running nodes with a
 *   tree address;
 * - frames/s: frame events (one per receiver in range, delivered or lost) per simulated second
 *   since the previous sample; drops/s: the lost ones among them (any medium loss reason);
 * - delivery: of the traffic messages sent in a bucket, the share that has arrived (so far).
 */
import { stateOf, UNKNOWN_STATE, type TraceNodeState } from './state.js';
import type { Trace } from './types.js';

export interface ChartSeries {
  /** Sample times, seconds. */
  readonly t: number[];
  readonly roots: number[];
  readonly addressed: number[];
  readonly framesPerS: (number | null)[];
  readonly dropsPerS: (number | null)[];
  /** Bucket start times, seconds (delivery chart). */
  readonly bucketT: number[];
  /** Delivered / sent per bucket (null: nothing sent). */
  readonly delivery: (number | null)[];
  readonly bucketSent: number[];
}

export class SeriesBuilder {
  readonly series: ChartSeries = { t: [], roots: [], addressed: [], framesPerS: [], dropsPerS: [], bucketT: [], delivery: [], bucketSent: [] };
  readonly bucketMs: number;
  readonly #trace: Trace;
  readonly #states: TraceNodeState[];
  #done = 0;
  #roots = 0;
  #addressed = 0;

  constructor(trace: Trace, bucketMs = defaultBucketMs(trace.duration_ms)) {
    this.#trace = trace;
    this.bucketMs = bucketMs;
    this.#states = trace.nodes.map(() => UNKNOWN_STATE);
  }

  /** Takes in the samples and traffic recorded since the last call. */
  update(): ChartSeries {
    const tr = this.#trace;
    const s = this.series;
    for (; this.#done < tr.samples.length; this.#done++) {
      const sample = tr.samples[this.#done];
      for (const tuple of sample.nodes) {
        const i = tuple[0];
        if (i >= this.#states.length) continue;
        this.#count(this.#states[i], -1, i);
        this.#states[i] = stateOf(tuple);
        this.#count(this.#states[i], 1, i);
      }
      const prev = this.#done > 0 ? tr.samples[this.#done - 1] : undefined;
      const dt = prev ? (sample.t - prev.t) / 1000 : 0;
      s.t.push(sample.t / 1000);
      s.roots.push(this.#roots);
      s.addressed.push(this.#addressed);
      if (prev && dt > 0) {
        const m = sample.medium;
        const p = prev.medium;
        let lost = 0;
        for (let k = 2; k < m.length; k++) lost += m[k] - (p[k] ?? 0);
        s.framesPerS.push(round1((m[1] - p[1] + lost) / dt));
        s.dropsPerS.push(round1(lost / dt));
      } else {
        s.framesPerS.push(null);
        s.dropsPerS.push(null);
      }
    }
    this.#buckets();
    return s;
  }

  #count(st: TraceNodeState, d: number, i: number): void {
    if (!st.up || !st.running) return;
    if (st.root === i) this.#roots += d;
    if (st.coords !== null) this.#addressed += d;
  }

  /** Delivery per bucket (recomputed: deliveries change earlier buckets; a few hundred at most). */
  #buckets(): void {
    const s = this.series;
    const traffic = this.#trace.traffic ?? [];
    const per = Math.max(1, Math.round(this.bucketMs / 1000));
    const n = Math.ceil(traffic.length / per);
    s.bucketT.length = 0;
    s.delivery.length = 0;
    s.bucketSent.length = 0;
    for (let b = 0; b < n; b++) {
      let sent = 0;
      let delivered = 0;
      for (let k = b * per; k < Math.min(traffic.length, (b + 1) * per); k++) {
        sent += traffic[k]?.[0] ?? 0;
        delivered += traffic[k]?.[1] ?? 0;
      }
      s.bucketT.push(b * per);
      s.bucketSent.push(sent);
      s.delivery.push(sent > 0 ? delivered / sent : null);
    }
  }
}

/** About 60 buckets per run, whole seconds, at least 5 s (fewer messages make a noisy ratio). */
export function defaultBucketMs(durationMs: number): number {
  return Math.max(5, Math.ceil(durationMs / 60_000)) * 1000;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
