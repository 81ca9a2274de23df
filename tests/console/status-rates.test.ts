/** `status` rates: frames per second each way, deliveries and airtime over the last minute, on the virtual clock. */
import { attach, converge, hostOf, line } from './support.js';
import { TrafficMeter } from '../../modules/console/traffic-meter.js';
import type { CommandResult } from '../../modules/console/results.js';

const rate = (n: number, ms: number) => Math.round((n * 10_000) / ms) / 10;

test('after a minute and a half, the rates cover exactly the last minute of counters and airtime', () => {
  const { mesh, nodes } = line(3);
  const b = nodes[1];
  // The memory medium does not time frames: this radio says it spent 600 ms of the last minute on air.
  let airMs = 250;
  Object.assign(b.radio, { txAirtimeMs: () => airMs });
  const c = attach(hostOf(b));
  mesh.run(30_000);
  const counters = b.packager.counters;
  const before = { rx: counters.get('rx_frames'), tx: counters.get('tx_frames'), delivered: counters.get('delivered') };
  mesh.run(60_000);
  airMs = 850;
  const rates = c.run('status').find((l) => l.startsWith('Rates'));
  const rx = rate(counters.get('rx_frames') - before.rx, 60_000);
  const tx = rate(counters.get('tx_frames') - before.tx, 60_000);
  const delivered = rate(counters.get('delivered') - before.delivered, 60_000);
  expect(rates).toBe(`Rates (last 60 s): in ${rx} frames/s, out ${tx} frames/s, delivered ${delivered}/s, airtime 1%`);
  expect(rx).toBeGreaterThan(0);
  expect(tx).toBeGreaterThan(0);
  const json = JSON.parse(c.run('status --json')[0]) as Extract<CommandResult, { kind: 'status' }>;
  expect(json.rates).toEqual({ windowMs: 60_000, sinceStart: false, inPerS: rx, outPerS: tx, deliveredPerS: delivered, airtimePct: 1 });
});

test('a console opened late answers since start; a radio that does not time its frames shows no airtime', () => {
  const { mesh, nodes } = line(2);
  converge(mesh);
  const a = nodes[0];
  const out = attach(hostOf(a)).run('status');
  const uptimeS = Math.floor(a.node.uptimeMs / 1000);
  expect(out).toContainEqual(expect.stringMatching(new RegExp(`^Rates \\(since start, ${uptimeS}s\\): in [\\d.]+ frames/s, out [\\d.]+ frames/s, delivered [\\d.]+/s$`)));
});

test('a host meter running since boot is shared by its consoles, and stops with them untouched', () => {
  const { mesh, nodes } = line(2);
  const a = nodes[0];
  const traffic = new TrafficMeter(a.node);
  traffic.start();
  mesh.run(70_000);
  const first = attach({ node: a.node, traffic });
  expect(first.run('status')).toContainEqual(expect.stringMatching(/^Rates \(last 60 s\): /));
  first.console.stop();
  mesh.run(10_000);
  expect(attach({ node: a.node, traffic }).run('status')).toContainEqual(expect.stringMatching(/^Rates \(last 60 s\): /));
  traffic.stop();
});

test('a node stopped (uptime under a second) prints no rates line', () => {
  const { nodes } = line(1);
  nodes[0].node.stop();
  expect(attach(hostOf(nodes[0])).run('status').some((l) => l.startsWith('Rates'))).toBe(false);
});
