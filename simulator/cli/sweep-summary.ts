/**
 * A sweep's summary: per parameter combination and metric, the statistics over its seeds, as a
 * table on stdout, a long-format CSV (one row per combination × metric: what pandas and R read
 * without reshaping) and a JSON file that also lists every point.
 */
import Table from 'cli-table3';
import { describe, figure, type Stats } from './sweep-stats.js';
import type { SweepPlan } from './sweep-plan.js';

export interface PointOutcome {
  readonly values: readonly (number | null | undefined)[];
}

export interface ComboSummary {
  readonly params: Readonly<Record<string, unknown>>;
  readonly seeds: number;
  readonly metrics: Readonly<Record<string, Stats>>;
  /**
   * Per metric, this combination minus the first on each seed both ran (absent on the first).
   * Two variants on the same seeds share the layout and, until they part, the random draws: the
   * interval of the differences is what says whether one beats the other, and where the two runs
   * stay alike it is narrower than either mean's. On a chaotic scenario (trees that re-form
   * differently after the first changed draw) it is not, and the table shows that too.
   */
  readonly vs_first?: Readonly<Record<string, Stats>>;
}

export interface SweepSummary {
  readonly scenario: string;
  readonly params: readonly string[];
  readonly seeds: readonly number[];
  readonly metrics: readonly string[];
  readonly wall_s: number;
  readonly points: readonly { params: Record<string, unknown>; seed: number; report: string; metrics: Record<string, number | null> }[];
  readonly summary: readonly ComboSummary[];
}

function paramsOf(plan: SweepPlan, values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(plan.params.map((p, k) => [p.path, values[k]]));
}

/**
 * `outcomes[i]` belongs to `plan.points[i]`; undefined for a point that failed or never ran
 * (Ctrl-C): such points are left out of the statistics, and `seeds` says how many went in.
 */
export function summarize(plan: SweepPlan, metrics: readonly string[], outcomes: readonly (PointOutcome | undefined)[], wallS: number): SweepSummary {
  const done = plan.points.filter((p) => outcomes[p.index] !== undefined);
  const points = done.map((p) => ({
    params: paramsOf(plan, p.values),
    seed: p.seed,
    report: p.reportName,
    metrics: Object.fromEntries(metrics.map((m, k) => [m, outcomes[p.index]?.values[k] ?? null])),
  }));
  const first = new Map(done.filter((p) => p.combo === 0).map((p) => [p.seed, outcomes[p.index] as PointOutcome]));
  const summary = plan.combos.map((values, combo): ComboSummary => {
    const mine = done.filter((p) => p.combo === combo);
    const outs = mine.map((p) => outcomes[p.index] as PointOutcome);
    const c = {
      params: paramsOf(plan, values),
      seeds: mine.length,
      metrics: Object.fromEntries(metrics.map((m, k) => [m, describe(outs.map((o) => o.values[k]))])),
    };
    if (combo === 0 || first.size === 0) return c;
    const paired = mine.filter((p) => first.has(p.seed));
    const diff = (k: number) => paired.map((p) => difference((outcomes[p.index] as PointOutcome).values[k], (first.get(p.seed) as PointOutcome).values[k]));
    return { ...c, vs_first: Object.fromEntries(metrics.map((m, k) => [m, describe(diff(k))])) };
  });
  const seeds = [...new Set(plan.points.map((p) => p.seed))];
  return { scenario: plan.name, params: plan.params.map((p) => p.path), seeds, metrics, wall_s: Number(wallS.toFixed(2)), points, summary };
}

/** `a − b` when both are numbers; null (missing) otherwise. */
function difference(a: number | null | undefined, b: number | null | undefined): number | null {
  return typeof a === 'number' && typeof b === 'number' ? a - b : null;
}

function cell(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function summaryCsv(s: SweepSummary): string {
  const head = [...s.params, 'metric', 'n', 'missing', 'mean', 'ci95', 'ci95_low', 'ci95_high', 'sd', 'min', 'max'];
  const rows = [head.map(cell).join(',')];
  for (const c of s.summary) {
    for (const m of s.metrics) {
      const st = c.metrics[m];
      const lo = st.mean !== null && st.ci95 !== null ? st.mean - st.ci95 : null;
      const hi = st.mean !== null && st.ci95 !== null ? st.mean + st.ci95 : null;
      const nums = [st.mean, st.ci95, lo, hi, st.sd, st.min, st.max].map((x) => (x === null ? '' : String(Number(x.toPrecision(12)))));
      rows.push([...s.params.map((p) => cell(c.params[p])), cell(m), String(st.n), String(st.missing), ...nums].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

/** "0.975 ± 0.012" (± nothing under two samples; "—" when no seed had the metric; "(k missing)" when some lacked it). */
function meanCi(st: Stats): string {
  if (st.mean === null) return '—';
  const missing = st.missing > 0 ? ` (${st.missing} missing)` : '';
  if (st.ci95 === null || st.ci95 === 0) return `${figure(st.mean)}${st.ci95 === 0 ? ' ± 0' : ''}${missing}`;
  // The mean to the interval's precision (its 2 significant digits): more digits would be noise.
  const decimals = Math.max(0, Math.min(6, 1 - Math.floor(Math.log10(st.ci95))));
  return `${st.mean.toFixed(decimals)} ± ${st.ci95.toFixed(decimals)}${missing}`;
}

export function summaryTable(s: SweepSummary): string {
  const t = new Table({ head: [...s.params, 'seeds', ...s.metrics], style: { head: [], border: [] } });
  for (const c of s.summary) t.push([...s.params.map((p) => JSON.stringify(c.params[p])), String(c.seeds), ...s.metrics.map((m) => meanCi(c.metrics[m]))]);
  const text = `${s.scenario}: mean ± 95 % confidence interval (Student's t) over seeds ${seedText(s.seeds)}\n${t.toString()}\n`;
  const others = s.summary.filter((c) => c.vs_first);
  if (others.length === 0) return text;
  const d = new Table({ head: [...s.params, 'pairs', ...s.metrics], style: { head: [], border: [] } });
  for (const c of others) {
    const v = c.vs_first as Readonly<Record<string, Stats>>;
    d.push([...s.params.map((p) => JSON.stringify(c.params[p])), String(Math.max(...s.metrics.map((m) => v[m].n))), ...s.metrics.map((m) => meanCi(v[m]))]);
  }
  return `${text}minus the first row, seed by seed (an interval that holds 0: no difference shown)\n${d.toString()}\n`;
}

function seedText(seeds: readonly number[]): string {
  const contiguous = seeds.every((x, i) => i === 0 || x === seeds[i - 1] + 1);
  return contiguous && seeds.length > 2 ? `${seeds[0]}-${seeds[seeds.length - 1]}` : seeds.join(', ');
}
