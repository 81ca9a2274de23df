/**
 * The LANDMARKS section of a hello (flag bit 7; docs/routing.md "Landmarks"): the landmarks the
 * sender knows within a few hops and its hop count to each. A landmark is any node whose tree
 * depth is a multiple of LANDMARK_EVERY (packager/landmarks.ts). It follows the NEIGHBOURS
 * section and is sent only with it: each address is written against that section's base (the
 * sender's own address), as the neighbour addresses are.
 *
 * | off | size | field |
 * | +0 | 1 | m: landmark entries that follow |
 * | +1 | per entry | 1 byte: coordinates shared with the base; 1 byte k; k bytes: coordinates after those; 1 byte: hops from the sender (0: the sender itself) |
 *
 * Bytes after it belong to a later build's sections and are ignored.
 */
import { fail, ok, type Result } from '../result.js';
import { Address, cpl } from '../address.js';

/** Bytes the landmark entries of one hello take at most (the nearest are kept; the frame stays small). */
export const HELLO_LANDMARK_BYTES = 64;

export interface LandmarkDistance {
  readonly address: Address;
  readonly hops: number;
}

/** Bytes `l` takes in the LANDMARKS section of a hello whose base is `own`. */
export function landmarkEntryBytes(own: Address, l: Address): number {
  return 3 + l.coords.length - cpl(own.coords, l.coords);
}

export function landmarkSection(own: Address, entries: readonly LandmarkDistance[]): Result<Uint8Array> {
  let size = 1;
  for (const e of entries) {
    if (e.address.treeState !== own.treeState) return fail('bad_argument', 'landmarks must be in the tree of the sender');
    if (!(e.hops >= 0 && e.hops <= 255)) return fail('bad_argument', 'landmark hops out of range');
    size += landmarkEntryBytes(own, e.address);
  }
  if (entries.length > 255 || size - 1 > HELLO_LANDMARK_BYTES) return fail('body_too_large', `a hello carries at most ${HELLO_LANDMARK_BYTES} bytes of landmarks`);
  const out = new Uint8Array(size);
  out[0] = entries.length;
  let at = 1;
  for (const e of entries) {
    const shared = cpl(own.coords, e.address.coords);
    out[at++] = shared;
    out[at++] = e.address.coords.length - shared;
    for (let i = shared; i < e.address.coords.length; i++) out[at++] = e.address.coords[i];
    out[at++] = e.hops;
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
    const coords = own.coords.slice(0, shared);
    for (let j = 0; j < k; j++) coords.push(blob[p + j]);
    p += k;
    const a = Address.fromCoords(own.treeState, coords);
    if (!a.ok) return a;
    out.push({ address: a.value, hops: blob[p++] });
    // More than a hello may carry: a list no build of ours writes, refused whole (a neighbour's
    // list is kept per neighbour, so its size is capped here).
    if (p - at - 1 > HELLO_LANDMARK_BYTES) return fail('bad_message', `hello landmarks over ${HELLO_LANDMARK_BYTES} bytes`);
  }
  return ok(out);
}
