/** `mycelium-sim` as a user runs it: a child process, its exit code, stdout, stderr and report. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectValidReport } from './support/schemas.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mycelium-sim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mycelium-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('run line-3 --report: a summary table on stdout and a JSON report with the promised fields', () => {
  const report = join(dir, 'line.json');
  const r = sim('run', 'line-3', '--seed', '5', '--report', report);
  expect(r.code).toBe(0);
  // Not a terminal: progress as a line per 10 % of simulated time.
  expect(r.err.trim().split('\n')).toHaveLength(10);
  expect(r.err).toMatch(/line-3 \(inproc\): 100% \(2 min 0 s simulated/);
  expect(r.out).toMatch(/line-3 — seed 5/);
  expect(r.out).toMatch(/messages delivered\s*│?\s*\d+ \/ \d+/);
  const json = JSON.parse(readFileSync(report, 'utf8'));
  expectValidReport(json);
  for (const key of [
    'nodes', 'simulated_ms', 'sent', 'delivered', 'delivery_ratio', 'duplicates', 'latency_ms', 'hops_mean', 'stretch_mean',
    'control_bytes_per_node_per_min', 'converged_ms', 'roots_at_end', 'drops', 'per_node',
  ]) {
    expect(json).toHaveProperty(key);
  }
  expect(Object.keys(json.latency_ms)).toEqual(['p50', 'p95', 'max']);
  expect(json.nodes).toBe(3);
  expect(json.seed).toBe(5);
  expect(json.per_node).toHaveLength(3);
}, 60_000);

test('--quiet prints nothing; the report is the same as without it', () => {
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const quiet = sim('run', 'line-3', '--quiet', '--report', a);
  expect(quiet.code).toBe(0);
  expect(quiet.out).toBe('');
  expect(quiet.err).toBe('');
  expect(sim('run', 'line-3', '--report', b).code).toBe(0);
  expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
}, 60_000);

test.each([
  [['run'], /missing scenario/],
  [['walk', 'line-3'], /unknown command "walk"/],
  [['run', 'line-3', '--seed=-1'], /--seed must be an integer/],
  [['run', 'line-3', '--seed', '4294967296'], /--seed must be an integer from 0 to 4294967295/],
  [['run', 'line-3', '--runner', 'jvm'], /--runner must be inproc or xs/],
  [['run', 'no-such-scenario'], /no scenario "no-such-scenario"/],
  [['run', 'line-3', '--bogus'], /Unknown option '--bogus'/],
])('bad arguments %j: one clear line and exit 2', (args, message) => {
  const r = sim(...args);
  expect(r.code).toBe(2);
  expect(r.err.split('\n')[0]).toMatch(message);
  expect(r.out).toBe('');
});

test('a bad scenario file names the bad field and exits 2', () => {
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ name: 'bad', duration_ms: 1000, topology: { line: { n: 0, spacing: 10 } } }));
  const r = sim('run', file);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/topology\.line\.n/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{ "name": ');
  expect(sim('run', broken).err).toMatch(/JSON/i);
});
