/**
 * `npm run bench:energy`: issue 18's battery targets, one row per target, with our figures from
 * the reports of the shipped scenarios beside them, and the energy of each role (routing node,
 * sleepy leaf) per scenario. Pure: reports and scenario files in, rows out
 * (scripts/bench-energy.mjs runs the scenarios and prints the rows).
 */

/** The parts of a run report (simulator/runner/report.ts) the rows read. */
export interface EnergyReport {
  readonly scenario: string;
  readonly delivery_ratio: number;
  readonly latency_ms: { readonly p95: number | null };
  readonly radio: { readonly battery_mah: number };
  readonly per_node: readonly { readonly index: number; readonly radio: NodeRadio }[];
  readonly flows: readonly { readonly src: number; readonly dst: number; readonly sent: number; readonly delivered: number }[];
}

interface NodeRadio {
  readonly radio_on_ratio: number;
  readonly avg_current_ma: number;
  readonly battery_days: number;
}

/** The scenario file's node options, to tell leaves from routing nodes. */
export interface ScenarioNodeOptions {
  readonly node_options?: { readonly all?: NodeOpts; readonly per_node?: Readonly<Record<string, NodeOpts>> };
}

interface NodeOpts {
  readonly modemSleep?: boolean | { readonly leaf?: boolean };
}

export type Role = 'routing' | 'leaf';

export interface RoleRow {
  readonly scenario: string;
  readonly role: Role;
  readonly nodes: number;
  readonly radioOnMean: number;
  readonly radioOnMax: number;
  readonly avgCurrentMa: number;
  readonly batteryDaysMedian: number;
}

export interface TargetRow {
  readonly case: string;
  readonly scenario: string;
  readonly figures: string;
  readonly target: string;
  /** null: no figure (scenario missing or failed). */
  readonly met: boolean | null;
}

export const ENERGY_SCENARIOS = ['sleep-40', 'sleep-random-lossy-40', 'sleepy-leaves-40', 'sleepy-leaves-lossy-40'] as const;

/** A node is a sleepy leaf when its modemSleep options (all, then per node) set leaf. */
export function roleOf(s: ScenarioNodeOptions, index: number): Role {
  const all = s.node_options?.all?.modemSleep;
  const own = s.node_options?.per_node?.[String(index)]?.modemSleep;
  const m = own !== undefined ? own : all;
  return typeof m === 'object' && m.leaf === true ? 'leaf' : 'routing';
}

export function roleRows(r: EnergyReport, s: ScenarioNodeOptions): RoleRow[] {
  const out: RoleRow[] = [];
  for (const role of ['routing', 'leaf'] as const) {
    const nodes = r.per_node.filter((p) => roleOf(s, p.index) === role).map((p) => p.radio);
    if (nodes.length === 0) continue;
    const on = nodes.map((n) => n.radio_on_ratio);
    out.push({
      scenario: r.scenario,
      role,
      nodes: nodes.length,
      radioOnMean: mean(on),
      radioOnMax: Math.max(...on),
      avgCurrentMa: mean(nodes.map((n) => n.avg_current_ma)),
      batteryDaysMedian: median(nodes.map((n) => n.battery_days)),
    });
  }
  return out;
}

/** The rows for the sleeping cases; `undefined` reports are missing scenarios. */
export function targetRows(reports: Readonly<Record<string, { report: EnergyReport; scenario: ScenarioNodeOptions } | undefined>>): TargetRow[] {
  const rows: TargetRow[] = [];
  const sleep = reports['sleep-40'];
  const routing = sleep && roleRows(sleep.report, sleep.scenario).find((x) => x.role === 'routing');
  rows.push(row('40 nodes, modem sleep, pings every 10 s', 'sleep-40', '≥ 95 % delivered', sleep && [pct(sleep.report.delivery_ratio), sleep.report.delivery_ratio >= 0.95]));
  rows.push(row('', 'sleep-40', 'radio-on ≤ 30 % per routing node', routing && [`max ${pct(routing.radioOnMax)} (mean ${pct(routing.radioOnMean)})`, routing.radioOnMax <= 0.3]));
  const p95 = sleep?.report.latency_ms.p95;
  rows.push(row('', 'sleep-40', 'p95 latency ≤ 1 s', sleep && [p95 == null ? 'none' : `${Math.round(p95)} ms`, p95 != null && p95 <= 1000]));
  // The same row on random placement and a lossy radio with collisions (docs/sleep.md).
  const lossy = reports['sleep-random-lossy-40'];
  const lossyRouting = lossy && roleRows(lossy.report, lossy.scenario).find((x) => x.role === 'routing');
  rows.push(row('same, 40 random nodes, lossy radio', 'sleep-random-lossy-40', '≥ 95 % delivered', lossy && [pct(lossy.report.delivery_ratio), lossy.report.delivery_ratio >= 0.95]));
  rows.push(row('', 'sleep-random-lossy-40', 'radio-on ≤ 30 % per routing node', lossyRouting && [`max ${pct(lossyRouting.radioOnMax)} (mean ${pct(lossyRouting.radioOnMean)})`, lossyRouting.radioOnMax <= 0.3]));
  const lossyP95 = lossy?.report.latency_ms.p95;
  rows.push(row('', 'sleep-random-lossy-40', 'p95 latency ≤ 1 s', lossy && [lossyP95 == null ? 'none' : `${Math.round(lossyP95)} ms`, lossyP95 != null && lossyP95 <= 1000]));
  leafRows(rows, 'same mesh, 75 % sleepy leaves', 'sleepy-leaves-40', reports['sleepy-leaves-40']);
  // The same layout on the lossy radio with collisions (docs/sleep.md "Session 17").
  leafRows(rows, 'same, lossy radio', 'sleepy-leaves-lossy-40', reports['sleepy-leaves-lossy-40']);
  return rows;
}

/** The sleepy-leaf rows of one scenario: delivered to and from leaves, leaves' radio-on. */
function leafRows(rows: TargetRow[], c: string, name: string, leaves: { report: EnergyReport; scenario: ScenarioNodeOptions } | undefined): void {
  const leafRole = leaves && roleRows(leaves.report, leaves.scenario).find((x) => x.role === 'leaf');
  const viaLeaf = leaves ? leafFlows(leaves.report, leaves.scenario) : undefined;
  rows.push(row(c, name, '≥ 95 % delivered to and from leaves', viaLeaf && [`${viaLeaf.delivered}/${viaLeaf.sent}, ${pct(viaLeaf.ratio)}`, viaLeaf.ratio >= 0.95]));
  rows.push(row('', name, "leaves' radio-on ≤ 5 %", leaves && (leafRole ? [`max ${pct(leafRole.radioOnMax)}`, leafRole.radioOnMax <= 0.05] : ['no leaf', false])));
}

/** Messages of the flows with a leaf at either end. */
export function leafFlows(r: EnergyReport, s: ScenarioNodeOptions): { sent: number; delivered: number; ratio: number } {
  let sent = 0;
  let delivered = 0;
  for (const f of r.flows) {
    if (roleOf(s, f.src) !== 'leaf' && roleOf(s, f.dst) !== 'leaf') continue;
    sent += f.sent;
    delivered += f.delivered;
  }
  return { sent, delivered, ratio: sent === 0 ? 0 : delivered / sent };
}

function row(c: string, scenario: string, target: string, fig: [string, boolean] | undefined): TargetRow {
  return { case: c, scenario, target, figures: fig ? fig[0] : 'missing', met: fig ? fig[1] : null };
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
