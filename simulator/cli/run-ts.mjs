// Load a TypeScript entry in Node: bundle it with esbuild and import the result.
// (Node 20 cannot run .ts itself; the same sources also bundle for XS via bundle.mjs.)
// The bundle is written under node_modules/.cache so that the npm packages it leaves external
// (cli-progress, cli-table3, ...) resolve from the project's node_modules.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', '.cache', 'mycelium-ts');

export async function importTs(entryFile) {
  const out = await esbuild.build({
    entryPoints: [entryFile],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
  });
  const text = out.outputFiles[0].text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `${basename(entryFile).replace(/\.[cm]?ts$/, '')}-${hash}.mjs`);
  writeFileSync(file, text);
  return import(pathToFileURL(file).href);
}
