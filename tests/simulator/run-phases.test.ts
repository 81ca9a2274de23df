/**
 * Progress before simulated time starts (runner/run.ts onPhase, cli/progress.ts): a 10,000-node
 * world spends seconds searching for a connected layout and setting up nodes, and a user watching
 * must see it move from the first second. Checked on small worlds: the same calls, in order.
 */
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';
import { createProgress } from '../../simulator/cli/progress.js';

test('a run names its phases (layout attempts included) before the first simulated progress', async () => {
  const v = validateScenario({ name: 'phases', seed: 3, duration_ms: 2000, topology: { random: { n: 12, width: 250, height: 250, connected: true, max_tries: 1000 } } });
  if (!v.ok) throw new Error(v.errors.join('; '));
  const seen: string[] = [];
  const r = await runScenario(v.scenario, { onPhase: (p) => seen.push(p), onProgress: (sim) => seen.push(`sim ${sim}`), progressMs: 500 });
  expect(r.ok).toBe(true);
  const firstSim = seen.findIndex((s) => s.startsWith('sim '));
  const phases = seen.slice(0, firstSim);
  expect(phases[0]).toBe('layout: drawing attempt 1 of at most 1000');
  expect(phases.filter((p) => p.startsWith('layout: drawing attempt')).length).toBe(r.ok ? r.world.layout.attempts : -1);
  expect(phases.slice(-4).map((p) => p.replace(/\d+/g, 'N'))).toEqual(['placing N radios (layout attempt N)', 'drawing N node ids', 'setting up N nodes', 'simulating']);
  // progressMs: progress at least every 500 simulated ms
  expect(seen.filter((s) => s.startsWith('sim ')).length).toBeGreaterThanOrEqual(4);
});

test('on a terminal a phase shows in place until the bar starts', () => {
  const written: string[] = [];
  const stream = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
  createProgress(stream, 'big').phase('layout: drawing attempt 2 of at most 1000');
  expect(written).toEqual(['\r\x1b[Kbig: layout: drawing attempt 2 of at most 1000']);
});

test('progress also comes by wall time, between simulated steps (a slow boot storm still moves)', async () => {
  const v = validateScenario({ name: 'wall', seed: 3, duration_ms: 2000, topology: { random: { n: 12, width: 250, height: 250, connected: true, max_tries: 1000 } } });
  if (!v.ok) throw new Error(v.errors.join('; '));
  const count = async (progressWallMs: number | undefined): Promise<{ calls: number; report: string }> => {
    let calls = 0;
    const r = await runScenario(v.scenario, { onProgress: () => calls++, progressMs: 1000, ...(progressWallMs !== undefined && { progressWallMs }) });
    if (!r.ok) throw new Error(r.error);
    return { calls, report: JSON.stringify(r.report) };
  };
  // A wall period of 0 ms is always due: progress at every check (each 256th timer), on top of
  // the simulated steps (1/200 of the run). Reporting progress changes nothing in the run.
  const simOnly = await count(1e9);
  const wall = await count(0);
  expect(wall.calls).toBeGreaterThan(simOnly.calls);
  expect(wall.report).toBe(simOnly.report);
});
