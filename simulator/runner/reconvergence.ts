/**
 * Per churn event figures, from the run's convergence samples and its traffic ledger: how long
 * the mesh took to a *stable* live tree, how many roots it had meanwhile, and how traffic fared
 * before, during and after the repair. Definitions (docs/simulator.md, "Convergence and churn"):
 *
 * - An event's window runs from the event to the next event at a later time, or the end of the run.
 * - Stable: the first sample in the window from which the mesh stays converged for
 *   STABLE_SAMPLES samples in a row, or without a break until the window ends. One converged
 *   sample between re-parentings is not a repaired tree; requiring a short run of them is.
 */

/** Samples a tree must stay converged to count as stable (10 s at the default 1 s period). */
export const STABLE_SAMPLES = 10;
/** Longest "before" delivery window (it also stops at the previous event). */
export const BEFORE_MS = 60_000;

export interface SampleMark {
  readonly t: number;
  readonly converged: boolean;
  /** Distinct roots followed by live nodes. */
  readonly roots: number;
  /** Connected parts of the live radio graph. */
  readonly parts: number;
}

export interface ChurnMark {
  readonly event_ms: number;
  readonly action: string;
  readonly node?: number;
  readonly name?: string;
}

export interface WindowDelivery {
  /** Messages the run's flows handed to a source node in the window. */
  readonly sent: number;
  /** Of those, how many reached their destination (at any time). */
  readonly delivered: number;
}

export interface DeliveryWindow extends WindowDelivery {
  readonly from_ms: number;
  readonly to_ms: number;
  /** delivered / sent; null when nothing was sent. */
  readonly ratio: number | null;
}

export interface Reconvergence {
  /** When the churn event happened. */
  readonly event_ms: number;
  readonly action: string;
  /** The node it took down or up (root_kill: the root it chose; relay_kill: the head of the largest branch), when there is one. */
  readonly node?: number;
  /** The partition's name (partition, heal). */
  readonly name?: string;
  /** First converged sample in the event's window; null if none. */
  readonly converged_ms: number | null;
  /** First sample of the stable converged stretch; null if the window has none. */
  readonly stable_ms: number | null;
  /** stable_ms − event_ms: the time to a stable live tree; null if never. */
  readonly reconverge_ms: number | null;
  /** Most distinct roots followed by live nodes in one sample from the event to stable_ms (or the window's end). */
  readonly peak_roots: number;
  /** Connected parts of the live radio graph at stable_ms (or the window's last sample). */
  readonly parts: number;
  readonly delivery: {
    /** [max(event − 60 s, previous event, 0), event) */
    readonly before: DeliveryWindow;
    /** [event, stable_ms), or to the window's end if never stable. */
    readonly during: DeliveryWindow;
    /** [stable_ms, window end); null if never stable. */
    readonly after: DeliveryWindow | null;
  };
}

export function eventFigures(
  events: readonly ChurnMark[],
  samples: readonly SampleMark[],
  endMs: number,
  delivery: (fromMs: number, toMs: number) => WindowDelivery,
): Reconvergence[] {
  const window = (from: number, to: number): DeliveryWindow => {
    const d = delivery(from, to);
    return { from_ms: from, to_ms: to, sent: d.sent, delivered: d.delivered, ratio: d.sent === 0 ? null : Math.round((d.delivered / d.sent) * 1e6) / 1e6 };
  };
  return events.map((e, k) => {
    const next = events.find((x) => x.event_ms > e.event_ms);
    const end = next?.event_ms ?? endMs;
    const prev = events.slice(0, k).reverse().find((x) => x.event_ms < e.event_ms);
    // Samples of the window; the run's final sample (at endMs) belongs to the last window.
    const mine = samples.filter((s) => s.t >= e.event_ms && (s.t < end || (next === undefined && s.t <= end)));
    const stableAt = stableIndex(mine);
    const stable = stableAt < 0 ? undefined : mine[stableAt];
    const repair = stable ? mine.slice(0, stableAt + 1) : mine;
    const last = stable ?? mine.at(-1);
    const beforeFrom = Math.max(0, e.event_ms - BEFORE_MS, prev?.event_ms ?? 0);
    return {
      event_ms: e.event_ms,
      action: e.action,
      ...(e.node !== undefined && { node: e.node }),
      ...(e.name !== undefined && { name: e.name }),
      converged_ms: mine.find((s) => s.converged)?.t ?? null,
      stable_ms: stable?.t ?? null,
      reconverge_ms: stable ? stable.t - e.event_ms : null,
      peak_roots: repair.reduce((m, s) => Math.max(m, s.roots), 0),
      parts: last?.parts ?? 0,
      delivery: {
        before: window(beforeFrom, e.event_ms),
        during: window(e.event_ms, stable?.t ?? end),
        after: stable ? window(stable.t, end) : null,
      },
    };
  });
}

/** Index of the first sample that starts a stable stretch, or -1. */
function stableIndex(samples: readonly SampleMark[]): number {
  let run = 0;
  for (let i = 0; i < samples.length; i++) {
    if (!samples[i].converged) {
      run = 0;
      continue;
    }
    run++;
    if (run === STABLE_SAMPLES) return i - run + 1;
  }
  return run > 0 ? samples.length - run : -1;
}

/**
 * The run's headline re-convergence: the longest time to a stable live tree over its churn
 * events; 0 without churn; null when some event never reached a stable live tree.
 */
export function worstReconvergence(events: readonly Reconvergence[]): number | null {
  let worst = 0;
  for (const e of events) {
    if (e.reconverge_ms === null) return null;
    worst = Math.max(worst, e.reconverge_ms);
  }
  return worst;
}
