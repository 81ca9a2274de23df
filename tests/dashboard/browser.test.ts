/**
 * The dashboard in a real browser: Debian's Chromium driven by playwright-core (which never
 * downloads a browser). Without Chromium these tests are skipped, loudly: run
 * `node scripts/ensure-chromium.mjs` (as root it installs Debian's chromium package).
 *
 * A live run of grid-7x7 through the CLI: nodes and tree links on the page, the timeline's
 * pause and steps, a click on a node, `ping` from its console, and a screenshot saved to
 * docs/dashboard.png. Then a saved trace opened with `mycelium-sim view`, replayed to its end.
 * Last, a 1,000-node live run at ×20 that cannot keep up: the page, a node panel and a node's
 * details still answer (the times are printed, as a benchmark would; the bound is generous).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/ensure-chromium.mjs';
import { ROOT } from './helpers.js';

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  console.warn(
    'SKIPPED: chromium not found (/usr/bin/chromium or chromium on PATH): the dashboard browser tests did not run. ' +
      'Install it with `node scripts/ensure-chromium.mjs` (as root: apt-get install chromium).',
  );
}
const describeBrowser = CHROMIUM ? describe : describe.skip;

const BIN = join(ROOT, 'bin', 'mycelium-sim.mjs');
// The README's screenshot is refreshed only on request (MYCELIUM_UPDATE_DOCS=1), so that `npm test`
// leaves the working tree clean; otherwise it goes to the test's temp dir, removed at the end.
const UPDATE_DOCS = Boolean(process.env.MYCELIUM_UPDATE_DOCS);

/**
 * How long any wait on the page may take. Every wait is on the page's own state (a selector or
 * its data-* attributes), so a fast machine never waits this long; on a loaded one (a CI box
 * running other suites, a simulation paced behind the wall clock) Playwright's default of 30 s
 * was not enough.
 */
const PAGE_BOUND_MS = 120_000;

/** A page whose waits, clicks and fills are all bounded by PAGE_BOUND_MS. */
async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(PAGE_BOUND_MS);
  return page;
}

/** Start the CLI and resolve to the dashboard's URL (from its stderr). */
function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no dashboard URL after ${PAGE_BOUND_MS / 1000} s:\n${out}`)), PAGE_BOUND_MS);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited (${code}) before serving:\n${out}`));
    });
  });
}

/** Ctrl-C, and wait for the process to end. */
async function stop(child: ChildProcess | undefined): Promise<number | null> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

async function data(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => ({ ...(document.getElementById('app') as HTMLElement).dataset }) as Record<string, string>);
}

