/**
 * Apps loaded by module path (`apps: [{ "module": "./heartbeat/mod.ts" }]`): resolved against the
 * scenario file, bundled, run on every node like a registry app, reported under their name; the
 * XS runner runs the same bundle and gives the same report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { loadScenarioFile, parseScenario } from '../../simulator/scenario/load.js';
import { createXsDriver } from '../../simulator/xs/xs-driver.js';
import { xsnapAvailable } from '../../simulator/xs/xsnap.mjs';
import { expectValidReport } from './support/schemas.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FILE = join(ROOT, 'tests', 'simulator', 'fixtures', 'module-app', 'scenario.json');

function load() {
  const loaded = loadScenarioFile(FILE);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

let inproc: RunReport;
beforeAll(async () => {
  const r = await runScenario(load());
  if (!r.ok) throw new Error(r.error);
  inproc = r.report;
});

test('the module app runs on every node: its publishes reach the others, its console command answers', () => {
  expectValidReport(inproc);
  const a = inproc.apps.heartbeat;
  expect(a.nodes).toBe(4);
  expect(a.failed).toBe(0);
  expect(a.sent.publish).toBeGreaterThan(0);
  expect(a.delivered).toBeGreaterThanOrEqual(3);
  const beats = inproc.console.find((c) => c.line === 'beats');
  expect(beats?.output[0]).toMatch(/^sent \d+, heard [1-9]\d*$/);
});

test('the path is resolved against the scenario file; a missing module or a bad entry is a load error with its path', () => {
  expect(load().apps[0].module).toBe(join(ROOT, 'tests', 'simulator', 'fixtures', 'module-app', 'heartbeat', 'mod.ts'));
  const base = { name: 'm', duration_ms: 1000, topology: { line: { n: 2, spacing: 10 } } };
  const missing = parseScenario(JSON.stringify({ ...base, apps: [{ module: './nope/mod.ts' }] }), 's.json', '/tmp');
  expect(missing.ok).toBe(false);
  if (!missing.ok) expect(missing.errors[0]).toBe('s.json: apps[0].module: no such file /tmp/nope/mod.ts');
  const bad = (app: object) => {
    const r = parseScenario(JSON.stringify({ ...base, apps: [app] }));
    return r.ok ? [] : r.errors;
  };
  expect(bad({ app: 'chat', module: './x.ts' })).toEqual([expect.stringMatching(/^scenario: apps\[0\]: give "app" .* or "module"/)]);
  expect(bad({ module: './x.txt' })[0]).toMatch(/apps\[0\]\.module: must be a path to a \.ts/);
  expect(bad({ module: './chat.ts' })[0]).toMatch(/apps\[0\]\.name: must differ from the registry's app names/);
  expect(bad({ app: 'echo', name: 'e' })[0]).toMatch(/apps\[0\]\.name: applies to "module" apps only/);
});

test('a module without a default export function fails the run with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mycelium-module-'));
  try {
    writeFileSync(join(dir, 'nothing.ts'), 'export const x = 1;\n');
    const loaded = parseScenario(JSON.stringify({ name: 'm', duration_ms: 1000, topology: { line: { n: 2, spacing: 10 } }, apps: [{ module: './nothing.ts' }] }), 's', dir);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const r = await runScenario(loaded.scenario);
    expect(r).toEqual({ ok: false, error: `apps[0].module: ${join(dir, 'nothing.ts')} has no default export function (the app's start(mesh, options))` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI runs it by file path', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'mycelium-sim.mjs'), 'run', FILE], { cwd: tmpdir(), encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).not.toMatch(/mycelium-sim:/);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/heartbeat/);
});

(xsnapAvailable() ? test : test.skip)('the XS runner runs the same module and reports the same', async () => {
  const r = await runScenario(load(), { driver: (setup) => createXsDriver(setup, { nodesPerWorker: 2 }) });
  if (!r.ok) throw new Error(r.error);
  const { engine, ...report } = r.report;
  expect(engine).toBeDefined();
  expect(JSON.stringify(report)).toBe(JSON.stringify(inproc));
}, 120_000);
