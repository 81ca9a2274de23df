#!/usr/bin/env node
// Find a Chromium for the dashboard's browser test (Playwright drives it through playwright-core,
// which never downloads a browser here). Looks at $CHROMIUM_PATH, /usr/bin/chromium and
// `chromium` / `chromium-browser` on PATH; if none is there and we run as root with apt-get,
// installs Debian's `chromium` package. Run directly, it prints the path (exit 0) or why there
// is none (exit 1; with --optional exit 0, and the browser tests then say they were skipped).
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser'];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @returns {string | undefined} the path of a Chromium executable, if one is installed */
export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir) for (const name of NAMES) candidates.push(join(dir, name));
  return candidates.find((p) => p && executable(p));
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && executable(join(dir, name)));
}

/**
 * Find Chromium, installing Debian's package when it is missing and this process may (root,
 * apt-get present). Never downloads a browser any other way.
 * @param {{ install?: boolean, log?: (line: string) => void }} [options]
 * @returns {{ path: string } | { path: undefined, reason: string }}
 */
export function ensureChromium({ install = true, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const found = findChromium();
  if (found) return { path: found };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!install) return { path: undefined, reason: 'no chromium at /usr/bin/chromium or on PATH' };
  if (!root) return { path: undefined, reason: 'no chromium at /usr/bin/chromium or on PATH, and not root to install it (apt-get install chromium)' };
  if (!onPath('apt-get')) return { path: undefined, reason: 'no chromium at /usr/bin/chromium or on PATH, and no apt-get to install it' };
  log('ensure-chromium: installing Debian\'s chromium package (apt-get update && apt-get install -y chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0) return { path: undefined, reason: `apt-get update failed (exit ${update.status})` };
  const installed = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (installed.status !== 0) return { path: undefined, reason: `apt-get install chromium failed (exit ${installed.status})` };
  const after = findChromium();
  return after ? { path: after } : { path: undefined, reason: 'apt-get installed chromium but no executable was found' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = ensureChromium();
  if (r.path) {
    let version = '';
    try {
      version = execFileSync(r.path, ['--version'], { encoding: 'utf8', timeout: 20000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // the version is only informative
    }
    process.stdout.write(`${r.path}${version ? ` (${version})` : ''}\n`);
  } else if (process.argv.includes('--optional')) {
    process.stderr.write(`ensure-chromium: ${r.reason}; the dashboard's browser tests will be SKIPPED\n`);
  } else {
    process.stderr.write(`ensure-chromium: ${r.reason}\n`);
    process.exitCode = 1;
  }
}
