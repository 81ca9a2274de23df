/**
 * The statistics a sweep prints per parameter combination: mean, sample standard deviation and
 * the 95 % confidence interval of the mean by Student's t (a handful of seeds is a small sample,
 * where the normal 1.96 would give intervals too narrow).
 */

/** Two-sided 95 % t quantiles for 1…30 degrees of freedom. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Beyond 30: the table's next smaller listed row (slightly wide, never too narrow). */
const T95_LARGE: readonly (readonly [number, number])[] = [
  [120, 1.98],
  [60, 2.0],
  [40, 2.021],
  [30, 2.042],
];

export function t95(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T95[df - 1];
  for (const [atLeast, t] of T95_LARGE) if (df >= atLeast) return t;
  return 2.042;
}

export interface Stats {
  /** Samples that had the metric as a number. */
  readonly n: number;
  /** Samples where the report said "never" (null) or lacked the metric: not averaged. */
  readonly missing: number;
  readonly mean: number | null;
  readonly sd: number | null;
  /** Half-width of the 95 % interval of the mean; null under two samples. */
  readonly ci95: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export function describe(values: readonly (number | null | undefined)[]): Stats {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const missing = values.length - xs.length;
  const n = xs.length;
  if (n === 0) return { n, missing, mean: null, sd: null, ci95: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { n, missing, mean, sd: null, ci95: null, min: xs[0], max: xs[0] };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  return { n, missing, mean, sd, ci95: (t95(n - 1) * sd) / Math.sqrt(n), min: Math.min(...xs), max: Math.max(...xs) };
}

/** A figure for a table or CSV cell: 4 significant digits, no exponent for ordinary sizes. */
export function figure(x: number | null): string {
  if (x === null) return '';
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4) return String(Math.round(x));
  return String(Number(x.toPrecision(4)));
}
