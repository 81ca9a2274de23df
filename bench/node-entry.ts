/**
 * Entry of the benchmark bundle for Node (bundled to ESM in memory by scripts/bench.mjs): the same
 * cases as bench/xs-entry.ts, with either the portable hashes (the code XS runs) or Node's native ones.
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import { nodeHashes } from '../simulator/platform/node-hashes.js';

export { DEFAULT_TIMING, benchSink, listCases, measure, runAll, runCase } from './cases.js';
export type { CaseInfo, CaseResult, Measurement, Reference, TimingOptions } from './cases.js';
export { portableHashes, nodeHashes };
