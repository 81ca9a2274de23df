/**
 * StoreForward's address lookup (docs/store-forward.md "Finding the destination"): a holder that
 * knows no live route to a destination gossips WHERE on StoreForward's own Gossip topic; the
 * destination answers HERE, routed to the asker, with its current tree address. The first byte
 * (4, 5) cannot start a BUNDLE, CUSTODY or STATUS (1–3), so both share the app's Packages.
 *
 *   WHERE  op 0x04 | nonce u32 | destination id 32 | asker id 32 | asker tree state u8 | asker address 16   (86 B)
 *   HERE   op 0x05 | destination id 32 | tree state u8 | address 16                                       (50 B)
 *
 * The nonce makes each WHERE a new Gossip message: Gossip drops a message whose id it has seen.
 */
import { Address } from '../address.js';
import { ADDRESS_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';

export const LookupOp = Object.freeze({ WHERE: 0x04, HERE: 0x05 } as const);

const ID_BYTES = 32;
const WHERE_BYTES = 1 + 4 + 2 * ID_BYTES + 1 + ADDRESS_BYTES;
const HERE_BYTES = 1 + ID_BYTES + 1 + ADDRESS_BYTES;

export interface Where {
  readonly op: typeof LookupOp.WHERE;
  readonly nonce: number;
  readonly dest: Uint8Array;
  readonly asker: Uint8Array;
  readonly askerAddress: Address;
}

export interface Here {
  readonly op: typeof LookupOp.HERE;
  readonly dest: Uint8Array;
  readonly address: Address;
}

export function isLookup(blob: Uint8Array): boolean {
  return blob.length > 0 && (blob[0] === LookupOp.WHERE || blob[0] === LookupOp.HERE);
}

export function serializeWhere(w: Omit<Where, 'op'>): Result<Uint8Array> {
  if (w.dest.length !== ID_BYTES || w.asker.length !== ID_BYTES) return fail('field_length', 'node ids need 32 bytes');
  const out = new Uint8Array(WHERE_BYTES);
  out[0] = LookupOp.WHERE;
  new DataView(out.buffer).setUint32(1, w.nonce >>> 0);
  out.set(w.dest, 5);
  out.set(w.asker, 5 + ID_BYTES);
  out[5 + 2 * ID_BYTES] = w.askerAddress.treeState;
  out.set(w.askerAddress.bytes, 6 + 2 * ID_BYTES);
  return ok(out);
}

export function serializeHere(h: Omit<Here, 'op'>): Result<Uint8Array> {
  if (h.dest.length !== ID_BYTES) return fail('field_length', 'node ids need 32 bytes');
  const out = new Uint8Array(HERE_BYTES);
  out[0] = LookupOp.HERE;
  out.set(h.dest, 1);
  out[1 + ID_BYTES] = h.address.treeState;
  out.set(h.address.bytes, 2 + ID_BYTES);
  return ok(out);
}

/** Parse WHERE or HERE; the fields are copies the caller may keep. */
export function parseLookup(blob: Uint8Array): Result<Where | Here> {
  if (blob[0] === LookupOp.WHERE) {
    if (blob.length !== WHERE_BYTES) return fail('bad_message', `WHERE has ${WHERE_BYTES} bytes, got ${blob.length}`);
    const a = Address.fromBytes(blob[5 + 2 * ID_BYTES], blob.subarray(6 + 2 * ID_BYTES));
    if (!a.ok) return a as Result<never>;
    const nonce = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(1);
    return ok({ op: LookupOp.WHERE, nonce, dest: blob.slice(5, 5 + ID_BYTES), asker: blob.slice(5 + ID_BYTES, 5 + 2 * ID_BYTES), askerAddress: a.value });
  }
  if (blob[0] === LookupOp.HERE) {
    if (blob.length !== HERE_BYTES) return fail('bad_message', `HERE has ${HERE_BYTES} bytes, got ${blob.length}`);
    const a = Address.fromBytes(blob[1 + ID_BYTES], blob.subarray(2 + ID_BYTES));
    if (!a.ok) return a as Result<never>;
    return ok({ op: LookupOp.HERE, dest: blob.slice(1, 1 + ID_BYTES), address: a.value });
  }
  return fail('bad_message', 'not a lookup');
}
