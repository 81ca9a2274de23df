// Load a TypeScript entry in Node: bundle it with esbuild in memory and import the result.
// (Node 20 cannot run .ts itself; the same sources also bundle for XS via bundle.mjs.)
import * as esbuild from 'esbuild';

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
  return import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
}
