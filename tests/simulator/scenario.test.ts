import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { buildWorld, layoutTopology } from '../../simulator/scenario/build.js';
import { scheduleChurn, scheduleSleepWindows } from '../../simulator/scenario/churn.js';
import { bfsHops, isConnected, radioGraph, ShortestPaths, shortestHops } from '../../simulator/scenario/graph.js';
import { loadScenarioFile, parseScenario } from '../../simulator/scenario/load.js';
import { planFlows, scheduleFlows } from '../../simulator/scenario/traffic.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { validateScenario } from '../../simulator/scenario/validate.js';

const SCENARIOS = fileURLToPath(new URL('../../simulator/scenarios', import.meta.url));

function valid(json: unknown): Scenario {
  const r = validateScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

function errors(json: unknown): string[] {
  const r = validateScenario(json);
  return r.ok ? [] : r.errors;
}

const base = { name: 't', duration_ms: 60000, topology: { line: { n: 3, spacing: 50 } } };

describe('validation', () => {
  test('every shipped scenario is valid and builds', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(expect.arrayContaining(['default.json', 'line-3.json', 'grid-7x7.json', 'root-kill.json', 'lora-line.json']));
    for (const f of files) {
      const r = loadScenarioFile(join(SCENARIOS, f));
      expect(r.ok ? [] : r.errors).toEqual([]);
      if (r.ok) expect(buildWorld(r.scenario).ok).toBe(true);
    }
  });

  test('defaults are filled in', () => {
    const s = valid(base);
    expect(s.seed).toBe(1);
    expect(s.interface).toBe('espnow');
    expect(s.radio).toMatchObject({ model: 'unit-disk', range: 100, collisions: false });
    expect(s.nodes).toBe(3);
    expect(s.churn).toEqual([]);
  });

  test('errors name the field path, the expectation and the value found', () => {
    expect(errors({ ...base, topology: { grid: { rows: '7', cols: 7, spacing: 10 } } })).toEqual([
      'topology.grid.rows: must be an integer in 1..100000, got "7"',
    ]);
    expect(errors({ ...base, duration_ms: -5 })).toEqual(['duration_ms: must be an integer in 1..31622400000, got -5']);
    expect(errors({ ...base, interface: 'wifi' })).toEqual(['interface: must be one of "espnow", "rylr998", got "wifi"']);
    expect(errors({ ...base, duraton_ms: 5 })[0]).toMatch(/^duraton_ms: unknown field/);
    expect(errors({ ...base, radio: { model: 'unit-disk', r0: 5 } })).toEqual([
      'radio.r0: does not apply to model "unit-disk" (it uses range)',
    ]);
    expect(errors({ ...base, radio: { model: 'linear', r0: 100, r1: 50 } })).toEqual([
      'radio.r1: must be greater than radio.r0 (100), got 50',
    ]);
  });

  test('node indices are checked against the topology size', () => {
    const e = errors({
      ...base,
      churn: [{ at_ms: 10, action: 'node_down', node: 3 }, { at_ms: 10, action: 'link_cut', a: 0, b: 0 }, { at_ms: 99999999, action: 'root_kill' }],
      traffic: [{ pairs: [[0, 5]], kind: 'ping' }],
    });
    expect(e).toEqual([
      'churn[0].node: must be an integer in 0..2, got 3',
      'churn[1].b: must differ from a, got 0',
      'churn[2].at_ms: must be an integer in 0..60000, got 99999999',
      'traffic[0].pairs[0][1]: must be an integer in 0..2, got 5',
    ]);
  });

  test('one topology kind, one traffic pattern; fields of other actions are refused', () => {
    expect(errors({ ...base, topology: { line: { n: 2, spacing: 1 }, grid: { rows: 1, cols: 1, spacing: 1 } } })).toEqual([
      'topology: must have exactly one of line, grid, random, positions, edges, got line and grid',
    ]);
    expect(errors({ ...base, traffic: [{ kind: 'ping' }] })).toEqual(['traffic[0]: must have exactly one of pairs, random, got none']);
    expect(errors({ ...base, churn: [{ at_ms: 1, action: 'root_kill', node: 1 }] })).toEqual([
      'churn[0].node: does not apply to action "root_kill"',
    ]);
    expect(errors({ ...base, churn: [{ at_ms: 1, action: 'relay_kill', node: 1 }] })).toEqual([
      'churn[0].node: does not apply to action "relay_kill"',
    ]);
  });

  test('never throws, whatever the input (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withObjectString: true, withNullPrototype: true, withBigInt: true }), (x) => {
        const r = validateScenario(x);
        expect(r.ok === false || typeof r.scenario.name === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
    // near-misses of a valid scenario: every field replaced by a hostile value
    const hostile = [null, -1, 1.5, 'x', [], {}, [[1]], Infinity, 1e300, true];
    const paths: [string, (s: Record<string, unknown>, v: unknown) => void][] = [
      ['seed', (s, v) => (s.seed = v)],
      ['radio', (s, v) => (s.radio = v)],
      ['topology', (s, v) => (s.topology = v)],
      ['topology.line.n', (s, v) => (s.topology = { line: { n: v, spacing: 1 } })],
      ['churn', (s, v) => (s.churn = v)],
      ['churn[0]', (s, v) => (s.churn = [v])],
      ['traffic', (s, v) => (s.traffic = v)],
      ['traffic[0].pairs', (s, v) => (s.traffic = [{ pairs: v }])],
      ['sleep', (s, v) => (s.sleep = [{ nodes: v, at_ms: 0, duration_ms: 1 }])],
      ['node_options', (s, v) => (s.node_options = v)],
    ];
    for (const [path, set] of paths) {
      for (const v of hostile) {
        const s: Record<string, unknown> = structuredClone(base);
        set(s, v);
        const r = validateScenario(s);
        if (!r.ok) for (const e of r.errors) expect(e.startsWith(path.split('[')[0].split('.')[0])).toBe(true);
      }
    }
  });

  test('bad JSON and missing files give one-line errors', () => {
    const r = parseScenario('{"name": ', 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatch(/^x\.json: not valid JSON/);
    const m = loadScenarioFile('/nonexistent/nope.json');
    expect(!m.ok && m.errors[0]).toBe('/nonexistent/nope.json: cannot read (ENOENT)');
  });
});

describe('builders', () => {
  test('line and grid positions; radio graph hop counts', () => {
    const w = buildWorld(valid({ ...base, topology: { grid: { rows: 3, cols: 4, spacing: 80 } } }));
    if (!w.ok) throw new Error(w.error);
    expect(w.world.medium.size).toBe(12);
    expect(w.world.medium.position(5)).toEqual({ x: 80, y: 80 });
    const adj = radioGraph(w.world.medium, 0.5);
    expect(adj[0]).toEqual([1, 4]); // 4-neighbour at 80 m with range 100
    expect(shortestHops(adj, 0, 11)).toBe(5); // Manhattan distance 3 + 2
    expect(new ShortestPaths(adj).hops(11, 0)).toBe(5);
  });

  test('random geometric layouts are connected, reproducible and depend on the seed', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const s = valid({ ...base, seed, topology: { random: { n: 60, width: 500, height: 500 } } });
      const w = buildWorld(s);
      if (!w.ok) throw new Error(w.error);
      expect(isConnected(radioGraph(w.world.medium, s.radio.usable_loss))).toBe(true);
    }
    const s = valid({ ...base, seed: 4, topology: { random: { n: 60, width: 500, height: 500 } } });
    const a = layoutTopology(s);
    const b = layoutTopology(s);
    const c = layoutTopology({ ...s, seed: 5 });
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.layout.positions[0]).not.toEqual(c.ok && c.layout.positions[0]);
  });

  test('a sparse random layout retries until connected, and reports when it cannot be', () => {
    // mean degree ≈ 5: most draws leave a node or two isolated
    const attempts = [1, 2, 3, 4, 5].map((seed) => {
      const sparse = valid({ ...base, seed, topology: { random: { n: 30, width: 420, height: 420, max_tries: 1000 } } });
      const r = layoutTopology(sparse);
      if (!r.ok) throw new Error(r.error);
      const w = buildWorld(sparse);
      expect(w.ok && isConnected(radioGraph(w.world.medium, 0.5))).toBe(true);
      return r.layout.attempts;
    });
    expect(Math.max(...attempts)).toBeGreaterThan(1);
    const hopeless = valid({ ...base, topology: { random: { n: 30, width: 100000, height: 100000, max_tries: 3 } } });
    expect(layoutTopology(hopeless)).toEqual({ ok: false, error: expect.stringMatching(/^topology\.random: no connected layout/) });
  });

  test('explicit edges: only those links exist, one-way respected; link overrides apply', () => {
    const s = valid({
      ...base,
      topology: { edges: { n: 4, links: [[0, 1], { a: 1, b: 2, one_way: true }, { a: 2, b: 3, loss: 0.25 }] } },
      links: [{ a: 0, b: 1, cut: true, one_way: true }],
    });
    const w = buildWorld(s);
    if (!w.ok) throw new Error(w.error);
    const m = w.world.medium;
    expect(m.links(1).map((l) => [l.to, l.cut])).toEqual([
      [0, false],
      [2, false],
    ]);
    expect(m.links(2).map((l) => [l.to, l.loss])).toEqual([[3, 0.25]]); // 2 → 1 does not exist
    expect(m.links(0).map((l) => [l.to, l.cut])).toEqual([[1, true]]);
    const adj = radioGraph(m, 0.5);
    expect(bfsHops(adj, 3)[0]).toBe(-1); // 3 → 2 → (no 2 → 1)
    expect(bfsHops(adj, 1)[3]).toBe(2);
  });

  test('churn and sleep windows act on the medium at their times; root_kill asks the runner', () => {
    const s = valid({
      ...base,
      topology: { line: { n: 4, spacing: 50 } },
      churn: [
        { at_ms: 1000, action: 'node_down', node: 1 },
        { at_ms: 2000, action: 'node_up', node: 1 },
        { at_ms: 3000, action: 'link_cut', a: 2, b: 3 },
        { at_ms: 4000, action: 'root_kill' },
      ],
      sleep: [{ nodes: [0], at_ms: 500, duration_ms: 100, every_ms: 1000 }],
    });
    const w = buildWorld(s);
    if (!w.ok) throw new Error(w.error);
    const { clock, medium } = w.world;
    const log: string[] = [];
    scheduleChurn(s, clock, medium, {
      nodeDown: (i) => log.push(`down ${i}@${clock.now()}`),
      nodeUp: (i) => log.push(`up ${i}@${clock.now()}`),
      currentRoot: () => 3,
    });
    scheduleSleepWindows(s, clock, medium);
    clock.advance(550);
    expect(medium.isRadioOn(0)).toBe(false);
    clock.advance(100);
    expect(medium.isRadioOn(0)).toBe(true);
    clock.advance(900); // 1550: second window
    expect(medium.isRadioOn(0)).toBe(false);
    expect(medium.isUp(1)).toBe(false);
    clock.advance(3000);
    expect(log).toEqual(['down 1@1000', 'up 1@2000', 'down 3@4000']);
    expect(medium.links(2).find((l) => l.to === 3)?.cut).toBe(true);
  });

  test('traffic: flows between distinct nodes, same plan for the same seed, scheduled at their interval', () => {
    const s = valid({
      ...base,
      topology: { line: { n: 10, spacing: 50 } },
      traffic: [
        { random: { flows: 50 }, kind: 'ping', interval_ms: 1000, start_ms: 100, stop_ms: 3100 },
        { pairs: [[0, 9]], kind: 'blob', size: 300, rate_per_s: 2, start_ms: 0 },
      ],
    });
    const flows = planFlows(s);
    expect(flows).toHaveLength(51);
    expect(flows.every((f) => f.src !== f.dst && f.dst < 10)).toBe(true);
    expect(planFlows(s)).toEqual(flows);
    expect(planFlows({ ...s, seed: 2 })).not.toEqual(flows);
    const w = buildWorld(s);
    if (!w.ok) throw new Error(w.error);
    const sent: string[] = [];
    scheduleFlows(flows, w.world.clock, (f, seq) => f.id === 0 && sent.push(`${seq}@${w.world.clock.now()}`));
    let blobs = 0;
    scheduleFlows([flows[50]], w.world.clock, () => blobs++);
    w.world.clock.advance(60_000);
    // Each flow starts at its own phase in [0, interval): here flow 0's.
    const phase = flows[0].startMs - 100;
    expect(phase).toBeGreaterThanOrEqual(0);
    expect(phase).toBeLessThan(1000);
    expect(sent).toEqual([0, 1, 2].filter((k) => 100 + phase + k * 1000 < 3100).map((k) => `${k}@${100 + phase + k * 1000}`));
    expect(new Set(flows.slice(0, 50).map((f) => f.startMs)).size).toBeGreaterThan(25); // not one burst
    expect(blobs).toBe(Math.floor((60_000 - flows[50].startMs) / 500) + 1); // 2 per second from its phase on
  });

  test('traffic: aligned flows all send at start_ms + k·interval_ms', () => {
    const s = valid({ ...base, topology: { line: { n: 10, spacing: 50 } }, traffic: [{ random: { flows: 20 }, kind: 'ping', interval_ms: 1000, start_ms: 100, aligned: true }] });
    expect(new Set(planFlows(s).map((f) => f.startMs))).toEqual(new Set([100]));
  });
});

