#!/usr/bin/env node
// npm run bench:mesh — issue 16's Targets table with our figures beside each target
// (bench/mesh-targets.ts). Each shipped scenario runs in its own `mycelium-sim run` process;
// a scenario file that is not shipped shows as "missing". Options: --quick (the short
// scenarios only), --only a,b (those scenarios), --json (the rows as JSON on stdout),
// --reports DIR (keep each run's report there).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-mesh.mjs [--quick] [--only NAME,NAME] [--json] [--reports DIR]', {
  quick: { type: 'boolean' },
  only: { type: 'string' },
  json: { type: 'boolean' },
  reports: { type: 'string' },
});

const bench = await importTs(join(root, 'bench/mesh-targets.ts'));
const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of only ?? []) {
  if (!bench.MESH_SCENARIOS.includes(name)) {
    console.error(`--only: "${name}" is not one of ${bench.MESH_SCENARIOS.join(', ')}`);
    process.exit(2);
  }
}
const chosen = only ?? (values.quick ? bench.QUICK_SCENARIOS : bench.MESH_SCENARIOS);

const keep = values.reports ? resolve(values.reports) : undefined;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'bench-mesh-'));
mkdirSync(dir, { recursive: true });

const outcomes = {};
for (const name of bench.MESH_SCENARIOS) {
  if (!chosen.includes(name)) {
    outcomes[name] = { skipped: true };
    continue;
  }
  if (!existsSync(join(root, 'simulator', 'scenarios', `${name}.json`))) {
    process.stderr.write(`${name}: missing (simulator/scenarios/${name}.json is not shipped)\n`);
    outcomes[name] = { missing: true };
    continue;
  }
  const run = simulate(name, name);
  if ('failed' in run) {
    outcomes[name] = run;
    continue;
  }
  if (!bench.HEAD_SCENARIOS.includes(name)) {
    outcomes[name] = run;
    continue;
  }
  // The same scenario cut to its first half: what the second half adds is the steady state.
  const scenario = JSON.parse(readFileSync(join(root, 'simulator', 'scenarios', `${name}.json`), 'utf8'));
  const headFile = join(dir, `${name}-head.scenario.json`);
  writeFileSync(headFile, JSON.stringify({ ...scenario, $schema: undefined, name: `${name}-head`, duration_ms: scenario.duration_ms / 2 }));
  const head = simulate(headFile, `${name}-head`);
  outcomes[name] = 'failed' in head ? head : { report: run.report, head: head.report };
}

/** Runs a scenario (shipped name or file) in its own process; its report or why it failed. */
function simulate(scenario, label) {
  const file = join(dir, `${label}.json`);
  const started = performance.now();
  process.stderr.write(`${label}: running ...`);
  const child = spawnSync(process.execPath, [join(root, 'bin', 'mycelium-sim.mjs'), 'run', scenario, '--quiet', '--report', file], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
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

const rows = bench.meshRows(outcomes);
if (values.json) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const t = new Table({ head: ['case (scenario)', 'our figures', 'target', 'met?'], style: { head: [], border: [] }, colWidths: [30, 62, 24, 6], wordWrap: true });
  for (const r of rows) t.push([`${r.case} (${r.scenario})`, r.figures, r.target, r.met === null ? '–' : r.met ? 'yes' : 'no']);
  console.log(t.toString());
}
