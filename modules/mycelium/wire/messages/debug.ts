/**
 * DebugApp messages (protocol.md §6.5): op u8 ‖ ts u32 (s) ‖ nonce u16 ‖ from id (32) ‖ data.
 */
import { NODE_ID_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';
import type { Hashes } from '../../platform/platform.js';
import { isBytes, isUint, readU32, writeU32 } from './reader.js';

export const DebugOp = Object.freeze({
  REQUEST_NODE_INFO: 0,
  REQUEST_PEER_LIST: 1,
  REQUEST_ROUTES: 2,
  REQUEST_NEXT_HOP: 3, // data: metric u8, tree_state u8, address 16
  RESPOND_NODE_INFO: 100, // data: JSON
  RESPOND_PEER_LIST: 101,
  RESPOND_ROUTES: 102,
  RESPOND_NEXT_HOP: 103,
  OK: 200,
  AUTH_ERROR: 201,
  REQUIRE_SET_PW: 251, // data: len ‖ new password ‖ password
  REQUIRE_BAN: 252, // data: len ‖ node id ‖ password
  REQUIRE_UNBAN: 253,
  REQUIRE_REFLECT: 254, // data: len ‖ inner message ‖ password
  REQUIRE_RESET: 255, // data: 0x00 ‖ password
} as const);

const OPS: readonly number[] = Object.freeze(Object.values(DebugOp));
export const DEBUG_HEADER_BYTES = 1 + 4 + 2 + NODE_ID_BYTES; // 39

/** Upstream's default admin password hash (plaintext unknown): SHA-256(password)[:16]. */
export const DEFAULT_ADMIN_PASS_HASH = Uint8Array.of(
  0x32, 0x54, 0x9b, 0xff, 0x6d, 0x84, 0x04, 0xc4, 0xd1, 0x21, 0xb5, 0x89, 0xf4, 0xd2, 0x4a, 0xc6,
);

export interface DebugMessage {
  readonly op: number;
  readonly ts: number; // seconds, u32
  readonly nonce: number; // u16
  readonly fromId: Uint8Array;
  readonly data: Uint8Array;
}

export function serializeDebug(m: DebugMessage): Result<Uint8Array> {
  if (!OPS.includes(m.op)) return fail('bad_message', `unknown debug op ${String(m.op)}`);
  if (!isUint(m.ts, 0xffffffff)) return fail('field_range', 'debug ts must be 0..2^32-1');
  if (!isUint(m.nonce, 0xffff)) return fail('field_range', 'debug nonce must be 0..65535');
  if (!isBytes(m.fromId, NODE_ID_BYTES)) return fail('field_length', 'debug from id must be 32 bytes');
  const out = new Uint8Array(DEBUG_HEADER_BYTES + m.data.length);
  out[0] = m.op;
  writeU32(out, 1, m.ts);
  out[5] = m.nonce >> 8;
  out[6] = m.nonce & 255;
  out.set(m.fromId, 7);
  out.set(m.data, DEBUG_HEADER_BYTES);
  return ok(out);
}

export function parseDebug(blob: Uint8Array): Result<DebugMessage> {
  if (blob.length < DEBUG_HEADER_BYTES) return fail('truncated', `a debug message needs ${DEBUG_HEADER_BYTES} bytes, got ${blob.length}`);
  if (!OPS.includes(blob[0])) return fail('bad_message', `unknown debug op ${blob[0]}`);
  return ok({
    op: blob[0],
    ts: readU32(blob, 1),
    nonce: (blob[5] << 8) | blob[6],
    fromId: blob.subarray(7, DEBUG_HEADER_BYTES),
    data: blob.subarray(DEBUG_HEADER_BYTES),
  });
}

/**
 * Upstream's admin check: data = u8(len) ‖ more ‖ password; accepted when SHA-256(data)[:16] or
 * SHA-256(data[len+1:])[:16] equals the stored hash. (Clear-text password in a flooded message;
 * replay protection is the DebugApp's job.)
 */
export function adminAuthAccepted(hashes: Hashes, data: Uint8Array, passHash: Uint8Array): boolean {
  if (data.length === 0 || passHash.length !== 16) return false;
  const matches = (d: Uint8Array) => {
    const h = hashes.sha256(d);
    for (let i = 0; i < 16; i++) if (h[i] !== passHash[i]) return false;
    return true;
  };
  return matches(data) || matches(data.subarray(Math.min(data[0] + 1, data.length)));
}
