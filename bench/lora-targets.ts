/**
 * `npm run bench:lora`: issue 18's LoRa rows, with our figures from the reports of the shipped
 * scenarios beside each target. Pure: reports in, rows out (scripts/bench-lora.mjs runs the
 * scenarios, over one or more seeds, and prints the rows).
 *
 * Every figure is the report's own: delivery is the ledger's `delivery_ratio`, "tree formed" is
 * one root and a converged tree at the end (`roots_at_end`, `converged_at_end`), the duty cycle
 * is the busiest sliding hour of the busiest node (`radio.duty_cycle`, docs/simulator.md).
 */

/** The parts of a run report (simulator/runner/report.ts) the rows read. */
export interface LoraReport {
  readonly scenario: string;
  readonly seed: number;
  readonly sent: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly converged_ms: number | null;
  readonly converged_at_end: boolean;
  readonly roots_at_end: number;
  /** After churn: the longest time to a stable live tree; null when some event never got one (runner/reconvergence.ts). */
  readonly reconverge_ms?: number | null;
  readonly round_trips: { readonly answered: number; readonly ratio: number };
  readonly radio: { readonly duty_cycle?: { readonly limit: number; readonly max: number; readonly worst_node: number; readonly over_limit: readonly unknown[] } };
  /** Second radios (bridges, simulator/runner/interface-report.ts): duty per member. */
  readonly interfaces?: readonly { readonly interface: string; readonly duty_cycle: { readonly limit: number | null; readonly max: number; readonly worst_node: number | null; readonly over_limit: readonly unknown[] } }[];
}

/** Every scenario the table reads, in the table's order. */
export const LORA_SCENARIOS = ['lora-20', 'lora-20-simultaneous', 'lora-20-root-kill', 'lora-20-duty-10', 'lora-line', 'lora-bridge', 'lora-bridge-busy'] as const;
export type LoraScenario = (typeof LORA_SCENARIOS)[number];

export type LoraOutcome = { readonly reports: readonly LoraReport[] } | { readonly missing: true } | { readonly failed: string } | { readonly skipped: true };

export interface LoraRow {
  readonly case: string;
  readonly scenario: string;
  /** The seeds the figures come from. */
  readonly seeds: readonly number[];
  readonly figures: string;
  readonly target: string;
  /** true when every seed meets the target; null when there is no figure. */
  readonly met: boolean | null;
  readonly values: Readonly<Record<string, number | null>>;
}

