/**
 * The report's traffic figures over time and their honesty: the time series (report.series),
 * sends the source refused (drops.refused and the app ratios), and stretch measured against
 * the links that exist.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { fileURLToPath } from 'node:url';
import { parseCliArgs, UsageError } from '../../simulator/cli/main.js';
import { zeroReasons } from '../../simulator/medium/stats.js';
import { AppLedger } from '../../simulator/runner/app-ledger.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { SeriesRecorder } from '../../simulator/runner/series.js';
import type { TreeView } from '../../simulator/runner/sim-node.js';
import { loadScenarioFile } from '../../simulator/scenario/load.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { scenario } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function run(s: Scenario, bucketMs?: number): Promise<RunReport> {
  const r = await runScenario(s, bucketMs === undefined ? {} : { bucketMs });
  if (!r.ok) throw new Error(r.error);
  return r.report;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'simulator', 'schema', 'report-series.schema.json'), 'utf8')) as object);

/** Problems of `value` against a $def of simulator/schema/report-series.schema.json. */
function schemaCheck(def: string, value: unknown): string[] {
  const validate = ajv.getSchema(`report-series.schema.json#/$defs/${def}`);
  if (!validate) throw new Error(`no $defs/${def}`);
  return validate(value) ? [] : [`${def}: ${ajv.errorsText(validate.errors)}`];
}

/** The report's traffic fields against their schema. */
function schemaErrors(report: RunReport): string[] {
  return [...schemaCheck('series', report.series), ...schemaCheck('drops', report.drops), ...schemaCheck('stretch_min', report.stretch_min), ...schemaCheck('apps', report.apps)];
}

/** A view of a running node (address bytes hex: one nibble per coordinate here). */
function view(root: string, address?: string): TreeView {
  return { running: true, root, address, treeState: 1, addressText: address, parent: undefined, score: root, full: false, nearFull: false, settled: address !== undefined };
}

describe('SeriesRecorder', () => {
  test('messages count in the bucket they were sent in, with that bucket latencies', () => {
    const s = new SeriesRecorder(10_000, 30_000);
    s.sent(500);
    s.sent(9_999);
    s.sent(10_000);
    s.delivered(9_999, 12_000); // arrives in bucket 1, counts in bucket 0
    s.delivered(500, 520);
    const out = s.snapshot();
    expect(out.t_ms).toEqual([0, 10_000, 20_000]);
    expect(out.sent).toEqual([2, 1, 0]);
    expect(out.delivered).toEqual([2, 0, 0]);
    expect(out.latency_p50_ms).toEqual([20, 0, 0]);
    expect(out.latency_p95_ms).toEqual([2001, 0, 0]);
  });

  test('tree columns are the last sample of a bucket; medium and Packager counters are differenced', () => {
    const s = new SeriesRecorder(2_000, 4_000);
    const lost = zeroReasons();
    lost.loss = 3;
    s.sample(1_000, [view('a'), view('b', '10000000000000000000000000000000')], 10, lost);
    lost.loss = 5;
    lost.collision = 1;
    // Root a: depth 1 (one coordinate); 1.2.3: depth 3; a node that is off is not counted.
    s.sample(2_000, [view('a', '10000000000000000000000000000000'), view('a', '12300000000000000000000000000000'), undefined], 25, lost);
    s.counters(2_000, [{ drop_no_route: 2 }, { drop_no_route: 1 }]);
    s.sample(4_000, [view('a', '10000000000000000000000000000000')], 30, lost);
    s.booted(1); // node 1 rebooted: its counters start over
    s.counters(4_000, [{ drop_no_route: 3 }, { drop_no_route: 1 }]);
    const out = s.snapshot();
    expect(out.roots).toEqual([1, 1]);
    expect(out.addressed).toEqual([2, 1]);
    expect(out.max_depth).toEqual([3, 1]);
    expect(out.frames_on_air).toEqual([25, 5]);
    expect(out.drops).toEqual({ 'medium.collision': [1, 0], 'medium.loss': [5, 0], 'packager.drop_no_route': [3, 2] });
  });
});

