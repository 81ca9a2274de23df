#!/usr/bin/env node
// npm run bench:sf — issue 23's store-and-forward targets beside the figures (docs/store-forward.md).
// Runs the shipped scenarios sf-away-50, sf-partition-grid and sf-flood through the simulator,
// one process per run (sequential: runs are CPU-bound), for each seed asked, and the MQTT gateway
// test (a real mosquitto restarted mid-run) when mosquitto is installed.
// Options: --seeds 1-5 (default: each scenario's own seed), --only away|partition|flood|mqtt (repeatable).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/bench-sf.mjs [--seeds 1-5] [--only away|partition|flood|mqtt]...', {
  seeds: { type: 'string' },
  only: { type: 'string', multiple: true },
});

function parseSeeds(text) {
  if (!text) return [undefined];
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) {
    console.error(`--seeds must look like 3 or 1-5, not "${text}"`);
    process.exit(2);
  }
  const out = [];
  for (let s = Number(m[1]); s <= Number(m[2] ?? m[1]); s++) out.push(s);
  return out;
}

const seeds = parseSeeds(values.seeds);
const want = (k) => !values.only || values.only.includes(k);
const dir = mkdtempSync(join(tmpdir(), 'bench-sf-'));
const pct = (x) => `${(x * 100).toFixed(1)} %`;

/** The report's store_forward section of one run, or an error line. */
function run(scenario, seed) {
  const out = join(dir, `${scenario}-${seed ?? 'own'}.json`);
  process.stderr.write(`running ${scenario}${seed === undefined ? '' : ` seed ${seed}`} ...\n`);
  const args = [join(root, 'bin/mycelium-sim.mjs'), 'run', scenario, '--quiet', '--report', out, ...(seed === undefined ? [] : ['--seed', String(seed)])];
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(out)) return { error: `exit ${r.status}` };
  const report = JSON.parse(readFileSync(out, 'utf8'));
  return { seed: report.seed, sf: report.store_forward };
}

/** One row per seed: the figure, and whether it meets the target. */
function rows(scenario, figure) {
  return seeds.map((seed) => {
    const r = run(scenario, seed);
    if (r.error || !r.sf) return { seed: seed ?? '?', text: `run failed (${r.error ?? 'no store_forward section'})`, met: false };
    return { seed: r.seed, ...figure(r.sf) };
  });
}

const held = (sf) => ({
  text: `${sf.delivered_after_return} of ${sf.held} held delivered after return (${pct(sf.held_delivery_ratio)}), ${sf.duplicates} duplicates, ${sf.expired} expired, ${sf.outstanding} outstanding`,
  met: sf.held_delivery_ratio >= 0.99 && sf.duplicates === 0,
});

function flood(sf) {
  const honest = sf.by_traffic['1'] ?? { held: 0, delivered_after_return: 0 };
  const cap = 32; // sf-flood runs the default store (STORE_FORWARD_DEFAULTS.store_count)
  return {
    text: `store peak ${sf.storage_peak.count} bundles / ${sf.storage_peak.bytes} B (cap ${cap}); honest ${honest.delivered_after_return} of ${honest.held} delivered after return; ${sf.evicted} evicted, ${sf.duplicates} duplicates`,
    met: sf.storage_peak.count <= cap && honest.delivered_after_return === honest.held && sf.duplicates === 0,
  };
}

function mqtt() {
  const mosquitto = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((p) => existsSync(p)) || spawnSync('sh', ['-c', 'command -v mosquitto']).status === 0;
  if (!mosquitto) return [{ seed: '-', text: 'skipped: mosquitto not installed', met: undefined }];
  process.stderr.write('running the MQTT gateway test (mosquitto restarted mid-run) ...\n');
  const json = join(dir, 'mqtt.json');
  const jest = join(root, 'node_modules/jest/bin/jest.js');
  spawnSync(process.execPath, ['--experimental-vm-modules', jest, 'tests/linux/mqtt-gateway.test.ts', '--json', '--outputFile', json], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  if (!existsSync(json)) return [{ seed: '-', text: 'the MQTT test did not run', met: false }];
  const results = JSON.parse(readFileSync(json, 'utf8')).testResults.flatMap((f) => f.assertionResults);
  const t = results.find((a) => a.title.includes('broker restart'));
  if (!t) return [{ seed: '-', text: 'the broker-restart test was not found', met: false }];
  if (t.status !== 'passed') return [{ seed: '-', text: `broker-restart test ${t.status}: ${(t.failureMessages[0] ?? '').split('\n')[0]}`, met: false }];
  // The test sends 50 messages, 30 of them while the broker is down, and passes only when all 50 reach a subscriber.
  return [{ seed: '-', text: '50 of 50 messages published, 30 sent while the broker was down (queue bound 100): 0 lost', met: true }];
}

const cases = [
  want('away') && { name: '50 nodes, 20 % off 5–20 min, a message to each every minute, lifetime 1 h', target: '≥ 99 % delivered after return, 0 duplicates', rows: () => rows('sf-away-50', held) },
  want('partition') && { name: 'partition of a 6 × 6 grid for 10 min, messages across', target: '≥ 99 % delivered after heal', rows: () => rows('sf-partition-grid', held) },
  want('flood') && { name: 'storage under a flood of held messages', target: 'bounded per node; honest traffic delivered', rows: () => rows('sf-flood', flood) },
  want('mqtt') && { name: 'MQTT gateway, broker restarted mid-run', target: '0 messages lost within the queue bound', rows: mqtt },
].filter(Boolean);

const table = new Table({ head: ['case', 'target', 'seed', 'figure', 'met'], colWidths: [34, 26, 6, 70, 6], wordWrap: true });
let allMet = true;
for (const c of cases) {
  const rs = c.rows();
  rs.forEach((r, i) => {
    if (r.met === false) allMet = false;
    table.push([i === 0 ? c.name : '', i === 0 ? c.target : '', String(r.seed), r.text, r.met === undefined ? '—' : r.met ? 'yes' : 'NO']);
  });
}
rmSync(dir, { recursive: true, force: true });
console.log(table.toString());
process.exitCode = allMet ? 0 : 1;
