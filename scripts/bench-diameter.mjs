#!/usr/bin/env node
// npm run bench:diameter — issue 17's "any diameter" rows: line-40 and line-70 on seeds 1–5 (or
// --seeds A-B), one row per run with the targets beside our figures (docs/routing.md "Any
// diameter"). --lossy adds line-40-lossy, line-70-lossy and line-150-lossy (the same lines on the
// logistic radio with collisions; 150 nodes: three to five trees) and strip-300-lossy (300 random
// nodes on a 3,000 m × 200 m strip on that radio: a dense mesh 30-odd levels deep). --big adds random-2000 at its
// shipped seed (minutes: run it alone, with nice).
// Each run is its own `mycelium-sim run` process; --reports DIR keeps the reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-diameter.mjs [--seeds A-B] [--lossy] [--big] [--reports DIR]', {
  seeds: { type: 'string' },
  lossy: { type: 'boolean' },
  big: { type: 'boolean' },
  reports: { type: 'string' },
});
const [first, last] = (values.seeds ?? '1-5').split('-').map(Number);
const seeds = [];
for (let s = first; s <= (last ?? first); s++) seeds.push(s);
const keep = values.reports ? resolve(values.reports) : undefined;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-diameter-'));
mkdirSync(dir, { recursive: true });

const runs = [];
const lines = ['line-40', 'line-70', ...(values.lossy ? ['line-40-lossy', 'line-70-lossy', 'line-150-lossy', 'strip-300-lossy'] : [])];
for (const name of lines) for (const seed of seeds) runs.push({ name, seed });
if (values.big) runs.push({ name: 'random-2000', seed: undefined });

const t = new Table({ head: ['scenario', 'seed', 'delivered', 'trees at end', 'one structure', 'converged (one tree) / joined', 'control B/node/min', 'met?'], style: { head: [], border: [] } });
for (const { name, seed } of runs) {
  const label = `${name}${seed === undefined ? '' : `-s${seed}`}`;
  const file = join(dir, `${label}.json`);
  process.stderr.write(`${label}: running ...`);
  const started = performance.now();
  const args = [join(root, 'bin', 'mycelium-sim.mjs'), 'run', name, '--quiet', '--report', file, ...(seed === undefined ? [] : ['--seed', String(seed)])];
  const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (child.status !== 0 || !existsSync(file)) {
    t.push([name, seed ?? '', 'failed', '', '', '', '', 'no']);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // "One connected structure": the mesh in one radio part, settled at the end as one tree or as
  // trees that meet only where the better one is full (the report's `joined_at_end`, judged by
  // simulator/runner/convergence.ts: every node addressed, each root live, borders at rest).
  const structure = r.parts_at_end.length === 1 && r.joined_at_end === true;
  const ratio = r.delivery_ratio ?? 0;
  const met = structure && ratio >= 0.99;
  t.push([
    name,
    r.seed,
    `${(ratio * 100).toFixed(1)} % (${r.delivered}/${r.sent})`,
    r.roots_at_end,
    structure ? 'yes' : 'no',
    r.converged_ms !== null ? `${(r.converged_ms / 1000).toFixed(0)} s` : r.joined_ms !== null ? `joined at ${(r.joined_ms / 1000).toFixed(0)} s` : 'never',
    Math.round(r.control_bytes_per_node_per_min),
    met ? 'yes' : 'no',
  ]);
}
if (!keep) rmSync(dir, { recursive: true, force: true });
process.stdout.write(`targets: one connected structure, ≥ 99 % delivered after convergence (every seed)\n${t.toString()}\n`);
