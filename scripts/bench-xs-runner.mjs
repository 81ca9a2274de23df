#!/usr/bin/env node
// The XS runner's cost against the in-process runner (issue 21): runs one scenario with
// `mycelium-sim run --runner inproc`, then `--runner xs` (once per --nodes-per-worker value),
// each in its own process, and prints CPU (user + system of the run's whole process tree), peak
// resident memory (sampled every 100 ms) of the whole tree and of the xsnap workers alone, per
// simulated node, and whether the reports agree (the XS report less its `engine` part must equal
// the in-process one). The workers' figure is what the XS engine adds: the host process holds
// the medium and the report, as the in-process runner does.
//
// The XS runs use the lean worker (scripts/build-xs-worker.mjs) unless --xs-worker package, and
// put host and workers on one core (simulator/xs/same-core.ts) unless MYCELIUM_XS_SAME_CORE=0;
// the table names the build and whether the run kept its core.
//
//   node scripts/bench-xs-runner.mjs [--scenario telemetry-25] [--nodes-per-worker 1,32] [--xs-worker lean|package]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/bench-xs-runner.mjs [--scenario NAME] [--nodes-per-worker N,N…] [--xs-worker lean|package]';
const args = parseCli(usage, {
  scenario: { type: 'string', default: 'telemetry-25' },
  'nodes-per-worker': { type: 'string', default: '1,32' },
  'xs-worker': { type: 'string', default: 'lean' },
});
const perWorker = args.values['nodes-per-worker'].split(',').map(Number);
if (perWorker.some((n) => !Number.isInteger(n) || n < 1)) {
  console.error(usage);
  process.exit(2);
}
/** Targets of issue 21. */
const CPU_TARGET = 5;
const RSS_TARGET_MB = 5;
const TICKS = 100; // USER_HZ: /proc times are in 1/100 s on Linux

/** cutime + cstime of this process: the CPU of every child it has waited for (and theirs). */
function childTicks() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[13]) + Number(fields[14]); // fields 16 and 17 of proc(5)
}

/**
 * Resident kB of `pid` and all its descendants, and of the xsnap workers among them. Only the
 * workers: the run also keeps esbuild's service process (about 50 MB, it bundled the worker)
 * alive as a child, which the workers' figure counted until session 20.
 */
function treeRssKb(pid) {
  const children = new Map();
  const rss = new Map();
  const workers = new Set();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      rss.set(Number(name), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
      // The kernel keeps 15 characters of a process's name: "xsnap-worker" whole.
      if (/^Name:\s+xsnap-worker/m.test(status)) workers.add(Number(name));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  let workersKb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    total += rss.get(p) ?? 0;
    if (workers.has(p)) workersKb += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return { total, workers: workersKb };
}

function runOnce(extra, reportPath) {
  return new Promise((resolve, reject) => {
    const before = childTicks();
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/mycelium-sim.mjs'), 'run', args.values.scenario, '--quiet', '--report', reportPath, ...extra], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    let peakKb = 0;
    let workersKb = 0;
    const sample = setInterval(() => {
      const kb = treeRssKb(child.pid);
      peakKb = Math.max(peakKb, kb.total);
      workersKb = Math.max(workersKb, kb.workers);
    }, 100);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sample);
      if (code !== 0) reject(new Error(`mycelium-sim ${extra.join(' ')} exited with ${code}`));
      else resolve({ cpuS: (childTicks() - before) / TICKS, wallS: (performance.now() - t0) / 1000, peakMb: peakKb / 1024, workersMb: workersKb / 1024 });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'bench-xs-runner-'));
try {
  const inprocPath = join(dir, 'inproc.json');
  const inproc = await runOnce(['--runner', 'inproc'], inprocPath);
  const inprocReport = JSON.parse(readFileSync(inprocPath, 'utf8'));
  const nodes = inprocReport.nodes ?? inprocReport.node_count;
  const perNode = (x) => x / nodes;
  const rows = [];
  rows.push({ runner: 'inproc', ...inproc, same: '–' });
  for (const n of perWorker) {
    const p = join(dir, `xs-${n}.json`);
    const r = await runOnce(['--runner', 'xs', '--nodes-per-worker', String(n), '--xs-worker', args.values['xs-worker']], p);
    const { engine, ...rest } = JSON.parse(readFileSync(p, 'utf8'));
    const same = JSON.stringify(rest) === JSON.stringify(inprocReport);
    rows.push({ runner: `xs, ${n} per worker (${engine.workers} workers, ${engine.worker} build, one core: ${engine.same_core})`, ...r, same: same ? 'yes' : 'NO' });
  }
  console.log(`${args.values.scenario}: ${nodes} nodes; CPU = user + system of the whole process tree; RSS = peak of the tree's sum`);
  console.log('| runner | wall s | CPU s | CPU vs in-process | peak RSS MB (tree) | per node | xsnap workers MB | per node | report = in-process |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    const ratio = r.cpuS / inproc.cpuS;
    const xs = r.runner !== 'inproc';
    console.log(
      `| ${r.runner} | ${r.wallS.toFixed(1)} | ${r.cpuS.toFixed(1)} | ${xs ? `${ratio.toFixed(1)}× ${ratio <= CPU_TARGET ? '✓' : '✗'}` : '1×'} | ` +
        `${r.peakMb.toFixed(0)} | ${perNode(r.peakMb).toFixed(1)} | ` +
        `${xs ? `${r.workersMb.toFixed(0)} | ${perNode(r.workersMb).toFixed(1)} ${perNode(r.workersMb) <= RSS_TARGET_MB ? '✓' : '✗'}` : '– | –'} | ${r.same} |`,
    );
  }
  console.log(`targets (issue 21): CPU ≤ ${CPU_TARGET}× in-process, RSS ≤ ${RSS_TARGET_MB} MB per simulated node (checked on the workers' RSS)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
