// Jest transform: TypeScript → JavaScript with esbuild (type-stripping only; `tsc --noEmit`
// does the type-checking). esbuild ships a binary for every platform in the npm registry,
// unlike SWC's, so a clean `npm ci` works everywhere.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2022',
      sourcemap: 'external',
      sourcefile: filename,
    });
    return { code, map };
  },
};
