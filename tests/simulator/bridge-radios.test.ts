/**
 * Scenario `radios` (nodes with a second radio, docs/lora.md "Bridges"): what validation accepts
 * and refuses, and a small run where two ESP-NOW islands out of each other's range reach each
 * other only through their RYLR-998 bridges.
 */
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';

const LORA = { model: 'unit-disk', range: 5000, collisions: true, duty_cycle_limit: 0.01, lora: { sf: 7, bw: 9, cr: 1, preamble: 12 } };

function scenario(radios?: unknown): Record<string, unknown> {
  return {
    name: 'two-islands',
    seed: 3,
    duration_ms: 900_000,
    interface: 'espnow',
    topology: { positions: [[0, 0], [50, 0], [3000, 0], [3050, 0]] },
    ...(radios !== undefined && { radios }),
    node_options: { all: { hello: false, spanning_tree: { max_tree_age: 180 } } },
    traffic: [{ pairs: [[0, 3], [2, 1]], kind: 'ping', size: 8, interval_ms: 60_000, start_ms: 300_000 }],
  };
}

test('radios: a second interface for listed nodes; the same kind twice, a repeated or unknown node refused', () => {
  const ok = validateScenario(scenario([{ interface: 'rylr998', nodes: [1, 2], radio: LORA }]));
  expect(ok.ok && ok.scenario.radios?.[0].nodes).toEqual([1, 2]);
  expect(ok.ok && ok.scenario.radios?.[0].radio.lora).toEqual({ sf: 7, bw: 9, cr: 1, preamble: 12 });
  const errors = (v: unknown) => {
    const r = validateScenario(scenario(v));
    return r.ok ? [] : r.errors;
  };
  expect(errors([{ interface: 'espnow', nodes: [1] }]).join()).toMatch(/radios\[0\]\.interface: must differ/);
  expect(errors([{ interface: 'rylr998', nodes: [1, 1] }]).join()).toMatch(/must not repeat a node/);
  expect(errors([{ interface: 'rylr998', nodes: [9] }]).join()).toMatch(/radios\[0\]\.nodes\[0\]/);
  expect(errors([{ interface: 'rylr998', nodes: [1], radio: { range: -1 } }]).join()).toMatch(/radios\[0\]\.radio\.range/);
});

test('two ESP-NOW islands reach each other only through their LoRa bridges', async () => {
  const withBridges = validateScenario(scenario([{ interface: 'rylr998', nodes: [1, 2], radio: LORA }]));
  const without = validateScenario(scenario());
  if (!withBridges.ok || !without.ok) throw new Error('invalid test scenario');
  const bridged = await runScenario(withBridges.scenario);
  const apart = await runScenario(without.scenario);
  if (!bridged.ok || !apart.ok) throw new Error('run failed');
  // Without the second radio the islands are two meshes: nothing to send across.
  expect(apart.report.sent).toBe(0);
  expect(apart.report.roots_at_end).toBe(2);
  // With it: one tree, the pings answered, the bridges within their LoRa duty limit.
  expect(bridged.report.roots_at_end).toBe(1);
  expect(bridged.report.sent).toBeGreaterThan(10);
  expect(bridged.report.delivery_ratio).toBeGreaterThanOrEqual(0.9);
  const lora = (bridged.report as unknown as { interfaces: { nodes: number[]; frames: { sent: number }; duty_cycle: { max: number; over_limit: number[] } }[] }).interfaces[0];
  expect(lora.nodes).toEqual([1, 2]);
  expect(lora.frames.sent).toBeGreaterThan(0);
  expect(lora.duty_cycle.over_limit).toEqual([]);
}, 60_000);
