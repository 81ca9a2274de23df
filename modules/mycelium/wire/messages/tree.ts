/**
 * SpanningTree messages (protocol.md §6.3): 90 bytes, big-endian:
 * op (1) ‖ ts u64 (ms) ‖ age u8 (s) ‖ claim (32) ‖ address (16) ‖ node id (32).
 */
import { ADDRESS_BYTES, NODE_ID_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';
import { isBytes, isU64, isUint, readU64, writeU64 } from './reader.js';

export { encodeTreeAge, treeAgeSeconds } from './tree-age.js';

export const TreeOp = Object.freeze({
  SEND: 0x00, // claim / advert of our root and address
  RESPOND: 0x0f, // reply to a worse claim
  REQUEST_ADDRESS_ASSIGNMENT: 0xf0, // ask a parent for a child address
  ASSIGN_ADDRESS: 0xff, // a parent's answer: address = the child's new address
} as const);

const OPS: readonly number[] = Object.freeze(Object.values(TreeOp));
export const TREE_MESSAGE_BYTES = 1 + 8 + 1 + NODE_ID_BYTES + ADDRESS_BYTES + NODE_ID_BYTES; // 90

export interface TreeMessage {
  readonly op: number;
  readonly ts: bigint; // sender clock, ms (informational)
  readonly age: number; // seconds since the sender's tree was refreshed: the byte (tree-age.ts's scale from 128 up)
  readonly claim: Uint8Array; // node id of the root the sender follows or proposes
  readonly address: Uint8Array; // sender's (or the assigned) address
  readonly nodeId: Uint8Array; // sender
}

export function serializeTree(m: TreeMessage): Result<Uint8Array> {
  if (!OPS.includes(m.op)) return fail('bad_message', `unknown tree op ${String(m.op)}`);
  if (!isU64(m.ts)) return fail('field_range', 'tree ts must be a bigint 0..2^64-1');
  if (!isUint(m.age, 255)) return fail('field_range', `tree age ${String(m.age)} must be 0..255 (encodeTreeAge)`);
  if (!isBytes(m.claim, NODE_ID_BYTES)) return fail('field_length', 'tree claim must be 32 bytes');
  if (!isBytes(m.address, ADDRESS_BYTES)) return fail('field_length', 'tree address must be 16 bytes');
  if (!isBytes(m.nodeId, NODE_ID_BYTES)) return fail('field_length', 'tree node id must be 32 bytes');
  const out = new Uint8Array(TREE_MESSAGE_BYTES);
  out[0] = m.op;
  writeU64(out, 1, m.ts);
  out[9] = m.age;
  out.set(m.claim, 10);
  out.set(m.address, 42);
  out.set(m.nodeId, 58);
  return ok(out);
}

export function parseTree(blob: Uint8Array): Result<TreeMessage> {
  if (blob.length < TREE_MESSAGE_BYTES) return fail('truncated', `a tree message is ${TREE_MESSAGE_BYTES} bytes, got ${blob.length}`);
  if (blob.length > TREE_MESSAGE_BYTES) return fail('bad_message', `a tree message is ${TREE_MESSAGE_BYTES} bytes, got ${blob.length}`);
  if (!OPS.includes(blob[0])) return fail('bad_message', `unknown tree op ${blob[0]}`);
  return ok({
    op: blob[0],
    ts: readU64(blob, 1),
    age: blob[9],
    claim: blob.subarray(10, 42),
    address: blob.subarray(42, 58),
    nodeId: blob.subarray(58, 90),
  });
}
