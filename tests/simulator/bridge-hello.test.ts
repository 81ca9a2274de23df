/**
 * Bridges with Hello on (the default; docs/lora.md "Bridges"): Hello stays off LoRa, so the root's
 * heartbeat never crosses the bridge. The island across it must not take that silence for a dead
 * root (before: it poisoned the root within seconds of joining and the islands split for good).
 */
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';

const LORA = { model: 'unit-disk', range: 5000, collisions: true, duty_cycle_limit: 0.01, lora: { sf: 7, bw: 9, cr: 1, preamble: 12 } };

test('two islands joined by LoRa bridges stay one tree with Hello on and the default tree age', async () => {
  const checked = validateScenario({
    name: 'two-islands-hello',
    seed: 5,
    duration_ms: 900_000,
    interface: 'espnow',
    // Three nodes a line per island: the far island has nodes below the bridge, which lose and
    // regain parents while the tree forms.
    topology: { positions: [[0, 0], [50, 0], [100, 0], [3000, 0], [3050, 0], [3100, 0]] },
    radios: [{ interface: 'rylr998', nodes: [2, 3], radio: LORA }],
    traffic: [{ pairs: [[0, 5], [5, 0]], kind: 'ping', size: 8, interval_ms: 60_000, start_ms: 300_000 }],
  });
  if (!checked.ok) throw new Error(checked.errors.join('; '));
  const run = await runScenario(checked.scenario);
  if (!run.ok) throw new Error('run failed');
  const report = run.report as unknown as { roots_at_end: number; sent: number; delivery_ratio: number; per_node: { counters?: Record<string, number> }[] };
  expect(report.roots_at_end).toBe(1);
  expect(report.sent).toBeGreaterThan(10);
  expect(report.delivery_ratio).toBeGreaterThanOrEqual(0.9);
}, 120_000);
