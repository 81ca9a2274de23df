/**
 * Hello messages (docs/routing.md "Hello"): our own extension, never sent to an app id upstream
 * runs (upstream drops a Package for an unknown app id, protocol.md §4.12). A broadcast every few
 * seconds that carries what link estimation, fast tree repair, aligned sleep and short paths need, in
 * 19 (+ 32) + 5·n (+ 10) (+ 18 + about 3 per neighbour address) bytes:
 *
 * | off | size | field |
 * | 0 | 1 | op: 0x01 hello (0x03: the same layout, answering a probe by unicast; 0x02 alone: a probe; 0x04 and 0x05: a sleepy leaf's WHERE and its HERE, hello-where.ts; 0x06 + 9 bytes: news of a root and its hops, tree-news.ts) |
 * | 1 | 2 | seq: the sender's hello counter (u16, wraps); gaps are lost hellos |
 * | 3 | 1 | interval: the sender's hello period in 100 ms units (when the next one is due) |
 * | 4 | 1 | flags: bit 0 the sender modem-sleeps; bit 1 the root below is lost (poison); bit 2 that root beats (rootSeq counts); bit 3 the sender's node id follows; bit 4 its wake schedule follows; bit 5 it is a sleepy leaf (docs/sleep.md); bit 6 its neighbours' addresses follow; bit 7 (with bit 6 only) landmarks follow them |
 * | 5 | 2 | rootSeq: heartbeat of the root the sender follows (u16, wraps; the root counts it); with neither bit 1 nor bit 2, 0xffff says that root is far (FAR_ROOT_SEQ) |
 * | 7 | 1 | depth: the sender's depth in that tree (0 = root, 255 = none) |
 * | 8 | 8 | root: the first 8 bytes of that root's node id |
 * | 16 | 1 | n: "I heard you" entries that follow |
 * | 17 | 2 | addressTag: FNV-1a of the sender's address bytes, folded to 16 bits (its children check it) |
 * | 19 | 32 | with flag bit 3 only: the sender's node id (so a neighbour whose Beacon was lost learns it) |
 * | 19 or 51 | 5·n | per neighbour: its first 4 id bytes and how much of its hellos we receive (0..255) |
 * | then, with flag bit 4 only | 10 | the sender's wake schedule (docs/sleep.md): phase u16 (ms since its superframe of 8 windows began), period u16 ms, window u8 ms, hops u8 from the schedule's source, source 4 bytes (its id's first 4) |
 * | then, with flag bit 6 only | 18 + … | the sender's neighbours' tree addresses (hello-neighbours.ts; docs/routing.md "Short paths") |
 * | then, with flag bit 7 only | 1 + … | landmarks near the sender and its hops to each (hello-landmarks.ts; docs/routing.md "Landmarks") |
 */
import { fail, ok, type Result } from '../result.js';
import { hasLandmarks, neighbourSection, parseNeighbours, type NeighbourAddresses } from './hello-neighbours.js';
import { getSchema } from '../schemas.js';
import { PACKAGE_HEADER_BYTES } from '../package.js';

export { HELLO_MAX_NEIGHBOURS, HELLO_NEIGHBOUR_BYTES, neighbourEntryBytes, type NeighbourAddresses } from './hello-neighbours.js';
export { HELLO_LANDMARK_BYTES, landmarkEntryNibbles, type LandmarkDistance } from './hello-landmarks.js';

export const HELLO_OP = 0x01;
/**
 * A child that has not heard its parent for most of the silence that would make it give the
 * parent up asks it, by unicast, to answer (docs/routing.md "Probing a silent parent"): 1 byte.
 */
export const HELLO_PROBE_OP = 0x02;
/** The answer to a probe, by unicast: a hello's header (the same layout, no sections) under this op. */
export const HELLO_ANSWER_OP = 0x03;
/** News of a better root, by broadcast: the first 8 bytes of its id and a hop count (apps/tree-news.ts). */
export const HELLO_NEWS_OP = 0x06;
export const HelloFlag = Object.freeze({ SLEEPS: 0x01, ROOT_LOST: 0x02, BEATS: 0x04, HAS_ID: 0x08, SCHEDULE: 0x10, LEAF: 0x20, NEIGHBOURS: 0x40, LANDMARKS: 0x80 } as const);
/**
 * rootSeq of a hello whose sender's way to its root crosses a link that keeps Hello off (a
 * bridge's LoRa link, docs/lora.md "Bridges"): that root's heartbeat cannot reach it. Sent with
 * neither ROOT_LOST nor BEATS, where rootSeq carries no heartbeat, so a build that does not know
 * it reads "a root that does not beat": no heartbeat check, no poison, the safe meaning. (The
 * flag byte is full; a non-beating sender whose counter stands at 0xffff sends 0 instead.)
 */
export const FAR_ROOT_SEQ = 0xffff;

