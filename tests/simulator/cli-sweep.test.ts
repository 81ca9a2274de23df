/** `mycelium-sim sweep` as a researcher runs it: a child process, its summary files and reports. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe as stats, t95 } from '../../simulator/cli/sweep-stats.js';
import { parseParam, parseSeeds, setAt } from '../../simulator/cli/sweep-plan.js';
import { summarize } from '../../simulator/cli/sweep-summary.js';
import { expectValidReport } from './support/schemas.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mycelium-sim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mycelium-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Summary {
  params: string[];
  seeds: number[];
  points: { params: Record<string, unknown>; seed: number; report: string }[];
  summary: { params: Record<string, number>; seeds: number; metrics: Record<string, { n: number; mean: number | null; sd: number | null; ci95: number | null }>; vs_first?: Record<string, { n: number; mean: number | null }> }[];
}

test('2 parameters × 5 seeds on line-3: a report per point, a summary that shows what each parameter does', () => {
  const out = join(dir, 'line');
  // 80 m spacing: a 60 m range cuts every link, 100 m joins the line. A ping every 2 s sends more than every 5 s.
  const r = sim('sweep', 'line-3', '--param', 'radio.range=60,100', '--param', 'traffic.0.interval_ms=2000,5000', '--seeds', '1-5', '--metric', 'delivery,sent,converged_ms', '--out', out);
  expect(r.code).toBe(0);
  expect(r.err).toMatch(/4 combinations × 5 seeds = 20 runs on \d workers?/);
  expect(r.err).toMatch(/20\/20 /);
  expect(r.out).toMatch(/mean ± 95 % confidence interval \(Student's t\) over seeds 1-5/);
  expect(r.out).toMatch(/radio\.range.*traffic\.0\.interval_ms.*seeds.*delivery.*sent.*converged_ms/);

  const reports = readdirSync(out).filter((f) => f.endsWith('.json') && f !== 'summary.json');
  expect(reports).toHaveLength(20);
  expect(reports).toContain('line-3_range=100_interval_ms=5000_seed3.json');
  const one = JSON.parse(readFileSync(join(out, 'line-3_range=100_interval_ms=5000_seed3.json'), 'utf8'));
  expectValidReport(one);
  expect(one.seed).toBe(3);

  const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  expect(s.params).toEqual(['radio.range', 'traffic.0.interval_ms']);
  expect(s.seeds).toEqual([1, 2, 3, 4, 5]);
  expect(s.points).toHaveLength(20);
  expect(s.summary).toHaveLength(4);
  const at = (range: number, interval: number) => s.summary.find((c) => c.params['radio.range'] === range && c.params['traffic.0.interval_ms'] === interval)!.metrics;
  expect(at(60, 2000).delivery.mean ?? 0).toBe(0);
  expect(at(100, 2000).delivery.mean).toBe(1);
  expect(at(100, 2000).sent.mean!).toBeGreaterThan(at(100, 5000).sent.mean!);
  // The seeds are really different runs: when the tree forms varies from seed to seed.
  expect(at(100, 5000).converged_ms.n).toBe(5);
  expect(at(100, 5000).converged_ms.sd!).toBeGreaterThan(0);
  expect(at(100, 5000).converged_ms.ci95!).toBeGreaterThan(0);
  // Each combination beside the first, seed by seed: joining the line delivers everything more.
  expect(s.summary[0].vs_first).toBeUndefined();
  const joined = s.summary.find((c) => c.params['radio.range'] === 100 && c.params['traffic.0.interval_ms'] === 2000)!;
  expect(joined.vs_first!.delivery).toMatchObject({ n: 5, mean: 1 });
  expect(r.out).toMatch(/minus the first row, seed by seed/);

  const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('radio.range,traffic.0.interval_ms,metric,n,missing,mean,ci95,ci95_low,ci95_high,sd,min,max');
  expect(csv).toHaveLength(1 + 4 * 3);
  expect(csv).toContain('100,2000,delivery,5,0,1,0,1,1,0,1,1');
}, 180_000);

test.each([
  [['sweep'], /sweep needs a scenario/],
  [['sweep', 'line-3', '--param', 'radio.range'], /must be PATH=V1,V2/],
  [['sweep', 'line-3', '--param', 'radio.range=-5'], /radio\.range=-5.*range/],
  [['sweep', 'line-3', '--param', 'traffic.3.size=8'], /"traffic" is a list of 1, no index "3"/],
  [['sweep', 'line-3', '--metric', 'speed'], /--metric "speed": not a metric name/],
  [['sweep', 'line-3', '--seeds', '5-1'], /--seeds "5-1"/],
  [['sweep', 'line-3', '--workers', '0'], /--workers must be an integer from 1 to 64/],
])('%j: one line on stderr, exit 2, nothing run', (args, message) => {
  const r = sim(...args, '--out', join(dir, 'bad'));
  expect(r.code).toBe(2);
  expect(r.err.split('\n')[0]).toMatch(message);
  expect(r.out).toBe('');
});

test('the interval is Student\'s t: 5 samples use t(4) = 2.776, not 1.96', () => {
  const s = stats([1, 2, 3, 4, 5]);
  expect(s.mean).toBe(3);
  expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 10);
  expect(s.ci95).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 10);
  expect(t95(1)).toBe(12.706);
  expect(t95(1000)).toBe(1.98);
  // A run that never converged (null) is counted as missing, not averaged as 0.
  expect(stats([1000, null, 3000])).toMatchObject({ n: 2, missing: 1, mean: 2000 });
  expect(stats([7])).toMatchObject({ n: 1, mean: 7, ci95: null });
});

test('parameters, seeds and paths as a user types them', () => {
  expect(parseParam('radio.range=80,100')).toEqual({ path: 'radio.range', values: [80, 100] });
  expect(parseParam('interface=espnow,lora')).toEqual({ path: 'interface', values: ['espnow', 'lora'] });
  expect(parseParam('topology.line={"n":3,"spacing":80},{"n":5,"spacing":80}').values).toEqual([{ n: 3, spacing: 80 }, { n: 5, spacing: 80 }]);
  expect(parseSeeds('1-3,10')).toEqual([1, 2, 3, 10]);
  expect(setAt({ a: [{ b: 1 }] }, 'a.0.b', 2)).toEqual({ a: [{ b: 2 }] });
  expect(setAt({}, 'node_options.all.hopRecovery', true)).toEqual({ node_options: { all: { hopRecovery: true } } });
});

test('differences from the first combination are paired by seed: a small change shows beside a large spread', () => {
  // Two variants on four seeds whose results spread widely (100…400) but differ by +2 on each.
  const base = [100, 200, 300, 400];
  const combos = [[0], [1]];
  const points = combos.flatMap((values, combo) => base.map((_, k) => ({ index: combo * 4 + k, combo, values, seed: k + 1, reportName: `r${combo}${k}` })));
  const plan = { name: 'x', params: [{ path: 'a' }], combos, points } as unknown as Parameters<typeof summarize>[0];
  const outcomes = points.map((p) => ({ values: [base[p.seed - 1] + (p.combo === 1 ? 2 : 0)] }));
  outcomes[7] = { values: [null] } as never; // seed 4 of the second lacks the metric: left out of the pairs
  const s = summarize(plan, ['delivered'], outcomes, 1);
  expect(s.summary[1].metrics.delivered.ci95!).toBeGreaterThan(100); // the means alone cannot tell them apart
  expect(s.summary[1].vs_first!.delivered).toMatchObject({ n: 3, missing: 1, mean: 2, sd: 0, ci95: 0 });
});
