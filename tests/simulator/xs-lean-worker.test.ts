/**
 * The XS runner's lean worker (scripts/build-xs-worker.mjs): @agoric/xsnap's own worker built
 * without the debugger and the bytecode meter. What a user would notice if it went wrong: a
 * package update whose makefile we no longer understand must leave the runner on the package's
 * worker (and say why), never build something else; and the lean worker must run the nodes to
 * the very same report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without types
import { LEAN_DEFINES, leanMakefile } from '../../scripts/build-xs-worker.mjs';
import { leanWorkerPath, xsnapAvailable, xsnapPackageDir } from '../../simulator/xs/xsnap.mjs';
import { runScenario } from '../../simulator/runner/run.js';
import { bundleXsWorker, createXsDriver, xsWorkerKind, type XsEngineReport } from '../../simulator/xs/xs-driver.js';
import { espnowLine } from './helpers.js';

const MAKEFILE = `C_OPTIONS = \\
\t-DmxLockdown=1 \\
\t-DmxMetering=1 \\
\t-DmxDebug=1 \\
\t-DmxBoundsCheck=1 \\
`;

test('the lean makefile turns the debugger and the meter off and keeps the stack checks', () => {
  const lean = leanMakefile(MAKEFILE) as string;
  expect(lean).toContain('-UmxDebug');
  expect(lean).toContain('-UmxMetering');
  expect(lean).not.toContain('-DmxDebug=1');
  expect(lean).not.toContain('-DmxMetering=1');
  expect(lean).toContain('-DmxBoundsCheck=1');
  expect(lean).toContain('-DmxLockdown=1');
});

test('a makefile without one of the defines builds nothing', () => {
  expect(() => leanMakefile(MAKEFILE.replace('-DmxDebug=1', '-DmxDebug=2'))).toThrow(/no -DmxDebug=1/);
  expect(() => leanMakefile('')).toThrow(/no -DmxDebug=1|no -DmxMetering=1/);
});

const pkgDir = xsnapPackageDir();
const withPackage = pkgDir !== undefined ? test : test.skip;
withPackage("the installed @agoric/xsnap's makefiles still have both defines", () => {
  for (const platform of ['lin', 'mac']) {
    const file = join(pkgDir!, 'xsnap-native', 'xsnap', 'makefiles', platform, 'xsnap-worker.mk');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const [from] of LEAN_DEFINES as [string, string][]) expect(text).toContain(from);
  }
});

const haveLean = xsnapAvailable() && existsSync(leanWorkerPath()) && !process.env.XSNAP_WORKER;
if (!haveLean) console.warn(`Skipping the lean worker's run: not built at ${leanWorkerPath()} (npm run xs-worker)`);
const testLean = haveLean ? test : test.skip;

const line = espnowLine('xs-lean', 3, 5, 60_000, {
  traffic: [{ random: { flows: 3 }, kind: 'ping', size: 16, interval_ms: 5000, start_ms: 20_000, metric: 'dTree' }],
});

testLean(
  "the lean worker gives the package worker's report, and the report says which ran",
  async () => {
    const script = await bundleXsWorker();
    const lean = await runScenario(line, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 5 }) });
    const full = await runScenario(line, { driver: (setup) => createXsDriver(setup, { script, nodesPerWorker: 5, worker: 'package' }) });
    if (!lean.ok || !full.ok) throw new Error(`run failed: ${JSON.stringify([lean, full].map((r) => !r.ok && r.error))}`);
    const { engine: leanEngine, ...leanReport } = lean.report;
    const { engine: fullEngine, ...fullReport } = full.report;
    expect((leanEngine as XsEngineReport).worker).toBe('lean');
    expect((fullEngine as XsEngineReport).worker).toBe('package');
    expect(xsWorkerKind('lean')).toBe('lean');
    expect(fullReport.delivered).toBeGreaterThan(0);
    expect(JSON.stringify(leanReport)).toBe(JSON.stringify(fullReport));
  },
  120_000,
);
