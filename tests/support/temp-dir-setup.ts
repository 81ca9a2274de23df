/**
 * Jest global setup: the whole run gets a temp directory of its own. TMPDIR (which os.tmpdir(),
 * mkdtemp, Playwright's Chromium profile, gcc and esbuild all honour) points into it, and the
 * workers, started after this, inherit it. The teardown (temp-dir-teardown.ts) fails the run if
 * anything is left in it, so a test that forgets to clean up is noticed at once instead of
 * filling the machine's /tmp; a private directory means other processes on a shared machine
 * cannot cause false alarms.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

export default function setup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mycelium-jest-'));
  process.env.MYCELIUM_TEST_TMPDIR = dir; // the teardown's (loaded on its own, so no shared import)
  process.env.MYCELIUM_TEST_TMPDIR_WAS = process.env.TMPDIR ?? '';
  process.env.TMPDIR = dir;
  process.env.TMP = dir;
  process.env.TEMP = dir;
}
