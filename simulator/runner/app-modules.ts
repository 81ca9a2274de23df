/**
 * Scenario apps given by module path (`apps: [{ "module": "./my-app/mod.ts" }]`, SCENARIOS.md):
 * each module is bundled once per run with bundleForXS (one strict classic script, no Node
 * built-ins: the same rules as a mod that runs on a board) and its default export is the app's
 * `AppMain`. The in-process runner evaluates the script here; the XS runner appends the same
 * script to its worker bundle (xsWorkerAppScript), so both runners run the same bytes.
 */
import type { AppMain } from '../../modules/mesh-api/api.js';
import type { Scenario } from '../scenario/types.js';
import { bundleForXS } from '../xs/bundle.mjs';
import { MODULE_APPS_GLOBAL } from './module-apps-global.js';

export interface AppModule {
  /** The app's name in the scenario (and the report). */
  readonly name: string;
  readonly path: string;
  /** The bundled module: a classic script that sets globalThis[global] to the module's exports. */
  readonly script: string;
  readonly global: string;
  readonly main: AppMain;
}


export type AppModulesResult = { ok: true; modules: AppModule[] } | { ok: false; error: string };

/** Bundle and evaluate every module app of the scenario (none: an empty list, nothing bundled). */
export async function loadAppModules(s: Scenario): Promise<AppModulesResult> {
  const modules: AppModule[] = [];
  const seen = new Set<string>();
  for (const [i, a] of s.apps.entries()) {
    if (a.module === undefined || seen.has(a.app)) continue;
    seen.add(a.app);
    const global = `__myceliumSimApp${modules.length}`;
    let script: string;
    try {
      script = await bundleForXS(a.module, { globalName: global });
    } catch (e) {
      return { ok: false, error: `apps[${i}].module: cannot bundle ${a.module}: ${(e as Error).message}` };
    }
    let exports: { default?: unknown };
    try {
      // The script publishes its exports on `globalThis`: hand it a stand-in so nothing leaks
      // into this process's globals (reads still see the real ones).
      const shadow = Object.create(globalThis) as Record<string, unknown>;
      exports = new Function('globalThis', `${script}\nreturn ${global};`)(shadow) as { default?: unknown };
    } catch (e) {
      return { ok: false, error: `apps[${i}].module: ${a.module} threw while loading: ${(e as Error).message}` };
    }
    if (typeof exports?.default !== 'function') return { ok: false, error: `apps[${i}].module: ${a.module} has no default export function (the app's start(mesh, options))` };
    modules.push({ name: a.app, path: a.module, script, global, main: exports.default as AppMain });
  }
  return { ok: true, modules };
}

/** Module app name → entry function, for SimNode. */
export function appMainsOf(modules: readonly AppModule[]): Readonly<Record<string, AppMain>> {
  return Object.freeze(Object.fromEntries(modules.map((m) => [m.name, m.main])));
}

/** What the XS runner appends to its worker script: the modules, then the name → entry table. */
export function xsWorkerAppScript(modules: readonly AppModule[]): string {
  if (modules.length === 0) return '';
  const table = modules.map((m) => `${JSON.stringify(m.name)}: globalThis.${m.global}.default`).join(', ');
  return `\n${modules.map((m) => m.script).join('\n')}\nglobalThis.${MODULE_APPS_GLOBAL} = { ${table} };\n`;
}
