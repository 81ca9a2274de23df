/** The dashboard's trace: recorded from a run's hooks, read back at any time, streamed in pieces. */
import { TraceIndex, rootsOf, stateOf, treeEdges, UNKNOWN_STATE, type TraceNodeState } from '../../simulator/dashboard/trace/state.js';
import { checkTrace, EDGE_AB, EDGE_BA, type Trace, type TraceAppend } from '../../simulator/dashboard/trace/types.js';
import { newSession, plain, recorded, scenario, shipped } from './helpers.js';

const churny = scenario({
  name: 'churny',
  seed: 3,
  duration_ms: 60_000,
  topology: { grid: { rows: 3, cols: 3, spacing: 80 } },
  churn: [
    { at_ms: 20_000, action: 'link_cut', a: 0, b: 1 },
    { at_ms: 30_000, action: 'node_down', node: 4 },
    { at_ms: 40_000, action: 'link_restore', a: 0, b: 1 },
  ],
  traffic: [{ pairs: [[0, 8]], kind: 'ping', size: 8, interval_ms: 2000, start_ms: 10_000 }],
});

test('recording changes nothing: the report is the same with and without it', async () => {
  for (const s of [shipped('line-3', { duration_ms: 60_000 }), churny]) {
    const { report } = await recorded(s);
    expect(JSON.stringify(report)).toBe(JSON.stringify(await plain(s)));
  }
});

test('line-3: three nodes, two radio links, and at the end one tree of two links under the report’s root', async () => {
  const { trace, report } = await recorded(shipped('line-3'));
  expect(checkTrace(JSON.parse(JSON.stringify(trace)))).toBeUndefined();
  expect(trace.nodes.map((p) => [p.x, p.y])).toEqual([
    [0, 0],
    [80, 0],
    [160, 0],
  ]);
  expect(trace.edges).toEqual([
    [0, 1, EDGE_AB | EDGE_BA],
    [1, 2, EDGE_AB | EDGE_BA],
  ]);
  // One sample per simulated second, from 0 to the end.
  expect(trace.samples[0].t).toBe(0);
  expect(trace.samples.at(-1)!.t).toBe(120_000);
  expect(trace.samples).toHaveLength(121);
  expect(trace.now).toBe(120_000);

  const index = new TraceIndex(trace);
  const end = index.statesAt(120_000);
  const roots = rootsOf(end);
  expect(roots).toHaveLength(1);
  const root = roots[0];
  expect(trace.nodes[root].id).toBe(report.per_node[0].root);
  expect(treeEdges(end)).toHaveLength(2);
  // The tree is the line: every link joins neighbours, and every non-root has a parent.
  for (const [child, parent] of treeEdges(end)) expect(Math.abs(child - parent)).toBe(1);
  end.forEach((s, i) => {
    expect(s.address).toBe(report.per_node[i].address);
    expect(s.up && s.running).toBe(true);
    expect(s.root).toBe(root);
    if (i === root) expect(s.coords).toBe('');
    else expect(s.coords).toMatch(/^\d+(\.\d+)*$/);
  });
  // Before any sample nothing is known; at t = 0 no node runs yet.
  expect(index.statesAt(-1)[0]).toBe(UNKNOWN_STATE);
  expect(index.statesAt(0).every((s) => !s.running)).toBe(true);

  // Medium totals and the summary agree with the report.
  expect(index.mediumAt(120_000)![0]).toBe(report.frames.sent);
  expect(index.mediumAt(120_000)![1]).toBe(report.frames.delivered);
  expect(trace.summary).toMatchObject({ sent: report.sent, delivered: report.delivered, converged_ms: report.converged_ms, roots_at_end: 1 });

  // Frames: settled in time order, each with a known kind and outcome; none dropped at the cap.
  expect(trace.packets.length).toBeGreaterThan(100);
  expect(trace.load.reduce((a, b) => a + b, 0)).toBe(trace.packets.length);
  let last = -Infinity;
  for (const [tSend, tEnd, from, to, kind, outcome] of trace.packets) {
    expect(tEnd).toBeGreaterThanOrEqual(last);
    last = tEnd;
    expect(tSend).toBeLessThanOrEqual(tEnd);
    expect(from).not.toBe(to);
    expect(kind).toBeLessThan(trace.kinds.length);
    expect(outcome).toBeGreaterThanOrEqual(0);
  }
  const kinds = new Set(trace.packets.map((p) => trace.kinds[p[4]]));
  expect([...kinds]).toEqual(expect.arrayContaining(['Beacon', 'SpanningTree', 'Ping']));

  // Details: peers by index, the middle node has both ends.
  const middle = index.detailAt(1, 120_000)!.detail!;
  expect(middle.peers.slice().sort()).toEqual([0, 2]);
  expect(middle.counters.forwarded).toBeGreaterThan(0);
  // The panel's detail and the report's node both map the node's NodeState.
  expect(middle.addresses.at(-1)).toBe(report.per_node[1].address);
  expect(middle.routes).toHaveLength(report.per_node[1].routes);
  expect(index.detailAt(1, -5)).toBeUndefined();
});

