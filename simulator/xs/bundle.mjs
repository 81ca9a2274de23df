/**
 * Bundle a TypeScript entry into one classic script that the XS engine can evaluate
 * (see ./xsnap.mjs). The output is an IIFE, strict mode ("use strict" is prepended, because
 * xsnap evaluates scripts with an indirect eval, which is sloppy by default, while the sources
 * are ES modules and therefore strict on Node), and may not import anything from Node.
 */
import { builtinModules } from 'node:module';
import * as esbuild from 'esbuild';

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

/** esbuild plugin: fail the build on any import of a Node built-in (node:*, fs, path, ...). */
const forbidNodeBuiltins = {
  name: 'forbid-node-builtins',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const spec = args.path;
      if (spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0])) {
        return {
          errors: [
            {
              text: `Node module "${spec}" cannot be used in code that runs on XS (imported from ${args.importer || '<entry>'})`,
            },
          ],
        };
      }
      return undefined;
    });
  },
};

/**
 * @param {string} entryFile path to a .ts/.js entry (relative paths are resolved from the cwd)
 * @param {{ globalName?: string, minify?: boolean, define?: Record<string, string> }} [options]
 *   globalName: also expose the entry's exports as globalThis[globalName]
 * @returns {Promise<string>} the classic-script source
 */
export async function bundleForXS(entryFile, { globalName, minify = false, define } = {}) {
  if (globalName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(globalName)) {
    throw new Error(`bundleForXS: globalName must be a plain identifier, got ${JSON.stringify(globalName)}`);
  }
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entryFile],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      mainFields: ['module', 'main'],
      charset: 'ascii',
      legalComments: 'none',
      sourcemap: false,
      minify,
      logLevel: 'silent',
      plugins: [forbidNodeBuiltins],
      ...(define ? { define } : {}),
      ...(globalName ? { globalName } : {}),
      // With "use strict" the eval's `var` stays local, so publish the global explicitly.
      banner: { js: '"use strict";' },
      ...(globalName ? { footer: { js: `globalThis[${JSON.stringify(globalName)}] = ${globalName};` } } : {}),
    });
  } catch (e) {
    const errors = /** @type {{ errors?: esbuild.Message[] }} */ (e).errors;
    if (errors?.length) {
      const text = (await esbuild.formatMessages(errors, { kind: 'error', color: false })).join('\n');
      throw new Error(`bundleForXS(${entryFile}) failed:\n${text}`, { cause: e });
    }
    throw e;
  }
  if (result.errors.length) {
    const text = (await esbuild.formatMessages(result.errors, { kind: 'error', color: false })).join('\n');
    throw new Error(`bundleForXS(${entryFile}) failed:\n${text}`);
  }
  const out = result.outputFiles?.[0];
  if (!out) throw new Error(`bundleForXS(${entryFile}): esbuild produced no output`);
  return out.text;
}
