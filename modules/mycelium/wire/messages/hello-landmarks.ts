/**
 * The LANDMARKS section of a hello (flag bit 7; docs/routing.md "Landmarks"): the landmarks the
 * sender knows within a few hops and its hop count to each. A landmark is any node whose tree
 * depth is a multiple of LANDMARK_EVERY (packager/landmarks.ts). It follows the NEIGHBOURS
 * section and is sent only with it: each address is written against that section's base (the
 * sender's own address), as the neighbour addresses are.
 *
 * | off | size | field |
 * | +0 | 1 | m: byte-wise entries that follow (session-6 builds; this build writes m = 0) |
 * | +1 | per entry | 1 byte: coordinates shared with the base; 1 byte k; k bytes: coordinates after those; 1 byte: hops |
 * | then | 1 | format of what follows: 1 = packed entries (below); other values: a later build's, ignored |
 * | +1 | 1 | n: packed entries |
 * | +2 | ⌈nibbles ÷ 2⌉ | per entry, nibbles high first: 1 byte (s << 3 \| hops 0–7), then the first s (0–31) coordinates of its base are the landmark's, the coordinates after those in the address's own nibble code (1–7 one nibble, 8–135 two: 0x80 \| (c − 8)), a 0 nibble; the last byte padded with 0 |
 *
 * Packed entries come in the order of their coordinates (coordsOrder), and each one's base is the
 * entry before it — the first's, the sender's address — so landmarks on one branch share their
 * common prefix once. This takes well under half the bytes of the byte-wise form (a landmark 4
 * coordinates off its base: 3.5 bytes instead of 7), so the 64-byte budget lists nearly every
 * landmark within the radius at 1,000 nodes. Session-6 builds read m = 0 entries and ignore the bytes after them
 * (they are a later section to them), so they keep hearing us, without our landmarks.
 */
import { fail, ok, type Result } from '../result.js';
import { Address, coordsHead, cpl } from '../address.js';

/** Bytes the landmark entries of one hello take at most (the nearest are kept; the frame stays small). */
export const HELLO_LANDMARK_BYTES = 64;
/** Hops a packed entry can say (3 bits): landmarks are listed below a radius of at most 8. */
export const PACKED_MAX_HOPS = 7;
/** Base coordinates a packed entry can share (5 bits): a longer common prefix is written out. */
const PACKED_MAX_SHARED = 31;
const PACKED_FORMAT = 1;
/** Bytes before the packed entries: m = 0, the format, n. */
const PACKED_HEADER = 3;

export interface LandmarkDistance {
  readonly address: Address;
  readonly hops: number;
}

/** Nibbles one coordinate takes in the address code. */
const coordNibbles = (c: number): number => (c < 8 ? 1 : 2);