/** The sender says its root is far (FAR_ROOT_SEQ). */
export function saysFarRoot(m: { readonly flags: number; readonly rootSeq: number }): boolean {
  return (m.flags & (HelloFlag.ROOT_LOST | HelloFlag.BEATS)) === 0 && m.rootSeq === FAR_ROOT_SEQ;
}
const SCHEDULE_BYTES = 10;
const SOURCE_BYTES = 4;
const NODE_ID_BYTES = 32;
export const HELLO_ROOT_BYTES = 8;
export const HELLO_SHORT_ID_BYTES = 4;
const HEADER = 19;
const ENTRY = HELLO_SHORT_ID_BYTES + 1;
/** Entries one hello carries at most (a frame stays well under the smallest MTU). */
export const HELLO_MAX_ENTRIES = 32;
/** Bytes one heard entry takes. */
export const HELLO_ENTRY_BYTES = ENTRY;
/**
 * The largest hello one frame carries on every radio we drive: a single packet's body (schema 20,
 * the RYLR-998's; ESP-NOW's schema 0 holds 10 bytes more) less the Package header. A longer hello
 * goes as a broadcast sequence, lost whole when any fragment is and held in every receiver's
 * reassembly table meanwhile (docs/routing.md "Dense neighbourhoods"), so apps/hello.ts keeps to it.
 */
export const HELLO_FRAME_BYTES = (getSchema(20)?.maxBody ?? 0) - PACKAGE_HEADER_BYTES;

export interface HeardEntry {
  readonly shortId: Uint8Array;
  /** Share of that neighbour's hellos we received, 0..255 (255 = all). */
  readonly quality: number;
}

export interface HelloMessage {
  readonly seq: number;
  readonly intervalMs: number;
  readonly flags: number;
  readonly rootSeq: number;
  readonly depth: number;
  readonly root: Uint8Array;
  /** addressTag(the sender's address): a child whose parent's tag is not its own parent address's asks again. */
  readonly addressTag: number;
  /** The sender's node id, in the hellos that carry it (flag HAS_ID, set by serializeHello). */
  readonly nodeId?: Uint8Array;
  readonly heard: readonly HeardEntry[];
  /** The sender's aligned sleep schedule (flag SCHEDULE, set by serializeHello). */
  readonly schedule?: HelloSchedule;
  /** The sender's address and its usable neighbours' addresses in that tree (flag NEIGHBOURS). */
  readonly neighbours?: NeighbourAddresses;
}

/** A sleeper's wake schedule as its hello carries it (packager/schedule-sync.ts reads it). */
export interface HelloSchedule {
  readonly phaseMs: number;
  readonly periodMs: number;
  readonly windowMs: number;
  readonly hops: number;
  readonly source: Uint8Array;
}

/**
 * Bytes a hello takes with no heard entries (its header, the id and schedule when present, the
 * neighbours' section), or undefined when that section cannot be written: what room is left for the list.
 */
export function helloBytesWithoutHeard(nodeId: boolean, schedule: boolean, neighbours: NeighbourAddresses | undefined): number | undefined {
  const section = neighbours ? neighbourSection(neighbours) : undefined;
  if (section && !section.ok) return undefined;
  return HEADER + (nodeId ? NODE_ID_BYTES : 0) + (schedule ? SCHEDULE_BYTES : 0) + (section?.ok ? section.value.length : 0);
}