describe('determinism at scenario level', () => {
  function trace(seed: number | undefined) {
    const r = loadScenarioFile(join(SCENARIOS, 'root-kill.json'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const s = r.scenario;
    const w = buildWorld(s, { seed });
    if (!w.ok) throw new Error(w.error);
    const { clock, medium, random } = w.world;
    const lines: string[] = [];
    medium.onFrame((e) => lines.push(`${e.time} ${e.from}>${e.to} ${e.bytes} ${e.outcome}`));
    scheduleChurn(s, clock, medium, { currentRoot: () => 12 });
    // stand-in for nodes: each flow's source broadcasts a frame of the flow's size (capped at the MTU)
    const sizes = random.fork('sizes');
    scheduleFlows(planFlows(w.world.scenario), clock, (f) => medium.radio(f.src).broadcast(new Uint8Array(Math.min(f.size + sizes.int(50), 250))));
    clock.advance(s.duration_ms);
    return { lines, positions: w.world.layout.positions };
  }

  test('same scenario and seed → identical trace; --seed changes it', () => {
    const a = trace(undefined);
    expect(a.lines.length).toBeGreaterThan(500);
    expect(trace(undefined).lines).toEqual(a.lines);
    expect(trace(99).lines).not.toEqual(a.lines);
  });

  test('adding traffic does not change the topology', () => {
    const s = loadScenarioFile(join(SCENARIOS, 'default.json'));
    if (!s.ok) throw new Error(s.errors.join('\n'));
    const more = { ...s.scenario, traffic: [...s.scenario.traffic, ...s.scenario.traffic] };
    const a = layoutTopology(s.scenario);
    expect(layoutTopology(more)).toEqual(a);
    expect(planFlows(more).slice(0, planFlows(s.scenario).length)).toEqual(planFlows(s.scenario));
  });
});
