/**
 * Ping messages (protocol.md §6.4): 76 bytes, big-endian: op ‖ nonce ‖ metric ‖ ts1, ts2, ts3
 * (u64 ms) ‖ tree_state ‖ requester address (16) ‖ requester node id (32).
 */
import { ADDRESS_BYTES, NODE_ID_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';
import { isBytes, isU64, isUint, readU64, writeU64 } from './reader.js';

export const PingOp = Object.freeze({ REQUEST: 0, RESPOND: 1, GOSSIP_REQUEST: 2, GOSSIP_RESPOND: 3 } as const);
export const PING_MESSAGE_BYTES = 3 + 3 * 8 + 1 + ADDRESS_BYTES + NODE_ID_BYTES; // 76

export interface PingMessage {
  readonly op: number;
  readonly nonce: number;
  readonly metric: number; // 0 dTree, 1 dCPL
  readonly ts1: bigint; // requester send time
  readonly ts2: bigint; // responder time (0 in requests)
  readonly ts3: bigint; // set locally on arrival of the response (0 on the wire)
  readonly treeState: number; // of the requester's address
  readonly address: Uint8Array; // requester address
  readonly nodeId: Uint8Array; // requester node id
}

export function serializePing(m: PingMessage): Result<Uint8Array> {
  if (!isUint(m.op, 3)) return fail('bad_message', `unknown ping op ${String(m.op)}`);
  if (!isUint(m.nonce, 255) || !isUint(m.metric, 255) || !isUint(m.treeState, 255)) {
    return fail('field_range', 'ping nonce, metric and tree_state must be 0..255');
  }
  if (!isU64(m.ts1) || !isU64(m.ts2) || !isU64(m.ts3)) return fail('field_range', 'ping timestamps must be bigints 0..2^64-1');
  if (!isBytes(m.address, ADDRESS_BYTES)) return fail('field_length', 'ping address must be 16 bytes');
  if (!isBytes(m.nodeId, NODE_ID_BYTES)) return fail('field_length', 'ping node id must be 32 bytes');
  const out = new Uint8Array(PING_MESSAGE_BYTES);
  out[0] = m.op;
  out[1] = m.nonce;
  out[2] = m.metric;
  writeU64(out, 3, m.ts1);
  writeU64(out, 11, m.ts2);
  writeU64(out, 19, m.ts3);
  out[27] = m.treeState;
  out.set(m.address, 28);
  out.set(m.nodeId, 44);
  return ok(out);
}

export function parsePing(blob: Uint8Array): Result<PingMessage> {
  if (blob.length < PING_MESSAGE_BYTES) return fail('truncated', `a ping message is ${PING_MESSAGE_BYTES} bytes, got ${blob.length}`);
  if (blob.length > PING_MESSAGE_BYTES) return fail('bad_message', `a ping message is ${PING_MESSAGE_BYTES} bytes, got ${blob.length}`);
  if (blob[0] > 3) return fail('bad_message', `unknown ping op ${blob[0]}`);
  return ok({
    op: blob[0],
    nonce: blob[1],
    metric: blob[2],
    ts1: readU64(blob, 3),
    ts2: readU64(blob, 11),
    ts3: readU64(blob, 19),
    treeState: blob[27],
    address: blob.subarray(28, 44),
    nodeId: blob.subarray(44, 76),
  });
}
