/** `mycelium-sim run … --expect METRIC OP VALUE` as a CI job uses it: exit code and one line per unmet threshold. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkExpectations, parseExpectation } from '../../simulator/cli/expect.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mycelium-sim.mjs');

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('a run that meets every threshold exits 0 and lists them on one line', () => {
  const r = sim('run', 'line-3', '--expect', 'delivery>=0.9', '--expect', 'roots_at_end==1', '--expect', 'converged_ms<60000', '--expect', 'drops >= 0');
  expect(r.err).not.toMatch(/expect:/);
  expect(r.code).toBe(0);
  expect(r.out).toMatch(/^expect: met 4\/4: delivery=[\d.]+, roots_at_end=1, converged_ms=\d+, drops=\d+$/m);
}, 60_000);

test('a run that misses thresholds exits 3 with one clear line for each, and says which field a report lacks', () => {
  const r = sim('run', 'line-3', '--quiet', '--expect', 'delivery>=0.5', '--expect', 'converged_ms<=1', '--expect', 'radio_on<=0.3', '--expect', 'apps.chat.delivery_ratio>=0.9');
  expect(r.code).toBe(3);
  expect(r.out).toBe('');
  expect(r.err.trim().split('\n')).toEqual([
    expect.stringMatching(/^expect: converged_ms<=1: unmet, converged_ms = \d+ \(converged_ms\)$/),
    'expect: radio_on<=0.3: unmet, radio_on = 1 (radio.radio_on_ratio)',
    'expect: apps.chat.delivery_ratio>=0.9: unmet, apps.chat.delivery_ratio is not in this report (apps.chat.delivery_ratio)',
  ]);
}, 60_000);

test.each([['delivery=>0.9'], ['delivery>=ninety'], ['>=1'], ['delivry>=0.9']])('bad --expect %s: usage and exit 2, before running', (arg) => {
  const r = sim('run', 'line-3', '--expect', arg);
  expect(r.code).toBe(2);
  expect(r.err.split('\n')[0]).toMatch(/^mycelium-sim: --expect ".*": (must be METRIC OP NUMBER|unknown metric "delivry")/);
  expect(r.err).toMatch(/usage: mycelium-sim run/);
});

test('operators, reconvergence and dotted paths on a report', () => {
  const report = { delivery_ratio: 0.95, reconvergence: [{ event_ms: 1000, converged_ms: 5000 }, { event_ms: 9000, converged_ms: 10_000 }], apps: { chat: { delivery_ratio: 1 } }, converged_ms: null };
  const met = (s: string) => checkExpectations(report, [parseExpectation(s)])[0].met;
  expect([met('delivery>=0.95'), met('delivery>0.95'), met('delivery<1'), met('delivery<=0.9'), met('delivery==0.95')]).toEqual([true, false, true, false, true]);
  expect([met('reconverge_ms<=4000'), met('reconverge_ms<4000')]).toEqual([true, false]);
  expect(met('apps.chat.delivery_ratio>=1')).toBe(true);
  expect(checkExpectations(report, [parseExpectation('converged_ms<=1000')])[0].line).toMatch(/converged_ms is null \(never reached/);
  const never = { reconvergence: [{ event_ms: 1000, converged_ms: null }] };
  expect(checkExpectations(never, [parseExpectation('reconverge_ms<=1e9')])[0].met).toBe(false);
  // A report with its own reconverge_ms (stable live tree) is read as it is.
  expect(checkExpectations({ ...report, reconverge_ms: 90_000 }, [parseExpectation('reconverge_ms<=10000')])[0].met).toBe(false);
});
