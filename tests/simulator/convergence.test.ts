/** Convergence judged per live part: one live root inside each part, per-event figures, partitions. */
import { judge } from '../../simulator/runner/convergence.js';
import { liveParts } from '../../simulator/runner/live-parts.js';
import { eventFigures, STABLE_SAMPLES, type SampleMark } from '../../simulator/runner/reconvergence.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import type { TreeView } from '../../simulator/runner/sim-node.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { shipped } from '../dashboard/helpers.js';
import { scenario } from './helpers.js';

async function run(s: Scenario): Promise<RunReport> {
  const r = await runScenario(s);
  if (!r.ok) throw new Error(r.error);
  return r.report;
}

const ID = ['aa', 'bb', 'cc', 'dd'];
const indexOfId = new Map(ID.map((id, i) => [id, i]));
/**
 * Root k's claim score is its id: 'aa' beats 'bb'. `full`: no room for a child under this address;
 * `nearFull`: too little for a settled node to cross (join_margin); `settled`: a parent or children.
 */
const view = (root: number, address: string | undefined, full = false, nearFull = full, settled = address !== undefined): TreeView => ({ running: true, root: ID[root], address, treeState: 1, addressText: address, parent: undefined, score: ID[root], full, nearFull, settled });
/** `view` of a node that follows node `parent`. */
const under = (parent: number, v: TreeView): TreeView => ({ ...v, parent: ID[parent] });
/** A line 0 - 1 - 2 - 3. */
const line = [[1], [0, 2], [1, 3], [2]];

describe('judge', () => {
  test('everyone under one live root with distinct addresses: converged', () => {
    const views = [view(0, ''), view(0, '01'), view(0, '0101'), view(0, '010101')];
    expect(judge(views, liveParts(line, () => true), indexOfId).converged).toBe(true);
  });

  test('a node that still follows a parent that died (its subtree with it): not converged', () => {
    // A ring 0 - 1 - 2 - 3 with 0 - 2 too. Node 1 went down; 2 still follows it, under its 01,
    // though 2 hears the root.
    const parts = liveParts([[1, 2], [0, 2], [1, 3, 0], [2]], (i) => i !== 1);
    const kept = [view(0, ''), undefined, under(1, view(0, '0101')), under(2, view(0, '010101'))];
    expect(judge(kept, parts, indexOfId).converged).toBe(false);
    const moved = [view(0, ''), undefined, under(0, view(0, '02')), under(2, view(0, '0201'))];
    expect(judge(moved, parts, indexOfId).converged).toBe(true);
  });

  test('two live nodes that follow each other (a loop cut off from the root): not converged', () => {
    // A line 0 - 1 - 2 - 3. Node 1 rebooted and took an address under its old child 2, which
    // still follows it under 1's old address: every node live, one root, distinct addresses.
    const parts = liveParts(line, () => true);
    const loop = [view(0, ''), under(2, view(0, '010101')), under(1, view(0, '0101')), under(2, view(0, '010102'))];
    expect(judge(loop, parts, indexOfId).converged).toBe(false);
    expect(judge(loop, parts, indexOfId).joined).toBe(false);
    expect(judge(loop, parts, indexOfId).looped).toBe(3); // 1 and 2 on the loop, 3 hanging from it
    const mended = [view(0, ''), under(0, view(0, '01')), under(1, view(0, '0101')), under(2, view(0, '010101'))];
    expect(judge(mended, parts, indexOfId).converged).toBe(true);
    expect(judge(mended, parts, indexOfId).looped).toBe(0);
  });

  test('survivors still following a dead root: not converged, though they all agree', () => {
    const views = [undefined, view(0, '01'), view(0, '0101'), view(0, '010101')];
    const j = judge(views, liveParts(line, (i) => i !== 0), indexOfId);
    expect(j.converged).toBe(false);
    expect(j.parts).toEqual([{ nodes: [1, 2, 3], roots: 1, root: 'aa', converged: false, joined: false }]);
  });

  test('a part cut off from its root is not converged until it has a root of its own', () => {
    const cut = [[1], [0], [3], [2]]; // the link 1 - 2 is gone
    const before = [view(0, ''), view(0, '01'), view(0, '0101'), view(0, '010101')];
    const parts = liveParts(cut, () => true);
    expect(parts.members).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(judge(before, parts, indexOfId).parts.map((p) => p.converged)).toEqual([true, false]);
    const after = [view(0, ''), view(0, '01'), view(3, '01'), view(3, '')];
    const j = judge(after, parts, indexOfId);
    expect(j.converged).toBe(true);
    expect(j.roots).toBe(2);
  });

  test('duplicate addresses or a node without one: not converged', () => {
    const parts = liveParts(line, () => true);
    expect(judge([view(0, ''), view(0, '01'), view(0, '01'), view(0, '02')], parts, indexOfId).converged).toBe(false);
    expect(judge([view(0, ''), view(0, '01'), view(0, undefined), view(0, '02')], parts, indexOfId).converged).toBe(false);
  });

  test('nodes sharing an address are counted (both), within one tree only', () => {
    const parts = liveParts(line, () => true);
    expect(judge([view(0, ''), view(0, '01'), view(0, '01'), view(0, '01')], parts, indexOfId).shared).toBe(3);
    expect(judge([view(0, ''), view(0, '01'), view(0, '01'), view(0, '02')], parts, indexOfId).shared).toBe(2);
    expect(judge([view(0, ''), view(0, '01'), view(3, '01'), view(3, '')], parts, indexOfId).shared).toBe(0); // two trees
    expect(judge([view(0, ''), view(0, '01'), view(0, '02'), view(0, '0101')], parts, indexOfId).shared).toBe(0);
  });
});

