/**
 * A live run that cannot keep up with --speed: it runs in slices, so the dashboard's server
 * answers during the run; it says it is behind; and slicing changes nothing in the report.
 */
import { DashboardSession } from '../../simulator/dashboard/server/session.js';
import { PaceWatch } from '../../simulator/dashboard/server/pace-watch.js';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { ROOT, plain, shipped } from './helpers.js';

async function until<T>(f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('the server answers while a run far behind its speed goes flat out, and the terminal says so', async () => {
  const lines: string[] = [];
  // ×100,000: 30 simulated s of 49 nodes in 0.3 wall ms, which no machine does.
  const session = new DashboardSession({ root: ROOT, serve: true, port: 0, speed: 100_000, log: (l) => lines.push(l) });
  let endedAt = Infinity;
  const running = runScenario(shipped('grid-7x7', { duration_ms: 30_000 }), session.wrap({})).then((r) => {
    endedAt = performance.now();
    return r;
  });
  try {
    const url = await until(() => session.url);
    // Without slices the whole run would pass before this answer.
    const info = (await (await fetch(`${url}api/info`)).json()) as { mode: string };
    const answeredAt = performance.now();
    expect(info.mode).toBe('live');
    const detail = (await (await fetch(`${url}api/node/3`)).json()) as { peers: number[] } | null;
    expect(detail === null || Array.isArray(detail.peers)).toBe(true);
    expect(answeredAt).toBeLessThan(endedAt);
    const result = await running;
    expect(result.ok).toBe(true);
    expect(lines.some((l) => /^dashboard: behind by [\d.]+ s of simulated time at ×100000, running as fast as it can$/.test(l))).toBe(true);
    // The same report as a run that was never paced (slices do not change simulated time).
    await session.finish(result);
    expect((result as { report: RunReport }).report).toEqual(await plain(shipped('grid-7x7', { duration_ms: 30_000 })));
  } finally {
    await running;
    await session.close();
  }
}, 180_000);

test('a paced run in tiny slices gives the report of an unpaced one', async () => {
  const s = shipped('line-3');
  const paced = await runScenario(s, { realtime: { speed: 1e9, sliceMs: 0 } });
  if (!paced.ok) throw new Error(paced.error);
  expect(paced.report).toEqual(await plain(s));
});

test('PaceWatch: a line when the run falls behind, every 10 s while behind, and when it catches up', () => {
  const lines: string[] = [];
  const w = new PaceWatch(20, (l) => lines.push(l));
  w.update(10_000, 5000, 500); // 0.5 s late: not worth a word
  expect(w.info).toEqual({ speed: 20, behind_ms: 10_000, behind: false, now_ms: 5000 });
  w.update(40_000, 6000, 2000);
  w.update(50_000, 7000, 2500); // still behind, less than 10 s later: quiet
  expect(w.info.behind).toBe(true);
  w.update(0, 60_000, 0);
  expect(lines).toEqual(['dashboard: behind by 40.0 s of simulated time at ×20, running as fast as it can', 'dashboard: caught up with ×20']);
});
