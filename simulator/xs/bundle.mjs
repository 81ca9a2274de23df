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
 * Built-ins the nodes' code reads on nearly every frame, for `hoistBuiltins`: the static methods
 * as `define`s of an identifier, the constructors by their own names. On XS each read of a global
 * and each `Math.max` is a walk along the global object's or `Math`'s property list (in xsnap, a
 * `Uint8Array` read costs about 24 ns more than a closure's constant, `Math.max(a, b)` 125 ns more
 * than `a > b ? a : b`); the constants below are read once.
 */
const HOISTED_STATICS = {
  Math: ['max', 'min', 'floor', 'round', 'ceil', 'imul', 'abs', 'trunc'],
  Number: ['isInteger', 'isFinite'],
  Array: ['isArray'],
  String: ['fromCharCode'],
  Object: ['freeze', 'getPrototypeOf'],
};
const HOISTED_CONSTRUCTORS = ['Uint8Array', 'DataView', 'Map', 'Set', 'Error', 'ArrayBuffer', 'Float64Array', 'Uint32Array', 'Int32Array', 'Uint16Array', 'Number', 'Array', 'Object'];
const HOISTED_MODULE = 'xs-hoisted-builtins';

/** esbuild `define`s and the injected module that hold the hoisted built-ins. */
function hoistedBuiltins() {
  const define = {};
  const lines = [];
  for (const [owner, names] of Object.entries(HOISTED_STATICS)) {
    for (const name of names) {
      const id = `__xs_${owner}_${name}`;
      define[`${owner}.${name}`] = id;
      // Read through globalThis: `define` would rewrite `Math.max` here too.
      lines.push(`export const ${id} = globalThis.${owner}.${name};`);
    }
  }
  for (const name of HOISTED_CONSTRUCTORS) lines.push(`const __xs_${name} = globalThis.${name};`, `export { __xs_${name} as ${name} };`);
  const plugin = {
    name: 'xs-hoisted-builtins',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${HOISTED_MODULE}$`) }, () => ({ path: HOISTED_MODULE, namespace: HOISTED_MODULE }));
      build.onLoad({ filter: /.*/, namespace: HOISTED_MODULE }, () => ({ contents: lines.join('\n'), loader: 'js' }));
    },
  };
  return { define, plugin };
}

/**
 * @param {string} entryFile path to a .ts/.js entry (relative paths are resolved from the cwd)
 * @param {{ globalName?: string, minify?: boolean, define?: Record<string, string>, hoistBuiltins?: boolean }} [options]
 *   globalName: also expose the entry's exports as globalThis[globalName]
 *   hoistBuiltins: read the hot built-ins (HOISTED_STATICS, HOISTED_CONSTRUCTORS) once, into
 *   constants of the bundle (the XS runner's worker: the same objects, fewer property walks)
 * @returns {Promise<string>} the classic-script source
 */
export async function bundleForXS(entryFile, { globalName, minify = false, define, hoistBuiltins = false } = {}) {
  if (globalName !== undefined && !/^[A-Za-z_$][\w$]*$/.test(globalName)) {
    throw new Error(`bundleForXS: globalName must be a plain identifier, got ${JSON.stringify(globalName)}`);
  }
  const hoisted = hoistBuiltins ? hoistedBuiltins() : undefined;
  const defines = hoisted ? { ...hoisted.define, ...define } : define;
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
      plugins: hoisted ? [forbidNodeBuiltins, hoisted.plugin] : [forbidNodeBuiltins],
      ...(hoisted ? { inject: [HOISTED_MODULE] } : {}),
      ...(defines ? { define: defines } : {}),
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
