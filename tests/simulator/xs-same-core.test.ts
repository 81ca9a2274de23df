/**
 * The XS runner's host and workers on one core (simulator/xs/same-core.ts) while the run has the
 * core to itself: pinned where Linux and taskset allow it, given back when a neighbour takes it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CoreWatch, MIN_SHARE, WINDOW_MS, pinToOneCore } from '../../simulator/xs/same-core.js';
import { runScenario } from '../../simulator/runner/run.js';
import { bundleXsWorker, createXsDriver, type XsEngineReport } from '../../simulator/xs/xs-driver.js';
import { xsnapAvailable } from '../../simulator/xs/xsnap.mjs';
import { espnowLine } from './helpers.js';

const allowed = (pid: number): string => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';

let haveTaskset = false;
try {
  execFileSync('taskset', ['--version'], { stdio: 'ignore' });
  haveTaskset = process.platform === 'linux' && !/^\d+$/.test(allowed(process.pid));
} catch {
  // no util-linux: pinToOneCore does nothing
}

(haveTaskset ? test : test.skip)('this process and the given ones end up on one and the same core, and get their cores back', () => {
  const before = allowed(process.pid);
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    const pin = pinToOneCore([child.pid as number]);
    expect(pin).toBeDefined();
    expect(allowed(process.pid)).toBe(String(pin!.cpu));
    expect(allowed(child.pid as number)).toBe(String(pin!.cpu));
    pin!.release();
    expect(allowed(process.pid)).toBe(before);
    expect(allowed(child.pid as number)).toBe(before);
  } finally {
    child.kill();
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', before, String(process.pid)], { stdio: 'ignore' });
  }
});

describe('the watch on the run’s share of its core', () => {
  test('a run that keeps its core busy stays pinned, window after window', () => {
    const watch = new CoreWatch(0, 0);
    for (let w = 1; w <= 10; w++) expect(watch.sample(w * WINDOW_MS, w * WINDOW_MS * 0.97)).toBe('keep');
  });

  test('a share below the limit over a whole window unpins once, then the watch is done', () => {
    const watch = new CoreWatch(0, 0);
    expect(watch.sample(WINDOW_MS, WINDOW_MS)).toBe('keep');
    // A neighbour on the same core: the run gets half of it.
    expect(watch.sample(2 * WINDOW_MS, WINDOW_MS + WINDOW_MS * 0.5)).toBe('unpin');
    expect(watch.sample(3 * WINDOW_MS, 3 * WINDOW_MS)).toBe('done');
  });

  test('nothing is judged before a whole window, however low the share so far', () => {
    const watch = new CoreWatch(0, 0);
    expect(watch.sample(WINDOW_MS - 1, 0)).toBe('keep');
    expect(watch.sample(WINDOW_MS, WINDOW_MS * (MIN_SHARE - 0.01))).toBe('unpin');
  });
});

(haveTaskset && xsnapAvailable() ? test : test.skip)(
  'a run asked to share one core says so in its report, and its process gets its cores back at the end',
  async () => {
    const before = allowed(process.pid);
    const script = await bundleXsWorker();
    const pair = espnowLine('xs-same-core', 1, 3, 20_000);
    let during = '';
    const result = await runScenario(pair, {
      driver: async (setup) => {
        const driver = await createXsDriver(setup, { script, nodesPerWorker: 3, sameCore: true });
        during = allowed(process.pid);
        return driver;
      },
    });
    if (!result.ok) throw new Error(String(result.error));
    expect(during).toMatch(/^\d+$/);
    expect((result.report.engine as XsEngineReport).same_core).toBe('pinned');
    expect(allowed(process.pid)).toBe(before);
  },
  60_000,
);
