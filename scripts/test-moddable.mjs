#!/usr/bin/env node
/**
 * `npm run test:moddable`: checks that need the Moddable SDK. Skips (exit 0) when MODDABLE is
 * unset. Otherwise:
 *   1. builds hosts/probe (root manifest + modules/espnow + modules/sleep) for the desktop
 *      simulator with `mcconfig -m -p lin` into a temporary directory outside the project, and
 *      fails on a build error or on any `### warning` of the XS linker (preload must be clean);
 *   2. if a display or Xvfb is available, runs it headless in mcsim for a few seconds against a
 *      small stand-in hub (below), and checks the lines the probe traces.
 * Node built-ins only. Set MYCELIUM_KEEP_BUILD=1 to keep the temporary directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hostDir = join(root, 'hosts', 'probe');
const RUN_SECONDS = 20; // upper bound; the probe says "done" after about 1 s

const MODDABLE = process.env.MODDABLE;
if (!MODDABLE) {
  console.log('test:moddable: SKIPPED — MODDABLE is not set.');
  console.log('  Install the Moddable SDK as Moddable documents it (documentation/Moddable SDK - Getting Started.md');
  console.log('  in the SDK), then: export MODDABLE=/path/to/moddable PATH=$MODDABLE/build/bin/lin/release:$PATH');
  process.exit(0);
}

const sdkBin = join(MODDABLE, 'build', 'bin', 'lin', 'release');
const mcconfig = join(sdkBin, 'mcconfig');
const mcsim = join(sdkBin, 'mcsim');
if (!existsSync(mcconfig)) {
  console.error(`test:moddable: ${mcconfig} not found — build the SDK's Linux tools first (see its Getting Started guide).`);
  process.exit(1);
}

// mcconfig's makefile runs `tsc` by name: the project's TypeScript first, then the SDK tools.
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), sdkBin, process.env.PATH ?? ''].join(delimiter) };
// A session bus would let this mcsim hand its app to another running mcsim and exit.
delete env.DBUS_SESSION_BUS_ADDRESS;

const failures = [];
const work = mkdtempSync(join(tmpdir(), 'mycelium-moddable-'));
let hub;
let xvfb;
let sim;

try {
  hub = await startStandInHub();
  build(hub.port);
  if (failures.length === 0) await run(hub);
} finally {
  sim?.kill('SIGTERM');
  xvfb?.kill('SIGTERM');
  hub?.socket.close();
  if (process.env.MYCELIUM_KEEP_BUILD) console.log(`test:moddable: build kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

if (failures.length) {
  console.error(`test:moddable: FAILED\n  - ${failures.join('\n  - ')}`);
  process.exit(1);
}
console.log('test:moddable: OK');

function build(hubPort) {
  const args = [join(hostDir, 'manifest.json'), '-m', '-p', 'lin', '-o', work, `hubPort=${hubPort}`];
  console.log(`test:moddable: mcconfig ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(mcconfig, args, { cwd: hostDir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error || r.status !== 0) {
    console.error(log);
    failures.push(`mcconfig failed (${r.error?.message ?? `exit ${r.status}`}) after ${seconds} s`);
    return;
  }
  const warnings = log.split('\n').filter((line) => line.includes('### warning'));
  const summary = log.split('\n').find((line) => /^### \d+ instances/.test(line));
  console.log(`test:moddable: built in ${seconds} s; xsl: ${summary ?? '(no summary line)'}; ${warnings.length} warning(s)`);
  if (warnings.length) failures.push(`xsl linker warnings (preload must be clean):\n    ${warnings.join('\n    ')}`);
  if (!existsSync(soPath())) failures.push(`no ${soPath()} after the build`);
}

function soPath() {
  return join(work, 'bin', 'lin', 'mc', 'release', 'probe', 'mc.so');
}

async function run(hubState) {
  if (!existsSync(mcsim)) {
    console.log(`test:moddable: run skipped — ${mcsim} not found`);
    return;
  }
  let display = process.env.DISPLAY;
  if (!display) {
    if (spawnSync('Xvfb', ['-help'], { stdio: 'ignore' }).error) {
      console.log('test:moddable: run skipped — no DISPLAY and no Xvfb (apt-get install xvfb)');
      return;
    }
    display = freeDisplay();
    xvfb = spawn('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await waitFor(() => existsSync(`/tmp/.X11-unix/X${display.slice(1)}`), 5000);
  }
  const config = join(work, 'xdg'); // mcsim copies the app here; it must exist
  mkdirSync(config, { recursive: true });
  // trace() goes to stdout, block-buffered unless a line buffer is forced.
  const haveStdbuf = !spawnSync('stdbuf', ['--version'], { stdio: 'ignore' }).error;
  const [cmd, ...args] = haveStdbuf ? ['stdbuf', '-oL', mcsim, soPath()] : [mcsim, soPath()];
  console.log(`test:moddable: DISPLAY=${display} ${cmd} ${args.join(' ')}`);
  sim = spawn(cmd, args, { env: { ...env, DISPLAY: display, XDG_CONFIG_HOME: config }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sim.stdout.on('data', (d) => (out += d));
  sim.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => sim.on('exit', resolve));
  await Promise.race([waitFor(() => out.includes('probe: done'), RUN_SECONDS * 1000), exited]);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the BYE datagram
  console.log(out.split('\n').filter((l) => l.startsWith('probe:') || /abort|error/i.test(l)).map((l) => `  | ${l}`).join('\n'));

  const expectLines = [
    /^probe: core function function/m,
    /^probe: wire ok schema 0/m,
    /^probe: espnow mac [0-9a-f]{12} channel 1/m,
    /^probe: broadcast accepted/m,
    /^probe: hub welcome/m,
    /^probe: sent ok to ffffffffffff/m,
    /^probe: rx \d+ bytes from 020000000001 rssi -50/m,
    /^probe: light sleep 20 ms/m,
    /^probe: after close ESPNow.broadcast: closed/m,
    /^probe: done/m,
  ];
  for (const re of expectLines) if (!re.test(out)) failures.push(`mcsim output lacks ${re}`);
  if (/XS abort|^probe: error/m.test(out)) failures.push('the probe reported an error (see its output above)');
  for (const type of ['hello', 'send', 'radio', 'bye']) {
    if (!hubState.seen.has(type)) failures.push(`the hub never got ${type.toUpperCase()} from the probe`);
  }
}

/**
 * A stand-in for the simulator hub, just enough for the probe (design/hub.md v1 bytes):
 * HELLO → WELCOME; SEND → SENT delivered + the payload echoed back as RECV from
 * 02:00:00:00:00:01 at -50 dBm. Records which message types arrived.
 */
