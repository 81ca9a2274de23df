#!/usr/bin/env node
/**
 * `npm run measure:memory`: what a node's XS heaps hold, for the budget table in docs/firmware.md.
 * Needs the Moddable SDK (skips without MODDABLE) and Xvfb.
 *
 * Builds the instrumented desktop host (`mcconfig -i -m -p lin`: the simulator prints an
 * `instruments:` line every second) and the two mods, then runs three hosts/sim instances (no mod,
 * telemetry, chat) twice: alone (no hub: no peer), and in a mesh (a `mycelium-sim --realtime` run
 * of PEERS in-process nodes in range of each other and of the instances). It prints, per case,
 * the live slots (the low point of "Slot used" late in the run), the size the slot and chunk
 * heaps grew to, and the stack's peak, in slots of 32 bytes (64-bit Linux) — the count an ESP32
 * needs too, at 16 bytes a slot — next to the ESP32 hosts' creation (4,928 slots growing by 512).
 *
 * Options (environment): MYCELIUM_MEMORY_SECONDS (default 60) per phase, MYCELIUM_MEMORY_PEERS
 * (default 5), MYCELIUM_MEMORY_BUILD=DIR reuses an instrumented build made with `-o DIR` (its
 * hubPort is read from its mc.config.js).
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from './lib/local-resources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.MYCELIUM_MEMORY_SECONDS ?? 60);
const PEERS = Number(process.env.MYCELIUM_MEMORY_PEERS ?? 5);
const CASES = ['', 'telemetry', 'chat'];
const SLOT = { lin: 32, esp32: 16 };
const BUDGET = { heap: 4928, heapIncrement: 512 }; // hosts/*/manifest.json and the PLUS2 target

const MODDABLE = process.env.MODDABLE;
if (!MODDABLE) {
  console.log('measure:memory: SKIPPED — MODDABLE is not set (see docs/firmware.md, Build).');
  process.exit(0);
}
const sdkBin = join(MODDABLE, 'build', 'bin', 'lin', 'release');
const userPath = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.split(sep).includes('node_modules'));
const env = { ...process.env, PATH: [sdkBin, ...userPath].join(delimiter) };
delete env.DBUS_SESSION_BUS_ADDRESS; // a session bus would make a second mcsim hand its app to the first

