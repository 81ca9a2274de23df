/**
 * Hello messages (docs/routing.md "Hello"): our own extension, never sent to an app id upstream
 * runs (upstream drops a Package for an unknown app id, protocol.md §4.12). A broadcast every few
 * seconds that carries what link estimation, fast tree repair and short paths need, in 19 (+ 32) + 5·n
 * (+ 18 + about 3 per neighbour address) bytes:
 *
 * | off | size | field |
 * | 0 | 1 | op: 0x01 hello |
 * | 1 | 2 | seq: the sender's hello counter (u16, wraps); gaps are lost hellos |
 * | 3 | 1 | interval: the sender's hello period in 100 ms units (when the next one is due) |
 * | 4 | 1 | flags: bit 0 the sender modem-sleeps; bit 1 the root below is lost (poison); bit 2 that root beats (rootSeq counts); bit 3 the sender's node id follows |
 * | 5 | 2 | rootSeq: heartbeat of the root the sender follows (u16, wraps; the root counts it) |
 * | 7 | 1 | depth: the sender's depth in that tree (0 = root, 255 = none) |
 * | 8 | 8 | root: the first 8 bytes of that root's node id |
 * | 16 | 1 | n: "I heard you" entries that follow |
 * | 17 | 2 | addressTag: FNV-1a of the sender's address bytes, folded to 16 bits (its children check it) |
 * | 19 | 32 | with flag bit 3 only: the sender's node id (so a neighbour whose Beacon was lost learns it) |
 * | 19 or 51 | 5·n | per neighbour: its first 4 id bytes and how much of its hellos we receive (0..255) |
 * | then, with flag bit 4 only | | the sender's neighbours' tree addresses (docs/routing.md "Short paths"), relative to its own: |
 * | +0 | 1 | tree state of the sender's address |
 * | +1 | 16 | the sender's address (the base) |
 * | +17 | 1 | m: neighbour addresses that follow |
 * | +18 | per neighbour | 1 byte: coordinates it shares with the base; 1 byte k; k bytes: its coordinates after those |
 */
import { fail, ok, type Result } from '../result.js';
import { Address, cpl } from '../address.js';

export const HELLO_OP = 0x01;
export const HelloFlag = Object.freeze({ SLEEPS: 0x01, ROOT_LOST: 0x02, BEATS: 0x04, HAS_ID: 0x08, NEIGHBOURS: 0x10 } as const);
const NODE_ID_BYTES = 32;
export const HELLO_ROOT_BYTES = 8;
export const HELLO_SHORT_ID_BYTES = 4;
const HEADER = 19;
const ENTRY = HELLO_SHORT_ID_BYTES + 1;
/** Entries one hello carries at most (a frame stays well under the smallest MTU). */
export const HELLO_MAX_ENTRIES = 32;
/** Neighbour addresses one hello carries at most (the best links; see apps/hello.ts). */
export const HELLO_MAX_NEIGHBOURS = 16;
const ADDRESS_BYTES = 16;
/** Bytes the neighbour addresses of one hello take at most (a frame stays well under ESP-NOW's 250). */
export const HELLO_NEIGHBOUR_BYTES = 96;

/** Bytes `a` takes in the NEIGHBOURS section of a hello from `own`. */
export function neighbourEntryBytes(own: Address, a: Address): number {
  return 2 + a.coords.length - cpl(own.coords, a.coords);
}

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
  /** The sender's address and its usable neighbours' addresses in that tree (flag NEIGHBOURS). */
  readonly neighbours?: NeighbourAddresses;
}

export interface NeighbourAddresses {
  readonly own: Address;
  readonly addrs: readonly Address[];
}

export function serializeHello(m: HelloMessage): Result<Uint8Array> {
  if (m.heard.length > HELLO_MAX_ENTRIES) return fail('body_too_large', `a hello carries at most ${HELLO_MAX_ENTRIES} entries`);
  if (m.root.length < HELLO_ROOT_BYTES) return fail('field_length', 'hello root needs 8 bytes');
  if (m.nodeId !== undefined && m.nodeId.length !== NODE_ID_BYTES) return fail('field_length', 'hello node id must be 32 bytes');
  const idBytes = m.nodeId ? NODE_ID_BYTES : 0;
  const section = m.neighbours ? neighbourSection(m.neighbours) : undefined;
  if (section && !section.ok) return section;
  const sectionBytes = section?.ok ? section.value : undefined;
  const out = new Uint8Array(HEADER + idBytes + ENTRY * m.heard.length + (sectionBytes?.length ?? 0));
  const view = new DataView(out.buffer);
  out[0] = HELLO_OP;
  view.setUint16(1, m.seq & 0xffff);
  out[3] = Math.max(1, Math.min(255, Math.round(m.intervalMs / 100)));
  out[4] = (m.flags & ~(HelloFlag.HAS_ID | HelloFlag.NEIGHBOURS) & 0xff) | (m.nodeId ? HelloFlag.HAS_ID : 0) | (sectionBytes ? HelloFlag.NEIGHBOURS : 0);
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
  if (sectionBytes) out.set(sectionBytes, base + ENTRY * m.heard.length);
  return ok(out);
}

