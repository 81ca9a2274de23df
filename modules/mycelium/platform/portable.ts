/**
 * Hashes in plain ECMAScript. A host whose engine has native digests (Node's `crypto`, Moddable's
 * `crypt`) should inject those; this is the fallback every engine can run.
 */
import type { Hashes } from './platform.js';
import { sha256 } from './sha256.js';
import { crc32 } from './crc32.js';

export const portableHashes: Hashes = Object.freeze({ sha256, crc32 });
