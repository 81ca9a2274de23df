/** Ctrl-C during `mycelium-sim run`: the report and trace so far are written, marked partial, exit 130. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectValidReport } from './support/schemas.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mycelium-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('SIGINT mid-run: a partial report and trace up to the simulated time reached, exit 130', async () => {
  const report = join(dir, 'r.json');
  const trace = join(dir, 't.json');
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'mycelium-sim.mjs'), 'run', 'grid-7x7', '--report', report, '--trace', trace], { cwd: ROOT });
  let err = '';
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  // Not a terminal: a progress line per 10 % of simulated time; interrupt after the first.
  child.stderr.on('data', (d) => {
    const before = err;
    err += d;
    if (!/: 10%/.test(before) && /: 10%/.test(err)) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(err).toMatch(/interrupted at .* simulated; the report and trace cover only that \(partial\)/);
  expect(code).toBe(130);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  expectValidReport(r);
  expect(r.partial).toBe(true);
  expect(r.simulated_ms).toBeGreaterThanOrEqual(30_000);
  expect(r.simulated_ms).toBeLessThan(300_000);
  expect(r.frames.sent).toBeGreaterThan(0);
  const t = JSON.parse(readFileSync(trace, 'utf8'));
  expect(t.partial).toBe(true);
  expect(t.now).toBe(r.simulated_ms);
  // Trace times are rounded to 0.1 ms.
  expect(Math.max(...t.samples.map((s: { t: number }) => s.t))).toBeLessThanOrEqual(r.simulated_ms + 0.05);
  expect(out).toMatch(/grid-7x7 — seed 7/);
}, 120_000);
