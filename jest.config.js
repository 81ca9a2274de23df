/** Jest runs TypeScript through esbuild (no TypeScript compiler API needed, so any tsc version works). */
import { availableParallelism } from 'node:os';

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.cjs',
  },
  // Jest's default is one worker fewer than the cores, which on a 2-core machine is one worker,
  // and with one worker Jest runs every suite in band in its own process: half the machine idle.
  // The suites are parallel-safe (ports 0, private temp dirs), so use at least two.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Jest's 5 s default bounds async tests that take 1-2 s on a quiet machine (simulated runs,
  // child processes) and several times that on a loaded 2-core one; a hang still fails, later.
  testTimeout: 60_000,
  // The transform cache lives with the other caches (node_modules/.cache), not in /tmp.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  // A temp directory per run; the teardown fails the run if a test left anything in it.
  globalSetup: '<rootDir>/tests/support/temp-dir-setup.ts',
  globalTeardown: '<rootDir>/tests/support/temp-dir-teardown.ts',
};
