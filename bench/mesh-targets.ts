/**
 * `npm run bench:mesh`: issue 16's Targets table, one row per target, with our figures from the
 * reports of the shipped scenarios beside it. Pure: reports in, rows out (scripts/bench-mesh.mjs
 * runs the scenarios and prints the rows).
 *
 * Figures are the report's own, never re-derived from raw samples: "a stable live tree again"
 * is the churn event's `reconverge_ms` (ten converged samples in a row, docs/simulator.md,
 * "Convergence and churn"), "delivery during repair" its `delivery.during`, delivery and
 * duplicates the traffic ledger's `delivery_ratio` and `duplicates`.
 */

/** The parts of a run report (simulator/runner/report.ts) the targets read. */
export interface MeshReport {
  readonly scenario: string;
  readonly nodes: number;
  readonly sent: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly duplicates: number;
  readonly converged_ms: number | null;
  readonly simulated_ms: number;
  readonly control_bytes_per_node_per_min: number;
  readonly reconvergence: readonly ReconvergenceEntry[];
  readonly per_node: readonly { readonly control_bytes: number }[];
  readonly series: { readonly bucket_ms: number; readonly frames_on_air: readonly number[] };
}

interface Window {
  readonly sent: number;
  readonly delivered: number;
  readonly ratio: number | null;
}

interface ReconvergenceEntry {
  readonly event_ms: number;
  readonly action: string;
  readonly converged_ms: number | null;
  readonly reconverge_ms: number | null;
  readonly peak_roots: number;
  readonly parts: number;
  readonly delivery: { readonly before: Window | null; readonly during: Window | null; readonly after: Window | null };
}

export interface MeshRow {
  /** The case, and the scenario that measures it. */
  readonly case: string;
  readonly scenario: string;
  /** Our figures as text; "missing" when the scenario file is not shipped, "failed: …" when the run failed. */
  readonly figures: string;
  readonly target: string;
  /** true / false; null when there is no figure. */
  readonly met: boolean | null;
  /** The numbers behind `figures`, for --json. */
  readonly values: Readonly<Record<string, number | null>>;
}

/** Every scenario the table reads, in the table's order. */
export const MESH_SCENARIOS = [
  'root-kill-random-64',
  'root-kill-grid-100',
  'partition-heal-grid',
  'lossy-50',
  'lossy-asym-50',
  'blob-lossy-10',
  'blob-lossy-30',
  'churn-100',
  'steady-100',
] as const;

export type MeshScenario = (typeof MESH_SCENARIOS)[number];

/** `--quick`: the scenarios that run in seconds each (no 100-node or 30-minute runs). */
export const QUICK_SCENARIOS: readonly MeshScenario[] = ['root-kill-random-64', 'partition-heal-grid', 'lossy-50', 'lossy-asym-50', 'blob-lossy-10', 'blob-lossy-30'];

/**
 * What a scenario's run gave: its report, or why there is none. `head`: the same scenario cut
 * to its first half (steady-100), so the second half's control traffic can be told apart from
 * the tree's formation.
 */
export type Outcome =
  | { readonly report: MeshReport; readonly head?: MeshReport }
  | { readonly missing: true }
  | { readonly failed: string }
  | { readonly skipped: true };

/** The scenarios bench:mesh also runs cut to their first half. */
export const HEAD_SCENARIOS: readonly MeshScenario[] = ['steady-100'];

/** Issue 16's "≤ 2 KB per node per minute", in bytes. */
export const CONTROL_BYTES_TARGET = 2048;

const pct = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : `${(x * 100).toFixed(1)} %`);
const secs = (ms: number | null | undefined): string => (ms === null || ms === undefined ? 'never' : `${(ms / 1000).toFixed(0)} s`);

interface Measured {
  readonly figures: string;
  readonly met: boolean | null;
  readonly values: Record<string, number | null>;
}

interface Target {
  readonly case: string;
  readonly scenario: MeshScenario;
  readonly target: string;
  readonly measure: (r: MeshReport, head?: MeshReport) => Measured;
}

/** The root_kill / heal event of a report (the first of that action). */
function eventOf(r: MeshReport, action: string): ReconvergenceEntry | undefined {
  return r.reconvergence.find((e) => e.action === action);
}

function rootKill(r: MeshReport): Measured {
  const e = eventOf(r, 'root_kill');
  if (!e) return { figures: 'no root_kill event in the report', met: null, values: {} };
  const during = e.delivery.during;
  const ratio = during?.ratio ?? null;
  const met = e.reconverge_ms !== null && e.reconverge_ms <= 10_000 && ratio !== null && ratio >= 0.95;
  // A root killed before the first convergence measures formation, not repair: say so.
  const early = r.converged_ms === null || r.converged_ms > e.event_ms ? ' (killed before the tree first formed)' : '';
  return {
    figures: `stable tree after ${secs(e.reconverge_ms)}, peak ${e.peak_roots} roots; during repair ${pct(ratio)} (${during?.delivered ?? 0}/${during?.sent ?? 0})${early}`,
    met,
    values: { reconverge_ms: e.reconverge_ms, peak_roots: e.peak_roots, during_ratio: ratio, during_sent: during?.sent ?? 0, delivery_ratio: r.delivery_ratio },
  };
}