/** The NEIGHBOURS section: each address is the coordinates it shares with the sender's, then its own. */
function neighbourSection(n: NeighbourAddresses): Result<Uint8Array> {
  if (n.addrs.length > HELLO_MAX_NEIGHBOURS) return fail('body_too_large', `a hello carries at most ${HELLO_MAX_NEIGHBOURS} neighbour addresses`);
  const base = n.own.coords;
  let size = 2 + ADDRESS_BYTES;
  let entries = 0;
  for (const a of n.addrs) {
    if (a.treeState !== n.own.treeState) return fail('bad_argument', 'neighbour addresses must be in the tree of the sender');
    entries += neighbourEntryBytes(n.own, a);
  }
  if (entries > HELLO_NEIGHBOUR_BYTES) return fail('body_too_large', `a hello carries at most ${HELLO_NEIGHBOUR_BYTES} bytes of neighbour addresses`);
  size += entries;
  const out = new Uint8Array(size);
  out[0] = n.own.treeState;
  out.set(n.own.bytes, 1);
  out[1 + ADDRESS_BYTES] = n.addrs.length;
  let at = 2 + ADDRESS_BYTES;
  for (const a of n.addrs) {
    const shared = cpl(base, a.coords);
    out[at++] = shared;
    out[at++] = a.coords.length - shared;
    for (let i = shared; i < a.coords.length; i++) out[at++] = a.coords[i];
  }
  return ok(out);
}

/** Parse the NEIGHBOURS section, which must end exactly at the end of the blob. */
function parseNeighbours(blob: Uint8Array, at: number): Result<NeighbourAddresses> {
  if (blob.length < at + 2 + ADDRESS_BYTES) return fail('truncated', 'hello neighbour section cut short');
  const own = Address.fromBytes(blob[at], blob.subarray(at + 1, at + 1 + ADDRESS_BYTES));
  if (!own.ok) return own;
  const m = blob[at + 1 + ADDRESS_BYTES];
  if (m > HELLO_MAX_NEIGHBOURS) return fail('bad_message', `hello with ${m} neighbour addresses`);
  let p = at + 2 + ADDRESS_BYTES;
  const addrs: Address[] = [];
  for (let i = 0; i < m; i++) {
    if (p + 2 > blob.length) return fail('truncated', 'hello neighbour address cut short');
    const shared = blob[p];
    const k = blob[p + 1];
    p += 2;
    if (shared > own.value.coords.length || p + k > blob.length) return fail('bad_message', 'hello neighbour address out of range');
    const coords = own.value.coords.slice(0, shared);
    for (let j = 0; j < k; j++) coords.push(blob[p + j]);
    p += k;
    const a = Address.fromCoords(own.value.treeState, coords);
    if (!a.ok) return a;
    addrs.push(a.value);
  }
  if (p !== blob.length) return fail('bad_message', `hello neighbour section leaves ${blob.length - p} bytes`);
  return ok({ own: own.value, addrs });
}

export function parseHello(blob: Uint8Array): Result<HelloMessage> {
  if (blob.length < HEADER) return fail('truncated', `a hello needs ${HEADER} bytes, got ${blob.length}`);
  if (blob[0] !== HELLO_OP) return fail('bad_message', `unknown hello op 0x${blob[0].toString(16)}`);
  const n = blob[16];
  const idBytes = blob[4] & HelloFlag.HAS_ID ? NODE_ID_BYTES : 0;
  const withNeighbours = (blob[4] & HelloFlag.NEIGHBOURS) !== 0;
  const entriesEnd = HEADER + idBytes + n * ENTRY;
  if (n > HELLO_MAX_ENTRIES || (withNeighbours ? blob.length < entriesEnd : blob.length !== entriesEnd)) return fail('bad_message', `hello with ${n} entries has ${blob.length} bytes`);
  const neighbours = withNeighbours ? parseNeighbours(blob, entriesEnd) : undefined;
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
    neighbours: neighbours?.ok ? neighbours.value : undefined,
  });
}

/** A 16-bit tag of an address's bytes (FNV-1a, folded): enough to notice that a parent moved. */
export function addressTag(bytes: Uint8Array | undefined): number {
  if (!bytes) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return (h ^ (h >>> 16)) & 0xffff;
}
