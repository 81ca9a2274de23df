/**
 * Identifier derivations (protocol.md §3.2, §3.3, §5.4, §6.3, §7.1). All hashes come through the
 * injected `Hashes`, so a device uses its native SHA-256.
 */
import { APP_ID_BYTES, INTERFACE_ID_BYTES, NODE_ID_BYTES } from './constants.js';
import { u32be, utf8Encode, concatBytes } from './bytes.js';
import { getSchema } from './schemas.js';
import { fail, ok, type Result } from './result.js';
import type { Hashes } from '../platform/platform.js';

/** app_id = SHA-256(utf8(name) ‖ utf8(description) ‖ u32_be(version))[:16]. */
export function appId(hashes: Hashes, name: string, description: string, version: number): Result<Uint8Array> {
  if (!Number.isInteger(version) || version < 0 || version > 0xffffffff) {
    return fail('field_range', `app version ${String(version)} must be an integer 0..4294967295`);
  }
  const digest = hashes.sha256(concatBytes(utf8Encode(name), utf8Encode(description), u32be(version)));
  return ok(digest.slice(0, APP_ID_BYTES));
}

/** interface id = SHA-256(utf8(name) ‖ u32_be(bitrate) ‖ one byte per supported schema id)[:4]. */
export function interfaceId(hashes: Hashes, name: string, bitrate: number, schemaIds: readonly number[]): Result<Uint8Array> {
  if (!Number.isInteger(bitrate) || bitrate < 0 || bitrate > 0xffffffff) {
    return fail('field_range', `bitrate ${String(bitrate)} must be an integer 0..4294967295`);
  }
  if (schemaIds.length === 0) return fail('no_schema', 'an interface must support at least one schema (the first is its default)');
  for (const id of schemaIds) if (!getSchema(id)) return fail('unknown_schema', `unsupported schema id ${id}`);
  const digest = hashes.sha256(concatBytes(utf8Encode(name), u32be(bitrate), Uint8Array.from(schemaIds)));
  return ok(digest.slice(0, INTERFACE_ID_BYTES));
}

/** node id = SHA-256(SHA-256(unique chip id)): 32 bytes. */
export function nodeIdFromUniqueId(hashes: Hashes, uniqueId: Uint8Array): Uint8Array {
  return hashes.sha256(hashes.sha256(uniqueId));
}

/** tree_state = the high byte of CRC-32(root node id). */
export function treeState(hashes: Hashes, claim: Uint8Array): number {
  return hashes.crc32(claim) >>> 24;
}

/** The four claim-score targets: ASCII "1234", "4321", "5678", "8765", each repeated 8 times. */
export const ROOT_ID_TARGETS: readonly Uint8Array[] = Object.freeze(
  ['1234', '4321', '5678', '8765'].map((s) => utf8Encode(s.repeat(8))),
);

/**
 * Root-election score: claim XOR target, read as a big-endian integer; lower wins. Returned as
 * the 32 XOR bytes: comparing them with `compareBytes` orders scores exactly as the integers.
 */
export function claimScore(claim: Uint8Array, target: Uint8Array = ROOT_ID_TARGETS[0]): Uint8Array {
  const out = new Uint8Array(NODE_ID_BYTES);
  for (let i = 0; i < NODE_ID_BYTES; i++) out[i] = (claim[i] ?? 0) ^ target[i];
  return out;
}
