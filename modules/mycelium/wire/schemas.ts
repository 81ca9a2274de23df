/**
 * The 28 packet schemas (protocol.md §2.3): ESP-NOW 0–13 (250-byte frames), RYLR-998 20–33
 * (240-byte frames). Every size below is derived from the field lists, as upstream derives them.
 */
import { ESPNOW_MTU, RYLR998_MTU } from './constants.js';

export type FieldName = 'packetId' | 'seqId' | 'seqSize' | 'ttl' | 'checksum' | 'treeState' | 'toAddr' | 'fromAddr';

export interface Field {
  readonly name: FieldName;
  readonly size: number; // bytes on the wire
  readonly kind: 'int' | 'bytes'; // ints are big-endian unsigned
}

export interface Schema {
  readonly id: number;
  readonly fields: readonly Field[]; // after the 4-byte common header, in wire order; the body follows
  readonly headerLength: number; // common header + fields
  readonly maxBody: number;
  readonly frameLimit: number; // headerLength + maxBody (4 bytes over the radio MTU for relay schemas)
  readonly maxSeq: number; // packets a sequence can have: 2^(8·seq_size bytes), or 1
  readonly maxPackage: number; // maxSeq × maxBody: largest Package (app id + hash + blob)
  readonly supportsSequence: boolean; // has seq_size
  readonly supportsRouting: boolean; // has ttl: multi-hop routed
  readonly relayOnly: boolean; // has to_addr but no ttl: one-hop relay
  readonly hasChecksum: boolean;
  readonly packetIdSize: number; // 1 or 2
}

export const COMMON_HEADER_BYTES = 4; // version, reserved, schema id, flags

const field = (name: FieldName, size: number, kind: Field['kind']): Field => Object.freeze({ name, size, kind });

// Frozen: preloaded modules must hold only immutable module-level objects.
const F = Object.freeze({
  pid1: field('packetId', 1, 'int'),
  pid2: field('packetId', 2, 'int'),
  sid: field('seqId', 1, 'int'),
  ssz1: field('seqSize', 1, 'int'),
  ssz2: field('seqSize', 2, 'int'),
  ttl: field('ttl', 1, 'int'),
  crc: field('checksum', 4, 'bytes'),
  ts: field('treeState', 1, 'int'),
  to: field('toAddr', 16, 'bytes'),
  from: field('fromAddr', 16, 'bytes'),
});

/** Field layouts of schemas 0–13; 20–33 repeat them on the smaller RYLR-998 frame. */
const LAYOUTS: readonly (readonly Field[])[] = Object.freeze([
  [F.pid1], // 0: single packet
  [F.pid1, F.crc], // 1: + checksum
  [F.pid1, F.sid, F.ssz1], // 2: sequence ≤ 256 packets
  [F.pid1, F.sid, F.ssz1, F.crc], // 3
  [F.pid2, F.sid, F.ssz2, F.crc], // 4: sequence ≤ 65,536 packets
  [F.pid1, F.ttl, F.ts, F.to, F.from], // 5: routed
  [F.pid1, F.ttl, F.crc, F.ts, F.to, F.from], // 6
  [F.pid1, F.sid, F.ssz1, F.ttl, F.ts, F.to, F.from], // 7: routed sequence
  [F.pid1, F.sid, F.ssz1, F.ttl, F.crc, F.ts, F.to, F.from], // 8
  [F.pid2, F.sid, F.ssz2, F.ttl, F.ts, F.to, F.from], // 9
  [F.pid2, F.sid, F.ssz2, F.ttl, F.crc, F.ts, F.to, F.from], // 10
  [F.pid1, F.ts, F.to, F.from], // 11: one-hop relay
  [F.pid1, F.sid, F.ssz1, F.ts, F.to, F.from], // 12
  [F.pid2, F.sid, F.ssz2, F.ts, F.to, F.from], // 13
].map((layout) => Object.freeze(layout)));

function makeSchema(id: number, fields: readonly Field[], mtu: number): Schema {
  const has = (n: FieldName) => fields.some((f) => f.name === n);
  const fieldBytes = fields.reduce((n, f) => n + f.size, 0);
  const relayOnly = has('toAddr') && !has('ttl');
  // Upstream sizes relay bodies without the common header, so they overshoot the MTU by 4 bytes.
  const maxBody = mtu - fieldBytes - (relayOnly ? 0 : COMMON_HEADER_BYTES);
  const seqField = fields.find((f) => f.name === 'seqSize');
  const maxSeq = seqField ? 2 ** (8 * seqField.size) : 1;
  const headerLength = COMMON_HEADER_BYTES + fieldBytes;
  return Object.freeze({
    id,
    fields: Object.freeze(fields.slice()),
    headerLength,
    maxBody,
    frameLimit: headerLength + maxBody,
    maxSeq,
    maxPackage: maxSeq * maxBody,
    supportsSequence: !!seqField,
    supportsRouting: has('ttl'),
    relayOnly,
    hasChecksum: has('checksum'),
    packetIdSize: fields[0].size,
  });
}

const TABLE: readonly (Schema | undefined)[] = (() => {
  const t: (Schema | undefined)[] = [];
  LAYOUTS.forEach((fields, i) => {
    t[i] = makeSchema(i, fields, ESPNOW_MTU);
    t[i + 20] = makeSchema(i + 20, fields, RYLR998_MTU);
  });
  return Object.freeze(t);
})();

/** The schema with this id, or undefined (ids 14–19 and ≥ 34 are not defined). */
export function getSchema(id: number): Schema | undefined {
  return Number.isInteger(id) && id >= 0 ? TABLE[id] : undefined;
}

/** Every schema, by ascending id. */
export const SCHEMAS: readonly Schema[] = Object.freeze(TABLE.filter((s): s is Schema => s !== undefined));

const ids = (pred: (s: Schema) => boolean) => Object.freeze(SCHEMAS.filter(pred).map((s) => s.id));
export const SCHEMA_IDS = ids(() => true);
export const SCHEMA_IDS_SUPPORT_SEQUENCE = ids((s) => s.supportsSequence);
export const SCHEMA_IDS_SUPPORT_ROUTING = ids((s) => s.supportsRouting);
export const SCHEMA_IDS_SUPPORT_RELAY = ids((s) => s.relayOnly);
export const SCHEMA_IDS_SUPPORT_CHECKSUM = ids((s) => s.hasChecksum);

/** Schemas the ESP-NOW interface advertises upstream (0 is its default). */
export const ESPNOW_SCHEMA_IDS = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
/** Schemas a RYLR-998 interface would advertise (20 is its default). */
export const RYLR998_SCHEMA_IDS = Object.freeze([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
