/**
 * What a hello says of our neighbours (docs/routing.md "Short paths", "Landmarks"): our address,
 * the addresses of the neighbours a short path may use, and the landmarks we know nearby. Kept
 * apart from hello.ts, which decides when to send it.
 */
import { HELLO_MAX_NEIGHBOURS, HELLO_NEIGHBOUR_BYTES, neighbourEntryBytes, type NeighbourAddresses } from '../wire/messages/hello.js';
import { LANDMARK_EVERY, LANDMARK_RADIUS, SLEEPING_LANDMARK_RADIUS, nearbyLandmarks } from '../packager/landmarks.js';
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';

/**
 * Our address and the addresses of the neighbours a short path may use (ours, usable, best first),
 * in our tree, and the landmarks we know nearby: what a neighbour needs to bound its hops
 * through us (packager/short-paths.ts, landmarks.ts). `sleeping`: we modem-sleep (a shorter
 * landmark radius).
 */
export function neighbourAddresses(packager: Packager, sleeping: boolean, now: number): NeighbourAddresses | undefined {
  const own = packager.address;
  if (!own) return undefined;
  const near: { cost: number; address: NonNullable<typeof own> }[] = [];
  // The landmarks are found among the same peers: each judged usable once (a link's figures,
  // ≈ 1,800 bytecodes on XS; issue 21), at the same `now`, so the answer is the same.
  const usable: Peer[] = [];
  for (const p of packager.peers) {
    if (!p.link || !p.usable(now)) continue; // short paths run among our own nodes only
    usable.push(p);
    const a = p.addressIn(own.treeState);
    if (a) near.push({ cost: p.linkCost(now), address: a });
  }
  near.sort((a, b) => a.cost - b.cost);
  const addrs = [];
  let bytes = 0;
  for (const n of near) {
    if (addrs.length >= HELLO_MAX_NEIGHBOURS) break;
    const size = neighbourEntryBytes(own, n.address); // decodes the address (not kept): after the test
    if (bytes + size > HELLO_NEIGHBOUR_BYTES) continue;
    addrs.push(n.address);
    bytes += size;
  }
  const radius = sleeping ? SLEEPING_LANDMARK_RADIUS : LANDMARK_RADIUS;
  return { own, addrs, landmarks: nearbyLandmarks(own, usable, judged, now, LANDMARK_EVERY, radius) };
}

/** For peers already found usable (above). */
function judged(): boolean {
  return true;
}

/** A string that changes when the list would: it is sent again only then (or at a refresh). */
export function neighbourListKey(n: NeighbourAddresses): string {
  // tableKey, not key: key would leave a memo string on every neighbour's Address (issue 21).
  return n.own.tableKey + ' ' + n.addrs.map((a) => a.tableKey).join(' ') + ' | ' + (n.landmarks ?? []).map((l) => `${l.address.tableKey}:${l.hops}`).join(' ');
}
