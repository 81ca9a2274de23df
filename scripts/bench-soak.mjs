#!/usr/bin/env node
// npm run bench:soak — issue 19's soak (simulator/soak/soak.ts): simulator/scenarios/soak-100.json,
// 100 nodes with 5 % hostile ones for 2 simulated hours. Prints honest delivery, every honest
// node's bounded tables at 10 min and at the end with their growth, and periodic timers lost,
// each beside its target. Options: --nodes N --minutes M (a smaller, shorter run of the same
// scenario), --seed S, --json (the whole result as JSON), --out FILE (the JSON there too, per-node
// tables included, and the tables printed), --wall-limit S (stop after S s of wall time and print
// the figures reached, marked partial; Ctrl-C does the same). Re-runs itself with --expose-gc so the
// heap figures are after a collection.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-soak.mjs [--nodes N] [--minutes M] [--seed S] [--json] [--out FILE] [--wall-limit S]', {
  out: { type: 'string' },
  'wall-limit': { type: 'string' },
  nodes: { type: 'string' },
  minutes: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
});

if (typeof globalThis.gc !== 'function') {
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
  process.exit(child.status ?? 1);
}

const num = (name, text) => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1, not "${text}"`);
    process.exit(2);
  }
  return n;
};
const soak = await importTs(join(root, 'simulator/soak/soak.ts'));
const stop = new AbortController();
const limit = num('wall-limit', values['wall-limit']);
if (limit !== undefined) setTimeout(() => stop.abort(), limit * 1000).unref();
process.once('SIGINT', () => stop.abort());
const wallStart = performance.now();
let lastTenth = 0;
const result = await soak.runSoak({
  scenarioPath: join(root, 'simulator/scenarios/soak-100.json'),
  nodes: num('nodes', values.nodes),
  minutes: num('minutes', values.minutes),
  seed: num('seed', values.seed),
  signal: stop.signal,
  onProgress: (sim, total) => {
    const step = Math.floor((sim / total) * 40);
    if (step > lastTenth) {
      lastTenth = step;
      process.stderr.write(`  ${step * 2.5}% simulated (${Math.round(sim / 60_000)} of ${Math.round(total / 60_000)} min) after ${Math.round((performance.now() - wallStart) / 1000)} s\n`);
    }
  },
});

if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}

const fmt = (n, digits = 0) => (Number.isInteger(n) || digits === 0 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits));
const min = (ms) => `${Math.round(ms / 60_000)} min`;
const r = result.report;
const honest = result.end.nodes.length;
console.log(
  `${result.scenario}: ${result.nodes} nodes (${honest} honest alive at the end, hostile: ${result.hostile.map((h) => `n${h.index}`).join(', ')}), ${result.minutes} simulated min, ${result.wallS.toFixed(0)} s wall`,
);

const summary = new Table({ head: ['figure', 'measured', 'target', 'met?'] });
const ratio = r.delivery_ratio ?? 0;
summary.push(['honest delivery', `${(ratio * 100).toFixed(1)} % (${r.delivered}/${r.sent}), ${r.duplicates} duplicates`, '≥ 95 %', ratio >= 0.95 ? 'yes' : 'no']);
const lost = result.timers.lost;
const byTimer = {};
for (const l of lost) byTimer[l.timer] = (byTimer[l.timer] ?? 0) + 1;
summary.push([
  'periodic timers lost (honest nodes)',
  lost.length === 0 ? `0 (${fmt(result.timers.checks)} node checks)` : `${lost.length} on ${result.timers.nodes} nodes: ${Object.entries(byTimer).map(([t, n]) => `${t} ${n}`).join(', ')}`,
  '0',
  lost.length === 0 ? 'yes' : 'no',
]);
const heapGrowth = result.end.heapUsed - result.early.heapUsed;
summary.push(['process JS heap after gc', `${fmt(result.early.heapUsed / 1048576, 1)} MiB at ${min(result.early.atMs)} → ${fmt(result.end.heapUsed / 1048576, 1)} MiB at the end`, 'flat', '–']);
console.log(summary.toString());

// Tables: mean and max over honest nodes, at 10 min and at the end; growth of the max.
const tables = new Table({ head: ['table (per honest node)', `mean / max at ${min(result.early.atMs)}`, 'mean / max at the end', 'growth of max', 'cap', 'bounded?'] });
let flat = true;
for (const [k, e] of Object.entries(result.early.summary)) {
  const z = result.end.summary[k];
  const growth = z.max - e.max;
  // Bounded: within its cap at the end, or (no cap) the largest node at the end holds no more
  // than 10 % (or 8 entries) above the largest at 10 min.
  const cap = result.caps[k];
  const ok = cap !== undefined && cap !== null ? z.max <= cap : growth <= Math.max(8, e.max * 0.1);
  flat &&= ok;
  tables.push([k.replaceAll('_', ' '), `${fmt(e.mean, 1)} / ${fmt(e.max)}`, `${fmt(z.mean, 1)} / ${fmt(z.max)}`, growth > 0 ? `+${fmt(growth)}` : fmt(growth), cap == null ? 'none' : fmt(cap), ok ? 'yes' : 'no']);
}
console.log(tables.toString());
console.log(`every table bounded (within its cap; a table without one: largest node at the end ≤ largest at ${min(result.early.atMs)} + max(10 %, 8)): ${flat ? 'yes' : 'no'}; heap growth ${fmt(heapGrowth / 1048576, 1)} MiB`);

const attacks = new Table({ head: ['attack', 'episodes', 'what it did'] });
const episodes = {};
for (const h of result.hostile) for (const [a, n] of Object.entries(h.episodes)) episodes[a] = (episodes[a] ?? 0) + n;
for (const h of result.hostile) console.log(`  n${h.index}: ${h.mix.join(', ')}`);
for (const [a, figures] of Object.entries(result.attacks)) {
  attacks.push([a, episodes[a] ?? 0, Object.entries(figures).map(([k, n]) => `${k} ${fmt(n)}`).join('; ')]);
}
console.log(attacks.toString());
if (Object.keys(r.send_failed ?? {}).length) console.log(`honest sends refused at the source: ${JSON.stringify(r.send_failed)}`);
