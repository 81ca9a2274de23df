/** Jest runs TypeScript through esbuild (no TypeScript compiler API needed, so any tsc version works). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.cjs',
  },
  // The transform cache lives with the other caches (node_modules/.cache), not in /tmp.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // A temp directory per run; the teardown fails the run if a test left anything in it.
  globalSetup: '<rootDir>/tests/support/temp-dir-setup.ts',
  globalTeardown: '<rootDir>/tests/support/temp-dir-teardown.ts',
};
