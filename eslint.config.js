import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { LAYERS, NODE_BUILTINS } from './layers.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const SOURCES = ['ts', 'mts', 'js', 'mjs'];

// ---- Layer rules (layers.js) as no-restricted-imports blocks ----
// Import specifiers are relative, so what reaches a folder depends on where the importing file
// sits: one block per folder, whose patterns are the rules of every layer enclosing it.

/** `folder` and every folder below it, project-relative. */
function foldersUnder(folder) {
  return [
    folder,
    ...readdirSync(join(ROOT, folder), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'node_modules' && e.name !== 'build')
      .flatMap((e) => foldersUnder(`${folder}/${e.name}`)),
  ];
}

/** The layers, `parent/*` expanded into one layer per sub-folder. */
function concreteLayers() {
  return LAYERS.flatMap((layer) => {
    if (!layer.folder.endsWith('/*')) return [layer];
    const parent = layer.folder.slice(0, -2);
    return readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => ({ ...layer, folder: `${parent}/${e.name}` }));
  });
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isFile = (target) => SOURCES.some((ext) => existsSync(join(ROOT, `${target}.${ext}`)));

/** A regex (no anchor) for the specifiers that, written in a file of `from`, reach `target`. */
function reach(from, target) {
  const rel = posix.relative(from, target);
  if (rel === '') return '\\./';
  if (/^\.\.(\/\.\.)*$/.test(rel)) return `\\./|(?:\\.\\./){1,${rel.split('/').length}}(?!\\.\\./)`; // an enclosing folder
  const spec = rel.startsWith('..') ? escape(rel) : `\\./${escape(rel)}`;
  return isFile(target) ? `${spec}(?:\\.[cm]?[jt]s)?$` : `${spec}/`;
}

/** The import patterns `layer` imposes on the files of `folder`. */
function layerPatterns(folder, layer) {
  const message = `${layer.why} (layers.js)`;
  const out = [];
  if (layer.bare === false) out.push({ regex: '^(?!\\.{1,2}/)', message });
  else if (layer.builtins === false) out.push({ group: [...NODE_BUILTINS], message });
  for (const target of layer.never ?? []) out.push({ regex: `^(?:${reach(folder, target)})`, message });
  if (layer.only) {
    const allowed = [layer.folder, ...layer.only, ...(layer.typeOnly ?? [])].map((t) => `(?:${reach(folder, t)})`);
    out.push({ regex: `^(?!${allowed.join('|')})\\.{1,2}/`, message });
  }
  for (const target of layer.typeOnly ?? []) {
    out.push({ regex: `^(?:${reach(folder, target)})`, allowTypeImports: true, message: `${message}: use import type` });
  }
  return out;
}

function layerBlocks() {
  const layers = concreteLayers();
  const folders = [...new Set(layers.flatMap((l) => foldersUnder(l.folder)))];
  return folders.map((folder) => {
    const enclosing = layers.filter((l) => folder === l.folder || folder.startsWith(`${l.folder}/`));
    // typescript-eslint's variant knows `import type`; the core rule is enough elsewhere.
    const rule = enclosing.some((l) => l.typeOnly) ? '@typescript-eslint/no-restricted-imports' : 'no-restricted-imports';
    return {
      files: SOURCES.map((ext) => `${folder}/*.${ext}`),
      rules: { [rule]: ['error', { patterns: enclosing.flatMap((l) => layerPatterns(folder, l)) }] },
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'bench/results.json', 'build/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.js', 'simulator/**/*.mjs', 'bin/*.mjs', '*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The protocol core runs on XS, on an ESP32 and in Node: ECMAScript built-ins only.
    files: ['modules/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', 'TextEncoder', 'TextDecoder', 'window', 'document', 'setTimeout', 'setInterval', 'console'],
    },
  },
  {
    // The core's hot paths: no RegExp held at module level. One preloaded into the firmware
    // (the Scheduler's app-id test) broke every app's timers on hosts/sim while xsnap and Node
    // were fine (session 8); keep regexes in instances, where preload does not freeze them.
    files: ['modules/mycelium/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'Program > VariableDeclaration > VariableDeclarator > Literal[regex]', message: 'no module-level RegExp in the core: preload freezes it into the firmware (see eslint.config.js)' }, { selector: 'Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > Literal[regex]', message: 'no module-level RegExp in the core: preload freezes it into the firmware (see eslint.config.js)' }],
    },
  },
  {
    // Mesh apps run as mods inside a Compartment: built-ins only, and the host only through the
    // mesh API object they are given (imports: see layers.js).
    files: ['mods/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', 'TextEncoder', 'TextDecoder', 'window', 'document', 'setTimeout', 'setInterval', 'console', 'trace'],
    },
  },
  ...layerBlocks(),
  {
    // Simulated devices: plain JS that mcsim compiles inside a Compartment providing Piu's globals.
    files: ['hosts/*/device/*.js'],
    languageOptions: { globals: { Behavior: 'readonly', Skin: 'readonly', Content: 'readonly', application: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
