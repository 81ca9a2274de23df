/**
 * The addresses a neighbour's hello lists (its own, its neighbours', its landmarks), held as
 * objects that are already held where that is exact: every neighbour of a node lists it, and on
 * XS each parsed copy is an Address with its coordinate array, ≈ 150 B a neighbour (issue 21).
 *
 * On a device the node's own tables are searched (Packager.sharedAddress: its own addresses, its
 * routes'). Where the platform offers one table for a whole process (SharedValues: the
 * simulator's thousands of nodes in one heap), every receiver of the hello keeps the same
 * objects: its live heap is then per address, not per neighbour of each node, which the garbage
 * collector and the memory cache both feel (docs/benchmarks.md, issue 17 session 15).
 *
 * An object is shared only when its coordinates are those its bytes decode to (an Address from
 * bytes, or from coordinates without a zero: `fromCoords` keeps a zero a decoder would read
 * differently), so any two objects under one key measure the same to routing and landmarks.
 */
import type { Address } from '../wire/address.js';
import type { LandmarkDistance } from '../wire/messages/hello-landmarks.js';
import type { SharedValues } from '../platform/platform.js';
import type { Packager } from '../packager/packager.js';

/** Landmark entries' hops that fit beside a numeric key (the packed list writes 3 bits). */
const HOPS_IN_KEY = 8;

/**
 * `a`, or an equal address already held. `fromBytes`: `a` was made from its 16 bytes (the
 * section's own address), so its coordinates are those any equal address decodes to.
 */
export function heldAddress(p: Packager, shared: SharedValues | undefined, a: Address, fromBytes = false): Address {
  if (shared === undefined || (!fromBytes && a.coords.includes(0))) return p.sharedAddress(a);
  return shared.share(a.tableKey, a);
}

/**
 * `l` held once in the process-wide table, with its landmark's Address (without one, a node shares
 * its neighbours' entries itself: shared-landmarks.ts). Only a list of whole coordinates (as every
 * sender writes) is shared: its coordinates are then those of any equal address. The entry is
 * keyed apart from addresses (negative numbers, or a string that no address key starts with).
 */
export function heldLandmark(shared: SharedValues, l: LandmarkDistance): LandmarkDistance {
  if (l.address.coords.includes(0)) return l;
  const k = l.address.tableKey;
  const key = typeof k === 'number' && Number.isInteger(l.hops) && l.hops >= 0 && l.hops < HOPS_IN_KEY ? -1 - (k * HOPS_IN_KEY + l.hops) : `L${k}/${l.hops}`;
  const address = shared.share(k, l.address);
  return shared.share(key, address === l.address ? l : { address, hops: l.hops });
}
