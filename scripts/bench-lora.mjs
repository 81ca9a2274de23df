#!/usr/bin/env node
// npm run bench:lora — issue 18's LoRa rows with our figures beside each target
// (bench/lora-targets.ts). Each shipped scenario runs in its own `mycelium-sim run` process, once
// per seed; a scenario file that is not shipped shows as "missing". Options: --seeds 1,2,3
// (default: each scenario's own seed), --only a,b, --json (the rows as JSON on stdout),
// --reports DIR (keep each run's report there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-lora.mjs [--seeds N,N] [--only NAME,NAME] [--json] [--reports DIR]', {
  seeds: { type: 'string' },
  only: { type: 'string' },
  json: { type: 'boolean' },
  reports: { type: 'string' },
});

const bench = await importTs(join(root, 'bench/lora-targets.ts'));
const list = (s) => s?.split(',').map((x) => x.trim()).filter(Boolean);
const only = list(values.only);
for (const name of only ?? []) {
  if (!bench.LORA_SCENARIOS.includes(name)) {
    console.error(`--only: "${name}" is not one of ${bench.LORA_SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}
const seeds = list(values.seeds)?.map(Number);
if (seeds?.some((s) => !Number.isInteger(s) || s < 0)) {
  console.error('--seeds: a comma-separated list of unsigned integers');
  process.exit(2);
}

const keep = values.reports ? resolve(values.reports) : undefined;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-lora-'));
mkdirSync(dir, { recursive: true });

const outcomes = {};
for (const name of bench.LORA_SCENARIOS) {
  if (only && !only.includes(name)) {
    outcomes[name] = { skipped: true };
    continue;
  }
  if (!existsSync(join(root, 'simulator', 'scenarios', `${name}.json`))) {
    process.stderr.write(`${name}: missing (simulator/scenarios/${name}.json is not shipped)\n`);
    outcomes[name] = { missing: true };
    continue;
  }
  const reports = [];
  for (const seed of seeds ?? [undefined]) {
    const run = simulate(name, seed);
    if ('failed' in run) {
      outcomes[name] = run;
      break;
    }
    reports.push(run.report);
  }
  outcomes[name] ??= { reports };
}

/** Runs a shipped scenario (with `seed`, or its own) in its own process; its report or why it failed. */
function simulate(name, seed) {
  const label = seed === undefined ? name : `${name}-seed${seed}`;
  const file = join(dir, `${label}.json`);
  const started = performance.now();
  process.stderr.write(`${label}: running ...`);
  const args = [join(root, 'bin', 'mycelium-sim.mjs'), 'run', name, '--quiet', '--report', file, ...(seed === undefined ? [] : ['--seed', String(seed)])];
  const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const wall = ((performance.now() - started) / 1000).toFixed(1);
  if (child.status !== 0 || !existsSync(file)) {
    const why = (child.stderr ?? '').trim().split('\n').pop() || `exit ${child.status}${child.signal ? ` (${child.signal})` : ''}`;
    process.stderr.write(` failed after ${wall} s: ${why}\n`);
    return { failed: why };
  }
  process.stderr.write(` ${wall} s\n`);
  return { report: JSON.parse(readFileSync(file, 'utf8')) };
}
if (!keep) rmSync(dir, { recursive: true, force: true });

const rows = bench.loraRows(outcomes);
if (values.json) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const t = new Table({ head: ['case (scenario)', 'our figures', 'target', 'met?'], style: { head: [], border: [] }, colWidths: [30, 66, 24, 6], wordWrap: true });
  for (const r of rows) t.push([`${r.case} (${r.scenario})`, r.figures, r.target, r.met === null ? '–' : r.met ? 'yes' : 'no']);
  console.log(t.toString());
}