const work = mkdtempSync(join(tmpdir(), 'mycelium-memory-'));
const children = [];
let code = 0;
try {
  const started = Date.now();
  const { so, hubPort } = process.env.MYCELIUM_MEMORY_BUILD ? reuse(process.env.MYCELIUM_MEMORY_BUILD) : build(await freeUdpPort());
  const mods = CASES.map((app) => (app ? buildMod(app) : undefined));
  console.log(`measure:memory: built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const display = await startDisplay();
  const alone = await runInstances(so, mods, display, 'alone', hubPort);
  const mesh = await runInstances(so, mods, display, 'mesh', hubPort);
  printTable(alone, mesh);
} catch (e) {
  console.error(`measure:memory: ${e.message}`);
  code = 1;
} finally {
  for (const c of children.reverse()) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

function build(hubPort) {
  const out = join(work, 'ibuild');
  mkdirSync(out, { recursive: true });
  const args = ['-i', '-m', '-p', 'lin', '-o', out, 'hosts/sim/manifest.json', `hubPort=${hubPort}`];
  console.log(`measure:memory: mcconfig ${args.join(' ')}`);
  const log = run(join(sdkBin, 'mcconfig'), args);
  const preload = /### (\d+) instances, (\d+) keys/.exec(log);
  if (preload) console.log(`measure:memory: preloaded into flash (xsl): ${preload[1]} instances, ${preload[2]} keys`);
  return { so: join(out, 'bin', 'lin', 'mc', 'instrument', 'sim', 'mc.so'), hubPort };
}

function reuse(dir) {
  const so = join(dir, 'bin', 'lin', 'mc', 'instrument', 'sim', 'mc.so');
  const config = readFileSync(join(dir, 'tmp', 'lin', 'mc', 'instrument', 'sim', 'mc.config.js'), 'utf8');
  const hubPort = Number(/"hubPort":\s*"?(\d+)/.exec(config)?.[1]);
  if (!existsSync(so) || !hubPort) throw new Error(`no instrumented hosts/sim build with a hubPort in ${dir}`);
  return { so, hubPort };
}

function buildMod(app) {
  const out = join(work, app);
  mkdirSync(out, { recursive: true });
  run(join(sdkBin, 'mcrun'), ['-m', '-p', 'lin', '-o', out, '-t', 'build', `mods/${app}/manifest.json`]);
  return join(out, 'bin', 'lin', 'mc', 'release', app, 'mc.xsa');
}

async function startDisplay() {
  if (process.env.DISPLAY) return process.env.DISPLAY;
  let n = 90;
  while (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) n++;
  children.push(spawn('Xvfb', [`:${n}`, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
  await waitFor(() => existsSync(`/tmp/.X11-unix/X${n}`), 10_000);
  return `:${n}`;
}

/**
 * The three instances for SECONDS; `mesh` with a simulator run of PEERS nodes on the hub port
 * (alone: nobody listens there). Per instance: the last `instruments:` sample, the stack's peak.
 */
async function runInstances(so, mods, display, phase, hubPort) {
  let sim;
  await portIsFree(hubPort); // alone must mean alone; the mesh must be ours
  if (phase === 'mesh') {
    const scenario = join(work, 'mesh.json');
    writeFileSync(
      scenario,
      JSON.stringify({
        name: 'memory-mesh',
        seed: 1,
        duration_ms: (SECONDS + 30) * 1000,
        interface: 'espnow',
        radio: { model: 'unit-disk', range: 100 },
        topology: { line: { n: PEERS, spacing: 15 } },
        traffic: [],
        apps: [
          { app: 'telemetry', nodes: 'all', options: { interval_s: 10 } },
          { app: 'chat', nodes: 'all', options: { announce_s: 20 } },
        ],
      }),
    );
    sim = spawn(process.execPath, [join(root, 'bin', 'mycelium-sim.mjs'), 'run', scenario, '--realtime', '--hub-port', String(hubPort), '--quiet'], { cwd: root, stdio: 'ignore' });
    children.push(sim);
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
  const outputs = CASES.map(() => '');
  const procs = CASES.map((_, i) => {
    const xdg = join(work, `${phase}-xdg${i}`);
    mkdirSync(xdg, { recursive: true });
    const args = ['-oL', join(sdkBin, 'mcsim'), join(root, 'hosts', 'sim', 'device'), so, ...(mods[i] ? [mods[i]] : [])];
    const p = spawn('stdbuf', args, { env: { ...env, DISPLAY: display, XDG_CONFIG_HOME: xdg }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    p.stdout.on('data', (d) => (outputs[i] += d));
    p.stderr.on('data', (d) => (outputs[i] += d));
    return p;
  });
  console.log(`measure:memory: ${phase}: ${CASES.length} instances for ${SECONDS} s${phase === 'mesh' ? `, ${PEERS} simulated peers` : ''}`);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  for (const p of procs) p.kill('SIGTERM');
  sim?.kill('SIGTERM');
  return outputs.map((o, i) => ({ app: CASES[i] || 'no mod', ...parse(o, CASES[i]) }));
}

function parse(output, app) {
  const key = /^instruments key: (.*)$/m.exec(output)?.[1].split(',');
  const samples = [...output.matchAll(/^instruments: (.*)$/gm)].map((m) => m[1].split(',').map(Number));
  if (/XS abort/.test(output)) throw new Error(`an instance aborted:\n${output.slice(-2000)}`);
  if (!key || samples.length === 0) throw new Error(`no instruments: lines (is it an -i build?):\n${output.slice(-2000)}`);
  if (app && !output.includes(`app ${app} running`)) throw new Error(`the ${app} mod did not start:\n${output.slice(-2000)}`);
  const col = (name) => key.indexOf(name);
  const last = samples.at(-1);
  // "used" includes garbage until the next collection: its low point over the last third of the
  // run is the live set; "available" is the heap the collector let grow, what a device must hold.
  const recent = samples.slice(-Math.max(1, Math.floor(samples.length / 3)));
  const status = output.split('\n').filter((l) => l.startsWith('status: ')).at(-1) ?? '';
  return {
    live: Math.min(...recent.map((x) => x[col('Slot used')])) / SLOT.lin,
    slots: last[col('Slot available')] / SLOT.lin,
    chunk: last[col('Chunk available')],
    stackPeak: Math.max(...samples.map((s) => s[col('Stack used')])) / SLOT.lin,
    keys: last[col('Keys used')],
    peers: Number(/peers=(\d+)/.exec(status)?.[1] ?? 0),
  };
}

function printTable(alone, mesh) {
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const kb = (slots) => `${(slots * SLOT.esp32 / 1024).toFixed(0)} KB`;
  console.log(`\n| node | peers | live slots | slot heap grown to | on an ESP32 | chunk heap (lin) | stack peak (slots) | keys |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [phase, rows] of [['alone', alone], ['mesh', mesh]]) {
    for (const r of rows) {
      console.log(`| ${r.app}, ${phase} | ${r.peers} | ${n(r.live)} | ${n(r.slots)} | ${kb(r.slots)} | ${n(r.chunk)} B | ${n(r.stackPeak)} | ${r.keys} |`);
    }
  }
  const worst = Math.max(...mesh.map((r) => r.slots));
  const grows = Math.max(0, Math.ceil((worst - BUDGET.heap) / BUDGET.heapIncrement));
  console.log(`\nESP32 hosts start at ${n(BUDGET.heap)} slots (${kb(BUDGET.heap)}) and grow by ${BUDGET.heapIncrement}: the largest case, ${n(worst)} slots, needs ${grows} increment(s).`);
}

function portIsFree(port) {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => reject(new Error(`UDP port ${port} (the build's hubPort) is in use: another simulator run?`)));
    s.bind(port, '127.0.0.1', () => s.close(resolve));
  });
}

async function waitFor(condition, ms) {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 250));
  return condition();
}
