/**
 * The chat wire format. Every message starts with an op byte; integers are big-endian; node
 * ids are 32 raw bytes; text is UTF-8 (at most 180 bytes, so a DM fits a few radio frames and
 * a SAY stays near Gossip's re-flood size).
 *
 *   DM       1 | u32 id | sender id (32) | text
 *   RECEIPT  2 | u32 id | receiver id (32)
 *   SAY      3 | u32 id | sender id (32) | u8 n | name (n) | text
 *   HELLO    4 | u32 seq | node id (32) | u8 n | address text (n, may be 0) | u8 n | name (n)
 *
 * HELLO carries a sequence number because Gossip drops a message it has already seen byte for
 * byte: without one, the second identical HELLO of a node would never leave it.
 *
 * `decode` never throws: anything malformed (short, long, unknown op, oversized field, empty
 * text) comes back as undefined, and the app counts it as dropped.
 */
import { NODE_ID_BYTES, fromHex, readU32, toHex, writeU32 } from '../common/bytes.js';

export const OP_DM = 1;
export const OP_RECEIPT = 2;
export const OP_SAY = 3;
export const OP_HELLO = 4;

export const MAX_TEXT_BYTES = 180;
export const MAX_NAME_BYTES = 32;
/** `<tree state>-<32 hex digits>` is at most 36 characters; some room beyond. */
export const MAX_ADDRESS_BYTES = 48;

export interface Dm {
  readonly op: typeof OP_DM;
  readonly id: number;
  readonly sender: string;
  readonly text: string;
}

export interface Receipt {
  readonly op: typeof OP_RECEIPT;
  readonly id: number;
  readonly receiver: string;
}

export interface Say {
  readonly op: typeof OP_SAY;
  readonly id: number;
  readonly sender: string;
  readonly name: string;
  readonly text: string;
}

export interface Hello {
  readonly op: typeof OP_HELLO;
  readonly seq: number;
  readonly node: string;
  readonly address: string;
  readonly name: string;
}

export type ChatMessage = Dm | Receipt | Say | Hello;

/** UTF-8 both ways: the mesh API's encodeText / decodeText (a Compartment has no TextEncoder). */
export interface TextCodec {
  encodeText(text: string): Uint8Array;
  decodeText(bytes: Uint8Array): string;
}

/**
 * Serialize a message. Field limits are the caller's to check first (the `dm` and `say`
 * commands refuse long text with a message); a field over its limit here is a bug in the app,
 * so it throws a RangeError, which stops the app rather than sending what nobody can read.
 */
export function encode(m: ChatMessage, text: TextCodec): Uint8Array {
  switch (m.op) {
    case OP_DM:
      return join([OP_DM], u32(m.id), nodeId(m.sender), field(text.encodeText(m.text), 1, MAX_TEXT_BYTES, 'text'));
    case OP_RECEIPT:
      return join([OP_RECEIPT], u32(m.id), nodeId(m.receiver));
    case OP_SAY: {
      const name = field(text.encodeText(m.name), 0, MAX_NAME_BYTES, 'name');
      return join([OP_SAY], u32(m.id), nodeId(m.sender), [name.length], name, field(text.encodeText(m.text), 1, MAX_TEXT_BYTES, 'text'));
    }
    case OP_HELLO: {
      const address = field(text.encodeText(m.address), 0, MAX_ADDRESS_BYTES, 'address');
      const name = field(text.encodeText(m.name), 0, MAX_NAME_BYTES, 'name');
      return join([OP_HELLO], u32(m.seq), nodeId(m.node), [address.length], address, [name.length], name);
    }
  }
}

/** Parse a message; undefined when it is malformed in any way. */
export function decode(bytes: Uint8Array, text: TextCodec): ChatMessage | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length < 1 + 4 + NODE_ID_BYTES) return undefined;
  const op = bytes[0];
  const id = readU32(bytes, 1);
  const node = toHex(bytes.subarray(5, 5 + NODE_ID_BYTES));
  let at = 5 + NODE_ID_BYTES;
  switch (op) {
    case OP_DM: {
      const body = bytes.subarray(at);
      if (body.length < 1 || body.length > MAX_TEXT_BYTES) return undefined;
      return { op, id, sender: node, text: text.decodeText(body) };
    }
    case OP_RECEIPT:
      return at === bytes.length ? { op, id, receiver: node } : undefined;
    case OP_SAY: {
      const name = lengthPrefixed(bytes, at, MAX_NAME_BYTES);
      if (!name) return undefined;
      at += 1 + name.length;
      const body = bytes.subarray(at);
      if (body.length < 1 || body.length > MAX_TEXT_BYTES) return undefined;
      return { op, id, sender: node, name: text.decodeText(name), text: text.decodeText(body) };
    }
    case OP_HELLO: {
      const address = lengthPrefixed(bytes, at, MAX_ADDRESS_BYTES);
      if (!address) return undefined;
      at += 1 + address.length;
      const name = lengthPrefixed(bytes, at, MAX_NAME_BYTES);
      if (!name || at + 1 + name.length !== bytes.length) return undefined;
      return { op, seq: id, node, address: text.decodeText(address), name: text.decodeText(name) };
    }
    default:
      return undefined;
  }
}

/** The `u8 n | n bytes` field at `at`, or undefined when it runs past the end or over `max`. */
function lengthPrefixed(bytes: Uint8Array, at: number, max: number): Uint8Array | undefined {
  if (at >= bytes.length) return undefined;
  const n = bytes[at];
  if (n > max || at + 1 + n > bytes.length) return undefined;
  return bytes.subarray(at + 1, at + 1 + n);
}

function field(bytes: Uint8Array, min: number, max: number, what: string): Uint8Array {
  if (bytes.length < min || bytes.length > max) throw new RangeError(`chat ${what} must be ${min}-${max} bytes, not ${bytes.length}`);
  return bytes;
}

function nodeId(hex: string): Uint8Array {
  const bytes = fromHex(hex);
  if (!bytes || bytes.length !== NODE_ID_BYTES) throw new RangeError('a chat node id must be 64 hex digits');
  return bytes;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU32(out, 0, value);
  return out;
}

function join(...parts: ArrayLike<number>[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
