/** bench/lora-capacity.ts: the airtime no routing can take off a node, and the delivery it leaves. */
import { deliveryBound, forcedLoads } from '../../bench/lora-capacity.js';
import { routingBalance } from '../../bench/lora-balance.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import type { Scenario } from '../../simulator/scenario/types.js';

function line(pairs: number[][], interval = 60_000): Scenario {
  const v = validateScenario({
    name: 'line',
    duration_ms: 60_000,
    interface: 'rylr998',
    radio: { model: 'logistic', d50: 1300, width: 40, lora: { sf: 7, bw: 7, cr: 1, preamble: 12 } },
    topology: { line: { n: 3, spacing: 1000 } },
    traffic: [{ pairs, kind: 'blob', size: 16, interval_ms: interval }],
  });
  if (!v.ok) throw new Error(v.errors.join('; '));
  return v.scenario;
}

test('the middle of a line carries every flow between its ends; the ends only their own', () => {
  const loads = forcedLoads(line([[0, 2], [2, 0]]), 1);
  expect(loads[0].node).toBe(1);
  expect(loads[0].crossing).toBe(2);
  const end = loads.find((l) => l.node === 0);
  expect(end?.crossing).toBe(0);
  // Each end sends one flow and receives the other's: a message and an ack's airtime a minute.
  expect(loads[0].msPerHour).toBeCloseTo(2 * (end?.msPerHour ?? 0), 6);
});

test('a relay over its budget caps delivery at what it can carry', () => {
  const [busy] = forcedLoads(line([[0, 2], [2, 0]], 1_000), 1);
  const perHour = 2 * 3600;
  expect(deliveryBound(busy, busy.msPerHour, perHour)).toBe(1);
  expect(deliveryBound(busy, busy.msPerHour / 2, perHour)).toBeCloseTo(0.5, 6);
});

test('spread paths take flows off the relay that shortest paths pile them on, hops unchanged', () => {
  // 2 × 3 grid, 1 km apart (no diagonals): 0 1 2 over 3 4 5. Shortest paths with ties to the lowest
  // index send 0→2, 3→2 and 0→5 all through nodes 0 and 1; the other row has room.
  const v = validateScenario({
    name: 'grid',
    duration_ms: 60_000,
    interface: 'rylr998',
    radio: { model: 'logistic', d50: 1300, width: 40, lora: { sf: 7, bw: 7, cr: 1, preamble: 12 } },
    topology: { grid: { rows: 2, cols: 3, spacing: 1000 } },
    traffic: [{ pairs: [[0, 2], [3, 2], [0, 5]], kind: 'blob', size: 16, interval_ms: 60_000 }],
  });
  if (!v.ok) throw new Error(v.errors.join('; '));
  const b = routingBalance(v.scenario, 1);
  const frame = b.shortest.msPerHour[1] / 3; // node 1 relays all three flows' messages
  expect(b.shortest.maxMsPerHour).toBeCloseTo(3 * frame, 6);
  expect(b.balanced.maxMsPerHour).toBeCloseTo(2 * frame, 6);
  expect(b.balanced.meanHops).toBeCloseTo(b.shortest.meanHops, 6);
  expect(b.unroutable).toBe(0);
});
