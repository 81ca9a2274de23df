#!/usr/bin/env node
// npm run bench:sim — simulator scale and routing figures (bench/sim-scale.ts). Each case runs
// in its own process so that peak RSS is that case's. Options: --quick (small cases only),
// --case N:MIN (one case, e.g. 1000:30).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-sim.mjs [--quick] [--case NODES:MINUTES] [--child]', {
  quick: { type: 'boolean' },
  case: { type: 'string' },
  child: { type: 'boolean' },
});

const parseCase = (text) => {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!m) {
    console.error(`--case must look like 1000:30 (nodes:minutes), not "${text}"`);
    process.exit(2);
  }
  const nodes = Number(m[1]);
  const minutes = Number(m[2]);
  // Traffic once the tree has had time to form: half the run, at most 10 minutes in.
  return { nodes, minutes, trafficFromMinute: Math.min(10, Math.floor(minutes / 2)) };
};

if (values.child) {
  // One case, JSON on stdout, progress on stderr.
  const bench = await importTs(join(root, 'bench/sim-scale.ts'));
  const c = parseCase(values.case);
  let lastTenth = 0;
  const result = await bench.runCase(c, (sim, total) => {
    const tenth = Math.floor((sim / total) * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`  ${c.nodes} nodes × ${c.minutes} min: ${tenth * 10}% simulated\n`);
    }
  });
  const { per_node: _perNode, flows: _flows, ...summary } = result.report;
  process.stdout.write(JSON.stringify({ ...result, report: summary }));
  process.exit(0);
}

const cases = values.case ? [values.case] : values.quick ? ['100:5', '300:5'] : ['100:5', '300:5', '1000:5', '1000:30', '10000:5'];
const rows = [];
for (const text of cases) {
  process.stderr.write(`running ${text.replace(':', ' nodes × ')} min ...\n`);
  const child = spawnSync(process.execPath, ['--max-old-space-size=16384', fileURLToPath(import.meta.url), '--child', '--case', text], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    console.error(`case ${text} failed (exit ${child.status}${child.signal ? `, ${child.signal}` : ''})`);
    continue;
  }
  const row = JSON.parse(child.stdout);
  rows.push(row);
  // Each case's figures as soon as it ends: the big cases take minutes.
  process.stderr.write(`${JSON.stringify(brief(row))}\n`);
}

function brief(r) {
  const m = r.report.by_metric ?? {};
  return {
    nodes: r.nodes,
    minutes: r.minutes,
    wall_s: Number(r.wallS.toFixed(1)),
    peak_rss_mib: Math.round(r.peakRssMiB),
    converged_ms: r.report.converged_ms,
    roots_at_end: r.report.roots_at_end,
    dTree: m.dTree && { delivery: m.dTree.delivery_ratio, stretch: m.dTree.stretch_mean },
    dCPL: m.dCPL && { delivery: m.dCPL.delivery_ratio, stretch: m.dCPL.stretch_mean },
    drops: r.report.drops.packager,
  };
}

const pct = (x) => `${(x * 100).toFixed(2)} %`;
const t = new Table({
  head: ['nodes', 'sim min', 'wall s', 'wall ms per node·sim-min', 'peak RSS MiB', 'converged', 'roots', 'dTree deliv / stretch', 'dCPL deliv / stretch', 'ctrl B/node/min'],
  style: { head: [], border: [] },
});
for (const r of rows) {
  const m = r.report.by_metric ?? {};
  const fmt = (k) => (m[k] ? `${pct(m[k].delivery_ratio)} / ${m[k].stretch_mean}` : '-');
  t.push([
    r.nodes,
    r.minutes,
    r.wallS.toFixed(1),
    ((r.wallS * 1000) / (r.nodes * r.minutes)).toFixed(2),
    r.peakRssMiB.toFixed(0),
    r.report.converged_ms === null ? 'never' : `${(r.report.converged_ms / 1000).toFixed(0)} s`,
    r.report.roots_at_end,
    fmt('dTree'),
    fmt('dCPL'),
    r.report.control_bytes_per_node_per_min.toFixed(0),
  ]);
}
console.log(t.toString());
console.log('wall ms per node·sim-min stays flat when wall time grows linearly with nodes × simulated time.');
