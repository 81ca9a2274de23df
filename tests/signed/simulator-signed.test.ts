/**
 * A scenario's `security` section (issue 20): in signed mode every simulated node's id is its
 * public key and its tree is signed (SignedTree frames on the air, signatures verified); with a
 * pinned `{id:N}` root, node N is the root.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile, parseScenario } from '../../simulator/scenario/load.js';
import { runScenario } from '../../simulator/runner/run.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios');

test.each([0, 2])('line-3 in signed mode with node %i pinned: signed tree, that root, every ping answered', async (pinned) => {
  const loaded = loadScenarioFile(join(SCENARIOS, 'line-3.json'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const r = await runScenario({ ...loaded.scenario, duration_ms: 60_000, security: { mode: 'signed', pinned_roots: [`{id:${pinned}}`], root_work: false, root_work_floor: 20 } });
  if (!r.ok) throw new Error(r.error);
  const report = r.report;
  expect(report.bytes_by_kind.SignedTree).toBeGreaterThan(0);
  expect(report.per_node.every((n) => (n.counters.signed_verify ?? 0) > 0)).toBe(true);
  expect(report.per_node.every((n) => n.root === report.per_node[pinned].node_id)).toBe(true);
  expect(report.delivered).toBe(report.sent);
});

test('a scenario can weight roots by work: root_work and its floor reach every node', async () => {
  const file = JSON.parse(readFileSync(join(SCENARIOS, 'line-3.json'), 'utf8')) as Record<string, unknown>;
  const parsed = parseScenario(JSON.stringify({ ...file, duration_ms: 60_000, security: { mode: 'signed', root_work: true, root_work_floor: 4 } }), 'line-3', SCENARIOS);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  expect(parsed.scenario.security).toMatchObject({ root_work: true, root_work_floor: 4 });
  const r = await runScenario(parsed.scenario);
  if (!r.ok) throw new Error(r.error);
  expect(new Set(r.report.per_node.map((n) => n.root)).size).toBe(1);
  expect(r.report.delivered).toBe(r.report.sent);
});

test('a signed line of 20 rooted at one end is one tree: chains as deep as the address (16 links split it before)', async () => {
  const n = 20;
  const file = JSON.parse(readFileSync(join(SCENARIOS, 'line-3.json'), 'utf8')) as Record<string, unknown>;
  const parsed = parseScenario(
    JSON.stringify({
      ...file,
      duration_ms: 90_000,
      topology: { line: { n, spacing: 80 } },
      traffic: [{ pairs: [[0, n - 1], [n - 1, 0]], kind: 'ping', size: 16, interval_ms: 5000, start_ms: 60_000, metric: 'dTree' }],
      security: { mode: 'signed', pinned_roots: ['{id:0}'] },
    }),
    'line-20',
    SCENARIOS,
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const r = await runScenario(parsed.scenario);
  if (!r.ok) throw new Error(r.error);
  const report = r.report;
  // Before: nodes below depth 16 could not prove their address and founded trees of their own.
  expect(report.per_node.every((node) => node.root === report.per_node[0].node_id)).toBe(true);
  expect(report.per_node.every((node) => typeof node.address === 'string')).toBe(true);
  expect(report.sent).toBeGreaterThan(0);
  expect(report.delivered).toBe(report.sent);
});
