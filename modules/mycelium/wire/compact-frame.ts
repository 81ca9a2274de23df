/**
 * Compact frames between our own nodes (docs/lora.md "Compact frames"). On LoRa every byte costs
 * airtime under a 1 % duty limit, and upstream's frames carry bytes the receiver can rebuild:
 * two 16-byte addresses that are mostly zero padding in a shallow tree, the 16-byte app id of a
 * bundled app, and the Package's half hash, which is SHA-256 of the blob it precedes. A compact
 * frame leaves those out; the receiver expands it back to the exact upstream frame before anything
 * else looks at it, so routing, acks, hop receipts (CRC of the frame) and duplicate checks see the
 * same bytes as without compaction. A user app's 16-byte message on a routed frame shrinks from
 * 87 to 43 bytes (a bundled app's to 28), its end-to-end ack from 39 to 11.
 *
 * Sent only to neighbours whose Beacon lists the CompactFrames capability (apps/beacon.ts
 * `compact_frames`); upstream never gets one. Its first byte is 0xCF where upstream has the
 * protocol version (0): any upstream parser drops it as a newer version.
 *
 * Layout: `CF <schema id> <flags> <shape>`, the schema's fields in order with each address as a
 * length byte (0–16) and its bytes up to the last non-zero one, then the body. Shape bit 0: the
 * body is a Package whose half hash is left out; bit 1: its app id is given as one byte, an index
 * into BUNDLED_APP_IDS; bit 2: its app id is given by its first 4 bytes, an app the receiver runs
 * (sent only to a neighbour whose Beacon lists both that app and the CompactAppIds capability;
 * the receiver resolves it among its own apps). Other shape bits must be zero.
 */
import { getSchema } from './schemas.js';
import { fromHex } from './bytes.js';
import type { Hashes } from '../platform/platform.js';

export const COMPACT_MARKER = 0xcf;
/** The capability a Beacon lists (as an app id) when its node expands compact frames; v1 = this layout. */
export const COMPACT_FRAMES_APP = Object.freeze({ name: 'CompactFrames', description: 'expands compact frames between our nodes, v1 (moddable-mycelium)', version: 0 });
/** The capability a Beacon lists when its node resolves app ids given by their prefix (shape bit 2). */
export const COMPACT_APP_IDS_APP = Object.freeze({ name: 'CompactAppIds', description: 'expands compact frames whose app id is the 4-byte prefix of an app it runs (moddable-mycelium)', version: 0 });
/** Bytes of an app id that stand for it in a frame to a neighbour that runs the app. */
export const APP_PREFIX_BYTES = 4;
const SHAPE_NO_HASH = 0x01;
const SHAPE_APP_INDEX = 0x02;
const SHAPE_APP_PREFIX = 0x04;
const APP_ID_BYTES = 16;
const HASH_BYTES = 16;

/**
 * App ids carried as one byte (index into this list); ids of the bundled apps (protocol.md §3.2,
 * and ours). Fixed by the capability's version: append only, never reorder.
 */
const BUNDLED_APP_IDS: readonly string[] = Object.freeze([
  '366821dafdaf45e9bc5cfecb1c2a065c', // Beacon
  '849969c1f22797d66f5a94db2afe634a', // Gossip
  '4564e1533283957094d21ae484da9d6c', // SpanningTree
  '8d9c1faf6fb241582199316974f3ec4d', // Ping
  '0ee8fd451371ecad090a45cfb0430ca8', // DebugApp
  '80bab9e015c455069a40f13da300e61a', // Hello
  'beceb54ca2b6aca731e3bf77e7d7e369', // StoreForward
]);