function startStandInHub() {
  const socket = dgram.createSocket('udp4');
  const seen = new Set();
  const started = Date.now();
  const names = { 1: 'hello', 2: 'send', 3: 'radio', 4: 'keepalive', 5: 'bye' };
  socket.on('message', (msg, from) => {
    const type = names[msg[0]];
    if (!type) return;
    seen.add(type);
    const reply = (bytes) => socket.send(bytes, from.port, from.address);
    if (type === 'hello' && msg.length >= 17) {
      const welcome = new Uint8Array(17);
      const view = new DataView(welcome.buffer);
      welcome[0] = 0x81; // WELCOME
      welcome[1] = 1; // version
      welcome.set(msg.subarray(2, 8), 2); // mac echo
      view.setUint32(12, Date.now() - started); // clock ms (u64; high word 0)
      welcome[16] = 1; // channel
      reply(welcome);
    } else if (type === 'send' && msg.length >= 7) {
      reply(Uint8Array.of(0x83, ...msg.subarray(1, 7), 0)); // SENT delivered
      reply(Uint8Array.of(0x82, 2, 0, 0, 0, 0, 1, 0xce, ...msg.subarray(7))); // RECV, rssi -50
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve({ socket, seen, port: socket.address().port }));
  });
}

function freeDisplay() {
  for (let n = 90; n < 200; n++) if (!existsSync(`/tmp/.X${n}-lock`) && !existsSync(`/tmp/.X11-unix/X${n}`)) return `:${n}`;
  throw new Error('no free X display number in :90..:199');
}

async function waitFor(condition, ms) {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 100));
  return condition();
}
