/**
 * What `--runner xs` needs, checked before a run starts: the xsnap-worker binary, compiled by the
 * postinstall of the npm package @agoric/xsnap. That package is a devDependency (it compiles C at
 * install time), so a plain `npm install moddable-mycelium` or `npm ci --omit=dev` has no XS
 * engine. Each way it can be missing gets its own one-line answer saying what to run.
 */
import { accessSync, constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export interface XsProbe {
  /** XSNAP_WORKER from the environment. */
  readonly override: string | undefined;
  /** The package's folder, undefined when it is not installed. */
  readonly packageDir: string | undefined;
  /** Where the binary is expected (xsnap.mjs xsnapWorkerPath). */
  readonly workerPath: string;
  readonly executable: (path: string) => boolean;
  /** A program of that name on PATH. */
  readonly onPath: (program: string) => boolean;
}

/** undefined when the XS runner can start; else one line saying what is missing and what to run. */
export function xsRunnerProblem(p: XsProbe, root: string): string | undefined {
  if (p.executable(p.workerPath)) return undefined;
  if (p.override !== undefined) return `--runner xs: XSNAP_WORKER=${p.override} is not an executable file (unset it to use the one @agoric/xsnap builds)`;
  const tools = ['cc', 'make'].filter((t) => !p.onPath(t) && !(t === 'cc' && (p.onPath('gcc') || p.onPath('clang'))));
  const toolNote = tools.length > 0 ? `; its build needs ${tools.join(' and ')}, not found on PATH` : '';
  if (p.packageDir === undefined) {
    return (
      `--runner xs needs the XS engine from the npm package @agoric/xsnap (a devDependency, so a plain or --omit=dev install leaves it out): ` +
      `run \`npm install --no-save @agoric/xsnap@^0.15.0\` in ${root}${toolNote}`
    );
  }
  return (
    `--runner xs: @agoric/xsnap is installed (${p.packageDir}) but its xsnap-worker was not built (no ${p.workerPath}): ` +
    `its install script did not run (--ignore-scripts?); run \`npm rebuild @agoric/xsnap\` in ${root}${toolNote}`
  );
}

/** The probe of this machine; `workerPath` from xsnap.mjs. */
export function probeXs(root: string, workerPath: string): XsProbe {
  let packageDir: string | undefined;
  try {
    // `main` of @agoric/xsnap is src/index.js
    packageDir = dirname(dirname(createRequire(join(root, 'package.json')).resolve('@agoric/xsnap')));
  } catch {
    packageDir = undefined;
  }
  const executable = (path: string) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const dirs = (process.env.PATH ?? '').split(':').filter((d) => d !== '');
  return {
    override: process.env.XSNAP_WORKER,
    packageDir,
    workerPath,
    executable,
    onPath: (program) => dirs.some((d) => executable(join(d, program))),
  };
}
