/**
 * The Moddable manifests of modules/console and modules/status. XS resolves a relative import
 * against the importing module's *name*, so `../mycelium/node.js` from `console/console` only
 * finds `mycelium/node` if every module's name is its path under modules/ (the root manifest
 * names `modules/mycelium/node.ts` `mycelium/node`). A file missing from a manifest would only
 * fail on the device, at run time: both are checked here.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const MODULES = 'modules';

interface Manifest {
  include?: string[];
  modules: Record<string, string>;
  preload: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Module name → source path (without extension, relative to modules/), globs expanded. */
function mapped(dir: string, manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, target] of Object.entries(manifest.modules)) {
    const base = relative(MODULES, join(dir, target));
    if (name.endsWith('/*')) {
      const folder = join(dir, target.slice(0, -2));
      for (const f of readdirSync(folder).filter((x) => x.endsWith('.ts'))) {
        out.set(name.slice(0, -1) + f.slice(0, -3), relative(MODULES, join(folder, f.slice(0, -3))));
      }
    } else out.set(name, base);
  }
  return out;
}

test.each(['console', 'status'])('modules/%s/manifest.json maps every file under its own path, preloaded', (folder) => {
  const dir = join(MODULES, folder);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const names = mapped(dir, manifest);
  for (const [name, path] of names) expect(name).toBe(path);
  const files = tsFiles(dir).map((f) => relative(MODULES, f).slice(0, -3));
  expect([...names.values()].sort()).toEqual(files.sort());
  for (const name of names.keys()) {
    expect(manifest.preload.some((p) => p === name || (p.endsWith('/*') && name.startsWith(p.slice(0, -1)) && !name.slice(p.length - 1).includes('/')))).toBe(true);
  }
});

test('the console manifest brings the status modules it imports', () => {
  const manifest = JSON.parse(readFileSync('modules/console/manifest.json', 'utf8')) as Manifest;
  expect(manifest.include).toContain('../status/manifest.json');
});
