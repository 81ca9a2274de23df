#!/usr/bin/env node
// npm run bench:energy — issue 18's battery targets with our figures beside each, and radio-on,
// average current and battery days per role (routing node, sleepy leaf) per scenario
// (bench/energy-targets.ts). Each shipped scenario runs in its own `mycelium-sim run` process;
// one not shipped shows as "missing". Options: --seed N, --json, --reports DIR.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-energy.mjs [--seed N] [--json] [--reports DIR]', {
  seed: { type: 'string' },
  json: { type: 'boolean' },
  reports: { type: 'string' },
});
const bench = await importTs(join(root, 'bench/energy-targets.ts'));
const dir = values.reports ? resolve(values.reports) : mkdtempSync(join(tmpdir(), 'bench-energy-'));
mkdirSync(dir, { recursive: true });

const runs = {};
for (const name of bench.ENERGY_SCENARIOS) {
  const file = join(root, 'simulator', 'scenarios', `${name}.json`);
  if (!existsSync(file)) {
    process.stderr.write(`${name}: missing (simulator/scenarios/${name}.json is not shipped)\n`);
    continue;
  }
  const out = join(dir, `${name}.json`);
  process.stderr.write(`${name}: running ...\n`);
  const args = [join(root, 'bin', 'mycelium-sim.mjs'), 'run', name, '--quiet', '--report', out];
  if (values.seed) args.push('--seed', values.seed);
  const child = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.status !== 0 || !existsSync(out)) {
    process.stderr.write(`${name}: failed: ${(child.stderr ?? '').trim().split('\n').pop()}\n`);
    continue;
  }
  runs[name] = { report: JSON.parse(readFileSync(out, 'utf8')), scenario: JSON.parse(readFileSync(file, 'utf8')) };
}

const targets = bench.targetRows(runs);
const roles = Object.values(runs).flatMap((r) => bench.roleRows(r.report, r.scenario));
if (values.json) {
  console.log(JSON.stringify({ targets, roles }, null, 2));
} else {
  const t = new Table({ head: ['case', 'scenario', 'ours', 'target', 'met'] });
  for (const r of targets) t.push([r.case, r.scenario, r.figures, r.target, r.met === null ? '—' : r.met ? 'yes' : 'NO']);
  console.log(t.toString());
  const battery = Object.values(runs)[0]?.report.radio.battery_mah ?? 200;
  const e = new Table({ head: ['scenario', 'role', 'nodes', 'radio-on mean / max', 'avg current', `battery days (${battery} mAh), median`] });
  for (const r of roles) {
    e.push([r.scenario, r.role, r.nodes, `${(100 * r.radioOnMean).toFixed(1)} % / ${(100 * r.radioOnMax).toFixed(1)} %`, `${r.avgCurrentMa.toFixed(2)} mA`, r.batteryDaysMedian.toFixed(3)]);
  }
  console.log(e.toString());
}
