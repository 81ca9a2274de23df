/**
 * The node a `relay_kill` takes down (simulator/runner/largest-branch.ts): the live node heading
 * the most live nodes of its tree, never a root; and the event in a run, where the node chosen
 * stays down and is named in the report.
 */
import { largestBranch } from '../../simulator/runner/largest-branch.js';
import type { TreeView } from '../../simulator/runner/sim-node.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { runScenario } from '../../simulator/runner/run.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { validateScenario } from '../../simulator/scenario/validate.js';

const view = (root: string, coords: number[], running = true): TreeView => {
  const a = Address.fromCoords(7, coords);
  if (!a.ok) throw new Error('bad coords');
  return { running, root, address: toHex(a.value.bytes), treeState: 7, addressText: a.value.toString(), parent: undefined, score: root, full: false, nearFull: false, settled: true };
};

describe('largestBranch', () => {
  test('the head of the branch with the most live nodes below it, not the root', () => {
    const views = [view('r', []), view('r', [1]), view('r', [2]), view('r', [1, 1]), view('r', [2, 1]), view('r', [2, 2]), view('r', [2, 1, 1])];
    expect(largestBranch(views)).toBe(2); // [2] heads 3 nodes, [1] one
  });

  test('nodes that are down or hold no address count for nothing, and a lone tree has no branch', () => {
    const views = [view('r', []), view('r', [1]), view('r', [2]), view('r', [1, 1]), view('r', [1, 2]), view('r', [2, 1], false), undefined];
    expect(largestBranch(views)).toBe(1);
    expect(largestBranch([view('r', []), view('s', [])])).toBeUndefined();
  });

  test('a branch of another tree counts in that tree only', () => {
    const views = [view('r', []), view('r', [1]), view('r', [1, 1]), view('s', []), view('s', [1]), view('s', [1, 1]), view('s', [1, 2])];
    expect(largestBranch(views)).toBe(4);
  });
});

test('a run takes the chosen node down for good and names it', async () => {
  const v = validateScenario({
    name: 'relay-kill-line', duration_ms: 120_000, seed: 1, interface: 'espnow',
    radio: { model: 'unit-disk', range: 100 }, topology: { line: { n: 5, spacing: 80 } },
    churn: [{ at_ms: 60_000, action: 'relay_kill' }],
  });
  if (!v.ok) throw new Error(v.errors.join('; '));
  const r = await runScenario(v.scenario as Scenario);
  if (!r.ok) throw new Error('run failed');
  const kill = r.report.reconvergence[0];
  expect(kill.action).toBe('relay_kill');
  expect(typeof kill.node).toBe('number');
  expect(r.report.per_node[kill.node as number].up).toBe(false);
});
