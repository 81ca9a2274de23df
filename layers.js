/**
 * The project's layers and what each may import: the one place the layering of the architecture
 * (data flows down on send, up on receive) is written down. eslint.config.js turns this list into
 * its no-restricted-imports blocks; tests/lint/layers.test.ts lints a snippet against every rule,
 * so a rule that stops biting is noticed.
 *
 * A layer is a folder and everything below it; the rules of every enclosing layer apply too (a
 * file in modules/mycelium/wire keeps the rules of modules/mycelium and of modules). A folder
 * ending in `/*` makes each of its sub-folders a layer of its own (each mod is one).
 *   never:    folders (or files, named without extension) the layer must not import
 *   only:     the folders it may import besides its own; any other relative import is refused
 *   typeOnly: files it may import with `import type` only (they vanish when compiled)
 *   bare:     false: no import by module name either (SDK modules, npm packages, Node built-ins)
 *   builtins: false: no Node built-in (node:*, fs, crypto, path, os)
 *   why:      the message ESLint prints
 * The rules check relative specifiers (how the project imports its own files). Hosts, tests,
 * scripts and bench sit on top and may import anything.
 */

/** @typedef {{ folder: string, never?: string[], only?: string[], typeOnly?: string[], bare?: false, builtins?: false, why: string }} Layer */

/** @type {readonly Layer[]} */
export const LAYERS = Object.freeze([
  {
    folder: 'modules',
    never: ['simulator', 'tests', 'scripts', 'bench', 'hosts', 'mods'],
    builtins: false,
    why: 'modules/ runs on XS in the firmware: no simulator, test, script, host or mod code, no Node built-ins',
  },
  {
    folder: 'modules/mycelium',
    never: ['modules/console', 'modules/status', 'modules/mesh-api', 'modules/host', 'modules/espnow', 'modules/sleep', 'modules/rylr998'],
    why: 'the protocol core knows no console, screen, mesh API, host or driver (radios come through the Radio contract)',
  },
  {
    folder: 'modules/mycelium/platform',
    only: [],
    why: 'platform is the seam every layer stands on: it imports nothing above it',
  },
  {
    folder: 'modules/mycelium/wire',
    only: ['modules/mycelium/platform'],
    why: 'wire is pure: it imports only wire itself and the platform types',
  },
  {
    folder: 'modules/mycelium/packager',
    never: ['modules/mycelium/apps', 'modules/mycelium/node'],
    why: 'the packager never imports the protocol services (apps) or the Node built on top of it',
  },
  {
    folder: 'modules/mesh-api',
    never: ['modules/console', 'modules/status', 'modules/host'],
    why: 'the mesh API stands on the core only: no console, screen or host',
  },
  {
    folder: 'modules/console',
    never: ['modules/host'],
    why: 'the console is shared by device, desktop and dashboard: it never imports host wiring',
  },
  {
    folder: 'modules/status',
    never: ['modules/host'],
    why: 'the status view model is pure: it never imports host wiring',
  },
  {
    folder: 'modules/espnow',
    only: [],
    why: 'drivers are named mycelium/<driver>/* on XS, so a relative import out of their folder resolves differently there',
  },
  {
    folder: 'modules/sleep',
    only: [],
    why: 'drivers are named mycelium/<driver>/* on XS, so a relative import out of their folder resolves differently there',
  },
  {
    folder: 'modules/rylr998',
    only: [],
    typeOnly: ['modules/mycelium/packager/radio'],
    why: 'drivers are named mycelium/<driver>/* on XS, so a relative import out of their folder resolves differently there (the Radio contract is a type only)',
  },
  {
    folder: 'mods/*',
    only: ['mods/common'],
    typeOnly: ['modules/mesh-api/api'],
    bare: false,
    builtins: false,
    why: 'a mod sees only its own files, mods/common and the mesh API contract (import type only)',
  },
  {
    folder: 'simulator',
    never: ['scripts', 'tests', 'bench'],
    why: 'scripts and tests import the simulator, never the reverse',
  },
]);

/** Node built-ins refused where `builtins: false`. */
export const NODE_BUILTINS = Object.freeze(['node:*', 'fs', 'crypto', 'path', 'os']);
