/**
 * Turning an app blob into frames (protocol.md §4.4, §4.5): schema choice, single packet or
 * sequence, and the control frames (ack, RNS, NIA). Pure: the Packager owns the counters,
 * peers and interfaces and passes in what these functions need.
 */
import { TTL_START } from './constants.js';
import { Encoded, setFlag, withEncoded } from './flags.js';
import { SCHEMAS, getSchema, type Schema } from './schemas.js';
import { bodyChecksum, serializePacket, type Packet } from './packet.js';
import { buildPackage } from './package.js';
import { OutboundSequence, maxSequenceData, type FragmentFields } from './sequence.js';
import { sequenceFrames } from './sequence-frames.js';
import { fail, ok, type Result } from './result.js';
import type { Address } from './address.js';
import type { Hashes } from '../platform/platform.js';

/** What a frame set is for: it decides which schemas qualify. */
export type Purpose = 'broadcast' | 'direct' | 'routed';

export interface Framed {
  readonly schema: Schema;
  /** True when the Package was split into a sequence (fragments share `seqId`). */
  readonly sequence: boolean;
  readonly frames: Uint8Array[];
}

/**
 * Schema ids supported by every list (upstream intersects all relevant interfaces). Loops, not
 * filter/every closures: every broadcast asks, usually for one interface, and the closures cost
 * 4,300 bytecodes a call on XS for an ESP-NOW radio's 11 ids (issue 21).
 */
export function intersectSchemaIds(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  const first = lists[0];
  if (lists.length === 1) return first.slice();
  const out: number[] = [];
  // Index loops: a for-of makes an iterator and a result object per turn on XS (this runs for
  // every frame a node sends).
  const n = first.length;
  const m = lists.length;
  let i = 0;
  let j = 1;
  for (; i < n; i++) {
    const id = first[i];
    for (j = 1; j < m; j++) if (!lists[j].includes(id)) break;
    if (j === m) out.push(id);
  }
  return out;
}

/**
 * True when `ids` is strictly ascending and every id a defined schema's: the intersection of
 * SCHEMA_IDS (ascending, every schema) with `ids` is then `ids` itself, and a broadcast beside
 * the loopback (which offers every schema) needs no intersection: its 28 `includes` calls cost
 * ≈ 2,250 bytecodes on XS for every broadcast (issue 21). A check of 11 ids costs a fifth of that.
 */
export function ascendingSchemaIds(ids: readonly number[]): boolean {
  let last = -1;
  for (let i = 0, n = ids.length; i < n; i++) {
    const id = ids[i];
    if (!(id > last) || getSchema(id) === undefined) return false;
    last = id;
  }
  return true;
}

function capacity(schema: Schema): number {
  return schema.supportsSequence ? maxSequenceData(schema) : schema.maxBody;
}

function qualifies(schema: Schema, purpose: Purpose): boolean {
  // Broadcast and direct frames carry no addresses: routed (ttl) and relay schemas need them.
  if (purpose === 'routed') return schema.supportsRouting;
  return !schema.supportsRouting && !schema.relayOnly;
}

/**
 * Upstream's choice: among `ids`, the schemas able to carry `packageLength` bytes, the one with
 * the largest max body. Undefined when none can.
 */
export function chooseSchema(ids: readonly number[], packageLength: number, purpose: Purpose): Schema | undefined {
  // Walked from the largest schema down, stopping below the first size that has one: the answer
  // is found within a few turns, where a walk over `ids` tested each (getSchema, ≈ 50 XS
  // bytecodes a turn, for every frame sent; issue 21). Of equal sizes, the one first in `ids`.
  let best: Schema | undefined;
  let at = 0;
  const n = BY_SIZE.length;
  let i = 0; // an index loop, as in intersectSchemaIds
  for (; i < n; i++) {
    const s = BY_SIZE[i];
    if (best !== undefined && s.maxBody < best.maxBody) break;
    const j = ids.indexOf(s.id); // native
    if (j < 0 || (best !== undefined && j > at) || !qualifies(s, purpose) || capacity(s) < packageLength) continue;
    best = s;
    at = j;
  }
  return best;
}

/** Every schema, the largest max body first (equal ones by id): chooseSchema's order. */
const BY_SIZE: readonly Schema[] = Object.freeze(SCHEMAS.slice().sort((a, b) => b.maxBody - a.maxBody || a.id - b.id));

export interface FrameCounters {
  /** packet_id of a single packet (upstream's counter). */
  readonly packetId: number;
  /** seq_id of a sequence (upstream's counter). */
  readonly seqId: number;
}

export interface RouteFields {
  readonly to: Address;
  readonly from: Address;
}

/** Sender choices beyond upstream's framing (protocol.md §13.3). */
export interface FrameStyle {
  /** Set flags.mode (dCPL) so relays route with the sender's metric; upstream never sets it. */
  readonly dcpl?: boolean;
  /**
   * Ask for an ack of every fragment of a direct/routed sequence (selective acks, so the sender
   * knows what to resend); upstream asks on fragments 0, last and middle only.
   */
  readonly askEveryFragment?: boolean;
  /**
   * A broadcast sequence whose fragments ask no ack (our own apps only): its sender keeps no
   * state for them, and a receiver missing a fragment asks for it again (rtx) as for any sequence.
   */
  readonly unacked?: boolean;
}

