/** Checks of the categories constants, schemas, flags, packets, package, sequences, ids, checksums. */
import * as W from '../../modules/mycelium/wire/index.js';
import { BEACON_DEFAULTS, GOSSIP_DEFAULTS, SPANNING_TREE_DEFAULTS } from '../../modules/mycelium/apps/defaults.js';
import { type Case, type Check, type Context, Mismatch, bytesOf, hex, same, snakeToCamel, value } from './util.js';

const CONSTANTS: Record<string, unknown> = {
  VERSION: W.VERSION,
  PROTOCOL_VERSION: W.PROTOCOL_VERSION,
  DEBUG: W.DEBUG,
  MODEM_SLEEP_MS: W.MODEM_SLEEP_MS,
  MODEM_WAKE_MS: W.MODEM_WAKE_MS,
  MODEM_INTERSECT_INTERVAL: W.MODEM_INTERSECT_INTERVAL,
  MODEM_INTERSECT_RTX_TIMES: W.MODEM_INTERSECT_RTX_TIMES,
  SEQ_SYNC_DELAY_MS: W.SEQ_SYNC_DELAY_MS,
  SEND_RETRY_DELAY_MS: W.SEND_RETRY_DELAY_MS,
  SEND_RETRY_COUNT: W.SEND_RETRY_COUNT,
  dTree: W.Metric.dTree,
  dCPL: W.Metric.dCPL,
  SCHEMA_IDS: W.SCHEMA_IDS,
  SCHEMA_IDS_SUPPORT_SEQUENCE: W.SCHEMA_IDS_SUPPORT_SEQUENCE,
  SCHEMA_IDS_SUPPORT_ROUTING: W.SCHEMA_IDS_SUPPORT_ROUTING,
  SCHEMA_IDS_SUPPORT_RELAY: W.SCHEMA_IDS_SUPPORT_RELAY,
  SCHEMA_IDS_SUPPORT_CHECKSUM: W.SCHEMA_IDS_SUPPORT_CHECKSUM,
  GossipOp: W.GossipOp,
  TreeOp: W.TreeOp,
  PingOp: W.PingOp,
  DebugOp: W.DebugOp,
  'SpanningTree.root_id_targets': W.ROOT_ID_TARGETS.map((t) => W.toHex(t)),
  'DebugApp.default_admin_pass_hash': W.toHex(W.DEFAULT_ADMIN_PASS_HASH),
  app_params: { Beacon: BEACON_DEFAULTS, Gossip: GOSSIP_DEFAULTS, SpanningTree: SPANNING_TREE_DEFAULTS },
};

const constants: Check = (c) => {
  if (!(c.name in CONSTANTS)) throw new Mismatch(`no constant named ${c.name}`);
  same(c.name, CONSTANTS[c.name], c.value);
  return undefined;
};

const schemas: Check = (c) => {
  const s = W.getSchema(c.id);
  if (!s) throw new Mismatch(`schema ${c.id} missing`);
  const fields = s.fields.map((f) => ({ name: f.name, length: f.size, type: f.kind }));
  const theirs = (c.fields as Case[])
    .filter((f) => f.name !== 'body')
    .map((f) => ({ name: snakeToCamel(f.name), length: f.length, type: f.type }));
  same('fields', fields, theirs);
  const body = (c.fields as Case[]).find((f) => f.name === 'body');
  same('body max', s.maxBody, body?.max_length);
  same('version/reserved', [0, 0], [c.version, c.reserved]);
  same('header_len', s.headerLength, c.header_len);
  same('max_body', s.maxBody, c.max_body);
  same('max_seq', s.maxSeq, c.max_seq);
  same('max_blob', s.maxPackage, c.max_blob);
  same('capabilities', [s.supportsSequence, s.supportsRouting, s.hasChecksum, s.relayOnly], [c.supports_sequence, c.supports_routing, c.has_checksum, c.relay_only]);
  return undefined;
};

function decodedOk(byte: number, decoded: Case): void {
  same(`decode ${byte}`, W.decodeFlags(byte), decoded);
}

const flags: Check = (c, ctx) => {
  switch (c.kind) {
    case 'set_on_zero':
      same(`set ${c.flag}`, W.setFlag(0, c.flag, true), c.byte);
      decodedOk(c.byte, c.decoded);
      return undefined;
    case 'set_false_on_ff': {
      // Upstream ignores `false` for the encoded group (§9.2 #16). We clear the field when the
      // named flag is the one set; for every other flag we match upstream's byte.
      const isCurrent = W.hasFlag(0xff, c.flag) && !['error', 'throttle', 'reserved1', 'reserved2', 'mode'].includes(c.flag);
      const expected = isCurrent ? W.withEncoded(0xff, 0) : c.byte;
      if (isCurrent) ctx.deliberate++;
      same(`clear ${c.flag}`, W.setFlag(0xff, c.flag, false), expected);
      if (!isCurrent) decodedOk(c.byte, c.decoded);
      return undefined;
    }
    case 'set_then_set':
      same(`${c.first} then ${c.second}`, W.setFlag(W.setFlag(c.start, c.first, true), c.second, true), c.byte);
      return undefined;
    case 'decode':
      decodedOk(c.byte, c.decoded);
      same('from_bytes', c.byte, c.from_bytes);
      return undefined;
    default:
      throw new Mismatch(`unknown flags case kind ${c.kind}`);
  }
};