describe('joined: trees that meet only at borders (a mesh past 32 levels)', () => {
  const parts = liveParts(line, () => true);

  test('the better tree is full where they meet: joined, not converged', () => {
    // Tree aa holds 0 and 1; 1 is full, so 2 could not join it and heads tree dd with 3.
    const j = judge([view(0, ''), view(0, '01', true), view(3, '01'), view(3, '')], parts, indexOfId);
    expect(j.converged).toBe(false);
    expect(j.joined).toBe(true);
    expect(j.parts.map((p) => p.joined)).toEqual([true]);
  });

  test('the better tree has room where they meet: still forming, not joined', () => {
    expect(judge([view(0, ''), view(0, '01'), view(3, '01'), view(3, '')], parts, indexOfId).joined).toBe(false);
    // Fullness on the worse side proves nothing: 2 could still join 1.
    expect(judge([view(0, ''), view(0, '01'), view(3, '01', true), view(3, '')], parts, indexOfId).joined).toBe(false);
  });

  test('the better tree is near full where they meet and the other node is settled: joined; a lone node there: not yet', () => {
    // 1 leaves fewer than join_margin levels under a child: 2, settled in tree dd, stays (mayCross).
    expect(judge([view(0, ''), view(0, '01', false, true), view(3, '01'), view(3, '')], parts, indexOfId).joined).toBe(true);
    // 2 alone, its own root with no children (3 is down), would still cross: not at rest.
    const cut = liveParts(line, (i) => i !== 3);
    expect(judge([view(0, ''), view(0, '01', false, true), view(2, '', false, false, false), undefined], cut, indexOfId).joined).toBe(false);
    expect(judge([view(0, ''), view(0, '01', true), view(2, '', false, false, false), undefined], cut, indexOfId).joined).toBe(true); // truly full: it cannot
  });

  test('a tree whose root is not in the part, or a duplicate address in one tree: not joined', () => {
    const cut = liveParts(line, (i) => i !== 3); // dd is down: 2 follows a dead root
    expect(judge([view(0, ''), view(0, '01', true), view(3, '01'), undefined], cut, indexOfId).joined).toBe(false);
    expect(judge([view(0, ''), view(0, '01', true), view(3, '01'), view(3, '01')], parts, indexOfId).joined).toBe(false);
  });

  test('a converged part is joined', () => {
    expect(judge([view(0, ''), view(0, '01'), view(0, '0101'), view(0, '010101')], parts, indexOfId).joined).toBe(true);
  });
});

describe('per-event figures', () => {
  const marks = (from: number, pattern: string): SampleMark[] =>
    [...pattern].map((c, k) => ({ t: from + k * 1000, converged: c === '1', roots: c === '1' ? 1 : 3, parts: 1 }));
  const none = () => ({ sent: 0, delivered: 0 });

  test('stable means converged for STABLE_SAMPLES samples in a row: a flicker does not count', () => {
    const flicker = '0010' + '1'.repeat(STABLE_SAMPLES) + '0';
    const [e] = eventFigures([{ event_ms: 0, action: 'root_kill' }], marks(0, flicker), 100_000, none);
    expect(e.converged_ms).toBe(2000);
    expect(e.stable_ms).toBe(4000);
    expect(e.reconverge_ms).toBe(4000);
    expect(e.peak_roots).toBe(3);
  });

  test('converged without a break until the next event counts as stable; never converged is null', () => {
    const samples = marks(0, '00111' + '0000000');
    const [a, b] = eventFigures(
      [
        { event_ms: 0, action: 'link_cut' },
        { event_ms: 5000, action: 'node_down', node: 3 },
      ],
      samples,
      12_000,
      (from, to) => ({ sent: (to - from) / 1000, delivered: from < 2000 ? 0 : (to - from) / 1000 }),
    );
    expect(a.stable_ms).toBe(2000);
    expect(a.delivery.before).toEqual({ from_ms: 0, to_ms: 0, sent: 0, delivered: 0, ratio: null });
    expect(a.delivery.during).toEqual({ from_ms: 0, to_ms: 2000, sent: 2, delivered: 0, ratio: 0 });
    expect(a.delivery.after).toEqual({ from_ms: 2000, to_ms: 5000, sent: 3, delivered: 3, ratio: 1 });
    expect(b).toMatchObject({ node: 3, converged_ms: null, stable_ms: null, reconverge_ms: null, delivery: { after: null } });
    expect(b.delivery.before).toMatchObject({ from_ms: 0, to_ms: 5000 });
  });
});

