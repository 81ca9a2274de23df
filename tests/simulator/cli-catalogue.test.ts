/** `mycelium-sim --version`, `list` and `check`: answers that run nothing, as a user types them. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../../simulator/runner/version.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mycelium-sim.mjs');
const dir = mkdtempSync(join(tmpdir(), 'mycelium-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--version names the tool version and the report format', () => {
  const r = sim('--version');
  expect(r.code).toBe(0);
  expect(r.out.trim()).toBe(`mycelium-sim ${TOOL_VERSION} (report format 2)`);
});

test('list: one line per shipped scenario, with its size and what it is', () => {
  const r = sim('list');
  expect(r.code).toBe(0);
  const shipped = readdirSync(join(ROOT, 'simulator', 'scenarios')).filter((f) => f.endsWith('.json'));
  const lines = r.out.trim().split('\n');
  expect(lines).toHaveLength(shipped.length);
  expect(lines.find((l) => l.startsWith('root-kill '))).toMatch(/^root-kill\s+25 espnow nodes, 7 min\s+A 5 × 5 grid/);
  expect(lines.every((l) => !l.includes('(invalid'))).toBe(true);
});

test('check: ok lines for valid scenarios (shipped names or paths), exit 2 with the errors for a bad one', () => {
  const good = sim('check', 'default', 'line-3');
  expect(good.code).toBe(0);
  expect(good.out.trim().split('\n')).toEqual(['ok default: 36 nodes, 600 s', 'ok line-3: 3 nodes, 120 s']);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ name: 'x', duration_ms: 1000, topology: { line: { n: 2, spacing: 50 } }, radio: { rnage: 3 } }));
  const r = sim('check', 'default', bad);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(/radio\.rnage: unknown field/);
  expect(sim('check').code).toBe(2);
  expect(sim('check', 'no-such-scenario').err).toMatch(/no scenario "no-such-scenario"/);
});
