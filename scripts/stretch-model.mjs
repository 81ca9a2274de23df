#!/usr/bin/env node
// node scripts/stretch-model.mjs — the offline short-path model (bench/stretch-model.ts): stretch on
// random geometric meshes for routing choices, in seconds. Options: --nodes N (1000), --seed S (1),
// --rounds R (8), --variants JSON (a list of option overrides; default: the comparison in
// docs/routing.md "Landmarks").
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/stretch-model.mjs [--nodes N] [--seed S] [--rounds R] [--variants JSON]', {
  nodes: { type: 'string' },
  seed: { type: 'string' },
  rounds: { type: 'string' },
  variants: { type: 'string' },
});
const { model } = await importTs(join(root, 'bench/stretch-model.ts'));
const n = Number(values.nodes ?? 1000);
const base = { n, seed: Number(values.seed ?? 1), rounds: Number(values.rounds ?? 8), flows: Math.max(1, Math.min(200, Math.round(n / 5))) };
const variants = values.variants ? JSON.parse(values.variants) : [
  { label: 'greedy tree routing', short: false, landmarkEvery: 0 },
  { label: 'short paths, no landmarks', landmarkEvery: 0 },
  { label: 'short paths, 1,024 learnt paths', landmarkEvery: 0, learnedCap: 1024 },
  { label: 'short paths, 64 neighbour addresses', landmarkEvery: 0, reachCap: 64 },
  { label: 'landmarks every 4, radius 3', landmarkRadius: 3 },
  { label: 'landmarks every 4, radius 4', landmarkRadius: 4 },
  { label: 'landmarks every 4, radius 5 (shipped)' },
  { label: 'landmarks every 4, radius 6', landmarkRadius: 6 },
  { label: 'landmarks every 3, radius 5', landmarkEvery: 3 },
  { label: 'landmarks every 5, radius 5', landmarkEvery: 5 },
];
console.log(`${n} nodes, seed ${base.seed}, ${base.flows} flows × ${base.rounds} rounds there and back`);
for (const v of variants) {
  const { label, ...o } = v;
  const r = model({ ...base, ...o });
  const kinds = Object.entries(r.kinds).map(([k, c]) => `${k} ${c}`).join(', ');
  console.log(`${(label ?? JSON.stringify(o)).padEnd(40)} stretch ${r.stretch.toFixed(3)} (first round ${r.perRound[0].toFixed(3)}, last ${r.perRound.at(-1).toFixed(3)}); shortest ${r.meanShortest.toFixed(1)} hops; landmarks ${r.landmarkEntries.toFixed(1)} per list, ${r.landmarkBytes.toFixed(0)} B; hops: ${kinds}`);
}
