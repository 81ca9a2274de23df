/**
 * The XS runner (simulator/xs/xs-driver.ts) runs every node inside xsnap-worker processes:
 * on the same scenario and seed its report must be the in-process one, plus heap figures.
 */
import { xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { runScenario } from '../../simulator/runner/run.js';
import { bundleXsWorker, createXsDriver, type XsEngineReport } from '../../simulator/xs/xs-driver.js';
import { scenario } from './helpers.js';
import { expectValidReport } from './support/schemas.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping the XS runner tests: xsnap-worker not found at ${xsnapWorkerPath()}`);
const testXS = haveXS ? test : test.skip;

/**
 * 10 nodes in a 2 × 5 grid: converges at 23 s, then Pings and a fragmented blob flow while node 3
 * goes down and comes back. (No flow interval equals a node timer set while sending, e.g. the
 * 2 s send retry: see the condition at the top of xs-driver.ts.)
 */
const grid = scenario({
  name: 'xs-equivalence',
  seed: 7,
  duration_ms: 120_000,
  interface: 'espnow',
  radio: { model: 'unit-disk', range: 100 },
  topology: { grid: { rows: 2, cols: 5, spacing: 80 } },
  churn: [
    { at_ms: 60_000, action: 'node_down', node: 3 },
    { at_ms: 80_000, action: 'node_up', node: 3 },
  ],
  traffic: [
    { random: { flows: 4 }, kind: 'ping', size: 16, interval_ms: 7000, start_ms: 30_000, metric: 'dTree' },
    { pairs: [[0, 9]], kind: 'blob', size: 300, interval_ms: 20_000, start_ms: 35_000, metric: 'dTree' },
  ],
});

let script = '';
beforeAll(async () => {
  if (haveXS) script = await bundleXsWorker();
});

testXS(
  'the XS runner gives the in-process report, with XS heap figures for every node',
  async () => {
    const inproc = await runScenario(grid);
    const xs = await runScenario(grid, { driver: (setup) => createXsDriver(setup, { script }) });
    if (!inproc.ok || !xs.ok) throw new Error(`run failed: ${JSON.stringify([inproc, xs].map((r) => !r.ok && r.error))}`);

    // The run did something worth comparing.
    expect(inproc.report.converged_ms).not.toBeNull();
    expect(inproc.report.delivered).toBeGreaterThan(10);
    expect(inproc.report.reconvergence).toHaveLength(2);
    expect(inproc.report.engine).toBeUndefined();

    const { engine, ...report } = xs.report;
    expectValidReport(xs.report);
    expect(report).toEqual(inproc.report);
    expect(JSON.stringify(report)).toBe(JSON.stringify(inproc.report));

    // One node per worker: each worker's timers interleave with the others' stand-ins.
    expect((engine as XsEngineReport).crossings.node_timers).toBeGreaterThan(1000);

    const heap = (engine as XsEngineReport).heap;
    expect(heap.unit).toMatch(/slots/);
    expect(heap.per_node.map((p) => p.index)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    for (const p of heap.per_node) {
      expect(p.up).toBe(true);
      expect(p.slots).toBeGreaterThan(0);
      expect(p.slot_bytes_64bit).toBe(p.slots * 32);
      expect(p.slot_bytes_esp32_estimate).toBe(p.slots * 16);
    }
  },
  120_000,
);

const pair = scenario({
  name: 'xs-pair',
  seed: 2,
  duration_ms: 30_000,
  radio: { model: 'unit-disk', range: 100 },
  topology: { line: { n: 2, spacing: 50 } },
  traffic: [{ pairs: [[0, 1]], kind: 'ping', size: 16, interval_ms: 5000, start_ms: 10_000, metric: 'dTree' }],
});

testXS(
  'several nodes per worker give the same report',
  async () => {
    const inproc = await runScenario(pair);
    const xs = await runScenario(pair, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 2 }) });
    if (!inproc.ok || !xs.ok) throw new Error('run failed');
    const { engine, ...report } = xs.report;
    expect(inproc.report.delivered).toBeGreaterThan(0);
    expect(report).toEqual(inproc.report);
    expect(engine).toMatchObject({ workers: 1, nodes_per_worker: 2 });
    // Both nodes in one worker: most of their timers ran there without a round trip of their own.
    const crossings = (engine as XsEngineReport).crossings;
    expect(crossings.node_timers).toBeGreaterThan(200);
    expect(crossings.node_timer_batches).toBeLessThan(crossings.node_timers / 4);
    // The worker answered its nodes' radio calls itself: none crossed on its own.
    expect(crossings.held_radio_calls).toBeGreaterThan(50);
    expect(crossings.radio_calls).toBe(0);
  },
  60_000,
);

