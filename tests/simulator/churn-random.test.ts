/** The random_down churn entry: expanded into node_down/node_up events a user can predict. */
import type { ChurnEvent } from '../../simulator/scenario/types.js';
import { validateScenario } from '../../simulator/scenario/validate.js';

const base = { name: 'c', seed: 5, duration_ms: 600_000, topology: { line: { n: 20, spacing: 50 } } };

function churnOf(entry: object, extra: object = {}): readonly ChurnEvent[] {
  const r = validateScenario({ ...base, ...extra, churn: [entry] });
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario.churn;
}

const entry = { at_ms: 60_000, action: 'random_down', every_ms: 60_000, fraction: 0.1, down_ms: 30_000 };

test('every minute 10 % of the nodes go down and each comes back 30 s later', () => {
  const churn = churnOf(entry);
  // Rounds at 1, 2, ..., 9 min: 9 rounds × 2 nodes × (down + up).
  expect(churn).toHaveLength(9 * 2 * 2);
  for (let round = 0; round < 9; round++) {
    const t = 60_000 * (round + 1);
    const downs = churn.filter((e) => e.at_ms === t && e.action === 'node_down').map((e) => ('node' in e ? e.node : -1));
    const ups = churn.filter((e) => e.at_ms === t + 30_000 && e.action === 'node_up').map((e) => ('node' in e ? e.node : -1));
    expect(downs).toHaveLength(2);
    expect(new Set(downs).size).toBe(2);
    expect(ups).toEqual(downs);
  }
  // Not the same two nodes every round.
  expect(new Set(churn.map((e) => ('node' in e ? e.node : -1))).size).toBeGreaterThan(4);
});

test('the same seed draws the same nodes; another seed or the entry\'s own seed others', () => {
  const a = churnOf(entry);
  expect(churnOf(entry)).toEqual(a);
  expect(churnOf(entry, { seed: 6 })).not.toEqual(a);
  expect(churnOf({ ...entry, seed: 9 })).not.toEqual(a);
  expect(churnOf({ ...entry, seed: 9 }, { seed: 6 })).toEqual(churnOf({ ...entry, seed: 9 }));
});

test('until_ms ends the rounds, and an up after the end of the run is left out', () => {
  expect(churnOf({ ...entry, until_ms: 180_000 })).toHaveLength(2 * 2 * 2);
  const late = churnOf({ ...entry, at_ms: 590_000, every_ms: 60_000, down_ms: 30_000 });
  expect(late.map((e) => e.action)).toEqual(['node_down', 'node_down']);
});

test('a node is back before the next round, and the entry names what is wrong', () => {
  const r = validateScenario({ ...base, churn: [{ ...entry, down_ms: 60_000, node: 3 }] });
  expect(r.ok ? [] : r.errors).toEqual([
    'churn[0].node: does not apply to action "random_down"',
    'churn[0].down_ms: must be below every_ms (60000): a node is back before the next round, got 60000',
  ]);
  const other = validateScenario({ ...base, churn: [{ at_ms: 1, action: 'node_down', node: 1, fraction: 0.5 }] });
  expect(other.ok ? [] : other.errors).toEqual(['churn[0].fraction: does not apply to action "node_down"']);
});