function hex(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

function sameHalfHash(hashes: Hashes, frame: Uint8Array, at: number): boolean {
  const digest = hashes.sha256(frame.subarray(at + HASH_BYTES));
  for (let i = 0; i < HASH_BYTES; i++) if (digest[i] !== frame[at + i]) return false;
  return true;
}

/** Length of `bytes[from, from + 16)` without its trailing zero bytes. */
function trimmed(bytes: Uint8Array, from: number, size: number): number {
  let n = size;
  while (n > 0 && bytes[from + n - 1] === 0) n--;
  return n;
}

/** True when one of the bundled apps (carried as a one-byte index) has this id. */
export function isBundledApp(id: Uint8Array): boolean {
  return id.length === APP_ID_BYTES && BUNDLED_APP_IDS.indexOf(hex(id, 0, APP_ID_BYTES)) >= 0;
}

/**
 * The compact form of an upstream frame, or undefined when it would not be shorter or the frame
 * is not one we can rebuild exactly (not version 0 with a zero reserved byte, unknown schema,
 * shorter than its fields). `byPrefix(appId)`: the receiver resolves this app id from its prefix.
 */
export function compactFrame(hashes: Hashes, frame: Uint8Array, byPrefix?: (appId: Uint8Array) => boolean): Uint8Array | undefined {
  if (frame.length < 4 || frame[0] !== 0 || frame[1] !== 0) return undefined;
  const schema = getSchema(frame[2]);
  if (!schema || frame.length < schema.headerLength) return undefined;
  const out = new Uint8Array(frame.length + 4);
  out[0] = COMPACT_MARKER;
  out[1] = frame[2];
  out[2] = frame[3];
  let o = 4;
  let i = 4;
  for (let k = 0, fields = schema.fields; k < fields.length; k++) {
    const f = fields[k]; // an index loop: a for-of makes an iterator on XS, per frame
    if (f.name === 'toAddr' || f.name === 'fromAddr') {
      const n = trimmed(frame, i, f.size);
      out[o++] = n;
      out.set(frame.subarray(i, i + n), o);
      o += n;
    } else {
      out.set(frame.subarray(i, i + f.size), o);
      o += f.size;
    }
    i += f.size;
  }
  // A single packet's body is a Package (app id, half hash, blob), except an ack/rtx/probe or our
  // hop ack; a fragment's body is a slice of one. Only a whole Package's hash can be recomputed.
  const encoded = (frame[3] >> 3) & 7;
  let shape = 0;
  if (!schema.supportsSequence && (encoded === 0 || encoded === 1) && frame.length - i >= APP_ID_BYTES + HASH_BYTES) {
    const index = BUNDLED_APP_IDS.indexOf(hex(frame, i, i + APP_ID_BYTES));
    if (index >= 0) {
      shape |= SHAPE_APP_INDEX;
      out[o++] = index;
    } else if (byPrefix?.(frame.subarray(i, i + APP_ID_BYTES)) === true) {
      shape |= SHAPE_APP_PREFIX;
      out.set(frame.subarray(i, i + APP_PREFIX_BYTES), o);
      o += APP_PREFIX_BYTES;
    } else {
      out.set(frame.subarray(i, i + APP_ID_BYTES), o);
      o += APP_ID_BYTES;
    }
    i += APP_ID_BYTES;
    if (sameHalfHash(hashes, frame, i)) {
      shape |= SHAPE_NO_HASH;
      i += HASH_BYTES;
    }
  }
  out[3] = shape;
  if (o + frame.length - i >= frame.length) return undefined;
  out.set(frame.subarray(i), o);
  return out.slice(0, o + frame.length - i);
}

/**
 * The upstream frame a compact frame stands for, or undefined when it is malformed or names its
 * app by a prefix `appByPrefix` does not resolve (to exactly one app of ours). Never throws.
 */
export function expandFrame(hashes: Hashes, compact: Uint8Array, appByPrefix?: (prefix: Uint8Array) => Uint8Array | undefined): Uint8Array | undefined {
  if (compact.length < 4 || compact[0] !== COMPACT_MARKER) return undefined;
  const schema = getSchema(compact[1]);
  const shape = compact[3];
  if (!schema || (shape & ~(SHAPE_NO_HASH | SHAPE_APP_INDEX | SHAPE_APP_PREFIX)) !== 0) return undefined;
  if ((shape & SHAPE_APP_INDEX) !== 0 && (shape & SHAPE_APP_PREFIX) !== 0) return undefined;
  // The rebuilt frame is at most: header fields, a full app id and hash, the rest.
  const out = new Uint8Array(schema.headerLength + APP_ID_BYTES + HASH_BYTES + compact.length);
  out[2] = compact[1];
  out[3] = compact[2];
  let o = 4;
  let i = 4;
  for (let k = 0, fields = schema.fields; k < fields.length; k++) {
    const f = fields[k]; // an index loop: a for-of makes an iterator on XS, per frame
    if (f.name === 'toAddr' || f.name === 'fromAddr') {
      const n = compact[i++];
      if (n === undefined || n > f.size || i + n > compact.length) return undefined;
      out.set(compact.subarray(i, i + n), o); // the rest stays zero
      i += n;
    } else {
      if (i + f.size > compact.length) return undefined;
      out.set(compact.subarray(i, i + f.size), o);
      i += f.size;
    }
    o += f.size;
  }
  if (shape !== 0) {
    if (schema.supportsSequence) return undefined;
    if (shape & SHAPE_APP_INDEX) {
      const id = BUNDLED_APP_IDS[compact[i++]];
      if (id === undefined) return undefined;
      out.set(fromHex(id) as Uint8Array, o); // one of the hex ids above: never undefined
    } else if (shape & SHAPE_APP_PREFIX) {
      if (!appByPrefix || i + APP_PREFIX_BYTES > compact.length) return undefined;
      const id = appByPrefix(compact.subarray(i, i + APP_PREFIX_BYTES));
      if (!id || id.length !== APP_ID_BYTES) return undefined;
      for (let k = 0; k < APP_PREFIX_BYTES; k++) if (id[k] !== compact[i + k]) return undefined;
      out.set(id, o);
      i += APP_PREFIX_BYTES;
    } else {
      if (i + APP_ID_BYTES > compact.length) return undefined;
      out.set(compact.subarray(i, i + APP_ID_BYTES), o);
      i += APP_ID_BYTES;
    }
    o += APP_ID_BYTES;
    if (shape & SHAPE_NO_HASH) {
      out.set(hashes.sha256(compact.subarray(i)).subarray(0, HASH_BYTES), o);
      o += HASH_BYTES;
    }
  }
  if (i > compact.length) return undefined;
  out.set(compact.subarray(i), o);
  return out.slice(0, o + compact.length - i);
}