interface Target {
  readonly case: string;
  readonly scenario: LoraScenario;
  readonly target: string;
  /** What one report gives, and whether it meets the target. */
  readonly measure: (r: LoraReport) => { readonly figure: string; readonly met: boolean };
  /** The number averaged over seeds. */
  readonly value: (r: LoraReport) => number;
  readonly valueName: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

/** Tree formed, ≥ 95 % delivered, no node over its duty limit in any hour. */
function meshRow(r: LoraReport): { figure: string; met: boolean } {
  const duty = r.radio.duty_cycle;
  const tree = r.roots_at_end === 1 && r.converged_at_end;
  // over_limit is the hour check (a run shorter than an hour is one hour's sending); max is the
  // share of the largest hour, or of the run when shorter.
  const dutyOk = duty !== undefined && duty.over_limit.length === 0;
  const dutyText = duty ? `busiest hour ${pct(duty.max)} (n${duty.worst_node}), ${duty.over_limit.length} over` : 'no duty figure';
  return {
    figure: `seed ${r.seed}: ${pct(r.delivery_ratio)} (${r.delivered}/${r.sent}); ${tree ? 'one tree' : `${r.roots_at_end} roots`} at the end; ${dutyText}`,
    met: tree && r.delivery_ratio >= 0.95 && dutyOk,
  };
}

/** ≥ 95 % delivered end to end, and the bridges' LoRa interface within its duty limit. */
function bridgeRow(r: LoraReport): { figure: string; met: boolean } {
  const lora = r.interfaces?.find((i) => i.interface === 'rylr998');
  const duty = lora?.duty_cycle;
  const dutyOk = duty !== undefined && duty.over_limit.length === 0;
  const dutyText = duty ? `LoRa busiest bridge ${pct(duty.max)} (n${duty.worst_node}), ${duty.over_limit.length} over` : 'no LoRa duty figure';
  return { figure: `seed ${r.seed}: ${pct(r.delivery_ratio)} (${r.delivered}/${r.sent}); ${dutyText}`, met: r.delivery_ratio >= 0.95 && dutyOk };
}

/**
 * The dead root's tree ages out and one live tree forms again (the report's `reconverge_ms`: a
 * stable tree whose root is alive), ≥ 95 % delivered. Before the age byte reached LoRa's tree
 * ages the survivors followed the dead root to the end (docs/routing.md "Tree age on LoRa").
 */
function rootKillRow(r: LoraReport): { figure: string; met: boolean } {
  const again = r.reconverge_ms === null || r.reconverge_ms === undefined ? 'no live tree again' : `one live tree again after ${(r.reconverge_ms / 60_000).toFixed(1)} min`;
  return { figure: `seed ${r.seed}: ${pct(r.delivery_ratio)} (${r.delivered}/${r.sent}); ${again}`, met: typeof r.reconverge_ms === 'number' && r.delivery_ratio >= 0.95 };
}

const TARGETS: readonly Target[] = [
  {
    case: '20 RYLR-998 nodes, random, collisions, half booting at once, 1 msg/node/min',
    scenario: 'lora-20',
    target: 'tree formed, ≥ 95 % delivered, every node ≤ 1 % duty over any hour',
    measure: meshRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
  {
    case: '… all 20 booting at the same instant',
    scenario: 'lora-20-simultaneous',
    target: 'tree formed, ≥ 95 % delivered, every node ≤ 1 % duty over any hour',
    measure: meshRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
  {
    case: '… lora-20 with the root killed at 40 min',
    scenario: 'lora-20-root-kill',
    target: 'one live tree again, ≥ 95 % delivered (no figure in the issue)',
    measure: rootKillRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
  {
    case: '… lora-20 on a 10 % sub-band (EU868 869.4–869.65 MHz): what a looser limit buys',
    scenario: 'lora-20-duty-10',
    target: 'tree formed, ≥ 95 % delivered, every node ≤ 10 % duty over any hour (not an issue row)',
    measure: meshRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
  {
    case: '4 nodes in a line 1 km apart, SF9, pings end to end (the issue’s 0/25)',
    scenario: 'lora-line',
    target: 'tree formed, pings answered (no figure in the issue)',
    measure: (r) => ({
      figure: `seed ${r.seed}: ${r.round_trips.answered}/${r.sent} answered; ${r.roots_at_end === 1 ? 'one tree' : `${r.roots_at_end} roots`}, converged ${r.converged_ms === null ? 'never' : `at ${(r.converged_ms / 1000).toFixed(0)} s`}`,
      met: r.roots_at_end === 1 && r.converged_at_end && r.round_trips.answered > 0,
    }),
    value: (r) => r.round_trips.ratio,
    valueName: 'answered_ratio_mean',
  },
  {
    case: 'two ESP-NOW islands (10 nodes each, 3 km apart) joined by 4 LoRa bridges, pings across',
    scenario: 'lora-bridge',
    target: '≥ 95 % delivered end to end, every bridge ≤ 1 % LoRa duty',
    measure: bridgeRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
  {
    case: '… every node sending across, 1 msg/node/min for 2 h (what the bridges carry)',
    scenario: 'lora-bridge-busy',
    target: '≥ 95 % delivered end to end, every bridge ≤ 1 % LoRa duty (not an issue row)',
    measure: bridgeRow,
    value: (r) => r.delivery_ratio,
    valueName: 'delivery_ratio_mean',
  },
];

/** One row per target; scenarios without an outcome are left out. */
export function loraRows(outcomes: Readonly<Partial<Record<LoraScenario, LoraOutcome>>>): LoraRow[] {
  const rows: LoraRow[] = [];
  for (const t of TARGETS) {
    const o = outcomes[t.scenario];
    if (!o || 'skipped' in o) continue;
    const base = { case: t.case, scenario: t.scenario, target: t.target };
    if ('missing' in o) rows.push({ ...base, seeds: [], figures: 'missing (no scenario file)', met: null, values: {} });
    else if ('failed' in o) rows.push({ ...base, seeds: [], figures: `failed: ${o.failed}`, met: null, values: {} });
    else {
      const each = o.reports.map((r) => t.measure(r));
      const mean = o.reports.reduce((s, r) => s + t.value(r), 0) / Math.max(1, o.reports.length);
      const figures = o.reports.length > 1 ? [...each.map((e) => e.figure), `mean ${pct(mean)}`] : each.map((e) => e.figure);
      rows.push({ ...base, seeds: o.reports.map((r) => r.seed), figures: figures.join('\n'), met: each.length > 0 && each.every((e) => e.met), values: { [t.valueName]: mean } });
    }
  }
  return rows;
}
