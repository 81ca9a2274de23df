/** Types for bundle.mjs: bundle a TypeScript entry into a classic script for XS. */
export interface BundleForXSOptions {
  /** also expose the entry's exports as globalThis[globalName] (a plain identifier) */
  globalName?: string;
  minify?: boolean;
  /** esbuild `define` substitutions */
  define?: Record<string, string>;
  /** read the hot built-ins (Math.max, Uint8Array, …) once into constants of the bundle (the XS runner's worker) */
  hoistBuiltins?: boolean;
}

/** Bundles entryFile (IIFE, strict, es2022, no Node built-ins) and returns the script source. */
export function bundleForXS(entryFile: string, options?: BundleForXSOptions): Promise<string>;