/** A packet from a vector's field dict (snake_case, bytes as hex). */
export function packetFrom(input: Case): W.Packet {
  const p: Record<string, unknown> = { schemaId: input.schema ?? input.id, flags: input.flags, body: hex(input.body ?? '') };
  for (const k of ['packet_id', 'seq_id', 'seq_size', 'ttl', 'tree_state']) if (k in input) p[snakeToCamel(k)] = input[k];
  for (const k of ['checksum', 'to_addr', 'from_addr']) if (k in input) p[snakeToCamel(k)] = hex(input[k]);
  return p as unknown as W.Packet;
}

/** A parsed packet as upstream's Schema.unpack dict. */
export function packetDict(p: W.Packet): Record<string, unknown> {
  const d: Record<string, unknown> = { version: 0, reserved: p.reserved ?? 0, id: p.schemaId, flags: p.flags };
  const schema = W.getSchema(p.schemaId) as W.Schema;
  for (const f of schema.fields) {
    const v = (p as unknown as Record<string, unknown>)[f.name];
    d[f.name.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase())] = v instanceof Uint8Array ? W.toHex(v) : v;
  }
  d.body = W.toHex(p.body);
  return d;
}

function sortedDict(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(d).sort()) out[k] = d[k];
  return out;
}

const packets: Check = (c, { hashes }) => {
  switch (c.kind) {
    case undefined: {
      const frame = value('serialize', W.serializePacket(packetFrom(c.input)));
      same('packed', W.toHex(frame), c.packed);
      same('length', frame.length, c.length);
      const parsed = value('parse', W.parsePacket(hex(c.packed)));
      same('parse', sortedDict(packetDict(parsed)), sortedDict(c.parse));
      same('roundtrip', W.toHex(value('reserialize', W.serializePacket(parsed))) === c.packed, c.packet_unpack_roundtrip_equal);
      return undefined;
    }
    case 'set_checksum': {
      const parsed = value('parse', W.parsePacket(hex(c.packed)));
      same('body', W.toHex(parsed.body), c.body);
      const filled = value('withChecksum', W.withChecksum(hashes, { ...parsed, checksum: new Uint8Array(4) }));
      same('checksum', W.toHex(filled.checksum as Uint8Array), c.checksum);
      same('packed', W.toHex(value('serialize', W.serializePacket(filled))), c.packed);
      if (!W.checksumValid(hashes, parsed)) throw new Mismatch('checksumValid rejects a correct checksum');
      return undefined;
    }
    case 'int_field_given_as_bytes': {
      const parsed = value('parse', W.parsePacket(hex(c.packed)));
      same('repacked', W.toHex(value('serialize', W.serializePacket(parsed))), c.packed);
      return undefined;
    }
    case 'reserved_byte_nonzero': {
      const parsed = value('parse', W.parsePacket(hex(c.input)));
      same('parse', sortedDict(packetDict(parsed)), sortedDict(c.parse));
      same('repacked', W.toHex(value('serialize', W.serializePacket(parsed))), c.repacked);
      return undefined;
    }
    default:
      throw new Mismatch(`unknown packets case kind ${c.kind}`);
  }
};

const pkg: Check = (c, { hashes }) => {
  const parsed = value('parse', W.parsePackage(hex(c.packed)));
  if (c.kind === 'tampered') {
    same('verify', W.verifyPackage(hashes, parsed), c.verify);
    return undefined;
  }
  same('packed', W.toHex(value('build', W.buildPackage(hashes, hex(c.app_id), hex(c.blob)))), c.packed);
  same('half_sha256', W.toHex(W.halfSha256(hashes, hex(c.blob))), c.half_sha256);
  same('unpack', { app_id: parsed.appId, half_sha256: parsed.halfHash, blob: parsed.blob, verify: W.verifyPackage(hashes, parsed) }, c.unpack);
  return undefined;
};

/** Reassemble frames in `order`; returns the data and the completion flag after each fragment. */
function reassemble(frames: Uint8Array[], order: readonly number[]): { data: Uint8Array | undefined; flags: boolean[]; first: W.Packet } {
  const parsed = frames.map((f) => value('parse fragment', W.parsePacket(f)));
  const first = parsed[0];
  const schema = W.getSchema(first.schemaId) as W.Schema;
  const r = value('start', W.Reassembly.start(schema, first.seqId as number, first.seqSize as number, schema.maxPackage));
  const flags = order.map((i) => value(`add ${i}`, r.add(parsed[i].packetId, parsed[i].body)));
  return { data: r.assemble(), flags, first };
}

function split(schema: W.Schema, seqId: number, data: Uint8Array, fields: W.FragmentFields, fresh: boolean): string[] {
  const s = value('sequence', W.OutboundSequence.create(schema, seqId, data));
  const out: string[] = [];
  for (let i = 0; i < s.count; i++) {
    // "shared": upstream's broadcast reuses one Flags object; ask set on fragment 0 sticks to all.
    const p = s.fragment(i, fresh ? 0 : W.setFlag(0, 'ask', true), fields, fresh) as W.Packet;
    out.push(W.toHex(value('serialize', W.serializePacket(p))));
  }
  return out;
}

