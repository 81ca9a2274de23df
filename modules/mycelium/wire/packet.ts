/**
 * Packets (protocol.md §2): `00 00 <schema> <flags>`, the schema's fields in order (big-endian
 * ints, fixed-size byte strings), then the body: everything that remains (no length prefix).
 */
import { PROTOCOL_VERSION } from './constants.js';
import { COMMON_HEADER_BYTES, getSchema, type FieldName, type Schema } from './schemas.js';
import { fail, ok, type Result } from './result.js';
import type { Hashes } from '../platform/platform.js';

/** A packet's fields. Parsing fills only the fields its schema has. */
export interface Packet {
  schemaId: number;
  flags: number;
  /** The reserved header byte as received; always sent as 0. */
  reserved?: number;
  packetId: number;
  seqId?: number;
  seqSize?: number;
  ttl?: number;
  checksum?: Uint8Array;
  treeState?: number;
  toAddr?: Uint8Array;
  fromAddr?: Uint8Array;
  body: Uint8Array;
}

/**
 * Parse a frame. Never throws and never copies: byte fields and the body are views into `frame`
 * (copy them if the frame's buffer will be reused). Rejects a version newer than ours, an
 * unknown schema, a frame shorter than the schema's fields, and a body over the schema's limit.
 */
export function parsePacket(frame: Uint8Array): Result<Packet> {
  if (frame.length < COMMON_HEADER_BYTES) {
    return fail('truncated', `frame of ${frame.length} bytes is shorter than the ${COMMON_HEADER_BYTES}-byte header`);
  }
  const version = frame[0];
  if (version > PROTOCOL_VERSION) return fail('bad_version', `unsupported protocol version ${version}`);
  const schema = getSchema(frame[2]);
  if (!schema) return fail('unknown_schema', `unsupported schema id ${frame[2]}`);
  if (frame.length < schema.headerLength) {
    return fail('truncated', `schema ${schema.id} needs ${schema.headerLength} header bytes, frame has ${frame.length}`);
  }
  const bodyLength = frame.length - schema.headerLength;
  if (bodyLength > schema.maxBody) {
    return fail('body_too_large', `schema ${schema.id} body of ${bodyLength} bytes exceeds its ${schema.maxBody}-byte limit`);
  }
  const p: Packet = { schemaId: schema.id, flags: frame[3], reserved: frame[1], packetId: 0, body: frame };
  let o = COMMON_HEADER_BYTES;
  const fields = schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.kind === 'int') {
      const v = f.size === 1 ? frame[o] : (frame[o] << 8) | frame[o + 1];
      (p as unknown as Record<FieldName, number>)[f.name] = v;
    } else {
      (p as unknown as Record<FieldName, Uint8Array>)[f.name] = frame.subarray(o, o + f.size);
    }
    o += f.size;
  }
  p.body = frame.subarray(o);
  return ok(p);
}

/** Validate fields against the schema without encoding; the same checks as `serializePacket`. */
export function checkPacket(p: Packet): Result<Schema> {
  const r = encode(p, false);
  return r.ok ? ok(getSchema(p.schemaId) as Schema) : (r as Result<never>);
}

/** Encode a packet; the reserved byte is always written as 0. */
export function serializePacket(p: Packet): Result<Uint8Array> {
  return encode(p, true) as Result<Uint8Array>;
}

/** One pass: each field is checked, then written (when `write`). */
function encode(p: Packet, write: boolean): Result<Uint8Array | undefined> {
  const schema = getSchema(p.schemaId);
  if (!schema) return fail('unknown_schema', `unsupported schema id ${p.schemaId}`);
  if (!isByte(p.flags)) return fail('field_range', `flags ${p.flags} must be an integer 0..255`);
  const body = p.body;
  if (!(body instanceof Uint8Array)) return fail('missing_field', 'body must be a Uint8Array');
  if (body.length > schema.maxBody) {
    return fail('body_too_large', `schema ${schema.id} body of ${body.length} bytes exceeds its ${schema.maxBody}-byte limit`);
  }
  const out = write ? new Uint8Array(schema.headerLength + body.length) : undefined;
  let o = COMMON_HEADER_BYTES;
  const fields = schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    const v = (p as unknown as Record<FieldName, unknown>)[f.name];
    if (v === undefined) return fail('missing_field', `schema ${schema.id} requires ${f.name}`);
    if (f.kind === 'int') {
      const max = f.size === 1 ? 0xff : 0xffff;
      if (typeof v !== 'number' || (v & max) !== v) {
        return fail('field_range', `${f.name} ${String(v)} must be an integer 0..${max}`);
      }
      if (out) {
        if (f.size === 2) out[o] = v >> 8;
        out[o + f.size - 1] = v & 0xff;
      }
    } else {
      if (!(v instanceof Uint8Array) || v.length !== f.size) {
        const got = v instanceof Uint8Array ? `${v.length} bytes` : typeof v;
        return fail('field_length', `${f.name} must be ${f.size} bytes, got ${got}`);
      }
      if (out) out.set(v, o);
    }
    o += f.size;
  }
  if (out) {
    out[0] = PROTOCOL_VERSION;
    out[1] = 0;
    out[2] = schema.id;
    out[3] = p.flags;
    out.set(body, o);
  }
  return ok(out);
}

function isByte(v: unknown): boolean {
  return typeof v === 'number' && (v & 0xff) === v;
}

/** CRC-32 of the body, 4 bytes big-endian (protocol.md §2.4). */
export function bodyChecksum(hashes: Hashes, body: Uint8Array): Uint8Array {
  const c = hashes.crc32(body);
  return Uint8Array.of(c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255);
}

/** The packet with its checksum field filled; an error on schemas without one. */
export function withChecksum(hashes: Hashes, p: Packet): Result<Packet> {
  const schema = getSchema(p.schemaId);
  if (!schema) return fail('unknown_schema', `unsupported schema id ${p.schemaId}`);
  if (!schema.hasChecksum) return fail('no_checksum_field', `schema ${schema.id} has no checksum field`);
  return ok({ ...p, checksum: bodyChecksum(hashes, p.body) });
}

/** True when the packet's schema has no checksum or its checksum matches the body. */
export function checksumValid(hashes: Hashes, p: Packet): boolean {
  if (!p.checksum) return true;
  const c = hashes.crc32(p.body);
  const k = p.checksum;
  return k[0] === c >>> 24 && k[1] === ((c >>> 16) & 255) && k[2] === ((c >>> 8) & 255) && k[3] === (c & 255);
}
