/**
 * Store-and-forward messages (docs/store-forward.md): our own extension, carried under the
 * StoreForward app id, which upstream never runs (it drops a Package for an unknown app id,
 * protocol.md §4.12), so nothing here reaches an upstream node's apps. Three messages:
 *
 * BUNDLE (0x01), 126 + n bytes — one app message on its way, RFC 9171's bundle cut to what a
 * tree mesh needs:
 * | off | size | field |
 * | 0 | 1 | op 0x01 |
 * | 1 | 1 | flags: bit 0 CUSTODY (the receiver, not being the destination, is asked to take custody); bit 1 WAY (a way follows the header) |
 * | 2 | 4 | counter: the origin's bundle counter (u32); (origin, counter) is the bundle's identity |
 * | 6 | 4 | lifetime, ms (u32) |
 * | 10 | 4 | age, ms (u32): time spent so far, summed by each holder (RFC 9171 Bundle Age: no shared clock) |
 * | 14 | 32 | origin node id |
 * | 46 | 32 | destination node id |
 * | 78 | 32 | holder: the node sending it now, which wants the receipt |
 * | 110 | 16 | app id of the destination app |
 * | 126 | 17 | only with WAY: the sender's best address for the destination, tree state (1) + address (16) |
 * | 126 (143 with WAY) | n | the app's bytes |
 *
 * WAY goes only on custody offers: a custodian taking a bundle far from where it was sent may
 * have no route to the destination (routes lapse 8 min after their last advert, and a node that
 * stays put does not advertise again), while the holder offering it knew one.
 *
 * CUSTODY (0x02), 38 bytes — the answer to a custody offer, to the node that offered:
 * op | result (0 accepted, 1 store full, 2 origin over its share, 3 not a custodian, 4 handed away
 * from here lately: a custody loop) | counter u32 | origin 32. A holder treats any code but 0 as a refusal.
 *
 * STATUS (0x03), 38 bytes — news of a bundle for the node that holds it or sent it:
 * op | status (1 in custody, 2 delivered, 3 expired, 4 evicted) | counter u32 | origin 32.
 * The destination sends DELIVERED to the holder; a custodian sends IN_CUSTODY, DELIVERED (when
 * it delivered), EXPIRED and EVICTED to the origin.
 */
import { fail, ok, type Result } from '../result.js';
import { Address } from '../address.js';
import { ADDRESS_BYTES } from '../constants.js';

export const BundleOp = Object.freeze({ BUNDLE: 0x01, CUSTODY: 0x02, STATUS: 0x03 } as const);
export const BundleFlag = Object.freeze({ CUSTODY: 0x01, WAY: 0x02 } as const);
export const CustodyResult = Object.freeze({ ACCEPTED: 0, FULL: 1, OVER_SHARE: 2, NOT_CUSTODIAN: 3, HANDED_BEFORE: 4 } as const);
export const BundleStatus = Object.freeze({ IN_CUSTODY: 1, DELIVERED: 2, EXPIRED: 3, EVICTED: 4 } as const);

export const BUNDLE_ID_BYTES = 32; // node ids, as the Packager routes by them
export const BUNDLE_APP_BYTES = 16;
export const BUNDLE_HEADER_BYTES = 1 + 1 + 4 + 4 + 4 + 3 * BUNDLE_ID_BYTES + BUNDLE_APP_BYTES;
const REPLY_BYTES = 1 + 1 + 4 + BUNDLE_ID_BYTES;
const WAY_BYTES = 1 + ADDRESS_BYTES;
const U32 = 0xffffffff;

export interface Bundle {
  readonly flags: number;
  readonly counter: number;
  readonly lifetimeMs: number;
  readonly ageMs: number;
  readonly origin: Uint8Array;
  readonly dest: Uint8Array;
  readonly holder: Uint8Array;
  readonly app: Uint8Array;
  readonly data: Uint8Array;
  /** The sender's best address for the destination (flag WAY on the air). */
  readonly way?: Address;
}

/** CUSTODY or STATUS: a code about bundle (origin, counter). */
export interface BundleReply {
  readonly op: typeof BundleOp.CUSTODY | typeof BundleOp.STATUS;
  readonly code: number;
  readonly counter: number;
  readonly origin: Uint8Array;
}

