/** The chart strip's figures (series.ts), the recorded delivery buckets and the node search. */
import { findNode } from '../../simulator/dashboard/trace/find.js';
import { SeriesBuilder } from '../../simulator/dashboard/trace/series.js';
import { TraceIndex } from '../../simulator/dashboard/trace/state.js';
import { recorded, shipped } from './helpers.js';

test('charts of a recorded run: delivery adds up to the report, the tree to one root over every node', async () => {
  const { trace, report } = await recorded(shipped('default', { duration_ms: 120_000 }));
  // Buckets by second sent: the report's totals.
  const traffic = trace.traffic ?? [];
  expect(report.sent).toBeGreaterThan(0);
  expect(traffic.reduce((s, b) => s + b[0], 0)).toBe(report.sent);
  expect(traffic.reduce((s, b) => s + b[1], 0)).toBe(report.delivered);
  // No ping before the flows start at 60 s.
  expect(traffic.slice(0, 60).every((b) => b[0] === 0)).toBe(true);

  const s = new SeriesBuilder(trace).update();
  expect(s.t).toHaveLength(trace.samples.length);
  expect(s.addressed.at(-1)).toBe(36);
  expect(s.roots.at(-1)).toBe(1);
  expect(s.roots[0]).toBe(0);
  // Frame events per second × seconds = the medium's totals at the last sample.
  const last = trace.samples.at(-1)!.medium;
  let frames = 0;
  let drops = 0;
  for (let k = 1; k < s.t.length; k++) {
    frames += (s.framesPerS[k] ?? 0) * (s.t[k] - s.t[k - 1]);
    drops += (s.dropsPerS[k] ?? 0) * (s.t[k] - s.t[k - 1]);
  }
  const lost = last.slice(2).reduce((a, b) => a + b, 0);
  expect(frames).toBeCloseTo(last[1] + lost, -1);
  expect(drops).toBeCloseTo(lost, -1);
  // Delivery per 5 s bucket: buckets with pings only, ratios between 0 and 1.
  const ratios = s.delivery.filter((d): d is number => d !== null);
  expect(ratios.length).toBeGreaterThan(5);
  for (const r of ratios) expect(r >= 0 && r <= 1).toBe(true);
  expect(s.bucketSent.reduce((a, b) => a + b, 0)).toBe(report.sent);
});

test('a live trace: series extend with appends as they arrive', async () => {
  const { trace } = await recorded(shipped('line-3', { duration_ms: 20_000 }));
  const growing = new TraceIndex({ ...trace, samples: trace.samples.slice(0, 5), traffic: [] });
  const b = new SeriesBuilder(growing.trace);
  expect(b.update().t).toHaveLength(5);
  growing.append({ now: trace.now, samples: trace.samples.slice(5), details: [], packets: [], load_from: 0, load: [], console: [], summary: null, traffic_from: 0, traffic: [[4, 3]] });
  const s = b.update();
  expect(s.t).toHaveLength(trace.samples.length);
  expect(s.roots).toEqual(new SeriesBuilder(trace).update().roots);
  expect(s.delivery[0]).toBe(0.75);
});

test('root-kill: the churn event is in the trace for the charts to mark', async () => {
  const { trace } = await recorded(shipped('root-kill', { duration_ms: 200_000 }));
  expect(trace.churn).toEqual([[180_000, 'root_kill']]);
});

test('search a node by n123, by digits, by id prefix', () => {
  const trace = { nodes: ['ab12', 'ab34', 'cd56', '7777'].map((id) => ({ id, mac: '', x: 0, y: 0 })) };
  expect(findNode(trace, 'n2')).toEqual({ ok: true, index: 2, matches: 1 });
  expect(findNode(trace, ' N1 ')).toEqual({ ok: true, index: 1, matches: 1 });
  expect(findNode(trace, 'n9')).toEqual({ ok: false, error: 'no node n9 (nodes n0 to n3)' });
  expect(findNode(trace, 'AB')).toEqual({ ok: true, index: 0, matches: 2 });
  expect(findNode(trace, '0xcd')).toEqual({ ok: true, index: 2, matches: 1 });
  expect(findNode(trace, '77')).toEqual({ ok: true, index: 3, matches: 1 }); // an id prefix first
  expect(findNode(trace, '3')).toEqual({ ok: true, index: 3, matches: 1 }); // no id starts with 3: index
  expect(findNode(trace, 'zz').ok).toBe(false);
});
