#!/usr/bin/env node
/**
 * `npm run screenshots`: a picture of every status-screen page, as the simulated M5StickC-PLUS2
 * draws it. Builds hosts/sim (with `battery=87`, a pretend gauge) and the telemetry and chat
 * mods, runs `mycelium-sim --realtime` with a line of in-process nodes, and starts two hosts/sim
 * instances under Xvfb at its end: one collecting telemetry, one running chat (named xs-chat,
 * sent a DM and a SAY). Then, for each instance, it photographs the LCD, holds button A for
 * 1.3 s (the page turn), and repeats until the title bar is the first page's again.
 *
 * Pictures go to a temporary directory (printed); MYCELIUM_UPDATE_DOCS=1 copies them to
 * docs/screens/ instead of leaving the tracked tree alone. Needs MODDABLE, Xvfb, xdotool, xwd and
 * netpbm (apt-get install xvfb xdotool x11-apps netpbm); skips with a message without them.
 * `--build-dir DIR` keeps the build there; `--so PATH --hub-port N` reuses a hosts/sim mc.so
 * built with `hubPort=N` (mcconfig recompiles every module when its options change).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeDisplay, freeUdpPort } from './lib/local-resources.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN_MS = 150_000;
/** The status screen's title bar colour (modules/host/ui/status-screen.ts): marks the LCD's top-left. */
const TITLE_RGB = [0x1a, 0x5f, 0xb4];
const LCD = { width: 135, height: 240, title: 28 };
const MAX_PAGES = 12;
const INSTANCES = [
  { name: 'telemetry', app: 'telemetry', config: ['interval_s=10', 'collector=true'] },
  { name: 'chat', app: 'chat', config: ['name=xs-chat', 'announce_s=20'] },
];

const MODDABLE = process.env.MODDABLE;
const tools = ['Xvfb', 'xdotool', 'xwd', 'xwdtopnm', 'pnmtopng', 'pnmcut'];
const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (!MODDABLE || missing.length) {
  console.log(`screenshots: SKIPPED — ${MODDABLE ? `missing ${missing.join(', ')} (apt-get install xvfb xdotool x11-apps netpbm)` : 'MODDABLE is not set'}`);
  process.exit(0);
}
const sdkBin = join(MODDABLE, 'build', 'bin', 'lin', 'release');
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), sdkBin, process.env.PATH ?? ''].join(delimiter) };
delete env.DBUS_SESSION_BUS_ADDRESS; // a session bus would make a second mcsim hand its app to the first

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const argDir = process.argv.indexOf('--build-dir');
const work = mkdtempSync(join(tmpdir(), 'mycelium-screens-'));
const buildDir = argDir > 0 ? process.argv[argDir + 1] : join(work, 'build');
const shots = join(work, 'screens');
mkdirSync(buildDir, { recursive: true });
mkdirSync(shots, { recursive: true });
const children = [];
let failed = false;
try {
  const hubPort = arg('--hub-port') ? Number(arg('--hub-port')) : await freeUdpPort();
  const so = arg('--so') ?? build(hubPort);
  const archives = INSTANCES.map(buildMod);
  const taken = await run(hubPort, so, archives);
  console.log(`screenshots: ${taken.length} pictures in ${shots}`);
  if (process.env.MYCELIUM_UPDATE_DOCS) {
    const docs = join(root, 'docs', 'screens');
    mkdirSync(docs, { recursive: true });
    for (const f of taken) copyFileSync(join(shots, f), join(docs, f));
    console.log(`screenshots: copied to docs/screens/: ${taken.join(', ')}`);
  } else console.log('screenshots: MYCELIUM_UPDATE_DOCS=1 copies them to docs/screens/');
} catch (e) {
  console.error(`screenshots: FAILED — ${e.message}`);
  failed = true;
} finally {
  for (const c of children.reverse()) c.kill('SIGTERM');
  if (argDir < 0) rmSync(buildDir, { recursive: true, force: true }); // the pictures stay, the build goes
}
process.exit(failed ? 1 : 0);

