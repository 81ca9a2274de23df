/**
 * Traffic sent by node id alone (`by_id`, docs/simulator.md "How traffic finds its destination"):
 * the sender gets no address from the runner and routes by what it has learned.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { validateScenario } from '../../simulator/scenario/validate.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { runScenario } from '../../simulator/runner/run.js';
import { InprocDriver } from '../../simulator/runner/inproc-driver.js';
import type { TrafficOrder } from '../../simulator/runner/sim-node.js';
import { memoHashes } from '../../simulator/platform/hash-memo.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios');

/** line-3 for a minute, its pings by id (or not), its tree's adverts subscribed to (or not). */
function line3(byId: boolean, sub = false): Scenario {
  const raw = JSON.parse(readFileSync(join(SCENARIOS, 'line-3.json'), 'utf8')) as { traffic: object[]; node_options?: object };
  raw.traffic = raw.traffic.map((t) => ({ ...t, by_id: byId }));
  if (sub) raw.node_options = { all: { spanning_tree: { sub: true } } };
  const v = validateScenario({ ...raw, duration_ms: 60_000 });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  return v.scenario;
}

/** The orders the runner gave the nodes, and the report. */
async function orders(s: Scenario): Promise<{ sent: TrafficOrder[]; delivered: number; total: number }> {
  const sent: TrafficOrder[] = [];
  const r = await runScenario(s, {
    driver: (setup) => {
      const d = new InprocDriver(setup, memoHashes(nodeHashes));
      const send = d.send.bind(d);
      d.send = (i, order, done) => {
        sent.push(order);
        send(i, order, done);
      };
      return d;
    },
  });
  if (!r.ok) throw new Error(r.error);
  return { sent, delivered: r.report.delivered, total: r.report.sent };
}

test('by_id: the sender is given the node id only, and routes by the addresses it learned', async () => {
  // With the tree's adverts subscribed to (`sub`), the ends learn each other's address.
  const learned = await orders(line3(true, true));
  expect(learned.sent.length).toBeGreaterThan(5);
  expect(learned.sent.every((o) => o.dstAddress === undefined)).toBe(true);
  expect(learned.delivered).toBe(learned.total);
  // Without (upstream's default), a node keeps routes to its neighbours only: the runner's address
  // hid that every ping two hops away is refused.
  expect((await orders(line3(true))).delivered).toBe(0);
  const oracle = await orders(line3(false));
  expect(oracle.sent.every((o) => o.dstAddress !== undefined)).toBe(true);
  expect(oracle.delivered).toBe(oracle.total);
});

test('by_id is a boolean, false by default', () => {
  const base = { name: 't', nodes: 2, duration_ms: 1000, topology: { line: { n: 2, spacing: 10 } } };
  const v = validateScenario({ ...base, traffic: [{ pairs: [[0, 1]] }] });
  expect(v.ok && v.scenario.traffic[0].by_id).toBe(false);
  expect(validateScenario({ ...base, traffic: [{ pairs: [[0, 1]], by_id: 'yes' }] }).ok).toBe(false);
});
