/**
 * Jest global teardown: fails the run when a test left files in the run's temp directory (see
 * temp-dir-setup.ts), naming them; removes the directory either way.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';

function listed(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push(p);
    if (e.isDirectory()) out.push(...listed(p));
  }
  return out;
}

export default function teardown(): void {
  const dir = process.env.MYCELIUM_TEST_TMPDIR;
  if (!dir) return;
  const left = listed(dir).map((p) => relative(dir, p));
  rmSync(dir, { recursive: true, force: true });
  const was = process.env.MYCELIUM_TEST_TMPDIR_WAS;
  if (was) process.env.TMPDIR = was;
  else delete process.env.TMPDIR;
  if (left.length > 0) {
    throw new Error(
      `tests left ${left.length} file(s) in the temp directory (clean up in afterAll or finally):\n  ${left.slice(0, 20).join('\n  ')}`,
    );
  }
}
