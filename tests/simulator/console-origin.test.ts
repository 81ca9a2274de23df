/**
 * Scenario transcripts: output that comes later (a ping's report) stays with the command that
 * started it, even when another command ran on that node meanwhile — in-process and in XS.
 */
import { runScenario, type RunOptions } from '../../simulator/runner/run.js';
import { createXsDriver } from '../../simulator/xs/xs-driver.js';
import { xsnapAvailable } from '../../simulator/xs/xsnap.mjs';
import { scenario } from './helpers.js';

const s = scenario({
  name: 'console-origin',
  seed: 3,
  duration_ms: 40_000,
  radio: { model: 'unit-disk', range: 100 },
  topology: { line: { n: 3, spacing: 80 } },
  commands: [
    { at_ms: 20_000, node: 0, line: 'ping {addr:2} 2' },
    // Before the ping's report (its 2 pings are 1 s apart, the report waits for the answers).
    { at_ms: 20_100, node: 0, line: 'get node_id' },
    { at_ms: 20_200, node: 0, line: 'status' },
  ],
});

const runners: [string, RunOptions][] = [['inproc', {}]];
if (xsnapAvailable()) runners.push(['xs', { driver: (setup) => createXsDriver(setup, { nodesPerWorker: 3 }) }]);

test.each(runners)('%s: a ping report lands under the ping, not under the commands typed after it', async (_name, options) => {
  const result = await runScenario(s, options);
  if (!result.ok) throw new Error(result.error);
  const [ping, id, status] = result.report.console;
  expect(ping.output[0]).toBe('ping test started');
  expect(ping.output).toContain('Ping report:');
  expect(ping.output.find((l) => l.startsWith('\tsuccess_rate'))).toBe('\tsuccess_rate: 100%');
  expect(id.output).toEqual([expect.stringMatching(/^Node ID: [0-9a-f]{64}$/)]);
  expect(status.output.some((l) => l.includes('Ping report') || l.startsWith('\t'))).toBe(false);
  expect(status.output[0]).toMatch(/^Node ID: /);
});
