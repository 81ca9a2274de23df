#!/usr/bin/env node
// Packager reliability figures (not a test): seeded trials over the in-memory medium with
// independent frame loss (bench/reliability.ts). Prints a table. The committed
// bench/reliability.json is rewritten only with --write (npm run bench:write); --out FILE saves
// the JSON elsewhere.
//
//   node scripts/bench-reliability.mjs [--trials 200] [--seed 1] [--write | --out FILE]
import { writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { importTs } from '../simulator/cli/run-ts.mjs';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/bench-reliability.mjs [--trials 200] [--seed 1] [--write | --out FILE]';
const COMMITTED = join(root, 'bench/reliability.json');
const args = parseCli(usage, {
  trials: { type: 'string', default: '200' },
  seed: { type: 'string', default: '1' },
  write: { type: 'boolean' },
  out: { type: 'string' },
});
const trials = Number(args.values.trials);
const seed = Number(args.values.seed);
if ((args.values.write && args.values.out) || !(Number.isInteger(trials) && trials > 0) || !Number.isInteger(seed)) {
  console.error(usage);
  process.exit(2);
}

const { runReliability } = await importTs(join(root, 'bench/reliability.ts'));
/** The bar of issue 3: delivered exactly once in at least 99 % of trials, never twice, never corrupted. */
const BAR = 0.99;
const scenarios = [
  { id: 'direct-10k-30loss', label: '10 KB unicast, 1 hop, 30 % loss', bytes: 10_000, loss: 0.3, hops: 1 },
  { id: 'routed-2k-3hop-10loss', label: '2 KB routed, 3 hops, 10 % loss/hop', bytes: 2_000, loss: 0.1, hops: 3 },
];
const variants = [
  { id: 'ours', label: 'ours (ack every fragment)', askEveryFragment: true },
  { id: 'upstream-acks', label: 'upstream ack sampling (0, mid, last)', askEveryFragment: false },
];

const rows = [];
for (const s of scenarios) {
  for (const v of variants) {
    const started = performance.now();
    const figures = runReliability({
      trials,
      bytes: s.bytes,
      loss: s.loss,
      hops: s.hops,
      seed,
      windowMs: 180_000,
      askEveryFragment: v.askEveryFragment,
      onTrial: (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${s.label} — ${v.label}: ${done}/${total}`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    const wallMs = performance.now() - started;
    rows.push({ scenario: s.id, variant: v.id, ...figures, wallMs: Math.round(wallMs) });
  }
}

const table = new Table({
  head: ['scenario', 'variant', 'exactly once', 'dup', 'corrupt', 'lost', 'data frames ÷ min', 'all frames ÷ min', 'mean / max delivery'],
});
for (const r of rows) {
  const s = scenarios.find((x) => x.id === r.scenario);
  const v = variants.find((x) => x.id === r.variant);
  const pass = r.exactlyOnceRatio >= BAR && r.duplicated === 0 && r.corrupted === 0;
  table.push([
    s.label,
    v.label,
    `${(r.exactlyOnceRatio * 100).toFixed(1)} % ${pass ? '✓' : '✗'}`,
    r.duplicated,
    r.corrupted,
    r.lost,
    r.dataOverhead.toFixed(2),
    r.allFramesOverhead.toFixed(2),
    `${(r.meanDeliveryMs / 1000).toFixed(1)} s / ${(r.maxDeliveryMs / 1000).toFixed(1)} s`,
  ]);
}
console.log(`Packager reliability: ${trials} seeded trials per row (seed ${seed}), simulated time, in-memory medium`);
console.log(table.toString());
const ours = rows.filter((r) => r.variant === 'ours');
const ok = ours.every((r) => r.exactlyOnceRatio >= BAR && r.duplicated === 0 && r.corrupted === 0);
console.log(ok ? `bar met: every "ours" row delivers exactly once in ≥ ${BAR * 100} % of trials` : 'BAR NOT MET');
const out = args.values.write ? COMMITTED : args.values.out;
if (out) {
  writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), trials, seed, rows }, null, 2) + '\n');
  console.log(`wrote ${relative(process.cwd(), out) || out}`);
} else {
  console.log(`not saved: --write updates ${relative(process.cwd(), COMMITTED)}, --out FILE writes elsewhere`);
}
process.exitCode = ok ? 0 : 1;
