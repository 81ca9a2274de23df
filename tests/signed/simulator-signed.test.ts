/**
 * A scenario's `security` section (issue 20): in signed mode every simulated node's id is its
 * public key and its tree is signed (SignedTree frames on the air, signatures verified); with a
 * pinned `{id:N}` root, node N is the root.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenarioFile } from '../../simulator/scenario/load.js';
import { runScenario } from '../../simulator/runner/run.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios');

test.each([0, 2])('line-3 in signed mode with node %i pinned: signed tree, that root, every ping answered', async (pinned) => {
  const loaded = loadScenarioFile(join(SCENARIOS, 'line-3.json'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const r = await runScenario({ ...loaded.scenario, duration_ms: 60_000, security: { mode: 'signed', pinned_roots: [`{id:${pinned}}`] } });
  if (!r.ok) throw new Error(r.error);
  const report = r.report;
  expect(report.bytes_by_kind.SignedTree).toBeGreaterThan(0);
  expect(report.per_node.every((n) => (n.counters.signed_verify ?? 0) > 0)).toBe(true);
  expect(report.per_node.every((n) => n.root === report.per_node[pinned].node_id)).toBe(true);
  expect(report.delivered).toBe(report.sent);
});