describe('report.series on a run', () => {
  const line = () =>
    scenario({
      name: 'series-line',
      duration_ms: 60_000,
      radio: { model: 'unit-disk', range: 100 },
      topology: { line: { n: 4, spacing: 80 } },
      traffic: [{ pairs: [[0, 3], [3, 0]], kind: 'ping', size: 8, interval_ms: 2_000, start_ms: 5_000 }],
      churn: [{ at_ms: 30_000, action: 'node_down', node: 2 }],
      report: { bucket_ms: 5_000 },
    });

  test('columns add up to the report totals; the tree columns end as the run ends', async () => {
    const r = await run(line());
    const s = r.series;
    expect(s.bucket_ms).toBe(5_000);
    expect(s.t_ms).toHaveLength(12);
    for (const col of [s.sent, s.delivered, s.latency_p50_ms, s.latency_p95_ms, s.roots, s.addressed, s.max_depth, s.frames_on_air]) expect(col).toHaveLength(12);
    expect(sum(s.sent)).toBe(r.sent);
    expect(sum(s.delivered)).toBe(r.delivered);
    expect(sum(s.frames_on_air)).toBe(r.frames.sent);
    expect(sum(s.drops['medium.down'] ?? [])).toBe(r.drops.medium.down);
    expect(r.drops.medium.down).toBeGreaterThan(0);
    // Node 2 went down at 30 s: the line is cut in two, so two roots at the end, 3 live nodes.
    expect(s.roots[11]).toBe(r.roots_at_end);
    expect(s.addressed[0]).toBeGreaterThan(0);
    expect(s.addressed[11]).toBeLessThanOrEqual(3);
    expect(s.max_depth[5]).toBeGreaterThanOrEqual(2);
    // Pings across the cut stop arriving: the ratio per bucket shows when.
    expect(s.delivered[2]).toBe(s.sent[2]);
    expect(s.delivered[8]).toBe(0);
    expect(schemaErrors(r)).toEqual([]);
    expect(schemaErrors({ ...r, series: { ...s, drops: { 'nowhere.x': [1] } } })).toEqual([expect.stringMatching(/^series: /)]);
  });

  test('the run option (the CLI --bucket-ms) overrides the scenario bucket', async () => {
    const r = await run(line(), 20_000);
    expect(r.series.t_ms).toEqual([0, 20_000, 40_000]);
  });

  test('report.bucket_ms is validated: whole seconds, no unknown fields; --bucket-ms too', () => {
    const base = { name: 'x', duration_ms: 1000, topology: { line: { n: 2, spacing: 10 } } };
    const ok = validateScenario({ ...base });
    expect(ok.ok && ok.scenario.report).toEqual({ bucket_ms: 10_000 });
    const bad = validateScenario({ ...base, report: { bucket_ms: 1500, buckets: 3 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/report\.bucket_ms: must be a whole number of seconds/);
    expect(!bad.ok && bad.errors.join('\n')).toMatch(/report\.buckets: unknown field/);
    const ctx = { root: ROOT };
    expect(parseCliArgs(['run', 'default', '--bucket-ms', '60000'], ctx)).toMatchObject({ bucketMs: 60_000 });
    expect(() => parseCliArgs(['run', 'default', '--bucket-ms', '0'], ctx)).toThrow(UsageError);
    expect(() => parseCliArgs(['run', 'default', '--bucket-ms', '1e4'], ctx)).toThrow(UsageError);
  });
});

describe('refused sends', () => {
  test('lora-line: every Ping the source refused or gave up waiting is in drops and in the series', async () => {
    const loaded = loadScenarioFile(join(ROOT, 'simulator', 'scenarios', 'lora-line.json'));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // Pings from the first second, every 5 s for 5 min: the source has no address in the
    // destination's tree until the LoRa tree forms (about a minute). Those Pings wait for a way
    // as their retries would have (packager/held-sends.ts) and are given up after the last
    // (send_held_failed); past the four that wait at once, refused (drops.refused). Counted
    // either way, and never delivered.
    const s = loaded.scenario;
    const r = await run({ ...s, duration_ms: 300_000, traffic: s.traffic.map((t) => ({ ...t, start_ms: 1_000, interval_ms: 5_000 })) });
    expect(r.sent).toBe(60);
    const refused = r.drops.refused.no_address ?? 0;
    const gaveUp = r.drops.packager.send_held_failed ?? 0;
    expect(gaveUp).toBeGreaterThan(0);
    expect(Object.keys(r.drops.refused)).toEqual(refused > 0 ? ['no_address'] : []);
    expect(sum(r.series.drops['refused.no_address'] ?? [])).toBe(refused);
    expect(sum(r.series.drops['packager.send_held_failed'])).toBe(gaveUp);
    expect(r.delivered + refused + gaveUp).toBeLessThanOrEqual(60);
    expect(schemaErrors(r)).toEqual([]);
  });

  test('app ratios: a refused send or publish is expected and never delivered', () => {
    const l = new AppLedger();
    l.assigned('chat', 3);
    l.subscribed('chat', 1, 'room', true);
    l.subscribed('chat', 2, 'room', true);
    l.sent('chat', 0, 'send', 'k1', 0, true, 1, undefined);
    l.sent('chat', 0, 'send', 'k2', 0, false, 2, undefined); // no route
    l.sent('chat', 0, 'publish', 'k3', 0, false, undefined, 'room'); // Gossip refused it
    l.received('chat', 1, 'k1', 10, 1);
    const chat = l.summary().chat;
    expect(chat.sent).toEqual({ send: 1, publish: 0, broadcast: 0 });
    expect(chat.refused).toBe(2);
    expect(chat.expected).toBe(4); // 1 + 1 (refused send) + 2 subscribers (refused publish)
    expect(chat.delivered).toBe(1);
    expect(chat.delivery_ratio).toBe(0.25);
    expect(chat.by_how.send).toMatchObject({ sent: 1, refused: 1, expected: 2, delivered: 1, delivery_ratio: 0.5 });
    expect(chat.by_how.publish).toMatchObject({ sent: 0, refused: 1, expected: 2, delivered: 0 });
    expect(schemaCheck('app_summary', chat)).toEqual([]);
    expect(schemaCheck('app_summary', { ...chat, by_how: { send: { ...chat.by_how.send, attempts: 2 } } })).toHaveLength(1);
  });
});

test('stretch on a lossy line is never below 1: shortest paths count every link that exists', async () => {
  // Links two spacings long lose ~20 %: above usable_loss, yet the mesh uses them.
  const r = await run(
    scenario({
      name: 'lossy-line',
      seed: 3,
      duration_ms: 120_000,
      radio: { model: 'logistic', d50: 120, width: 15, usable_loss: 0.1 },
      topology: { line: { n: 8, spacing: 50 } },
      traffic: [{ pairs: [[0, 7], [7, 0], [1, 6]], kind: 'blob', size: 16, interval_ms: 1000, start_ms: 20_000 }],
    }),
  );
  expect(r.delivered).toBeGreaterThan(100);
  expect(r.skipped.unreachable).toBe(0);
  expect(r.stretch_min).toBeGreaterThanOrEqual(1);
  expect(r.stretch_mean).toBeGreaterThanOrEqual(1);
  expect(r.by_metric.dTree.stretch_mean).toBeGreaterThanOrEqual(1);
});
