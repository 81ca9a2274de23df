/**
 * A sleepy leaf asks a routing neighbour where a node is (docs/sleep.md "Sleepy leaves"): two of
 * Hello's own ops, by unicast between neighbours that speak Hello (upstream never sees Hello; our
 * older builds drop them as unknown hello ops). The layouts follow StoreForward's HERE.
 *
 *   WHERE  op 0x04 | node id 32                              (33 B)
 *   HERE   op 0x05 | node id 32 | tree state u8 | address 16  (50 B)
 */
import { Address } from '../address.js';
import { ADDRESS_BYTES, NODE_ID_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';

export const HELLO_WHERE_OP = 0x04;
export const HELLO_HERE_OP = 0x05;

const WHERE_BYTES = 1 + NODE_ID_BYTES;
const HERE_BYTES = 1 + NODE_ID_BYTES + 1 + ADDRESS_BYTES;

export interface HereIs {
  readonly nodeId: Uint8Array;
  readonly address: Address;
}

export function serializeWhereIs(nodeId: Uint8Array): Result<Uint8Array> {
  if (nodeId.length !== NODE_ID_BYTES) return fail('field_length', 'a node id needs 32 bytes');
  const out = new Uint8Array(WHERE_BYTES);
  out[0] = HELLO_WHERE_OP;
  out.set(nodeId, 1);
  return ok(out);
}

/** The node id a WHERE asks about. */
export function parseWhereIs(blob: Uint8Array): Result<Uint8Array> {
  if (blob.length !== WHERE_BYTES || blob[0] !== HELLO_WHERE_OP) return fail('bad_message', `a WHERE is ${WHERE_BYTES} bytes`);
  return ok(blob.slice(1));
}

export function serializeHereIs(h: HereIs): Result<Uint8Array> {
  if (h.nodeId.length !== NODE_ID_BYTES) return fail('field_length', 'a node id needs 32 bytes');
  const out = new Uint8Array(HERE_BYTES);
  out[0] = HELLO_HERE_OP;
  out.set(h.nodeId, 1);
  out[1 + NODE_ID_BYTES] = h.address.treeState;
  out.set(h.address.bytes, 2 + NODE_ID_BYTES);
  return ok(out);
}

export function parseHereIs(blob: Uint8Array): Result<HereIs> {
  if (blob.length !== HERE_BYTES || blob[0] !== HELLO_HERE_OP) return fail('bad_message', `a HERE is ${HERE_BYTES} bytes`);
  const address = Address.fromBytes(blob[1 + NODE_ID_BYTES], blob.slice(2 + NODE_ID_BYTES));
  if (!address.ok) return address;
  return ok({ nodeId: blob.slice(1, 1 + NODE_ID_BYTES), address: address.value });
}
