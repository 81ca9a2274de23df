#!/usr/bin/env node
// The XS runner's lean worker (issue 21): the same xsnap-worker that @agoric/xsnap's install
// builds, from that package's own sources and makefile, without the debugger hooks and the
// bytecode meter (-DmxDebug, -DmxMetering). A device's release firmware has neither; the
// package's release worker has both, which cost the simulator's XS runner about a tenth of its
// worker's CPU (docs/benchmarks.md, "Session 24"). The stack checks stay (a runaway recursion
// still ends as "stack overflow", not a crash).
//
// Run by `npm install` / `npm ci` (postinstall) and by `npm run xs-worker`. It never fails
// an install: without a C compiler, make or @agoric/xsnap it says why and leaves the runner on
// the package's worker, which `mycelium-sim run --runner xs` then uses (and says so).
//
//   node scripts/build-xs-worker.mjs [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { leanWorkerPath, xsnapPackageDir } from '../simulator/xs/xsnap.mjs';

/** The package makefile's defines this build turns off, each with what it replaces. */
export const LEAN_DEFINES = [
  ['-DmxDebug=1', '-UmxDebug'],
  ['-DmxMetering=1', '-UmxMetering'],
];

/**
 * The package's xsnap-worker.mk with the lean defines; throws when one is missing (a new
 * @agoric/xsnap whose makefile we have not read: better no lean worker than a wrong one).
 * @param {string} makefile
 * @returns {string}
 */
export function leanMakefile(makefile) {
  let text = makefile;
  for (const [from, to] of LEAN_DEFINES) {
    if (!text.includes(from)) throw new Error(`its makefile has no ${from} to turn off`);
    text = text.replace(from, to);
  }
  return text;
}

/** What the lean worker was built from; a change rebuilds it. */
function stampOf(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  return JSON.stringify({ xsnap: pkg.version, defines: LEAN_DEFINES.map(([, to]) => to), platform: process.platform });
}

/**
 * Builds the lean worker unless an up-to-date one is there.
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {{ built: boolean, path?: string, reason?: string }}
 */
export function buildLeanWorker({ force = false, log = () => {} } = {}) {
  const platform = { linux: 'lin', darwin: 'mac' }[process.platform];
  if (platform === undefined) return { built: false, reason: `no xsnap makefile for ${process.platform}` };
  const pkgDir = xsnapPackageDir();
  if (pkgDir === undefined) return { built: false, reason: '@agoric/xsnap is not installed (a devDependency)' };
  const target = leanWorkerPath();
  const stampFile = `${target}.stamp`;
  const stamp = stampOf(pkgDir);
  if (!force && existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return { built: false, path: target, reason: 'up to date' };
  }
  const makeDir = join(pkgDir, 'xsnap-native', 'xsnap', 'makefiles', platform);
  let makefile;
  try {
    makefile = leanMakefile(readFileSync(join(makeDir, 'xsnap-worker.mk'), 'utf8'));
  } catch (e) {
    return { built: false, reason: `@agoric/xsnap: ${e.message}` };
  }
  const work = join(dirname(target), 'build');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const leanMk = join(work, 'xsnap-worker-lean.mk');
  writeFileSync(leanMk, makefile);
  const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
  log(`building the XS runner's lean xsnap-worker (@agoric/xsnap ${version}, no debugger, no meter) …`);
  // -C: the makefile's paths are relative to its own folder; BUILD_DIR moves the output to ours.
  const make = spawnSync(
    'make',
    ['-C', makeDir, '-f', leanMk, `MODDABLE=${join(pkgDir, 'moddable')}`, 'GOAL=release', `BUILD_DIR=${work}`, `XSNAP_VERSION=${version}`, `-j${Math.max(1, Math.min(4, availableParallelism()))}`],
    { encoding: 'utf8' },
  );
  const built = join(work, 'bin', platform, 'release', 'xsnap-worker');
  if (make.error || make.status !== 0 || !existsSync(built)) {
    const why = make.error ? make.error.message : `${(make.stderr || make.stdout || '').trim().split('\n').slice(-3).join(' / ')}`;
    return { built: false, reason: `make failed (${why})` };
  }
  renameSync(built, target);
  writeFileSync(stampFile, stamp);
  rmSync(work, { recursive: true, force: true });
  return { built: true, path: target };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  let result;
  try {
    result = buildLeanWorker({ force: process.argv.includes('--force'), log: (line) => console.log(line) });
  } catch (e) {
    result = { built: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (result.built) console.log(`lean xsnap-worker: ${result.path} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  else if (result.path) console.log(`lean xsnap-worker: ${result.path} (${result.reason})`);
  else console.log(`lean xsnap-worker not built: ${result.reason}; mycelium-sim --runner xs uses @agoric/xsnap's own worker`);
}