function delivery(r: MeshReport, duplicatesMatter: boolean, minRatio: number): Measured {
  const met = r.delivery_ratio >= minRatio && (!duplicatesMatter || r.duplicates === 0);
  return {
    figures: `${pct(r.delivery_ratio)} delivered (${r.delivered}/${r.sent}), ${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'}${r.converged_ms === null ? ', never converged' : ''}`,
    met,
    values: { delivery_ratio: r.delivery_ratio, sent: r.sent, delivered: r.delivered, duplicates: r.duplicates, converged_ms: r.converged_ms },
  };
}

const TARGETS: readonly Target[] = [
  { case: 'root killed, 64 random nodes', scenario: 'root-kill-random-64', target: 'stable live tree ≤ 10 s; ≥ 95 % during repair', measure: rootKill },
  { case: 'root killed, 10×10 grid', scenario: 'root-kill-grid-100', target: 'stable live tree ≤ 10 s; ≥ 95 % during repair', measure: rootKill },
  {
    case: 'partition healed, 8×8 grid halves',
    scenario: 'partition-heal-grid',
    target: 'one tree ≤ 10 s after heal',
    measure: (r): Measured => {
      const split = eventOf(r, 'partition');
      const heal = eventOf(r, 'heal');
      if (!heal) return { figures: 'no heal event in the report', met: null, values: {} };
      const first = heal.converged_ms === null ? null : heal.converged_ms - heal.event_ms;
      const during = heal.delivery.during;
      return {
        figures:
          `one stable tree ${secs(heal.reconverge_ms)} after heal (first converged sample ${secs(first)}); ` +
          `delivered ${pct(during?.ratio)} meanwhile; split: two trees after ${secs(split?.reconverge_ms)}`,
        met: heal.reconverge_ms !== null && heal.reconverge_ms <= 10_000 && heal.parts === 1,
        values: {
          heal_reconverge_ms: heal.reconverge_ms,
          heal_first_converged_ms: first,
          heal_during_ratio: during?.ratio ?? null,
          split_reconverge_ms: split?.reconverge_ms ?? null,
        },
      };
    },
  },
  { case: '50 nodes, logistic radio, collisions', scenario: 'lossy-50', target: '≥ 95 % delivery', measure: (r) => delivery(r, false, 0.95) },
  { case: '… and asymmetric links (0.3)', scenario: 'lossy-asym-50', target: '≥ 95 % delivery', measure: (r) => delivery(r, false, 0.95) },
  { case: '10 KB blob, 7–9 hops, 10 % loss', scenario: 'blob-lossy-10', target: '≥ 99 % delivered exactly once', measure: (r) => delivery(r, true, 0.99) },
  { case: '10 KB blob, 7–9 hops, 30 % loss', scenario: 'blob-lossy-30', target: '≥ 99 % delivered exactly once', measure: (r) => delivery(r, true, 0.99) },
  { case: 'churn 10 %/min, 100 nodes, 30 min', scenario: 'churn-100', target: '≥ 95 % delivery, 0 duplicates', measure: (r) => delivery(r, true, 0.95) },
  {
    case: 'steady-state control traffic, 100 nodes',
    scenario: 'steady-100',
    target: '≤ 2 KB (2,048 B) per node per minute',
    measure: (r, head): Measured => {
      const steady = head ? steadyControl(r, head) : null;
      const whole = r.control_bytes_per_node_per_min;
      const bytes = (x: number) => `${Math.round(x).toLocaleString('en-US')} B`;
      const from = head ? `${head.simulated_ms / 60_000}–${r.simulated_ms / 60_000} min` : '';
      return {
        figures:
          steady === null
            ? `${bytes(whole)} per node per minute over the whole run (formation included)`
            : `${bytes(steady)} per node per minute in steady state (${from}); ${bytes(whole)} over the whole run`,
        met: (steady ?? whole) <= CONTROL_BYTES_TARGET,
        values: { steady_control_bytes_per_node_per_min: steady, control_bytes_per_node_per_min: whole },
      };
    },
  },
];

/**
 * Control bytes per node per minute between the end of `head` (the run cut short) and the end
 * of `full`. Valid because runs are deterministic: the cut run is the full run's prefix, which
 * the frames on air per bucket confirm (null when they differ).
 */
export function steadyControl(full: MeshReport, head: MeshReport): number | null {
  const a = head.series.frames_on_air;
  const b = full.series.frames_on_air;
  // The cut run's last bucket may be partial; the ones before it must match exactly.
  const whole = a.length - 1;
  if (head.series.bucket_ms !== full.series.bucket_ms || whole < 1 || b.length < whole) return null;
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return null;
  const sum = (r: MeshReport) => r.per_node.reduce((s, n) => s + n.control_bytes, 0);
  const minutes = (full.simulated_ms - head.simulated_ms) / 60_000;
  if (minutes <= 0) return null;
  return (sum(full) - sum(head)) / full.nodes / minutes;
}

/** One row per target, in the order; scenarios without an outcome are left out. */
export function meshRows(outcomes: Readonly<Partial<Record<MeshScenario, Outcome>>>): MeshRow[] {
  const rows: MeshRow[] = [];
  for (const t of TARGETS) {
    const o = outcomes[t.scenario];
    if (!o || 'skipped' in o) continue;
    const base = { case: t.case, scenario: t.scenario, target: t.target };
    if ('missing' in o) rows.push({ ...base, figures: 'missing (no scenario file)', met: null, values: {} });
    else if ('failed' in o) rows.push({ ...base, figures: `failed: ${o.failed}`, met: null, values: {} });
    else rows.push({ ...base, ...t.measure(o.report, o.head) });
  }
  return rows;
}
