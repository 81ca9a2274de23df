/**
 * Done-when of issue 25 for convergence: on the shipped root-kill scenario the report's time to a
 * stable live tree equals the one measured from the dashboard trace alone (± 1 s), and the trace
 * is read here without any of the runner's convergence code.
 */
import { TraceIndex } from '../../simulator/dashboard/trace/state.js';
import type { Trace } from '../../simulator/dashboard/trace/types.js';
import { recorded, shipped } from '../dashboard/helpers.js';

/** Every live node follows one live root, and live nodes' addresses are all set and distinct. */
function oneLiveTree(index: TraceIndex, t: number): boolean {
  const live = index.statesAt(t).map((s, i) => ({ s, i })).filter(({ s }) => s.up && s.running);
  if (live.length === 0) return false;
  const roots = new Set(live.map(({ s }) => s.root));
  if (roots.size !== 1) return false;
  const root = [...roots][0];
  if (!live.some(({ i }) => i === root)) return false;
  const addresses = live.map(({ s }) => s.address);
  return addresses.every((a) => a !== null) && new Set(addresses).size === live.length;
}

/** The first sample time ≥ from after which every sample shows one live tree, or null. */
function stableFrom(trace: Trace, from: number): number | null {
  const index = new TraceIndex(trace);
  let start: number | null = null;
  for (const { t } of trace.samples) {
    if (t < from) continue;
    if (!oneLiveTree(index, t)) start = null;
    else start ??= t;
  }
  return start;
}

test('root-kill: the report’s re-convergence is the time to a stable live tree seen in the trace (± 1 s)', async () => {
  const { trace, report } = await recorded(shipped('root-kill'));
  const [kill] = report.reconvergence;
  expect(kill.action).toBe('root_kill');
  const fromTrace = stableFrom(trace, kill.event_ms);
  expect(fromTrace).not.toBeNull();
  const measured = fromTrace! - kill.event_ms;
  process.stdout.write(
    `root-kill: report reconverge_ms ${kill.reconverge_ms}, from the trace ${measured}; peak roots ${kill.peak_roots}; ` +
      `delivery before ${kill.delivery.before.delivered}/${kill.delivery.before.sent}, during ${kill.delivery.during.delivered}/${kill.delivery.during.sent}, ` +
      `after ${kill.delivery.after?.delivered}/${kill.delivery.after?.sent}\n`,
  );
  expect(kill.reconverge_ms).not.toBeNull();
  expect(Math.abs(kill.reconverge_ms! - measured)).toBeLessThanOrEqual(1000);
  // The old judgement (everyone still agrees on the dead root) said 0 s: the repair takes time,
  // seconds since the tree repairs itself (docs/routing.md), not the 60 s tree age.
  expect(kill.reconverge_ms!).toBeGreaterThan(0);
  expect(kill.reconverge_ms!).toBeLessThanOrEqual(10_000);
  expect(report.reconverge_ms).toBe(kill.reconverge_ms);
  // Several survivors briefly claim to be roots while they repair.
  expect(kill.peak_roots).toBeGreaterThan(1);
}, 120_000);
