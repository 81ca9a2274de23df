/**
 * The NEIGHBOURS section of a hello (flag bit 6; docs/routing.md "Short paths"): the sender's own
 * tree address, then its usable Hello-speaking neighbours' addresses, each written as the number
 * of coordinates it shares with the sender's and the coordinates after those:
 *
 * | off | size | field |
 * | +0 | 1 | tree state of the sender's address |
 * | +1 | 16 | the sender's address (the base) |
 * | +17 | 1 | m: neighbour addresses that follow |
 * | +18 | per neighbour | 1 byte: coordinates it shares with the base; 1 byte k; k bytes: its coordinates after those |
 *
 * With flag bit 7 the LANDMARKS section (hello-landmarks.ts) follows it; bytes after the sections
 * a build knows are a later build's and are ignored.
 */
import { fail, ok, type Result } from '../result.js';
import { Address, coordsHead, cpl } from '../address.js';
import { landmarkSection, parseLandmarks, type LandmarkDistance } from './hello-landmarks.js';

/** Neighbour addresses one hello carries at most (the best links; see apps/hello.ts). */
export const HELLO_MAX_NEIGHBOURS = 16;
const ADDRESS_BYTES = 16;
/** Bytes the neighbour addresses of one hello take at most (a frame stays well under ESP-NOW's 250). */
export const HELLO_NEIGHBOUR_BYTES = 96;

/** Bytes `a` takes in the NEIGHBOURS section of a hello from `own`. */
export function neighbourEntryBytes(own: Address, a: Address): number {
  const coords = a.peekCoords(); // a neighbour's address is not kept decoded for hellos (issue 21)
  return 2 + coords.length - cpl(own.coords, coords);
}

export interface NeighbourAddresses {
  readonly own: Address;
  readonly addrs: readonly Address[];
  /** The landmarks the sender knows nearby (hello-landmarks.ts): a section of its own after this one. */
  readonly landmarks?: readonly LandmarkDistance[];
}

/** The NEIGHBOURS section: each address is the coordinates it shares with the sender's, then its own. */
export function neighbourSection(n: NeighbourAddresses): Result<Uint8Array> {
  if (n.addrs.length > HELLO_MAX_NEIGHBOURS) return fail('body_too_large', `a hello carries at most ${HELLO_MAX_NEIGHBOURS} neighbour addresses`);
  const base = n.own.coords;
  let size = 2 + ADDRESS_BYTES;
  let entries = 0;
  // Each neighbour's coordinates decoded once here (addresses keep no decoded copy for hellos).
  const listed: (readonly number[])[] = [];
  for (const a of n.addrs) {
    if (a.treeState !== n.own.treeState) return fail('bad_argument', 'neighbour addresses must be in the tree of the sender');
    const coords = a.peekCoords();
    listed.push(coords);
    entries += 2 + coords.length - cpl(base, coords);
  }
  if (entries > HELLO_NEIGHBOUR_BYTES) return fail('body_too_large', `a hello carries at most ${HELLO_NEIGHBOUR_BYTES} bytes of neighbour addresses`);
  size += entries;
  const landmarks = n.landmarks?.length ? landmarkSection(n.own, n.landmarks) : undefined;
  if (landmarks && !landmarks.ok) return landmarks;
  const tail = landmarks?.ok ? landmarks.value : undefined;
  const out = new Uint8Array(size + (tail?.length ?? 0));
  if (tail) out.set(tail, size);
  out[0] = n.own.treeState;
  out.set(n.own.bytes, 1);
  out[1 + ADDRESS_BYTES] = n.addrs.length;
  let at = 2 + ADDRESS_BYTES;
  for (const coords of listed) {
    const shared = cpl(base, coords);
    out[at++] = shared;
    out[at++] = coords.length - shared;
    for (let i = shared; i < coords.length; i++) out[at++] = coords[i];
  }
  return ok(out);
}

/** Whether the section `neighbourSection(n)` wrote carries landmarks (flag bit 7 of the hello). */
export function hasLandmarks(n: NeighbourAddresses): boolean {
  return (n.landmarks?.length ?? 0) > 0;
}

/** Parse the NEIGHBOURS section, then the LANDMARKS section after it when `withLandmarks`. */
export function parseNeighbours(blob: Uint8Array, at: number, withLandmarks = false): Result<NeighbourAddresses> {
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
    const coords = coordsHead(own.value.coords, shared);
    for (let j = 0; j < k; j++) coords.push(blob[p + j]);
    p += k;
    const a = Address.fromCoords(own.value.treeState, coords);
    if (!a.ok) return a;
    addrs.push(a.value);
  }
  if (withLandmarks) {
    const landmarks = parseLandmarks(blob, p, own.value);
    if (!landmarks.ok) return landmarks;
    return ok({ own: own.value, addrs, landmarks: landmarks.value });
  }
  // Anything after this section belongs to sections a later build added: not ours to judge.
  return ok({ own: own.value, addrs });
}

