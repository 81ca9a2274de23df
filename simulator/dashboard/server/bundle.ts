/**
 * The page's script: simulator/dashboard/web/main.ts bundled with esbuild (sigma, graphology
 * and uPlot included; uPlot's style sheet is put before the page's) when the server starts, cached under node_modules/.cache/mycelium-dashboard/ by a
 * hash of the sources and the libraries' versions, so a fresh clone needs no build step.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import process from 'node:process';
import * as esbuild from 'esbuild';

export interface WebAssets {
  readonly js: string;
  readonly css: string;
  readonly html: string;
}

/** Source folders of the page (the trace code is shared with the server). */
function sourceFiles(root: string): string[] {
  const dirs = [join(root, 'simulator/dashboard/web'), join(root, 'simulator/dashboard/trace')];
  const out: string[] = [];
  for (const d of dirs) {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isFile()) out.push(p);
    }
  }
  return out;
}

function versionOf(root: string, pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Builds (or reads from the cache) the page's script, style sheet and HTML. */
export async function webAssets(root: string): Promise<WebAssets> {
  const web = join(root, 'simulator/dashboard/web');
  const hash = createHash('sha256');
  for (const f of sourceFiles(root)) hash.update(f).update('\0').update(readFileSync(f)).update('\0');
  for (const pkg of ['sigma', 'graphology', 'uplot', 'esbuild']) hash.update(`${pkg}@${versionOf(root, pkg)}\0`);
  const key = hash.digest('hex').slice(0, 16);
  const cacheDir = join(root, 'node_modules', '.cache', 'mycelium-dashboard');
  const cached = join(cacheDir, `app-${key}.js`);
  // Several processes may share the cache (parallel test workers, worktrees sharing node_modules):
  // a file can vanish between a check and a read, so read it and build when that fails.
  let js = readIfThere(cached);
  if (js === undefined) {
    const result = await esbuild.build({
      entryPoints: [join(web, 'main.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      absWorkingDir: root,
      nodePaths: [join(root, 'node_modules')],
    });
    js = result.outputFiles[0].text;
    mkdirSync(cacheDir, { recursive: true });
    // Older builds are of no use any more (this one may be another process's just-written copy).
    for (const f of readdirSync(cacheDir)) if (/^app-[0-9a-f]+\.js$/.test(f) && f !== basename(cached)) rmSync(join(cacheDir, f), { force: true });
    // Written aside and renamed, so a concurrent reader gets the whole file or none.
    const aside = `${cached}.${process.pid}.tmp`;
    writeFileSync(aside, js);
    renameSync(aside, cached);
  }
  // uPlot's own style sheet first, so the page's rules (style.css) override it.
  const uplotCss = readIfThere(join(root, 'node_modules', 'uplot', 'dist', 'uPlot.min.css')) ?? '';
  return { js, css: uplotCss + '\n' + readFileSync(join(web, 'style.css'), 'utf8'), html: readFileSync(join(web, 'index.html'), 'utf8') };
}
