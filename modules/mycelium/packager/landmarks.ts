/**
 * Landmarks (docs/routing.md "Landmarks"): tree distance is a poor estimate far from the target —
 * two nodes a few hops apart on the ground can be on branches that meet near the root — and the
 * views of short-paths.ts (neighbours' neighbours, paths learnt from traffic) only see a few hops
 * ahead. So some nodes are landmarks, and every node learns its true hop count to the landmarks
 * within LANDMARK_RADIUS hops, by a distance vector carried in the hellos that already carry the
 * neighbour list. A relay then bounds the hops to target D by h(L) + dTree(L, D) for a landmark
 * L it knows: down the shortest path to L, then along the tree.
 *
 * A landmark is any node whose tree depth is a multiple of LANDMARK_EVERY: every node knows from
 * its own address whether it is one (no election, no extra message), and the landmarks are spread
 * over the mesh at every scale of the tree, so near any target there is an ancestor or cousin
 * that is one. The radius keeps a node's list to the twenty or so landmarks around it (≤ 64 bytes a
 * hello) whatever the size of the mesh.
 */
import type { Address } from '../wire/address.js';
import { HELLO_LANDMARK_BYTES, coordsOrder, landmarkEntryNibbles, type LandmarkDistance } from '../wire/messages/hello-landmarks.js';
import type { Peer } from './peer.js';

/** Depths that make a landmark: 0, 4, 8, … (chosen on random geometric meshes: bench/stretch-model.ts). */
export const LANDMARK_EVERY = 4;
/**
 * Hops a landmark is known at most: the lists stay short (≈ 18 entries at mean degree 10). Listed
 * hops are below it, so they fit the packed entry's 3 bits (PACKED_MAX_HOPS, hello-landmarks.ts).
 */
export const LANDMARK_RADIUS = 5;
/**
 * The radius a node in the aligned modem sleep uses (docs/sleep.md): its hellos share short wake
 * windows with every neighbour's, and a radius of 5 made them longer there for no use — a 40-node
 * sleeping mesh has few landmarks beyond 4 hops to gain from — and cost a root (and 12 of 192
 * pings) in `npm run bench:energy`'s sleepy-leaves-40.
 */
export const SLEEPING_LANDMARK_RADIUS = 4;

export function isLandmark(a: Address, every = LANDMARK_EVERY): boolean {
  return a.peekCoords().length % every === 0; // asked of every neighbour each hello: no memo kept
}

/**
 * The landmarks we know within the radius and our hops to each, nearest first and within a
 * hello's budget: ourselves at 0 if we are one, a landmark neighbour at 1, and 1 + what each
 * usable Hello-speaking neighbour's fresh list says. Only entries below the radius are listed, so
 * a neighbour's entries stay within it. (`every` and `radius` are parameters for
 * bench/stretch-model.ts, which compares choices; nodes use the constants.)
 */
export function nearbyLandmarks(own: Address, peers: Iterable<Peer>, usable: (peer: Peer) => boolean, now: number, every = LANDMARK_EVERY, radius = LANDMARK_RADIUS): LandmarkDistance[] {
  const best = new Map<string, LandmarkDistance>();
  const offer = (address: Address, hops: number): void => {
    if (hops >= radius || address.treeState !== own.treeState || !isLandmark(address, every)) return;
    const old = best.get(address.key);
    if (!old || old.hops > hops) best.set(address.key, { address, hops });
  };
  offer(own, 0);
  for (const peer of peers) {
    if (!peer.link || peer.leaf || !usable(peer)) continue; // a sleepy leaf relays nothing
    for (const a of peer.addrs) offer(a, 1);
    const reach = peer.reach;
    if (!reach || !reach.fresh(now) || reach.own.treeState !== own.treeState) continue;
    for (const l of reach.landmarks) if (!l.address.equals(own)) offer(l.address, l.hops + 1);
  }
  // Nearest first, then those sharing least of our address: a landmark on our own branch tells
  // little the tree does not, one across the tree is a shortcut. Ties by key, so an unchanged
  // view sends an unchanged list.
  const sized = [...best.values()].map((e) => ({ e, size: landmarkEntryNibbles(own.coords, e.address.coords) }));
  sized.sort((a, b) => a.e.hops - b.e.hops || b.size - a.size || (a.e.address.key < b.e.address.key ? -1 : 1));
  // Kept in the order they are written (each packed against the one before it): an entry costs
  // what it adds between its neighbours in that order.
  const out: LandmarkDistance[] = [];
  let nibbles = 0;
  for (const { e } of sized) {
    if (out.length >= 255) break;
    const c = e.address.coords;
    let i = 0;
    while (i < out.length && coordsOrder(out[i].address.coords, c) < 0) i++;
    const before = i > 0 ? out[i - 1].address.coords : own.coords;
    const after = i < out.length ? out[i].address.coords : undefined;
    const added = landmarkEntryNibbles(before, c) + (after ? landmarkEntryNibbles(c, after) - landmarkEntryNibbles(before, after) : 0);
    if (nibbles + added > HELLO_LANDMARK_BYTES * 2) continue;
    out.splice(i, 0, e);
    nibbles += added;
  }
  return out;
}
