/**
 * The mesh Platform on Node.js: the host platform of modules/host (the same one boards use)
 * given Node's clock, timers, SHA-256, Ed25519 and random bytes, and a storage kept in the node's file.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { hostPlatform } from '../../modules/host/platform.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import type { LogLevel, Platform, Storage } from '../../modules/mycelium/platform/platform.js';

export function nodePlatform(storage: Storage, write: (line: string) => void, level: LogLevel): Platform {
  const base = hostPlatform({
    // Wall-clock based (monotonic within the process): Ping's one-way delays compare the
    // sender's and the receiver's clocks, which then agree between nodes on one machine.
    now: () => performance.timeOrigin + performance.now(),
    timer: {
      set: (callback, delayMs) => setTimeout(callback, delayMs),
      clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
    },
    sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
    random: (into) => randomFillSync(into),
    write,
    level,
  });
  return { ...base, storage, signatures: nodeSignatures };
}