/** The order packed entries are written in: by coordinates, a prefix before what extends it. */
export function coordsOrder(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Nibbles a landmark at `coords` takes as a packed entry written against `base`. */
export function landmarkEntryNibbles(base: readonly number[], coords: readonly number[]): number {
  let n = 3; // the shared count with the hops, and the closing 0
  for (let i = packedShared(base, coords); i < coords.length; i++) n += coordNibbles(coords[i]);
  return n;
}

/** Nibbles `entries` take packed in a hello from `own`: in coordsOrder, each against the one before. */
export function packedLandmarkNibbles(own: Address, entries: readonly LandmarkDistance[]): number {
  const sorted = entries.map((e) => e.address.coords).sort(coordsOrder);
  let n = 0;
  let base: readonly number[] = own.coords;
  for (const c of sorted) {
    n += landmarkEntryNibbles(base, c);
    base = c;
  }
  return n;
}

const packedShared = (base: readonly number[], coords: readonly number[]): number => Math.min(PACKED_MAX_SHARED, cpl(base, coords));

/** Bytes the packed entries take (the budget HELLO_LANDMARK_BYTES counts these). */
export const landmarkEntriesBytes = (nibbles: number): number => (nibbles + 1) >> 1;

export function landmarkSection(own: Address, list: readonly LandmarkDistance[]): Result<Uint8Array> {
  for (const e of list) {
    if (e.address.treeState !== own.treeState) return fail('bad_argument', 'landmarks must be in the tree of the sender');
    if (!(e.hops >= 0 && e.hops <= PACKED_MAX_HOPS)) return fail('bad_argument', 'landmark hops out of range');
  }
  const entries = [...list].sort((a, b) => coordsOrder(a.address.coords, b.address.coords));
  const nibbles = packedLandmarkNibbles(own, entries);
  if (entries.length > 255 || landmarkEntriesBytes(nibbles) > HELLO_LANDMARK_BYTES) return fail('body_too_large', `a hello carries at most ${HELLO_LANDMARK_BYTES} bytes of landmarks`);
  const out = new Uint8Array(PACKED_HEADER + landmarkEntriesBytes(nibbles));
  out[1] = PACKED_FORMAT;
  out[2] = entries.length;
  let at = PACKED_HEADER * 2; // in nibbles
  const put = (v: number): void => {
    out[at >> 1] |= (at & 1) === 0 ? v << 4 : v;
    at++;
  };
  let base: readonly number[] = own.coords;
  for (const e of entries) {
    const shared = packedShared(base, e.address.coords);
    base = e.address.coords;
    const head = (shared << 3) | e.hops;
    put(head >> 4);
    put(head & 15);
    for (let i = shared; i < e.address.coords.length; i++) {
      const c = e.address.coords[i];
      if (c < 8) put(c);
      else {
        put(8 | ((c - 8) >> 4));
        put((c - 8) & 15);
      }
    }
    put(0);
  }
  return ok(out);
}

/** Parse the LANDMARKS section at `at`, written against `own`. */
export function parseLandmarks(blob: Uint8Array, at: number, own: Address): Result<LandmarkDistance[]> {
  if (at >= blob.length) return fail('truncated', 'hello landmark section cut short');
  const m = blob[at];
  let p = at + 1;
  const out: LandmarkDistance[] = [];
  for (let i = 0; i < m; i++) {
    if (p + 2 > blob.length) return fail('truncated', 'hello landmark cut short');
    const shared = blob[p];
    const k = blob[p + 1];
    p += 2;
    if (shared > own.coords.length || p + k + 1 > blob.length) return fail('bad_message', 'hello landmark out of range');
    const coords = coordsHead(own.coords, shared);
    for (let j = 0; j < k; j++) coords.push(blob[p + j]);
    p += k;
    const a = Address.fromCoords(own.treeState, coords);
    if (!a.ok) return a;
    out.push({ address: a.value, hops: blob[p++] });
    // More than a hello may carry: a list no build of ours writes, refused whole (a neighbour's
    // list is kept per neighbour, so its size is capped here).
    if (p - at - 1 > HELLO_LANDMARK_BYTES) return fail('bad_message', `hello landmarks over ${HELLO_LANDMARK_BYTES} bytes`);
  }
  // A session-6 build's list ends here; an unknown format is a later build's, not ours to judge.
  if (p >= blob.length || blob[p] !== PACKED_FORMAT) return ok(out);
  return parsePacked(blob, p + 1, own, out);
}

function parsePacked(blob: Uint8Array, p: number, own: Address, out: LandmarkDistance[]): Result<LandmarkDistance[]> {
  if (p >= blob.length) return fail('truncated', 'hello packed landmarks cut short');
  const n = blob[p];
  const start = (p + 1) * 2; // in nibbles
  const end = Math.min(blob.length * 2, start + HELLO_LANDMARK_BYTES * 2);
  let at = start;
  let base: readonly number[] = own.coords;
  // -1 when the section ends: every read is checked by the caller through `at`.
  const get = (): number => (at < end ? (at & 1) === 0 ? blob[at++ >> 1] >> 4 : blob[at++ >> 1] & 15 : -1);
  for (let i = 0; i < n; i++) {
    const hi = get();
    const lo = get();
    if (lo < 0) return fail('truncated', 'hello packed landmark cut short');
    const shared = ((hi << 4) | lo) >> 3;
    if (shared > base.length) return fail('bad_message', 'hello landmark out of range');
    const coords = coordsHead(base, shared);
    for (;;) {
      const c = get();
      if (c < 0) return fail('truncated', 'hello packed landmark cut short');
      if (c === 0) break;
      if (c < 8) coords.push(c);
      else {
        const low = get();
        if (low < 0) return fail('truncated', 'hello packed landmark cut short');
        coords.push((((c & 7) << 4) | low) + 8);
      }
      // Beyond an address's 32 coordinates: refused here, before the list grows any further.
      if (coords.length > 32) return fail('bad_message', 'hello landmark too long');
    }
    const a = Address.fromCoords(own.treeState, coords);
    if (!a.ok) return a;
    out.push({ address: a.value, hops: lo & 7 });
    base = a.value.coords;
  }
  return ok(out);
}