describeBrowser('dashboard in Chromium', () => {
  let browser: Browser;
  const children: ChildProcess[] = [];
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mycelium-browser-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Root in a container needs --no-sandbox; WebGL (sigma) runs on SwiftShader without a GPU.
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
  }, PAGE_BOUND_MS);

  afterAll(async () => {
    for (const c of children) await stop(c);
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('live run of grid-7x7: nodes, tree, timeline, a node’s console and ping; screenshot', async () => {
    const started = await startCli(['run', 'grid-7x7', '--dashboard', '--port', '0', '--speed', '5', '--quiet']);
    children.push(started.child);
    const page = await newPage(browser, { width: 1400, height: 860 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(started.url);
    await page.waitForSelector('#app[data-ready="1"]');
    expect(await data(page)).toMatchObject({ mode: 'live', nodes: '49', radioEdges: '84' });
    expect(await page.locator('#graph canvas').count()).toBeGreaterThan(0);

    // The tree forms: 48 links under one root.
    await page.waitForFunction(() => {
      const d = (document.getElementById('app') as HTMLElement).dataset;
      return d.treeEdges === '48' && /^\d+$/.test(d.roots ?? '');
    });
    const root = Number((await data(page)).roots);

    // Timeline: pause, step back to a sample, one more back, then two forward (a sample a second).
    await page.click('#play');
    await page.waitForFunction(() => document.getElementById('play')!.textContent === 'play'); // drawn paused: time stands still
    const paused = Number((await data(page)).timeMs);
    // Each step is checked by waiting for the exact sample and time it must show: reading the
    // page after a step could see the frame before it (a stale sample that made the next waits
    // hang on a loaded machine). Stepping back from a time between samples lands on the sample
    // before it; from a sample's own time, on the one before that.
    const k = paused % 1000 === 0 ? paused / 1000 - 1 : Math.floor(paused / 1000);
    const showsSample = (s: number) =>
      page.waitForFunction((s) => {
        const d = (document.getElementById('app') as HTMLElement).dataset;
        return d.sample === String(s) && d.timeMs === String(s * 1000);
      }, s);
    await page.click('#step-back');
    await showsSample(k);
    await page.click('#step-back');
    await showsSample(k - 1);
    await page.click('#step-fwd');
    await page.click('#step-fwd');
    await showsSample(k + 1);
    expect(await data(page)).toMatchObject({ sample: String(k + 1), timeMs: String((k + 1) * 1000) });
    // Back to the live head.
    await page.click('#live');
    await page.waitForFunction((t) => Number((document.getElementById('app') as HTMLElement).dataset.timeMs) > t, paused + 1000);

    // Click a node (not the root) on the canvas: its panel and console open.
    const target = root === 24 ? 23 : 24;
    const at = await page.evaluate((i) => (window as unknown as { __dashboard: { nodeOnPage(i: number): { x: number; y: number } } }).__dashboard.nodeOnPage(i), target);
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector(`#app[data-selected="${target}"]`);
    // The panel renders after the selection is marked: wait for its heading, then check it.
    await page.waitForFunction((name) => document.querySelector('#node h2')?.textContent === name, `n${target}`).catch(() => undefined);
    expect(await page.textContent('#node h2')).toBe(`n${target}`);
    await page.waitForSelector('#console', { state: 'visible' });

    // Its console: status, then ping the root by its tree address.
    await page.fill('#console-input', 'status');
    await page.press('#console-input', 'Enter');
    await page.waitForFunction(() => /Node ID: [0-9a-f]{64}/.test(document.getElementById('console-output')!.textContent ?? ''));
    await page.fill('#console-input', `ping @${root} 3`);
    await page.press('#console-input', 'Enter');
    await page.waitForFunction(() => (document.getElementById('console-output')!.textContent ?? '').includes('Ping report'));
    const out = (await page.textContent('#console-output')) ?? '';
    expect(out).toContain(`ping @${root} 3`);
    expect(out).toMatch(/success_rate: 100%/);
    // The node panel's sparkline: frames per second from the node's recorded details.
    await page.waitForFunction(() => Number(document.querySelector('#node svg.sparkline')?.getAttribute('data-points') ?? 0) > 0);

    // The chart strip: four charts with points; the delivery chart has buckets with pings sent.
    expect(await page.locator('#charts .chart canvas').count()).toBe(4);
    await page.waitForFunction(() => Number((document.getElementById('charts') as HTMLElement).dataset.points) > 10);

    // Colour by depth: the root is the darkest; by root: the whole tree shares its root's colour.
    const color = (i: number) => page.evaluate((i) => (window as unknown as { __dashboard: { nodeColor(i: number): string } }).__dashboard.nodeColor(i), i);
    await page.selectOption('#color-by', 'depth');
    await page.waitForFunction((r) => (window as unknown as { __dashboard: { nodeColor(i: number): string } }).__dashboard.nodeColor(r) === '#1e1b4b', root);
    expect(await color(target)).not.toBe('#1e1b4b');
    await page.selectOption('#color-by', 'root');
    await page.waitForFunction(() => (document.getElementById('app') as HTMLElement).dataset.colorBy === 'root');
    expect(await color(target)).toBe(await color(root));
    await page.selectOption('#color-by', 'state');

    await page.waitForTimeout(700); // only so that the screenshot shows the last packets drawn

    const screenshot = UPDATE_DOCS ? join(ROOT, 'docs', 'dashboard.png') : join(dir, 'dashboard.png');
    if (UPDATE_DOCS) mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: screenshot });

    // Search by id prefix (after the screenshot: it zooms onto the node found).
    const other = root === 0 ? 1 : 0;
    const id = await page.evaluate(async (i) => ((await (await fetch('/api/trace')).json()) as { nodes: { id: string }[] }).nodes[i].id, other);
    await page.fill('#search', id.slice(0, 10));
    await page.press('#search', 'Enter');
    await page.waitForSelector(`#app[data-selected="${other}"]`);
    // The panel renders after the selection is marked: wait for its heading, then check it.
    await page.waitForFunction((name) => document.querySelector('#node h2')?.textContent === name, `n${other}`).catch(() => undefined);
    expect(await page.textContent('#node h2')).toBe(`n${other}`);
    expect(errors).toEqual([]);
    await page.close();
    // Ctrl-C ends the CLI.
    await stop(started.child);
  }, 4 * PAGE_BOUND_MS);

  test('1,000 nodes live at ×20, behind the wall clock: the page and a node panel answer', async () => {
    // The shipped default scenario with 1,000 nodes (a denser field, so that a connected layout
    // is found), 2 simulated minutes: far more than a machine simulates at ×20, so the run
    // falls behind at once. The test stops it once measured.
    const base = JSON.parse(readFileSync(join(ROOT, 'simulator', 'scenarios', 'default.json'), 'utf8')) as Record<string, unknown>;
    const side = 1400;
    const file = join(dir, 'random-1000.json');
    writeFileSync(
      file,
      JSON.stringify({ ...base, name: 'random-1000', duration_ms: 120_000, topology: { random: { n: 1000, width: side, height: side, connected: true } } }),
    );
    const started = await startCli(['run', file, '--dashboard', '--port', '0', '--speed', '20', '--quiet']);
    children.push(started.child);
    const BOUND_MS = 30_000;
    const timed = async <T>(what: string, f: () => Promise<T>): Promise<[T, number]> => {
      const t0 = performance.now();
      const v = await f();
      const ms = Math.round(performance.now() - t0);
      times[what] = ms;
      return [v, ms];
    };
    const times: Record<string, number> = {};
    // The terminal says when the run falls behind.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/behind by [\d.]+ s of simulated time at ×20, running as fast as it can/.test(started.output())) {
          clearInterval(timer);
          resolve();
        } else if (started.child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the run ended without falling behind:\n${started.output()}`));
        }
      }, 100);
    });
    const [info] = await timed('GET /api/info', async () => (await fetch(new URL('/api/info', started.url))).json() as Promise<{ mode: string }>);
    expect(info.mode).toBe('live');
    const page = await newPage(browser, { width: 1400, height: 860 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await timed('page loaded (trace so far, graph drawn)', async () => {
      await page.goto(started.url);
      await page.waitForSelector('#app[data-ready="1"]', { timeout: BOUND_MS });
    });
    expect(await data(page)).toMatchObject({ mode: 'live', nodes: '1000' });
    await page.waitForSelector('#app[data-behind="1"]', { timeout: BOUND_MS });
    expect(await page.isVisible('#behind')).toBe(true);
    // A click on a node opens its panel (the node under the pointer: neighbours may overlap).
    const at = await page.evaluate(() => (window as unknown as { __dashboard: { nodeOnPage(i: number): { x: number; y: number } } }).__dashboard.nodeOnPage(500));
    await timed('node panel after a click', async () => {
      await page.mouse.click(at.x, at.y);
      await page.waitForFunction(() => {
        const d = (document.getElementById('app') as HTMLElement).dataset;
        return Number(d.selected) >= 0 && document.querySelector('#node h2')?.textContent === `n${d.selected}`;
      }, undefined, { timeout: BOUND_MS });
    });
    // Search: n500 selects node 500.
    await timed('search n500', async () => {
      await page.fill('#search', 'n500');
      await page.press('#search', 'Enter');
      await page.waitForFunction(() => document.querySelector('#node h2')?.textContent === 'n500', undefined, { timeout: BOUND_MS });
    });
    const [detail] = await timed('GET /api/node/500 (live details)', async () => (await fetch(new URL('/api/node/500', started.url))).json() as Promise<{ peers?: number[] } | null>);
    expect(detail === null || Array.isArray(detail.peers)).toBe(true);
    const behindMs = Number((await data(page)).behindMs);
    expect(started.child.exitCode).toBeNull(); // still running, and behind: the point of this test
    console.log(
      `1,000 nodes at ×20, behind by ${(behindMs / 1000).toFixed(1)} s of simulated time:\n` +
        Object.entries(times)
          .map(([k, ms]) => `  ${k}: ${ms} ms`)
          .join('\n'),
    );
    for (const ms of Object.values(times)) expect(ms).toBeLessThan(BOUND_MS);
    expect(errors).toEqual([]);
    await page.close();
    await stop(started.child);
  }, 4 * PAGE_BOUND_MS);

  test('a saved trace opened with `view` replays to its end', async () => {
    const tracePath = join(dir, 'line-3.json');
    await promisify(execFile)(process.execPath, [BIN, 'run', 'line-3', '--quiet', '--trace', tracePath], { cwd: ROOT });
    const started = await startCli(['view', tracePath, '--port', '0']);
    children.push(started.child);
    const page = await newPage(browser, { width: 1200, height: 800 });
    await page.goto(started.url);
    await page.waitForSelector('#app[data-ready="1"]');
    expect(await data(page)).toMatchObject({ mode: 'replay', nodes: '3', radioEdges: '2' });
    expect(await page.isDisabled('#live')).toBe(true);
    await page.selectOption('#speed', '500');
    await page.waitForFunction(() => (document.getElementById('app') as HTMLElement).dataset.timeMs === '120000');
    expect(await data(page)).toMatchObject({ treeEdges: '2', sample: '120' });
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => (document.getElementById('app') as HTMLElement).dataset.timeMs === '119000');
    // No live nodes: the console is read-only.
    const at = await page.evaluate(() => (window as unknown as { __dashboard: { nodeOnPage(i: number): { x: number; y: number } } }).__dashboard.nodeOnPage(1));
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector('#app[data-selected="1"]');
    expect(await page.isDisabled('#console-input')).toBe(true);
    await page.close();
    expect(await stop(started.child)).toBe(0);
  }, 3 * PAGE_BOUND_MS);
});
