/**
 * Gossip messages (protocol.md §6.2): op (1) ‖ topic id (16) ‖ data (rest).
 */
import { fail, ok, type Result } from '../result.js';
import type { Hashes } from '../../platform/platform.js';
import { isBytes } from './reader.js';

export const GossipOp = Object.freeze({
  REQUEST: 0x00, // topic field = wanted message id, data = requester node id
  REQUEST_IDS: 0x01, // data = requester node id
  NOTIFY: 0x0f, // data = 16-byte id of a large message
  PUBLISH: 0xf0, // data = payload
  RESPOND: 0xfe, // data = payload (sync answer)
  RESPOND_IDS: 0xff, // data = concatenated 16-byte message ids
} as const);

const OPS: readonly number[] = Object.freeze(Object.values(GossipOp));
export const TOPIC_BYTES = 16;
const HEADER = 1 + TOPIC_BYTES;
/** Data above this is announced by NOTIFY rather than re-flooded: 235 − 17 − 32 (one RYLR packet). */
export const GOSSIP_LARGE_THRESHOLD = 186;

export interface GossipMessage {
  readonly op: number;
  readonly topic: Uint8Array;
  readonly data: Uint8Array;
}

export function serializeGossip(m: GossipMessage): Result<Uint8Array> {
  if (!OPS.includes(m.op)) return fail('bad_message', `unknown gossip op ${String(m.op)}`);
  if (!isBytes(m.topic, TOPIC_BYTES)) return fail('field_length', 'gossip topic id must be 16 bytes');
  const out = new Uint8Array(HEADER + m.data.length);
  out[0] = m.op;
  out.set(m.topic, 1);
  out.set(m.data, HEADER);
  return ok(out);
}

/** Parse without copying. Upstream accepts a message shorter than its 17-byte header; we don't. */
export function parseGossip(blob: Uint8Array): Result<GossipMessage> {
  if (blob.length < HEADER) return fail('truncated', `a gossip message needs ${HEADER} bytes, got ${blob.length}`);
  if (!OPS.includes(blob[0])) return fail('bad_message', `unknown gossip op ${blob[0]}`);
  return ok({ op: blob[0], topic: blob.subarray(1, HEADER), data: blob.subarray(HEADER) });
}

/**
 * Message id = SHA-256(serialized message)[:16] (the op byte included): a view into the digest,
 * which is the caller's own (a copy was a second allocation on every gossip frame; issue 21).
 */
export function gossipMessageId(hashes: Hashes, serialized: Uint8Array): Uint8Array {
  return hashes.sha256(serialized).subarray(0, 16);
}

/** True when the data is too large to re-flood and is announced by NOTIFY instead. */
export function isLargeGossip(data: Uint8Array): boolean {
  return data.length > GOSSIP_LARGE_THRESHOLD;
}

/** Topic of an app's per-node channel: SHA-256(app id ‖ node id)[:16] (Ping, DebugApp). */
export function nodeTopic(hashes: Hashes, appId: Uint8Array, nodeId: Uint8Array): Uint8Array {
  const input = new Uint8Array(appId.length + nodeId.length);
  input.set(appId, 0);
  input.set(nodeId, appId.length);
  return hashes.sha256(input).slice(0, TOPIC_BYTES);
}
