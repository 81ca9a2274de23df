/**
 * Finds the mod installed on this device (`mcrun`, Moddable's mods: documentation/xs/mods.md)
 * and loads its entry module, `mod`, inside a Compartment whose only modules are the mod's own.
 * The Compartment has its own globals (ECMAScript built-ins only: no `trace`, no Timer, no
 * host module) and the built-ins are frozen by preload, so the app reaches the mesh only
 * through the API object the host then hands it (mesh-api/).
 *
 * Moddable-only (the `modules` module, `globalThis.archive`); the host's main calls it after
 * the mesh has started, so a mod that fails to load leaves the mesh running.
 */
import Modules from 'modules';
import type { MeshHost } from './mesh-host.js';
import type { AppMain } from '../mesh-api/api.js';
import { resolveSpecifier } from './mod-specifier.js';

export interface InstalledMod {
  /** The app's name: `config.app` from its manifest, else "mod". */
  readonly name: string;
  /** The entry module's default export (AppRunner checks it is a function). */
  readonly main: unknown;
  /** The mod's manifest `config` (the `mod/config` module), passed to the app as its options. */
  readonly options: Readonly<Record<string, unknown>>;
}

export type ModLookup = { readonly found: false } | { readonly found: true; readonly ok: true; readonly mod: InstalledMod } | { readonly found: true; readonly ok: false; readonly error: string };

/** The entry module every app's manifest names (`"modules": { "mod": "./chat", … }`). */
export const MOD_ENTRY = 'mod';
const MOD_CONFIG = 'mod/config';

interface ModuleDescriptor {
  readonly archive: unknown;
  readonly path: string;
}

interface CompartmentLike {
  importNow(specifier: string): Record<string, unknown>;
}

type CompartmentConstructor = new (options: {
  globals: Record<string, unknown>;
  modules: Record<string, ModuleDescriptor>;
  resolveHook(specifier: string, referrer: string): string;
  loadNowHook(specifier: string): ModuleDescriptor;
}) => CompartmentLike;

export function loadInstalledMod(): ModLookup {
  const g = globalThis as unknown as { archive?: unknown; Compartment?: CompartmentConstructor };
  const archive = g.archive;
  if (!archive) return { found: false };
  try {
    const names = Modules.archive.map((n) => String(n));
    if (!names.includes(MOD_ENTRY)) return { found: true, ok: false, error: `the installed mod has no module named "${MOD_ENTRY}" (it has ${names.join(', ') || 'none'})` };
    if (typeof g.Compartment !== 'function') return { found: true, ok: false, error: 'this host was built without Compartment' };
    const modules: Record<string, ModuleDescriptor> = {};
    for (const path of names) modules[path] = { archive, path };
    const compartment = new g.Compartment({
      globals: {},
      modules,
      resolveHook: resolveSpecifier,
      // Anything outside the mod (host modules included) is refused: the mesh API is the way in.
      loadNowHook(specifier: string): ModuleDescriptor {
        throw new Error(`a mod may import only its own modules, not "${specifier}"`);
      },
    });
    const options = names.includes(MOD_CONFIG) ? plainOptions(compartment.importNow(MOD_CONFIG).default) : {};
    const main = compartment.importNow(MOD_ENTRY).default;
    const name = typeof options.app === 'string' && options.app ? options.app : MOD_ENTRY;
    delete options.app;
    return { found: true, ok: true, mod: { name, main, options } };
  } catch (e) {
    return { found: true, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Keys mcrun itself puts in a mod's config (pixel format, rotation), not the app's options. */
const MCRUN_KEYS: readonly string[] = Object.freeze(['format', 'rotation']);

function plainOptions(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) if (!MCRUN_KEYS.includes(k)) out[k] = typed(v);
  return out;
}

/** Values set on mcrun's command line (`interval_s=10 collector=true`) arrive as text. */
function typed(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return /^-?[0-9]{1,15}(\.[0-9]+)?$/.test(v) ? Number(v) : v;
}

/**
 * Start the installed mod's app on `host`, saying on the console what happened: no mod, a mod
 * that did not load (and why), or the app running. A failing app is reported by MeshHost.
 */
export function startInstalledMod(host: MeshHost, write: (line: string) => void): void {
  const found = loadInstalledMod();
  if (!found.found) return write('no app installed (install one with mcrun: see mods/README.md)');
  if (!found.ok) return write(`app not loaded: ${found.error}`);
  // AppRunner checks that it really is a function before calling it.
  const runner = host.startApp(found.mod.name, found.mod.main as AppMain, found.mod.options);
  if (runner.status.state === 'running') write(`app ${found.mod.name} running`);
}