function fieldsFrom(extra: Case | null | undefined): W.FragmentFields {
  const p = packetFrom({ ...(extra ?? {}), schema: 0, flags: 0 }) as unknown as Record<string, unknown>;
  for (const k of ['schemaId', 'flags', 'body']) delete p[k];
  return p as W.FragmentFields;
}

const sequences: Check = (c, { hashes }) => {
  if (c.kind === 'exact_multiple_of_max_body' || c.kind === 'package_10KB_schema2') {
    const frames = (c.packets_fresh_flags ?? c.packets) as string[];
    const order: number[] = c.reassembly_order ?? frames.map((_f: string, i: number) => i);
    const { data, flags, first } = reassemble(frames.map(hex), order);
    if (c.reassembly_complete_flags) same('complete flags', flags, c.reassembly_complete_flags);
    if (!data) throw new Mismatch('reassembly incomplete');
    if (c.kind === 'exact_multiple_of_max_body') {
      // Upstream truncates the buffer when the last fragment is full (§3.5); we keep it whole.
      same('reassembled length', data.length, c.blob_len);
      same('reassembled sha256', W.toHex(hashes.sha256(data)), c.blob_sha256);
    } else {
      same('package length', data.length, c.package_len);
      const p = value('package', W.parsePackage(data));
      same('verify', W.verifyPackage(hashes, p), c.reassembled_package_verify);
      same('app id', W.toHex(p.appId), c.app_id);
      same('blob sha256', W.toHex(hashes.sha256(p.blob)), c.blob_sha256);
    }
    const schema = W.getSchema(first.schemaId) as W.Schema;
    same('re-split', split(schema, first.seqId as number, data, fieldsFrom(undefined), true), frames);
    return undefined;
  }
  if (c.kind !== undefined) throw new Mismatch(`unknown sequences case kind ${c.kind}`);
  const schema = W.getSchema(c.schema);
  if (!schema) throw new Mismatch(`schema ${c.schema} missing`);
  // Large blobs are given only by their SHA-256: recover them from the packets, then re-split.
  const frames = (c.packets_fresh_flags as string[]).map(hex);
  const blob = c.blob != null ? hex(c.blob) : reassemble(frames, frames.map((_f, i) => i)).data;
  if (!blob) throw new Mismatch('cannot recover the blob from the packets');
  same('blob sha256', W.toHex(hashes.sha256(blob)), c.blob_sha256);
  const fields = fieldsFrom(c.extra_fields);
  const fresh = split(schema, c.seq_id, blob, fields, true);
  same('fresh-flag packets', fresh, c.packets_fresh_flags);
  same('shared-flag packets', split(schema, c.seq_id, blob, fields, false), c.packets_shared_flags_object);
  same('packet count', fresh.length, c.packet_count);
  same('seq_size field', W.fragmentCount(schema, blob.length) - 1, c.seq_size_field);
  same('ask ids', fresh.map((_f, i) => i).filter((i) => W.isAskFragment(i, fresh.length)), c.ask_packet_ids);
  const { data, flags } = reassemble(fresh.map(hex), c.reassembly_order);
  same('complete flags', flags, c.reassembly_complete_flags);
  same('reassembled', !!data && W.bytesEqual(data, blob), c.reassembled_equal);
  same('reassembled length', data?.length, c.reassembled_len);
  return undefined;
};

const ids: Check = (c, { hashes }) => {
  switch (c.kind) {
    case 'bundled_app':
    case 'custom_app':
      same(`app id ${c.name}`, W.toHex(value('appId', W.appId(hashes, c.name, c.description, c.version))), c.id);
      return undefined;
    case 'interface':
      same(`interface id ${c.name}`, W.toHex(value('interfaceId', W.interfaceId(hashes, c.name, c.bitrate, c.supported_schemas))), c.id);
      same('default schema', c.supported_schemas[0], c.default_schema);
      return undefined;
    case 'node_id_rule':
      for (const e of c.examples as Case[]) same(`node id of ${e.unique_id}`, W.toHex(W.nodeIdFromUniqueId(hashes, hex(e.unique_id))), e.node_id);
      return undefined;
    default:
      throw new Mismatch(`unknown ids case kind ${c.kind}`);
  }
};

const checksums: Check = (c, { hashes }) => {
  const input = hex(c.input);
  same('crc32', hashes.crc32(input), c.crc32);
  same('crc32 be4', W.toHex(W.bodyChecksum(hashes, input)), c.crc32_be4);
  same('half sha256', W.toHex(W.halfSha256(hashes, input)), c.half_sha256);
  same('tree_state', W.treeState(hashes, input), c.tree_state);
  return undefined;
};

export const WIRE_CHECKS: Record<string, Check> = { constants, schemas, flags, packets, package: pkg, sequences, ids, checksums };
export { bytesOf };
export type { Context };