/**
 * Frames for `blob` sent by `appId`. Broadcast frames carry no ask except the fragments of a
 * sequence, which all carry it (upstream shares one Flags object among them, so every fragment
 * goes out with 0x08 — matched on the air). Direct and routed single packets carry ask;
 * their sequences carry ask on fragments 0, last and middle. Routed frames: ttl 255, the
 * destination's tree_state, its address and ours.
 */
export function frameBlob(
  hashes: Hashes,
  purpose: Purpose,
  ids: readonly number[],
  appId: Uint8Array,
  blob: Uint8Array,
  counters: FrameCounters,
  route?: RouteFields,
  style: FrameStyle = {},
): Result<Framed> {
  if (purpose === 'routed' && !route) return fail('missing_field', 'a routed frame needs to/from addresses');
  const pkg = buildPackage(hashes, appId, blob);
  if (!pkg.ok) return pkg as Result<never>;
  const data = pkg.value;
  const schema = chooseSchema(ids, data.length, purpose);
  if (!schema) {
    return fail('no_schema', `no ${purpose} schema among [${ids.join(',')}] carries a ${data.length}-byte Package`);
  }
  const fields: FragmentFields = route
    ? { ttl: TTL_START, treeState: route.to.treeState, toAddr: route.to.bytes, fromAddr: route.from.bytes }
    : {};
  const wantsAck = purpose !== 'broadcast';
  const base = style.dcpl ? setFlag(0, 'mode', true) : 0;
  if (schema.supportsSequence && (wantsAck || data.length > schema.maxBody)) {
    // Upstream's send always uses the sequence path on a sequence schema; broadcast only when split.
    const seq = OutboundSequence.create(schema, counters.seqId, data);
    if (!seq.ok) return seq as Result<never>;
    const flags = (!wantsAck && !style.unacked) || style.askEveryFragment ? setFlag(base, 'ask', true) : base;
    const frames = sequenceFrames(hashes, seq.value, flags, fields, wantsAck);
    if (!frames.ok) return frames as Result<never>;
    return ok({ schema, sequence: true, frames: frames.value });
  }
  const p: Packet = { schemaId: schema.id, flags: wantsAck ? setFlag(base, 'ask', true) : base, packetId: counters.packetId, body: data };
  if (route) Object.assign(p, fields);
  if (schema.supportsSequence) {
    // A broadcast that fits one packet of a sequence schema: a one-fragment sequence.
    // (Upstream writes seq_size 1 here, which its own receivers never complete.)
    p.seqId = counters.seqId;
    p.seqSize = 0;
  }
  if (schema.hasChecksum) p.checksum = bodyChecksum(hashes, p.body);
  const f = serializePacket(p);
  if (!f.ok) return f as Result<never>;
  return ok({ schema, sequence: p.seqSize !== undefined, frames: [f.value] });
}

/**
 * A control frame with an empty body on an interface's default schema: RNS (Request Node
 * Status, 0x20) or NIA (Node Is Active, 0x28). Upstream sends these only on schemas whose
 * sole field is packet_id (0 or 20); others are refused.
 */
export function frameControl(hashes: Hashes, schemaId: number, kind: 'rns' | 'nia', packetId: number): Result<Uint8Array> {
  const schema = getSchema(schemaId);
  if (!schema) return fail('unknown_schema', `unsupported schema id ${schemaId}`);
  if (schema.fields.some((f) => f.name !== 'packetId' && f.name !== 'checksum')) {
    return fail('no_schema', `schema ${schemaId} needs more than a packet_id; ${kind} frames use a simple default schema`);
  }
  const body = new Uint8Array(0);
  const p: Packet = { schemaId, flags: withEncoded(0, Encoded[kind]), packetId, body };
  if (schema.hasChecksum) p.checksum = bodyChecksum(hashes, body);
  return serializePacket(p);
}

/**
 * The ack of a received packet (§3.6): same schema and packet_id, its flags with the encoded
 * field set to ack (error/mode bits kept), empty body; to/from swapped and tree_state kept on
 * addressed schemas; ttl 255; seq_id/seq_size copied.
 */
export function frameAck(hashes: Hashes, received: Packet): Result<Uint8Array> {
  return serializePacket(ackOf(hashes, received));
}

/** The ack of `received` as a packet (what `frameAck` serializes), for a sender that also routes it. */
export function ackOf(hashes: Hashes, received: Packet): Packet {
  const body = new Uint8Array(0);
  const ack: Packet = {
    schemaId: received.schemaId,
    flags: withEncoded(received.flags, Encoded.ack),
    packetId: received.packetId,
    body,
  };
  if (received.seqId !== undefined) ack.seqId = received.seqId;
  if (received.seqSize !== undefined) ack.seqSize = received.seqSize;
  if (received.ttl !== undefined) ack.ttl = TTL_START;
  if (received.treeState !== undefined) ack.treeState = received.treeState;
  if (received.toAddr && received.fromAddr) {
    ack.toAddr = received.fromAddr;
    ack.fromAddr = received.toAddr;
  }
  if (received.checksum) ack.checksum = bodyChecksum(hashes, body);
  return ack;
}
