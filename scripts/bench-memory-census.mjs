#!/usr/bin/env node
// Which tables grow with the peers (issue 21): a star of N leaves runs in one xsnap-worker
// (bench/memory-census.ts) with every Map and Set noted, and the centre's tables of 8 entries or
// more (those alive after the leaves are cut off and a full collection) are listed with the kinds
// of their first entry. Not part of `npm run bench`: a guide to what the per-peer figure is made
// of (bench-xs-sizes.mjs prints what each kind costs: a Map entry 49 B, …).
//
//   node scripts/bench-memory-census.mjs [--peers 64] [--seconds 30]
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { openXS, xsnapAvailable, xsnapWorkerPath } from '../simulator/xs/xsnap.mjs';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/bench-memory-census.mjs [--peers 64] [--seconds 30]';
const args = parseCli(usage, { peers: { type: 'string', default: '64' }, seconds: { type: 'string', default: '30' } });
const peers = Number(args.values.peers);
const seconds = Number(args.values.seconds);
if (!Number.isInteger(peers) || peers < 1 || !(seconds > 0)) {
  console.error(usage);
  process.exit(2);
}
if (!xsnapAvailable()) {
  console.log(`Memory census: SKIPPED — xsnap-worker not found at ${xsnapWorkerPath()}`);
  process.exit(0);
}
const script = await bundleForXS(join(root, 'bench/memory-census.ts'));
const session = await openXS(script, { name: 'mycelium-memory-census', timeoutMs: 20 * 60_000 });
try {
  const built = JSON.parse((await session.run(JSON.stringify({ op: 'build', peers, seconds }))).output);
  const r = { ...built, ...JSON.parse((await session.run(JSON.stringify({ op: 'census' }))).output) };
  // Group identical descriptions: how many tables of that kind, and their sizes.
  const groups = new Map();
  for (const row of r.rows) {
    const key = `${row.kind} | ${row.key} | ${row.value}`;
    const g = groups.get(key) ?? { ...row, tables: 0, sizes: [] };
    g.tables++;
    g.sizes.push(row.size);
    groups.set(key, g);
  }
  console.log(`\nThe centre's tables of ≥ 8 entries after a ${peers}-leaf star ran ${seconds} s (the centre knows ${r.peers} peers and ${r.routes} routes)`);
  console.log('| tables | entries (largest) | kind | first key | first value |');
  console.log('| ---: | ---: | --- | --- | --- |');
  for (const g of [...groups.values()].sort((a, b) => Math.max(...b.sizes) - Math.max(...a.sizes))) {
    console.log(`| ${g.tables} | ${Math.max(...g.sizes)} | ${g.kind} | ${g.key} | ${g.value} |`);
  }
  console.log(`Command: node scripts/bench-memory-census.mjs --peers ${peers} --seconds ${seconds}`);
} finally {
  await session.close();
}
