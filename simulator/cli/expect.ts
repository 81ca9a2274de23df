/**
 * `--expect METRIC OP VALUE` (e.g. `delivery>=0.99`): thresholds a CI job puts on a run's report.
 * Metric names are the short names of EXPECT_METRICS below, each a path into the report
 * (docs/simulator.md, "--expect", lists them), or any dotted path into the report that leads to a
 * number (`apps.chat.delivery_ratio`). A metric whose field this report does not have is an unmet
 * expectation that says so, not a pass.
 */

export type ExpectOp = '>=' | '<=' | '==' | '>' | '<';

export interface Expectation {
  /** As typed, without spaces, e.g. "delivery>=0.99". */
  readonly text: string;
  readonly metric: string;
  readonly op: ExpectOp;
  readonly value: number;
}

type Report = Record<string, unknown>;
/** A figure read from a report: a number, `null` when the report says "never", undefined when absent. */
type Read = (r: Report) => number | null | undefined;

function at(r: unknown, path: string): unknown {
  let v: unknown = r;
  for (const k of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function field(path: string): Read {
  return (r) => {
    const v = at(r, path);
    return typeof v === 'number' || v === null ? v : undefined;
  };
}

/** Sum of every number under `path` (drops by reason, however many groups the report has). */
function total(path: string): Read {
  const sum = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v;
    if (typeof v !== 'object' || v === null) return undefined;
    let s: number | undefined;
    for (const x of Object.values(v)) {
      const y = sum(x);
      if (y !== undefined) s = (s ?? 0) + y;
    }
    return s;
  };
  return (r) => sum(at(r, path));
}

/**
 * The slowest re-convergence: the report's own `reconverge_ms` when it has one, else the largest
 * `converged_ms - event_ms` over `reconvergence` (null if an event never converged).
 */
const reconverge: Read = (r) => {
  const top = at(r, 'reconverge_ms');
  if (typeof top === 'number' || top === null) return top;
  const list = at(r, 'reconvergence');
  if (!Array.isArray(list) || list.length === 0) return undefined;
  let worst = 0;
  for (const e of list as { event_ms?: unknown; converged_ms?: unknown }[]) {
    if (typeof e.converged_ms !== 'number' || typeof e.event_ms !== 'number') return null;
    worst = Math.max(worst, e.converged_ms - e.event_ms);
  }
  return worst;
};

/** name → [report path (what the docs print), reader]. */
export const EXPECT_METRICS: Readonly<Record<string, readonly [string, Read]>> = Object.freeze({
  delivery: ['delivery_ratio', field('delivery_ratio')],
  sent: ['sent', field('sent')],
  delivered: ['delivered', field('delivered')],
  duplicates: ['duplicates', field('duplicates')],
  misdelivered: ['misdelivered', field('misdelivered')],
  latency_p50: ['latency_ms.p50', field('latency_ms.p50')],
  latency_p95: ['latency_ms.p95', field('latency_ms.p95')],
  latency_max: ['latency_ms.max', field('latency_ms.max')],
  rtt_p50: ['round_trips.rtt_ms.p50', field('round_trips.rtt_ms.p50')],
  ping_answered: ['round_trips.ratio', field('round_trips.ratio')],
  hops: ['hops_mean', field('hops_mean')],
  stretch: ['stretch_mean', field('stretch_mean')],
  converged_ms: ['converged_ms', field('converged_ms')],
  reconverge_ms: ['reconverge_ms, else max of reconvergence[].converged_ms - event_ms', reconverge],
  roots_at_end: ['roots_at_end', field('roots_at_end')],
  drops: ['sum of drops.*', total('drops')],
  control_bytes: ['control_bytes_per_node_per_min', field('control_bytes_per_node_per_min')],
  data_bytes: ['data_bytes_per_node_per_min', field('data_bytes_per_node_per_min')],
  frames: ['frames.sent', field('frames.sent')],
  airtime_ms: ['frames.airtime_ms', field('frames.airtime_ms')],
  // Radio state and energy (the radio helper's report.radio; absent from reports without it).
  radio_on: ['radio.radio_on_ratio', field('radio.radio_on_ratio')],
  energy_mah: ['radio.energy_mah', field('radio.energy_mah')],
  duty_cycle: ['radio.duty_cycle.max', field('radio.duty_cycle.max')],
});

const SYNTAX = /^([A-Za-z_][A-Za-z0-9_.-]*)(>=|<=|==|>|<)(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)$/i;

/** Parse one `--expect` argument; throws an Error with a one-line reason on bad syntax or an unknown name. */
export function parseExpectation(arg: string): Expectation {
  const text = arg.replace(/\s+/g, '');
  const m = SYNTAX.exec(text);
  if (!m) throw new Error(`--expect "${arg}": must be METRIC OP NUMBER with OP one of >= <= == > < (e.g. delivery>=0.99)`);
  const metric = m[1];
  if (!metric.includes('.') && !Object.prototype.hasOwnProperty.call(EXPECT_METRICS, metric)) {
    throw new Error(`--expect "${arg}": unknown metric "${metric}" (one of ${Object.keys(EXPECT_METRICS).join(', ')}, or a dotted path into the report)`);
  }
  return { text, metric, op: m[2] as ExpectOp, value: Number(m[3]) };
}

export interface ExpectOutcome {
  readonly expectation: Expectation;
  readonly met: boolean;
  /** One line: what was expected and what the report has. */
  readonly line: string;
}

function holds(x: number, op: ExpectOp, v: number): boolean {
  switch (op) {
    case '>=':
      return x >= v;
    case '<=':
      return x <= v;
    case '>':
      return x > v;
    case '<':
      return x < v;
    default:
      return x === v;
  }
}

/** A metric (a short name above or a dotted path) read from a report; what `sweep` averages too. */
export function readMetric(report: object, metric: string): number | null | undefined {
  const known = EXPECT_METRICS[metric];
  return known ? known[1](report as Report) : field(metric)(report as Report);
}

/** Whether `metric` is a short name above or a dotted path (which the report may or may not have). */
export function isMetricName(metric: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(metric) && (metric.includes('.') || Object.prototype.hasOwnProperty.call(EXPECT_METRICS, metric));
}

export function checkExpectations(report: object, list: readonly Expectation[]): ExpectOutcome[] {
  return list.map((e) => {
    const known = EXPECT_METRICS[e.metric];
    const path = known ? known[0] : e.metric;
    const x = readMetric(report, e.metric);
    if (x === undefined) return { expectation: e, met: false, line: `${e.text}: unmet, ${e.metric} is not in this report (${path})` };
    if (x === null) return { expectation: e, met: false, line: `${e.text}: unmet, ${e.metric} is null (never reached; ${path})` };
    const met = holds(x, e.op, e.value);
    return { expectation: e, met, line: met ? `${e.metric}=${x}` : `${e.text}: unmet, ${e.metric} = ${x} (${path})` };
  });
}