export type BundleMessage = ({ readonly op: typeof BundleOp.BUNDLE } & Bundle) | BundleReply;

export function serializeBundle(b: Bundle): Result<Uint8Array> {
  if (b.origin.length !== BUNDLE_ID_BYTES || b.dest.length !== BUNDLE_ID_BYTES || b.holder.length !== BUNDLE_ID_BYTES) return fail('field_length', 'bundle node ids need 32 bytes');
  if (b.app.length !== BUNDLE_APP_BYTES) return fail('field_length', 'bundle app id needs 16 bytes');
  if (!inU32(b.counter) || !inU32(b.lifetimeMs)) return fail('field_range', 'bundle counter and lifetime are u32');
  const way = b.way ? WAY_BYTES : 0;
  const out = new Uint8Array(BUNDLE_HEADER_BYTES + way + b.data.length);
  const view = new DataView(out.buffer);
  out[0] = BundleOp.BUNDLE;
  out[1] = (b.flags & ~BundleFlag.WAY & 0xff) | (b.way ? BundleFlag.WAY : 0);
  view.setUint32(2, b.counter);
  view.setUint32(6, b.lifetimeMs);
  view.setUint32(10, Math.max(0, Math.min(U32, Math.round(b.ageMs))));
  let at = 14;
  for (const id of [b.origin, b.dest, b.holder, b.app]) {
    out.set(id, at);
    at += id.length;
  }
  if (b.way) {
    out[at] = b.way.treeState;
    out.set(b.way.bytes, at + 1);
    at += WAY_BYTES;
  }
  out.set(b.data, at);
  return ok(out);
}

export function serializeReply(r: BundleReply): Result<Uint8Array> {
  if (r.origin.length !== BUNDLE_ID_BYTES) return fail('field_length', 'bundle origin needs 32 bytes');
  if (!inU32(r.counter) || r.code < 0 || r.code > 255) return fail('field_range', 'reply counter is u32, code u8');
  const out = new Uint8Array(REPLY_BYTES);
  out[0] = r.op;
  out[1] = r.code;
  new DataView(out.buffer).setUint32(2, r.counter);
  out.set(r.origin, 6);
  return ok(out);
}

/** Parse any of the three; the fields are copies the caller may keep. */
export function parseBundleMessage(blob: Uint8Array): Result<BundleMessage> {
  if (blob.length < REPLY_BYTES) return fail('truncated', `a store-and-forward message needs ${REPLY_BYTES} bytes, got ${blob.length}`);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const op = blob[0];
  if (op === BundleOp.CUSTODY || op === BundleOp.STATUS) {
    if (blob.length !== REPLY_BYTES) return fail('bad_message', `a reply has ${REPLY_BYTES} bytes, got ${blob.length}`);
    return ok({ op, code: blob[1], counter: view.getUint32(2), origin: blob.slice(6, 6 + BUNDLE_ID_BYTES) });
  }
  if (op !== BundleOp.BUNDLE) return fail('bad_message', `unknown store-and-forward op 0x${op.toString(16)}`);
  if (blob.length < BUNDLE_HEADER_BYTES) return fail('truncated', `a bundle needs ${BUNDLE_HEADER_BYTES} bytes, got ${blob.length}`);
  const id = (i: number) => blob.slice(14 + i * BUNDLE_ID_BYTES, 14 + (i + 1) * BUNDLE_ID_BYTES);
  let data = BUNDLE_HEADER_BYTES;
  let way: Address | undefined;
  if (blob[1] & BundleFlag.WAY) {
    if (blob.length < BUNDLE_HEADER_BYTES + WAY_BYTES) return fail('truncated', `a bundle with a way needs ${BUNDLE_HEADER_BYTES + WAY_BYTES} bytes, got ${blob.length}`);
    const a = Address.fromBytes(blob[data], blob.slice(data + 1, data + WAY_BYTES));
    if (!a.ok) return a;
    way = a.value;
    data += WAY_BYTES;
  }
  return ok({
    op,
    flags: blob[1],
    counter: view.getUint32(2),
    lifetimeMs: view.getUint32(6),
    ageMs: view.getUint32(10),
    origin: id(0),
    dest: id(1),
    holder: id(2),
    app: blob.slice(110, BUNDLE_HEADER_BYTES),
    data: blob.slice(data),
    ...(way && { way }),
  });
}

function inU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= U32;
}
