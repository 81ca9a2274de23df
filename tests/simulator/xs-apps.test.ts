/**
 * Mesh apps in the XS runner: the worker bundle carries the app registry (chat, telemetry,
 * echo), the apps' events and the console's output cross back to the host, and the report is
 * the in-process one, apps, failures and console outputs included.
 */
import { xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { runScenario } from '../../simulator/runner/run.js';
import { bundleXsWorker, createXsDriver } from '../../simulator/xs/xs-driver.js';
import { scenario } from './helpers.js';
import { expectValidReport } from './support/schemas.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping the XS apps test: xsnap-worker not found at ${xsnapWorkerPath()}`);
const testXS = haveXS ? test : test.skip;

/**
 * 9 nodes on a 3 × 3 grid for 2 minutes: telemetry everywhere (node 0 collects), chat on every
 * node with a DM corner to corner, an echo app that fails on one node, node 4 down and back
 * (its apps restart), and console commands, one of them on the node while it is down. The tree
 * forms at 45 s; everything after it is packed close, because every simulated second in XS
 * costs CPU.
 */
const grid = scenario({
  name: 'xs-apps',
  seed: 11,
  duration_ms: 120_000,
  radio: { model: 'unit-disk', range: 100 },
  topology: { grid: { rows: 3, cols: 3, spacing: 80 } },
  churn: [
    { at_ms: 60_000, action: 'node_down', node: 4 },
    { at_ms: 80_000, action: 'node_up', node: 4 },
  ],
  apps: [
    { app: 'telemetry', options: { interval_s: 20 }, per_node: { '0': { collector: true } } },
    { app: 'chat', options: { announce_s: 30 } },
    { app: 'echo', nodes: [2, 6], options: { interval_s: 25 }, per_node: { '6': { fail_after_s: 40 } } },
  ],
  commands: [
    { at_ms: 50_000, node: 0, line: 'dm {id:8} corner to corner' },
    { at_ms: 70_000, node: 4, line: 'who' },
    { at_ms: 90_000, node: 8, line: 'ping {addr:0}' },
    { at_ms: 110_000, node: 0, line: 'inbox' },
    { at_ms: 115_000, node: 0, line: 'telemetry' },
  ],
});

let script = '';
beforeAll(async () => {
  if (haveXS) script = await bundleXsWorker();
}, 60_000);

testXS(
  'the XS runner gives the in-process report for a scenario with apps, failures, churn and commands',
  async () => {
    const inproc = await runScenario(grid);
    const xs = await runScenario(grid, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 3 }) });
    if (!inproc.ok || !xs.ok) throw new Error(`run failed: ${JSON.stringify([inproc, xs].map((r) => !r.ok && r.error))}`);
    const r = inproc.report;

    // The run did something worth comparing.
    expect(r.apps.telemetry.sent.publish).toBeGreaterThan(45);
    expect(r.apps.telemetry.delivered).toBeGreaterThan(40);
    expect(r.apps.chat.by_how.send?.delivered).toBeGreaterThanOrEqual(2); // the DM and its receipt
    expect(r.apps.echo.failed).toBe(1);
    expect(r.console.map((c) => c.output[0])).toEqual([
      expect.stringMatching(/^dm #\d+ to [0-9a-f]{8}: sent$/),
      'node is down',
      'ping test started',
      expect.stringMatching(/^chat: \d+ received, 1 sent/),
      expect.stringMatching(/^telemetry: 9 nodes/),
    ]);
    expect(r.console[2].output.join('\n')).toMatch(/success_rate: 100%/);
    expect(r.console[3].output.join('\n')).toMatch(/delivered: corner to corner/);

    const { engine, ...report } = xs.report;
    expectValidReport(xs.report);
    expect(report).toEqual(r);
    expect(JSON.stringify(report)).toBe(JSON.stringify(r));
    expect(engine).toMatchObject({ runner: 'xs', workers: 3 });
  },
  120_000,
);
