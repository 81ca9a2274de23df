/**
 * The XS runner on RYLR-998 LoRa nodes: in-process every node runs the real driver
 * (modules/rylr998) against the module's AT twin, with its duty-cycle limiter; on XS the workers
 * must run the same, over their proxies of the medium's radios, and give the same report.
 */
import { xsnapAvailable, xsnapWorkerPath } from '../../simulator/xs/xsnap.mjs';
import { runScenario } from '../../simulator/runner/run.js';
import { bundleXsWorker, createXsDriver } from '../../simulator/xs/xs-driver.js';
import { scenario } from './helpers.js';
import { expectValidReport } from './support/schemas.js';

const haveXS = xsnapAvailable();
if (!haveXS) console.warn(`Skipping the XS runner's LoRa test: xsnap-worker not found at ${xsnapWorkerPath()}`);
const testXS = haveXS ? test : test.skip;

/**
 * Six LoRa nodes in a line at SF7 with collisions, a duty-cycle limit of 0.5 % that the traffic
 * (a message every 5 s on three flows) overruns, so the radios hold unicasts till they go stale
 * and tell their neighbours of it (room notices); node 2, a relay, reboots halfway, so its twin
 * outlives a driver and its driver counters add up over two boots.
 */
const loraLine = scenario({
  name: 'xs-lora',
  seed: 5,
  duration_ms: 600_000,
  interface: 'rylr998',
  radio: { model: 'logistic', d50: 1300, width: 40, collisions: true, duty_cycle_limit: 0.005, room_notices: true, lora: { sf: 7, bw: 7, cr: 1, preamble: 12 } },
  topology: { line: { n: 6, spacing: 900 } },
  churn: [
    { at_ms: 300_000, action: 'node_down', node: 2 },
    { at_ms: 330_000, action: 'node_up', node: 2 },
  ],
  traffic: [{ pairs: [[0, 5], [5, 0], [1, 4]], kind: 'blob', size: 16, interval_ms: 5000, start_ms: 120_000, metric: 'dTree' }],
});

let script = '';
beforeAll(async () => {
  if (haveXS) script = await bundleXsWorker();
});

testXS(
  'LoRa nodes on XS run the RYLR-998 driver and its twin: the in-process report, radio counters and all',
  async () => {
    const inproc = await runScenario(loraLine);
    const xs = await runScenario(loraLine, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 3 }) });
    if (!inproc.ok || !xs.ok) throw new Error(`run failed: ${JSON.stringify([inproc, xs].map((r) => !r.ok && r.error))}`);

    // The run did something worth comparing: messages crossed relays, the limiter held frames.
    expect(inproc.report.delivered).toBeGreaterThan(10);
    expect(inproc.report.drops.radio?.tx_stale_dropped ?? 0).toBeGreaterThan(0);
    expect(inproc.report.per_node[2].radio_counters?.rx_room_notices ?? 0).toBeGreaterThan(0);

    const { engine, ...report } = xs.report;
    expect(engine).toMatchObject({ runner: 'xs', workers: 2 });
    expectValidReport(xs.report);
    expect(report.drops.radio).toEqual(inproc.report.drops.radio);
    expect(report.per_node.map((p) => p.radio_counters)).toEqual(inproc.report.per_node.map((p) => p.radio_counters));
    expect(report.bytes_by_kind).toEqual(inproc.report.bytes_by_kind);
    expect(report).toEqual(inproc.report);
    expect(JSON.stringify(report)).toBe(JSON.stringify(inproc.report));
  },
  60_000,
);
