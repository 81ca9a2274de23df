import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const vectors = JSON.parse(readFileSync('tests/vectors/upstream-vectors.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(doc: unknown): { status: number | null; last: string; out: string } {
  const file = join(dir, `v${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(doc));
  const r = spawnSync(process.execPath, ['scripts/check-vectors.mjs', file], { encoding: 'utf8' });
  const lines = r.stdout.trim().split('\n');
  return { status: r.status, last: lines[lines.length - 1], out: r.stdout + r.stderr };
}

// A runner that cannot fail proves nothing: a single wrong byte must be caught and named.
test('a vector with one wrong byte fails, with the category and case named', () => {
  const cases = vectors.categories.packets.cases.slice(0, 3).map((c: object) => ({ ...c }));
  const c = cases[1] as { packed: string };
  c.packed = c.packed.slice(0, -2) + (c.packed.endsWith('00') ? '01' : '00');
  const r = run({ categories: { packets: { cases } } });
  expect(r.last).toBe('2 passed, 1 failed');
  expect(r.status).toBe(1);
  expect(r.out).toContain('FAIL packets[1]');
});

test('where upstream accepts garbage, a case passes only because we refuse it', () => {
  const wrap = vectors.categories.invalid_inputs.cases.filter((c: { case: string }) => c.case.startsWith('Address.encode coord'));
  expect(wrap.length).toBe(1);
  const r = run({ categories: { invalid_inputs: { cases: wrap }, mystery: { cases: [{}] } } });
  expect(r.last).toBe('1 passed, 1 failed');
  expect(r.out).toContain('unknown category "mystery"');
});

test('bad arguments get a usage line and exit 2', () => {
  const r = spawnSync(process.execPath, ['scripts/check-vectors.mjs'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('usage:');
  const missing = spawnSync(process.execPath, ['scripts/check-vectors.mjs', join(dir, 'nope.json')], { encoding: 'utf8' });
  expect(missing.status).toBe(2);
  expect(missing.stderr).toContain('cannot read');
});