function build(hubPort) {
  const started = Date.now();
  const args = ['-m', '-p', 'lin', '-o', buildDir, `hubPort=${hubPort}`, 'battery=87'];
  const r = spawnSync(join(sdkBin, 'mcconfig'), args, { cwd: join(root, 'hosts', 'sim'), env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const so = join(buildDir, 'bin', 'lin', 'mc', 'release', 'sim', 'mc.so');
  if (r.status !== 0 || !existsSync(so)) throw new Error(`hosts/sim: mcconfig ${args.join(' ')} failed\n${r.stdout}${r.stderr}`);
  console.log(`screenshots: hosts/sim built in ${((Date.now() - started) / 1000).toFixed(1)} s (mcconfig ${args.join(' ')})`);
  return so;
}

function buildMod({ app, config }, i) {
  const out = join(work, `mod${i}`);
  mkdirSync(out, { recursive: true });
  const args = ['-m', '-p', 'lin', '-o', out, '-t', 'build', join(root, 'mods', app, 'manifest.json'), ...config];
  const r = spawnSync(join(sdkBin, 'mcrun'), args, { cwd: join(root, 'mods', app), env, encoding: 'utf8', maxBuffer: 16 << 20 });
  const xsa = join(out, 'bin', 'lin', 'mc', 'release', app, 'mc.xsa');
  if (r.status !== 0 || !existsSync(xsa)) throw new Error(`mods/${app}: mcrun failed\n${r.stdout}${r.stderr}`);
  return xsa;
}

async function run(hubPort, so, archives) {
  // One X display per instance: xdotool's --pid search can return the other mcsim's window.
  const displays = [];
  for (let i = 0; i < INSTANCES.length; i++) {
    const display = freeDisplay();
    children.push(spawn('Xvfb', [display, '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], { stdio: 'ignore' }));
    if (!(await waitFor(() => existsSync(`/tmp/.X11-unix/X${display.slice(1)}`), 5000))) throw new Error(`Xvfb did not start on ${display}`);
    displays.push(display);
  }
  // Five in-process nodes 40 m apart; the instances sit at the origin, by node 0, so wherever the
  // root lands some of them are three or more levels down and the pages have depth to show.
  const scenario = join(work, 'screens.json');
  writeFileSync(
    scenario,
    JSON.stringify({
      name: 'screens',
      seed: 7,
      duration_ms: RUN_MS,
      interface: 'espnow',
      radio: { model: 'unit-disk', range: 60 },
      topology: { line: { n: 5, spacing: 40 } },
      traffic: [],
      apps: [
        { app: 'telemetry', nodes: 'all', options: { interval_s: 10 } },
        { app: 'chat', nodes: 'all', options: { announce_s: 20 } },
      ],
      commands: [
        { at_ms: 50_000, node: 4, line: 'dm xs-chat hello from the far end of the line' },
        { at_ms: 60_000, node: 2, line: 'say good morning, mesh' },
      ],
    }),
  );
  const sim = spawn(process.execPath, [join(root, 'bin', 'mycelium-sim.mjs'), 'run', scenario, '--realtime', '--hub-port', String(hubPort), '--quiet'], { cwd: root, stdio: 'ignore' });
  children.push(sim);
  await sleep(1500);
  const outputs = INSTANCES.map(() => '');
  INSTANCES.forEach((inst, i) => {
    const xdg = join(work, `xdg${i}`);
    mkdirSync(xdg, { recursive: true });
    const p = spawn('stdbuf', ['-oL', join(sdkBin, 'mcsim'), join(root, 'hosts', 'sim', 'device'), so, archives[i]], { env: { ...env, DISPLAY: displays[i], XDG_CONFIG_HOME: xdg }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    p.stdout.on('data', (d) => (outputs[i] += d));
    p.stderr.on('data', (d) => (outputs[i] += d));
  });
  const last = (i) => outputs[i].split('\n').filter((l) => l.startsWith('status: ')).at(-1) ?? '';
  const field = (line, name) => new RegExp(`${name}=(\\S+)`).exec(line)?.[1];
  // Ready once both have peers and a root, the chat instance has its DM and SAY, and a reading or two came in.
  await waitFor(() => INSTANCES.every((_, i) => Number(field(last(i), 'peers')) >= 2) && /good morning/.test(outputs[1]), RUN_MS - 40_000);
  await sleep(12_000);
  const taken = [];
  for (const [i, inst] of INSTANCES.entries()) {
    console.log(`screenshots: ${inst.name} instance: ${last(i)}`);
    const display = displays[i];
    const wid = xdo(display, ['search', '--name', 'mcsim']).split('\n').at(-1);
    if (!wid) throw new Error(`no mcsim window for the ${inst.name} instance`);
    let first;
    for (let n = 1; n <= MAX_PAGES; n++) {
      const name = `sim-${inst.name}-${n}.png`;
      const title = shoot(display, wid, join(shots, name));
      if (n === 1) first = title;
      else if (title.equals(first)) {
        rmSync(join(shots, name)); // back at page 1 ("Node 1/n")
        break;
      }
      taken.push(name);
      // Button A of the device pane (hosts/sim/device): hold it past 1 s to turn the page.
      xdo(display, ['mousemove', '--window', wid, '158', '65', 'mousedown', '1', 'sleep', '1.3', 'mouseup', '1']);
      await sleep(1500);
    }
  }
  return taken;
}

/** The LCD of window `wid` as a PNG (found by the title bar's colour at its top-left corner); returns the title bar's pixels. */
function shoot(display, wid, png) {
  const ppm = join(work, 'window.ppm');
  const r = spawnSync('sh', ['-c', `xwd -id ${wid} -silent | xwdtopnm > ${ppm} 2>/dev/null`], { env: { ...env, DISPLAY: display } });
  if (r.status !== 0) throw new Error('xwd failed');
  const buf = readFileSync(ppm);
  const { left, top, width, data } = findTitle(buf);
  const c = spawnSync('sh', ['-c', `pnmcut -left ${left} -top ${top} -width ${LCD.width} -height ${LCD.height} ${ppm} | pnmtopng > ${png}`]);
  if (c.status !== 0) throw new Error('pnmcut/pnmtopng failed');
  const rows = [];
  for (let y = top; y < top + LCD.title; y++) rows.push(buf.subarray(data + (y * width + left) * 3, data + (y * width + left + LCD.width) * 3));
  return Buffer.concat(rows);
}

/** Top-left pixel of the title bar in a binary PPM (P6, maxval 255). */
function findTitle(buf) {
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.toString('latin1', 0, 64));
  if (!header) throw new Error('xwdtopnm did not give a P6 PPM');
  const [, w, h] = header.map(Number);
  const data = header[0].length;
  // The simulated LCD is RGB565, so the colour arrives rounded: match within a few steps, and
  // require the whole 135 px row to match (nothing else in the window is that wide and blue).
  const near = (x, y) => {
    const o = data + (y * w + x) * 3;
    return TITLE_RGB.every((c, k) => Math.abs(buf[o + k] - c) <= 8);
  };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x + LCD.width <= w; x++) if (near(x, y) && near(x + LCD.width - 1, y) && near(x + 60, y)) return { left: x, top: y, width: w, data };
  }
  throw new Error('no status screen in the window (title bar colour not found)');
}

function xdo(display, args) {
  return spawnSync('xdotool', args, { env: { ...env, DISPLAY: display }, encoding: 'utf8' }).stdout.trim();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition, ms) {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await sleep(250);
  return condition();
}
