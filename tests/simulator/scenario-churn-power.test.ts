/** Scenario fields of issue 25's convergence work: power_on, partition and heal (validation). */
import { validateScenario } from '../../simulator/scenario/validate.js';

const base = { name: 't', duration_ms: 60_000, topology: { line: { n: 4, spacing: 80 } } };
const errors = (patch: object): string[] => {
  const r = validateScenario({ ...base, ...patch });
  return r.ok ? [] : r.errors;
};

test('power_on: default spread 1000 ms; explicit times by node index or one per node', () => {
  const plain = validateScenario(base);
  expect(plain.ok && plain.scenario.power_on).toEqual({ spread_ms: 1000, at_ms: [null, null, null, null] });
  const byNode = validateScenario({ ...base, power_on: { spread_ms: 0, at_ms: { '3': 30_000 } } });
  expect(byNode.ok && byNode.scenario.power_on).toEqual({ spread_ms: 0, at_ms: [null, null, null, 30_000] });
  const all = validateScenario({ ...base, power_on: { at_ms: [0, 10, 20, 30] } });
  expect(all.ok && all.scenario.power_on.at_ms).toEqual([0, 10, 20, 30]);
});

test('power_on mistakes are errors with their path', () => {
  expect(errors({ power_on: { spred_ms: 5 } })).toEqual(['power_on.spred_ms: unknown field (expected one of spread_ms, at_ms)']);
  expect(errors({ power_on: { at_ms: { '4': 1 } } })).toEqual(['power_on.at_ms.4: must be keyed by a node index 0..3, got "4"']);
  expect(errors({ power_on: { at_ms: { '1': 70_000 } } })).toEqual(['power_on.at_ms.1: must be an integer in 0..60000, got 70000']);
  expect(errors({ power_on: { at_ms: [0, 1] } })).toEqual(['power_on.at_ms: must list exactly one time per node (4), got "2 times"']);
  expect(errors({ power_on: { spread_ms: 5, at_ms: [0, 1, 2, 3] } })).toEqual(['power_on.spread_ms: does not apply when at_ms lists every node']);
  expect(errors({ power_on: { at_ms: 5 } })).toEqual(['power_on.at_ms: must be an object { "node index": ms } or an array of one time per node, got 5']);
});

test('partition and heal validate; the normalised events carry name and nodes', () => {
  const r = validateScenario({
    ...base,
    churn: [
      { at_ms: 10_000, action: 'partition', name: 'west', nodes: [0, 1] },
      { at_ms: 20_000, action: 'heal', name: 'west' },
    ],
  });
  expect(r.ok && r.scenario.churn).toEqual([
    { at_ms: 10_000, action: 'partition', name: 'west', nodes: [0, 1] },
    { at_ms: 20_000, action: 'heal', name: 'west' },
  ]);
});

test('partition mistakes are errors with their path', () => {
  const churn = (...events: object[]) => errors({ churn: events });
  expect(churn({ at_ms: 1, action: 'heal', name: 'x' })).toEqual(['churn[0].name: must name an earlier partition that is not healed yet, got "x"']);
  expect(churn({ at_ms: 1, action: 'partition', name: 'x', nodes: [0] }, { at_ms: 2, action: 'partition', name: 'x', nodes: [1] })).toEqual([
    'churn[1].name: names a partition that is already in place (heal it first), got "x"',
  ]);
  // Time order, not file order: this heal comes before its partition.
  expect(churn({ at_ms: 5, action: 'partition', name: 'x', nodes: [0] }, { at_ms: 1, action: 'heal', name: 'x' })).toEqual([
    'churn[1].name: must name an earlier partition that is not healed yet, got "x"',
  ]);
  expect(churn({ at_ms: 1, action: 'partition', name: 'x', nodes: [0, 1, 2, 3] })).toEqual(['churn[0].nodes: must leave at least one of the 4 nodes outside, got "4 nodes"']);
  expect(churn({ at_ms: 1, action: 'partition', name: 'x', nodes: [0, 0] })).toEqual(['churn[0].nodes: must not list a node twice, got [0,0]']);
  expect(churn({ at_ms: 1, action: 'partition', name: 'x', nodes: [9] })).toEqual(['churn[0].nodes[0]: must be an integer in 0..3, got 9']);
  expect(churn({ at_ms: 1, action: 'partition', nodes: [1] })).toEqual(['churn[0].name: must be a non-empty string of at most 100 characters, got nothing']);
  expect(churn({ at_ms: 1, action: 'heal', name: 'x', nodes: [1] })).toContain('churn[0].nodes: does not apply to action "heal"');
  expect(churn({ at_ms: 1, action: 'node_down', node: 1, name: 'x' })).toEqual(['churn[0].name: does not apply to action "node_down"']);
});