/** Four nodes in the aligned modem-sleep cycle: every node sleeps and wakes every 200 ms. */
const sleepers = scenario({
  name: 'xs-sleepers',
  seed: 3,
  duration_ms: 40_000,
  radio: { model: 'unit-disk', range: 100 },
  topology: { line: { n: 4, spacing: 60 } },
  traffic: [{ pairs: [[0, 3]], kind: 'ping', size: 16, interval_ms: 4000, start_ms: 15_000, metric: 'dTree' }],
  node_options: { all: { modemSleep: true } },
});

testXS(
  'held sleeps and wakes give the same report',
  async () => {
    const inproc = await runScenario(sleepers);
    const xs = await runScenario(sleepers, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 4 }) });
    if (!inproc.ok || !xs.ok) throw new Error('run failed');
    const { engine, ...report } = xs.report;
    expect(inproc.report.delivered).toBeGreaterThan(0);
    expect(report).toEqual(inproc.report);
    // 40 s of a 200 ms cycle: hundreds of sleeps and wakes, nearly all held.
    const crossings = (engine as XsEngineReport).crossings;
    expect(crossings.held_radio_calls).toBeGreaterThan(800);
    expect(crossings.radio_calls).toBeLessThan(crossings.held_radio_calls / 10);
  },
  60_000,
);

testXS(
  'a held radio call the host answers otherwise than the worker assumed fails the run',
  async () => {
    // The first held frame that rides on an answer ('c') says its timer ids end one further on.
    const lying = `${script}
;(() => { const handle = globalThis.handleInput; let done = false;
  globalThis.handleInput = (input) => {
    const text = handle(input);
    const out = JSON.parse(text);
    if (done || out[0][0] !== 'c') return text;
    const bytes = new Uint8Array(Base64.decode(out[0][1]));
    const view = new DataView(bytes.buffer);
    for (let o = 1; o < bytes.length; o += 4 + view.getUint32(o, true)) {
      if (bytes[o + 4] === 10 && (bytes[o + 23] === 3 || bytes[o + 23] === 4) && bytes[o + 13] === 1) {
        view.setFloat64(o + 5, view.getFloat64(o + 5, true) + 1, true);
        done = true;
        break;
      }
    }
    out[0][1] = Base64.encode(bytes.buffer);
    return JSON.stringify(out);
  }; })();`;
    await expect(runScenario(pair, { driver: (setup) => createXsDriver(setup, { script: lying, nodesPerWorker: 2 }) })).rejects.toThrow(
      /XS worker 0 \(nodes 0\.\.1\) held a (SEND|BROADCAST) of node [01] at simulated [\d.]+ ms assuming it accepted, the next timer id (\d+) .*; the host accepted it, is at id (?!\2)\d+ .*the run would no longer match in-process/,
    );
  },
  60_000,
);

testXS(
  'an exception inside XS fails the run with a clear error',
  async () => {
    // The worker's handleInput throws on its 40th batch, in the middle of the run.
    const broken = `${script}
;(() => { const handle = globalThis.handleInput; let calls = 0;
  globalThis.handleInput = (input) => { if (++calls === 40) throw new Error('boom'); return handle(input); }; })();`;
    await expect(runScenario(pair, { driver: (setup) => createXsDriver(setup, { script: broken, nodesPerWorker: 2 }) })).rejects.toThrow(
      /XS worker 0 \(nodes 0\.\.1\) failed at simulated [\d.]+ ms running \[.*\]: XS exception in handleInput: Error: boom/,
    );
  },
  60_000,
);

test('too many workers is an error that says what to pass', async () => {
  const setup = { radios: { length: 100 } } as unknown as Parameters<typeof createXsDriver>[0];
  await expect(createXsDriver(setup, { script: '', maxWorkers: 64 })).rejects.toThrow(/100 nodes .* limit of 64: use nodesPerWorker >= 2/);
});

test('what the workers cannot build as in-process is refused, not run differently', async () => {
  const base = { radios: { length: 2 } };
  const refused = (more: object) => createXsDriver({ ...base, ...more } as unknown as Parameters<typeof createXsDriver>[0], { script: '' });
  await expect(refused({ keySeeds: [], security: { mode: 'signed' } })).rejects.toThrow(/does not run signed modes .* would differ from the in-process one/);
  await expect(refused({ extraRadios: [{ radios: [], options: {} }] })).rejects.toThrow(/does not run nodes with a second radio/);
  await expect(refused({ radioFor: () => undefined })).rejects.toThrow(/does not run radios built by a factory other than the RYLR-998 twins/);
});