test('the cap keeps at most N frame events per simulated second and still counts them all', async () => {
  const s = shipped('line-3', { duration_ms: 40_000 });
  const full = (await recorded(s)).trace;
  const capped = (await recorded(s, { capPerSecond: 3 })).trace;
  expect(capped.cap_per_s).toBe(3);
  expect(capped.load).toEqual(full.load);
  const perSecond = new Map<number, number>();
  for (const p of capped.packets) perSecond.set(Math.floor(p[1] / 1000), (perSecond.get(Math.floor(p[1] / 1000)) ?? 0) + 1);
  for (const [sec, c] of perSecond) {
    expect(c).toBeLessThanOrEqual(3);
    expect(c).toBe(Math.min(3, full.load[sec]));
  }
  expect(new TraceIndex(capped).loadAt(5_500)).toEqual([full.load[5], Math.min(3, full.load[5])]);
});

test('churn: a cut link shows as cut until restored, a down node drops out of the tree', async () => {
  const { trace, report } = await recorded(churny);
  const index = new TraceIndex(trace);
  const link01 = (t: number) => index.edgesAt(t).find((e) => e.a === 0 && e.b === 1)!;
  expect(link01(19_000).cut).toBe(false);
  expect(link01(25_000).cut).toBe(true);
  expect(link01(45_000).cut).toBe(false);
  expect(trace.link_events).toEqual([
    [20_000, 0, 1, 1, 0],
    [40_000, 0, 1, 0, 0],
  ]);
  const before = index.statesAt(29_000)[4];
  expect(before.up && before.running).toBe(true);
  const after = index.statesAt(31_000)[4];
  expect(after.up).toBe(false);
  expect(after.running).toBe(false);
  const end = index.statesAt(60_000);
  expect(treeEdges(end).some(([c, p]) => c === 4 || p === 4)).toBe(false);
  expect(rootsOf(end)).toHaveLength(report.roots_at_end);
  expect(index.detailAt(4, 60_000)?.detail).toBeNull();
});

test('reading states at any sample (through checkpoints) equals replaying every sample from the start', async () => {
  const { trace } = await recorded(shipped('line-3'));
  const index = new TraceIndex(trace);
  const order = [120, 3, 64, 0, 31, 32, 33, 97, 96, 65, 1, 119];
  for (const k of order) {
    const brute: TraceNodeState[] = trace.nodes.map(() => UNKNOWN_STATE);
    for (let j = 0; j <= k; j++) for (const tuple of trace.samples[j].nodes) brute[tuple[0]] = stateOf(tuple);
    expect(index.statesAtSample(k)).toEqual(brute);
  }
});

test('streaming: a client that connects mid-run and applies the appends ends with the whole trace', async () => {
  let calls = 0;
  let snapshot: Trace | undefined;
  const appends: TraceAppend[] = [];
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
  const session = newSession();
  const { trace } = await recorded(
    shipped('line-3', { duration_ms: 60_000 }),
    {},
    {
      onProgress: () => {
        calls++;
        if (calls === 40) session.recorder.console(1, 'console line in the middle');
        if (calls === 50) snapshot = clone(session.recorder.snapshot()!);
        const a = session.recorder.takeAppend();
        if (snapshot && a) appends.push(clone(a));
      },
    },
    session,
  );
  const last = session.recorder.takeAppend();
  if (last) appends.push(clone(last));
  expect(session.recorder.takeAppend()).toBeUndefined();
  expect(snapshot).toBeDefined();
  expect(snapshot!.now).toBeGreaterThan(0);
  expect(snapshot!.now).toBeLessThan(60_000);
  const client = new TraceIndex(snapshot!);
  for (const a of appends) client.append(a);
  for (const k of ['samples', 'details', 'packets', 'load', 'console', 'summary', 'now'] as const) {
    const same = JSON.stringify(client.trace[k]) === JSON.stringify(trace[k]);
    expect({ [k]: same }).toEqual({ [k]: true });
  }
  expect(client.trace.packets.length).toBe(trace.packets.length);
  expect(trace.console).toEqual([[expect.any(Number), 1, 'console line in the middle']]);
});

test('checkTrace refuses what is not a trace', () => {
  expect(checkTrace(null)).toMatch(/not a JSON object/);
  expect(checkTrace({ format: 'other' })).toMatch(/format must be/);
  expect(checkTrace({ format: 'mycelium-dashboard-trace/1', nodes: [] })).toMatch(/edges must be an array/);
});
