/** Native SHA-256 and CRC-32 for Node hosts (tests, the simulator). */
import { createHash } from 'node:crypto';
import { crc32 } from '../../modules/mycelium/platform/crc32.js';
import type { Hashes } from '../../modules/mycelium/platform/platform.js';

export const nodeHashes: Hashes = Object.freeze({
  sha256: (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest()),
  crc32,
});
