/** `--runner xs` when the XS engine is missing: one line saying exactly what to install, before anything runs. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xsRunnerProblem, type XsProbe } from '../../simulator/xs/xs-requirements.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = '/p/node_modules/@agoric/xsnap/xsnap-native/xsnap/build/bin/lin/release/xsnap-worker';

function probe(o: Partial<XsProbe> & { tools?: string[]; built?: boolean }): XsProbe {
  return {
    override: undefined,
    packageDir: '/p/node_modules/@agoric/xsnap',
    workerPath: WORKER,
    executable: () => o.built ?? false,
    onPath: (t) => (o.tools ?? ['cc', 'make']).includes(t),
    ...o,
  };
}

test('built: no problem', () => {
  expect(xsRunnerProblem(probe({ built: true }), '/p')).toBeUndefined();
});

test('after a plain install (no devDependencies): install @agoric/xsnap, and say which build tools are missing', () => {
  const line = xsRunnerProblem(probe({ packageDir: undefined }), '/p');
  expect(line).toBe(
    '--runner xs needs the XS engine from the npm package @agoric/xsnap (a devDependency, so a plain or --omit=dev install leaves it out): run `npm install --no-save @agoric/xsnap@^0.15.0` in /p',
  );
  expect(xsRunnerProblem(probe({ packageDir: undefined, tools: ['gcc'] }), '/p')).toMatch(/; its build needs make, not found on PATH$/);
});

test('installed without its build script: npm rebuild', () => {
  expect(xsRunnerProblem(probe({}), '/p')).toBe(
    `--runner xs: @agoric/xsnap is installed (/p/node_modules/@agoric/xsnap) but its xsnap-worker was not built (no ${WORKER}): its install script did not run (--ignore-scripts?); run \`npm rebuild @agoric/xsnap\` in /p`,
  );
});

test('mycelium-sim run --runner xs with a bad XSNAP_WORKER: exit 2 and that line, no run', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'mycelium-sim.mjs'), 'run', 'line-3', '--runner', 'xs'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, XSNAP_WORKER: '/nonexistent/xsnap-worker' },
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toBe('mycelium-sim: --runner xs: XSNAP_WORKER=/nonexistent/xsnap-worker is not an executable file (unset it to use the one @agoric/xsnap builds)\n');
  expect(r.stdout).toBe('');
});
