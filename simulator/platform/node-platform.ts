/**
 * The platform seam implemented for Node (tests, command-line tools): the process clock and
 * timers, native SHA-256, CRC-32, Ed25519, crypto randomness, console logging and optional in-memory storage.
 */
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { logRank, type LogLevel, type Platform, type Storage, type TimerHandle } from '../../modules/mycelium/platform/platform.js';
import { nodeHashes } from './node-hashes.js';
import { nodeSignatures } from './node-signatures.js';

export class MemoryStorage implements Storage {
  readonly #map = new Map<string, Uint8Array>();
  get(key: string): Uint8Array | undefined {
    return this.#map.get(key)?.slice();
  }
  set(key: string, value: Uint8Array): void {
    this.#map.set(key, value.slice());
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
}

export interface NodePlatformOptions {
  /** Lowest level printed; default 'info'. */
  logLevel?: LogLevel;
  /** Where log lines go; default console.error. */
  sink?: (line: string) => void;
  storage?: Storage;
}

export function createNodePlatform(options: NodePlatformOptions = {}): Platform {
  const min = logRank(options.logLevel ?? 'info');
  const sink = options.sink ?? ((line: string) => console.error(line));
  return {
    now: () => performance.now(),
    setTimeout: (callback: () => void, delayMs: number): TimerHandle => setTimeout(callback, delayMs),
    clearTimeout: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    sha256: nodeHashes.sha256,
    crc32: nodeHashes.crc32,
    randomBytes: (into: Uint8Array) => randomFillSync(into),
    log: (level: LogLevel, message: string) => {
      if (logRank(level) >= min) sink(`[${level}] ${message}`);
    },
    storage: options.storage,
    signatures: nodeSignatures,
  };
}
