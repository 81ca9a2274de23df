/** report.schema.json describes the reports the simulator writes, and refuses what it does not write. */
import { readFileSync } from 'node:fs';
import { scenario } from './helpers.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { FORMAT_VERSION, TOOL_VERSION } from '../../simulator/runner/version.js';
import { expectValidReport, reportSchemaErrors } from './support/schemas.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

let report: RunReport;
beforeAll(async () => {
  // Churn (a reconvergence entry), ping and blob traffic, a console command and an app: every section filled.
  const s = scenario({
    name: 'schema',
    duration_ms: 60_000,
    topology: { line: { n: 4, spacing: 80 } },
    churn: [{ at_ms: 30_000, action: 'node_down', node: 3 }],
    traffic: [
      { pairs: [[0, 2]], kind: 'ping', interval_ms: 5000, start_ms: 10_000 },
      { pairs: [[2, 0]], kind: 'blob', size: 100, interval_ms: 5000, start_ms: 10_000, metric: 'dCPL' },
    ],
    apps: [{ app: 'echo', nodes: [0, 1] }],
    commands: [{ at_ms: 20_000, node: 0, line: 'status' }],
  });
  const r = await runScenario(s);
  if (!r.ok) throw new Error(r.error);
  report = r.report;
});

test('a report with every section validates, and carries format and tool versions', () => {
  expectValidReport(report);
  expect(report.format_version).toBe(FORMAT_VERSION);
  expect(report.format_version).toBe(2);
  expect(report.reconvergence).toHaveLength(1);
  expect(report.console).toHaveLength(1);
  expect(Object.keys(report.apps)).toEqual(['echo']);
});

test('tool_version is the package.json version', () => {
  expect(TOOL_VERSION).toBe(pkg.version);
  expect(report.tool_version).toBe(pkg.version);
});

test.each<[string, (r: Record<string, unknown>) => void, RegExp]>([
  ['an unknown top-level field', (r) => (r.delivery = 1), /unevaluated.*delivery/],
  ['a missing field', (r) => delete r.delivery_ratio, /delivery_ratio/],
  ['a ratio above 1', (r) => (r.delivery_ratio = 1.5), /\/delivery_ratio/],
  ['another format version', (r) => (r.format_version = 1), /\/format_version/],
  ['a convergence field of the wrong type', (r) => (r.converged_ms = 'soon'), /\/converged_ms/],
  ['an unknown per-node field', (r) => ((r.per_node as Record<string, unknown>[])[0].airtime = 1), /\/per_node\/0/],
  ['an unknown drop reason', (r) => ((r.drops as { medium: Record<string, number> }).medium.fading = 1), /\/drops\/medium/],
  ['a radio section before its schema exists', (r) => (r.radio = {}), /\/radio/],
])('refuses %s', (_what, change, message) => {
  const copy = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  change(copy);
  const errors = reportSchemaErrors(copy);
  expect(errors.join('\n')).toMatch(message);
});