/** `op`: HELLO_OP, or HELLO_ANSWER_OP for the answer to a probe (the same layout). */
export function serializeHello(m: HelloMessage, op = HELLO_OP): Result<Uint8Array> {
  if (m.heard.length > HELLO_MAX_ENTRIES) return fail('body_too_large', `a hello carries at most ${HELLO_MAX_ENTRIES} entries`);
  if (m.root.length < HELLO_ROOT_BYTES) return fail('field_length', 'hello root needs 8 bytes');
  if (m.nodeId !== undefined && m.nodeId.length !== NODE_ID_BYTES) return fail('field_length', 'hello node id must be 32 bytes');
  if (m.schedule && (m.schedule.source.length !== SOURCE_BYTES || m.schedule.periodMs > 0xffff || m.schedule.windowMs > 0xff || m.schedule.phaseMs > 0xffff)) return fail('field_length', 'hello schedule out of range');
  const idBytes = m.nodeId ? NODE_ID_BYTES : 0;
  const tail = m.schedule ? SCHEDULE_BYTES : 0;
  const section = m.neighbours ? neighbourSection(m.neighbours) : undefined;
  if (section && !section.ok) return section;
  const sectionBytes = section?.ok ? section.value : undefined;
  const out = new Uint8Array(HEADER + idBytes + ENTRY * m.heard.length + tail + (sectionBytes?.length ?? 0));
  const view = new DataView(out.buffer);
  out[0] = op;
  view.setUint16(1, m.seq & 0xffff);
  out[3] = Math.max(1, Math.min(255, Math.round(m.intervalMs / 100)));
  const landmarks = sectionBytes && m.neighbours && hasLandmarks(m.neighbours) ? HelloFlag.LANDMARKS : 0;
  out[4] = (m.flags & ~(HelloFlag.HAS_ID | HelloFlag.SCHEDULE | HelloFlag.NEIGHBOURS | HelloFlag.LANDMARKS) & 0xff) | (m.nodeId ? HelloFlag.HAS_ID : 0) | (m.schedule ? HelloFlag.SCHEDULE : 0) | (sectionBytes ? HelloFlag.NEIGHBOURS : 0) | landmarks;
  view.setUint16(5, m.rootSeq & 0xffff);
  out[7] = Math.max(0, Math.min(255, m.depth));
  out.set(m.root.subarray(0, HELLO_ROOT_BYTES), 8);
  out[16] = m.heard.length;
  view.setUint16(17, m.addressTag & 0xffff);
  if (m.nodeId) out.set(m.nodeId, HEADER);
  const base = HEADER + idBytes;
  for (let i = 0; i < m.heard.length; i++) {
    const e = m.heard[i];
    if (e.shortId.length < HELLO_SHORT_ID_BYTES) return fail('field_length', 'hello short ids need 4 bytes');
    out.set(e.shortId.subarray(0, HELLO_SHORT_ID_BYTES), base + i * ENTRY);
    out[base + i * ENTRY + HELLO_SHORT_ID_BYTES] = Math.max(0, Math.min(255, Math.round(e.quality)));
  }
  if (m.schedule) {
    const at = base + m.heard.length * ENTRY;
    view.setUint16(at, Math.floor(m.schedule.phaseMs));
    view.setUint16(at + 2, m.schedule.periodMs);
    out[at + 4] = m.schedule.windowMs;
    out[at + 5] = Math.max(0, Math.min(255, m.schedule.hops));
    out.set(m.schedule.source, at + 6);
  }
  if (sectionBytes) out.set(sectionBytes, base + m.heard.length * ENTRY + tail);
  return ok(out);
}

/** `op`: the op the blob must carry (HELLO_ANSWER_OP for a probe's answer). */
export function parseHello(blob: Uint8Array, op = HELLO_OP): Result<HelloMessage> {
  if (blob.length < HEADER) return fail('truncated', `a hello needs ${HEADER} bytes, got ${blob.length}`);
  if (blob[0] !== op) return fail('bad_message', `unknown hello op 0x${blob[0].toString(16)}`);
  const n = blob[16];
  const idBytes = blob[4] & HelloFlag.HAS_ID ? NODE_ID_BYTES : 0;
  const tail = blob[4] & HelloFlag.SCHEDULE ? SCHEDULE_BYTES : 0;
  const withNeighbours = (blob[4] & HelloFlag.NEIGHBOURS) !== 0;
  const fixedEnd = HEADER + idBytes + n * ENTRY + tail;
  // Bytes past the sections we know are a later build's sections (flags we do not read): ignored,
  // so a newer node's hello still reaches this one. Only a hello cut short is refused.
  if (n > HELLO_MAX_ENTRIES || blob.length < fixedEnd) return fail('bad_message', `hello with ${n} entries has ${blob.length} bytes`);
  const neighbours = withNeighbours ? parseNeighbours(blob, fixedEnd, (blob[4] & HelloFlag.LANDMARKS) !== 0) : undefined;
  if (neighbours && !neighbours.ok) return neighbours;
  if (blob[3] === 0) return fail('bad_message', 'hello interval 0');
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const heard: HeardEntry[] = [];
  for (let i = 0; i < n; i++) {
    const at = HEADER + idBytes + i * ENTRY;
    heard.push({ shortId: blob.subarray(at, at + HELLO_SHORT_ID_BYTES), quality: blob[at + HELLO_SHORT_ID_BYTES] });
  }
  return ok({
    seq: view.getUint16(1),
    intervalMs: blob[3] * 100,
    flags: blob[4],
    rootSeq: view.getUint16(5),
    depth: blob[7],
    root: blob.subarray(8, 16),
    addressTag: view.getUint16(17),
    nodeId: idBytes ? blob.subarray(HEADER, HEADER + NODE_ID_BYTES) : undefined,
    heard,
    schedule: tail ? readSchedule(view, HEADER + idBytes + n * ENTRY, blob) : undefined,
    neighbours: neighbours?.ok ? neighbours.value : undefined,
  });
}

function readSchedule(view: DataView, at: number, blob: Uint8Array): HelloSchedule {
  return { phaseMs: view.getUint16(at), periodMs: view.getUint16(at + 2), windowMs: blob[at + 4], hops: blob[at + 5], source: blob.subarray(at + 6, at + 6 + SOURCE_BYTES) };
}

/** A 16-bit tag of an address's bytes (FNV-1a, folded): enough to notice that a parent moved. */
export function addressTag(bytes: Uint8Array | undefined): number {
  if (!bytes) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return (h ^ (h >>> 16)) & 0xffff;
}
