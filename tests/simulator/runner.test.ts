/** The simulator's runs, end to end on the shipped scenarios (in-process runner). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../simulator/scenario/load.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { expectValidReport } from './support/schemas.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios');

function shipped(name: string, patch: Partial<Scenario> = {}): Scenario {
  const r = loadScenarioFile(join(SCENARIOS, `${name}.json`));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.scenario, ...patch };
}

async function run(s: Scenario, seed?: number): Promise<RunReport> {
  const r = await runScenario(s, { seed });
  if (!r.ok) throw new Error(r.error);
  expectValidReport(r.report);
  return r.report;
}

test('the same scenario and seed give the same report, byte for byte; another seed another run', async () => {
  const s = shipped('line-3', { duration_ms: 60_000 });
  const a = JSON.stringify(await run(s));
  expect(JSON.stringify(await run(s))).toBe(a);
  const other = await run(s, 99);
  expect(JSON.stringify(other)).not.toBe(a);
  expect(other.seed).toBe(99);
});

test('3-node line: one tree, every ping crosses the middle node (2 hops, stretch 1)', async () => {
  const r = await run(shipped('line-3'));
  expect(r.nodes).toBe(3);
  expect(r.converged_ms).not.toBeNull();
  expect(r.roots_at_end).toBe(1);
  expect(r.sent).toBeGreaterThan(30);
  expect(r.delivered).toBe(r.sent);
  expect(r.duplicates).toBe(0);
  expect(r.hops_mean).toBe(2);
  expect(r.stretch_mean).toBe(1);
  expect(r.round_trips.ratio).toBe(1);
  expect(r.per_node.map((n) => n.address)).toEqual(expect.arrayContaining([expect.any(String)]));
  expect(new Set(r.per_node.map((n) => n.root)).size).toBe(1);
  // The middle node forwarded; the ends did not.
  expect(r.per_node[1].counters.forwarded).toBeGreaterThan(0);
  expect(r.per_node[0].counters.forwarded ?? 0).toBe(0);
  expect(r.control_bytes_per_node_per_min).toBeGreaterThan(0);
  expect(r.bytes_by_kind.Ping).toBeGreaterThan(0);
  // The pings' end-to-end acks are counted with the pings (data), not as control.
  expect(r.bytes_by_kind['Ping ack']).toBeGreaterThan(0);
  const totalPerMin = Object.values(r.bytes_by_kind).reduce((a, b) => a + b, 0) / r.nodes / (r.simulated_ms / 60_000);
  const pingPerMin = (r.bytes_by_kind.Ping + r.bytes_by_kind['Ping ack']) / r.nodes / (r.simulated_ms / 60_000);
  expect(r.data_bytes_per_node_per_min).toBeCloseTo(pingPerMin, 0);
  expect(r.control_bytes_per_node_per_min).toBeCloseTo(totalPerMin - pingPerMin, 0);
});

test('7×7 grid converges to one root with distinct addresses, and routes with both metrics', async () => {
  // Half the shipped 5 minutes: it converges at 64 s and both metrics' Pings flow from 60 s on.
  const r = await run(shipped('grid-7x7', { duration_ms: 150_000 }));
  expect(r.converged_ms).not.toBeNull();
  expect(r.converged_ms as number).toBeLessThan(200_000);
  expect(r.converged_at_end).toBe(true);
  expect(r.roots_at_end).toBe(1);
  expect(new Set(r.per_node.map((n) => n.address)).size).toBe(49);
  expect(Object.keys(r.by_metric).sort()).toEqual(['dCPL', 'dTree']);
  expect(r.delivery_ratio).toBeGreaterThan(0.95);
  expect(r.stretch_mean).toBeGreaterThanOrEqual(1);
}, 60_000);

test('root kill: the tree re-converges on a new root and traffic keeps flowing', async () => {
  const r = await run(shipped('root-kill'));
  expect(r.reconvergence).toHaveLength(1);
  const [e] = r.reconvergence;
  expect(e.action).toBe('root_kill');
  expect(e.converged_ms).not.toBeNull();
  expect((e.converged_ms as number) - e.event_ms).toBeLessThan(200_000);
  const dead = r.per_node.filter((n) => !n.up);
  expect(dead).toHaveLength(1);
  expect(r.roots_at_end).toBe(1);
  // Nobody follows the dead root at the end.
  expect(r.per_node.filter((n) => n.up).every((n) => n.root !== dead[0].node_id)).toBe(true);
  expect(r.delivered).toBeGreaterThan(0.8 * r.sent);
}, 60_000);

test('a node that is down is not sent traffic; messages to it are counted as skipped', async () => {
  const v = validateScenario({
    name: 'down',
    duration_ms: 60_000,
    topology: { line: { n: 3, spacing: 80 } },
    churn: [{ at_ms: 20_000, action: 'node_down', node: 2 }],
    traffic: [{ pairs: [[0, 2]], kind: 'ping', interval_ms: 5_000, start_ms: 30_000, aligned: true }],
  });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  const r = await run(v.scenario);
  expect(r.sent).toBe(0);
  expect(r.skipped.dst_down).toBe(6);
  expect(r.per_node[2].up).toBe(false);
});
