// Load a TypeScript entry in Node: bundle it with esbuild and import the result.
// (Node 20 cannot run .ts itself; the same sources also bundle for XS via bundle.mjs.)
// The bundle is written under node_modules/.cache so that the npm packages it leaves external
// (cli-progress, cli-table3, ...) resolve from the project's node_modules.
//
// The build is cached: next to each bundle a manifest lists the source files that went into it
// with their size and modification time. When none changed, the bundle is imported without
// running esbuild (start-up in a fraction of the bundling time); any change rebuilds.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'mycelium-ts');

/** The manifest of `entryFile`'s cached build (one per entry path: worktrees do not share it). */
function manifestPath(entryFile) {
  const key = createHash('sha256').update(resolve(entryFile)).digest('hex').slice(0, 16);
  return join(CACHE, `${basename(entryFile).replace(/\.[cm]?ts$/, '')}-${key}.json`);
}

/** The cached bundle's path if every input is as it was when it was built. */
function cachedBundle(entryFile) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath(entryFile), 'utf8'));
    statSync(manifest.bundle);
  } catch {
    return undefined;
  }
  for (const [file, size, mtimeMs] of manifest.inputs) {
    let st;
    try {
      st = statSync(file);
    } catch {
      return undefined;
    }
    if (st.size !== size || st.mtimeMs !== mtimeMs) return undefined;
  }
  return manifest.bundle;
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Import a TypeScript entry (built, or taken from the cache). */
export async function importTs(entryFile) {
  return import(pathToFileURL(await buildTs(entryFile)).href);
}

/**
 * The path of `entryFile`'s bundle (an ES module), built unless the cache has it: what a Worker
 * thread starts from (`new Worker(path)`), since a worker begins at a file, not a module object.
 */
export async function buildTs(entryFile) {
  const cached = cachedBundle(entryFile);
  if (cached) return cached;
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entryFile],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
  });
  const text = out.outputFiles[0].text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${basename(entryFile).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`);
  writeAtomic(file, text);
  try {
    const inputs = Object.keys(out.metafile.inputs).map((input) => {
      const path = resolve(ROOT, input);
      const st = statSync(path);
      return [path, st.size, st.mtimeMs];
    });
    writeAtomic(manifestPath(entryFile), JSON.stringify({ bundle: file, inputs }));
  } catch {
    // an input vanished meanwhile: no manifest, the next start builds again
  }
  return file;
}
