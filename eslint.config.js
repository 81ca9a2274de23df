import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'crypto', 'path', 'os'] }],
    },
  },
  {
    // Mesh apps run as mods inside a Compartment: built-ins only, and the host only through the
    // mesh API object they are given (types may be imported; they vanish when compiled).
    files: ['mods/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'Buffer', 'process', 'require', 'TextEncoder', 'TextDecoder', 'window', 'document', 'setTimeout', 'setInterval', 'console', 'trace'],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'crypto', 'path', 'os', '**/modules/**', '**/simulator/**'], allowTypeImports: true, message: 'an app reaches the host only through the mesh API object (import type only)' }] },
      ],
    },
  },
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
