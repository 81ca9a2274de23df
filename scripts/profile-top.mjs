#!/usr/bin/env node
// Where a `node --cpu-prof` profile spent its time: the top functions by self and by total time,
// and self time by source module of the simulator's esbuild bundles (their `// path` markers),
// which says which file of modules/ or simulator/ a cost belongs to. E.g.
//   nice -n 10 node --expose-gc --max-old-space-size=16384 --cpu-prof --cpu-prof-dir=/tmp/p \
//     scripts/bench-sim.mjs --child --case 1000:4 > /tmp/r.json
//   node scripts/profile-top.mjs /tmp/p/*.cpuprofile --top 30
// (`--child` runs the case in this process, so the profile is the simulation's.) --lines NAME:
// the hottest lines of the functions named NAME (from the profile's position ticks). --groups:
// self time by part (protocol: modules/ by folder; simulator by folder; GC; the rest) and total
// time by source file (a sample counts once for every file on its stack: e.g. everything a
// hello's receipt cost, under apps/hello.ts), which splits the protocol's cost by app and table.
import { readFileSync } from 'node:fs';
import { parseCli } from './lib/cli.mjs';

const { values, positionals } = parseCli('usage: node scripts/profile-top.mjs FILE.cpuprofile [--top N] [--lines FUNCTION] [--groups]', {
  top: { type: 'string' },
  lines: { type: 'string' },
  groups: { type: 'boolean' },
}, { allowPositionals: true });
if (positionals.length !== 1) {
  console.error('usage: node scripts/profile-top.mjs FILE.cpuprofile [--top N] [--lines FUNCTION] [--groups]');
  process.exit(2);
}
const top = Number(values.top ?? 30);
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

/** Sampled time (µs) per profile node. */
const timeOf = new Map();
for (let i = 0; i < profile.samples.length; i++) timeOf.set(profile.samples[i], (timeOf.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...timeOf.values()].reduce((a, b) => a + b, 0);

/** A bundle's module markers (line, path), read once per file. */
const markers = new Map();
function moduleOf(url, line) {
  if (!url) return '(native or VM)';
  if (!url.startsWith('file:') || !url.includes('mycelium-ts')) return url.replace(/^.*\//, '');
  if (!markers.has(url)) {
    const list = [];
    readFileSync(new URL(url), 'utf8').split('\n').forEach((text, i) => {
      if (/^\/\/ [\w@.-].*\.[cm]?[jt]s$/.test(text)) list.push([i, text.slice(3)]);
    });
    markers.set(url, list);
  }
  let found = '(bundle)';
  for (const [at, path] of markers.get(url)) {
    if (at > line) break;
    found = path;
  }
  return found;
}

const name = (n) => n.callFrame.functionName || '(anonymous)';
// The line is the bundle's (node_modules/.cache/mycelium-ts/*.mjs), for --lines.
const label = (n) => `${name(n)}  ${moduleOf(n.callFrame.url, n.callFrame.lineNumber)} (line ${n.callFrame.lineNumber + 1})`;

const self = new Map();
const byModule = new Map();
for (const n of profile.nodes) {
  const t = timeOf.get(n.id) ?? 0;
  self.set(label(n), (self.get(label(n)) ?? 0) + t);
  const m = n.callFrame.url ? moduleOf(n.callFrame.url, n.callFrame.lineNumber) : name(n);
  byModule.set(m, (byModule.get(m) ?? 0) + t);
}
// Total: each sample counts once for every function on its stack (recursion once).
const inclusive = new Map();
for (const [id, t] of timeOf) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const k = label(nodes.get(at));
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + t);
  }
}

function print(title, table) {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [k, t] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((t / total) * 100).toFixed(1).padStart(5)} % ${(t / 1e6).toFixed(2).padStart(8)} s  ${k}`);
}

if (values.lines) {
  const ticks = new Map();
  let url;
  for (const n of profile.nodes) {
    if (name(n) !== values.lines) continue;
    url = n.callFrame.url;
    for (const p of n.positionTicks ?? []) ticks.set(p.line, (ticks.get(p.line) ?? 0) + p.ticks);
  }
  const source = url?.startsWith('file:') ? readFileSync(new URL(url), 'utf8').split('\n') : [];
  const all = [...ticks.values()].reduce((a, b) => a + b, 0);
  console.log(`hottest lines of ${values.lines} (inlined callees show as their own lines)`);
  for (const [line, t] of [...ticks].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((t / all) * 100).toFixed(0).padStart(4)} % ${String(line).padStart(6)}: ${(source[line - 1] ?? '').trim().slice(0, 120)}`);
} else if (values.groups) {
  // Self time by part: a file of modules/ or simulator/ by its folder, the collector apart.
  const partOf = (m) => {
    const dir = /^(modules\/[\w-]+\/[\w-]+|modules\/[\w-]+|simulator\/[\w-]+|bench|scripts)\//.exec(m);
    if (dir) return `${dir[1].startsWith('modules') ? 'protocol' : 'simulator'}: ${dir[1]}`;
    return m === '(garbage collector)' ? m : 'other (Node, V8, hashing)';
  };
  const parts = new Map();
  for (const [m, t] of byModule) parts.set(partOf(m), (parts.get(partOf(m)) ?? 0) + t);
  const sides = new Map();
  for (const [p, t] of parts) sides.set(p.replace(/:.*/, ''), (sides.get(p.replace(/:.*/, '')) ?? 0) + t);
  print('self time by side', sides);
  print('self time by part', parts);
  const byFile = new Map();
  for (const [id, t] of timeOf) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parentOf.get(at)) {
      const n = nodes.get(at);
      const f = n.callFrame.url ? moduleOf(n.callFrame.url, n.callFrame.lineNumber) : name(n);
      if (seen.has(f)) continue;
      seen.add(f);
      byFile.set(f, (byFile.get(f) ?? 0) + t);
    }
  }
  print('total time by source file', byFile);
} else {
  print('self time', self);
  print('total time', inclusive);
  print('self time by module', byModule);
}
