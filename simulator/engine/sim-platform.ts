/**
 * The platform seam for a simulated node: the run's shared VirtualClock for time and timers,
 * the node's own seeded random stream, the given hashes, and a log that prefixes simulated time
 * and the node's name. Thousands of these share one clock.
 */
import { logRank, type Clock, type Hashes, type LogLevel, type Platform, type SharedValues, type Signatures, type Storage, type Timers } from '../../modules/mycelium/platform/platform.js';
import type { SeededRandom } from './random.js';

export interface SimPlatformOptions {
  clock: Clock & Timers;
  /** This node's stream, e.g. world.random.fork(`node/${index}`). */
  random: SeededRandom;
  /** Native hashes in Node (simulator/platform/node-hashes.ts), the portable ones in XS. */
  hashes: Hashes;
  /** Shown in log lines. */
  name: string;
  /** Where log lines go (default: dropped — thousands of nodes log a lot). */
  sink?: (line: string) => void;
  /** Lowest level passed to the sink (default 'info'). */
  logLevel?: LogLevel;
  storage?: Storage;
  /** Ed25519: node:crypto in Node (simulator/platform/node-signatures.ts), the portable one in XS. */
  signatures?: Signatures;
  /** One table of immutable values for all the run's nodes (simulator/platform/shared-values.ts). */
  shared?: SharedValues;
}

export function createSimPlatform(options: SimPlatformOptions): Platform {
  const { clock, random, name, sink, storage, hashes, signatures, shared } = options;
  const min = logRank(options.logLevel ?? 'info');
  return {
    now: () => clock.now(),
    setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    sha256: hashes.sha256,
    crc32: hashes.crc32,
    randomBytes: (into) => random.bytes(into),
    log: (level, message) => {
      if (sink && logRank(level) >= min) sink(`${clock.now().toFixed(3)} ${name} [${level}] ${message}`);
    },
    storage,
    signatures,
    shared,
  };
}