describe('runs', () => {
  test('line-3 with both links cut: the ends follow the old root for a while, so not converged at once', async () => {
    const s = shipped('line-3', {
      churn: [
        { at_ms: 60_000, action: 'link_cut', a: 0, b: 1, one_way: false },
        { at_ms: 60_000, action: 'link_cut', a: 1, b: 2, one_way: false },
      ],
    });
    const r = await run(s);
    expect(r.converged_ms).not.toBeNull();
    const e = r.reconvergence.at(-1)!;
    // Three lone nodes: each must become its own root. The old judgement said converged at 60 s.
    expect(e.converged_ms).toBeGreaterThan(60_000);
    expect(e.reconverge_ms).not.toBeNull();
    expect(e.parts).toBe(3);
    expect(r.parts_at_end.map((p) => p.nodes)).toEqual([[0], [1], [2]]);
    r.parts_at_end.forEach((p, i) => expect(p).toMatchObject({ converged: true, roots: 1, root: r.per_node[i].node_id }));
  }, 60_000);

  test('node_down of a middle node leaves a node following a root it cannot reach: not converged at once', async () => {
    const r = await run(shipped('line-3', { churn: [{ at_ms: 60_000, action: 'node_down', node: 1 }] }));
    const [e] = r.reconvergence;
    expect(e.node).toBe(1);
    expect(e.converged_ms).toBeGreaterThan(60_000);
    expect(e.reconverge_ms).not.toBeNull();
    expect(r.parts_at_end.map((p) => p.nodes)).toEqual([[0], [2]]);
    expect(r.parts_at_end.map((p) => p.root)).toEqual([r.per_node[0].node_id, r.per_node[2].node_id]);
  }, 60_000);

  test('a line deeper than its addresses hold settles as trees joined by borders: joined, never one tree', async () => {
    // 12 nodes whose addresses hold 4 levels (the test knob): several trees, as past 32 levels.
    const s = shipped('line-40', { duration_ms: 120_000, traffic: [], topology: { line: { n: 12, spacing: 80 } }, node_options: { all: { spanning_tree: { pub_each_round: false, address_levels: 4 } }, per_node: {} } });
    const r = await run(s);
    expect(r.converged_ms).toBeNull();
    expect(r.roots_at_end).toBeGreaterThan(1);
    expect(r.joined_ms).not.toBeNull();
    expect(r.joined_at_end).toBe(true);
    expect(r.parts_at_end).toEqual([expect.objectContaining({ converged: false, joined: true })]);
  }, 60_000);

  test('partition-heal: two trees while the mesh is split, one after the heal', async () => {
    const r = await run(shipped('partition-heal'));
    const [split, heal] = r.reconvergence;
    expect(split).toMatchObject({ action: 'partition', name: 'west', parts: 2 });
    expect(split.stable_ms).not.toBeNull();
    expect(split.peak_roots).toBeGreaterThanOrEqual(2);
    expect(heal).toMatchObject({ action: 'heal', name: 'west', parts: 1 });
    expect(heal.stable_ms).not.toBeNull();
    expect(r.parts_at_end).toHaveLength(1);
    expect(r.roots_at_end).toBe(1);
    expect(r.converged_at_end).toBe(true);
  }, 60_000);

  test('a run that ends during the partition reports one converged tree per part', async () => {
    const s = shipped('partition-heal');
    const r = await run({ ...s, duration_ms: 235_000, churn: s.churn.slice(0, 1) });
    expect(r.parts_at_end.map((p) => p.nodes)).toEqual([
      [0, 1, 4, 5, 8, 9, 12, 13],
      [2, 3, 6, 7, 10, 11, 14, 15],
    ]);
    expect(r.parts_at_end.every((p) => p.converged && p.roots === 1)).toBe(true);
    expect(new Set(r.parts_at_end.map((p) => p.root)).size).toBe(2);
    expect(r.roots_at_end).toBe(2);
    expect(r.converged_at_end).toBe(true);
  }, 60_000);

  test('power_on: a node switched on late joins later; the default spread gives the same run as before', async () => {
    const base = shipped('line-3', { duration_ms: 60_000 });
    const json = { name: 'x', duration_ms: 60_000, topology: { line: { n: 3, spacing: 80 } }, traffic: [{ pairs: [[0, 2]], interval_ms: 5000 }] };
    const spread = await run(scenario({ ...json, power_on: { spread_ms: 1000 } }));
    expect(JSON.stringify(spread)).toBe(JSON.stringify(await run(scenario(json))));
    expect(JSON.stringify(spread)).not.toBe(JSON.stringify(await run(scenario({ ...json, power_on: { spread_ms: 5000 } }))));
    const late = await run({ ...base, power_on: { spread_ms: 1000, at_ms: [null, null, 40_000] } });
    const early = await run(base);
    expect(late.converged_ms!).toBeLessThan(40_000);
    expect(late.sent).toBeLessThan(early.sent); // node 2 has no address before 40 s: flows to it wait
  }, 60_000);
});
