/** The JSON Schemas of the convergence fields describe what the runner really writes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { ROOT, shipped } from '../dashboard/helpers.js';

const load = (name: string): object => JSON.parse(readFileSync(join(ROOT, 'simulator', 'schema', name), 'utf8'));
const FIELDS = ['converged_ms', 'converged_at_end', 'joined_ms', 'joined_at_end', 'reconvergence', 'reconverge_ms', 'roots_at_end', 'parts_at_end', 'looped_node_s', 'shared_address_node_s'];

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(load('report-convergence.schema.json'));
ajv.addSchema(load('scenario-convergence.schema.json'));
const report = ajv.compile({
  type: 'object',
  required: FIELDS,
  properties: Object.fromEntries(FIELDS.map((f) => [f, { $ref: `report-convergence.schema.json#/$defs/${f}` }])),
});

async function run(s: Parameters<typeof runScenario>[0]): Promise<RunReport> {
  const r = await runScenario(s);
  if (!r.ok) throw new Error(r.error);
  return JSON.parse(JSON.stringify(r.report)) as RunReport;
}

test('reports with churn, partitions and several parts validate; a wrong field does not', async () => {
  const reports = [
    await run(shipped('partition-heal', { duration_ms: 300_000 })),
    await run(shipped('line-3', { churn: [{ at_ms: 60_000, action: 'node_down', node: 1 }] })),
    await run(shipped('line-3', { duration_ms: 30_000 })),
  ];
  for (const r of reports) {
    const ok = report(r);
    expect(ajv.errorsText(report.errors)).toBe('No errors');
    expect(ok).toBe(true);
  }
  const bad = structuredClone(reports[0]) as unknown as { reconvergence: Record<string, unknown>[] };
  bad.reconvergence[0].stable = 1;
  expect(report(bad)).toBe(false);
  const missing = structuredClone(reports[1]) as unknown as { reconvergence: Record<string, unknown>[] };
  delete missing.reconvergence[0].peak_roots;
  expect(report(missing)).toBe(false);
}, 60_000);

test('the scenario fragments accept the shipped partition-heal churn and power_on forms, and refuse typos', () => {
  const partition = ajv.getSchema('scenario-convergence.schema.json#/$defs/churn_partition')!;
  const heal = ajv.getSchema('scenario-convergence.schema.json#/$defs/churn_heal')!;
  const powerOn = ajv.getSchema('scenario-convergence.schema.json#/$defs/power_on')!;
  const churn = (JSON.parse(readFileSync(join(ROOT, 'simulator', 'scenarios', 'partition-heal.json'), 'utf8')) as { churn: object[] }).churn;
  expect(partition(churn[0])).toBe(true);
  expect(heal(churn[1])).toBe(true);
  expect(heal({ ...churn[1], nodes: [1] })).toBe(false);
  expect(powerOn({ spread_ms: 0, at_ms: { '3': 60_000 } })).toBe(true);
  expect(powerOn({ at_ms: [0, 5, 10] })).toBe(true);
  expect(powerOn({ spred_ms: 5 })).toBe(false);
  expect(powerOn({ at_ms: { n3: 5 } })).toBe(false);
});
