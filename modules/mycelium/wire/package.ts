/**
 * Package (protocol.md §3.1): what a packet body, or a reassembled sequence, carries:
 * app_id (16) ‖ SHA-256(blob)[:16] ‖ blob.
 */
import { APP_ID_BYTES, HALF_HASH_BYTES } from './constants.js';
import { fail, ok, type Result } from './result.js';
import type { Hashes } from '../platform/platform.js';

export const PACKAGE_HEADER_BYTES = APP_ID_BYTES + HALF_HASH_BYTES; // 32

export interface Package {
  readonly appId: Uint8Array; // 16 bytes
  readonly halfHash: Uint8Array; // 16 bytes: SHA-256(blob)[:16] as sent
  readonly blob: Uint8Array;
}

/** First 16 bytes of SHA-256(data). */
export function halfSha256(hashes: Hashes, data: Uint8Array): Uint8Array {
  return hashes.sha256(data).subarray(0, HALF_HASH_BYTES);
}

/** Serialize a Package for `blob`, computing its half hash. */
export function buildPackage(hashes: Hashes, appId: Uint8Array, blob: Uint8Array): Result<Uint8Array> {
  if (!(appId instanceof Uint8Array) || appId.length !== APP_ID_BYTES) {
    return fail('field_length', `app id must be ${APP_ID_BYTES} bytes, got ${appId instanceof Uint8Array ? appId.length : typeof appId}`);
  }
  const out = new Uint8Array(PACKAGE_HEADER_BYTES + blob.length);
  out.set(appId, 0);
  out.set(halfSha256(hashes, blob), APP_ID_BYTES);
  out.set(blob, PACKAGE_HEADER_BYTES);
  return ok(out);
}

/** Split Package bytes into its parts without copying. Does not verify the hash. */
export function parsePackage(bytes: Uint8Array): Result<Package> {
  if (bytes.length < PACKAGE_HEADER_BYTES) {
    return fail('truncated', `a Package needs ${PACKAGE_HEADER_BYTES} bytes, got ${bytes.length}`);
  }
  return ok({
    appId: bytes.subarray(0, APP_ID_BYTES),
    halfHash: bytes.subarray(APP_ID_BYTES, PACKAGE_HEADER_BYTES),
    blob: bytes.subarray(PACKAGE_HEADER_BYTES),
  });
}

/** True when the half hash matches the blob (the delivery check). */
export function verifyPackage(hashes: Hashes, p: Package): boolean {
  const h = hashes.sha256(p.blob);
  const half = p.halfHash;
  let i = 0; // declared outside the loop, as in bytesEqual: every Package delivered is checked
  for (; i < HALF_HASH_BYTES; i++) if (h[i] !== half[i]) return false;
  return true;
}
