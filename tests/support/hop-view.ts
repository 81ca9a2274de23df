/**
 * Hop finding's view of a node (packager/find-hop.ts `HopView`) made of plain neighbours, for
 * tests of routing between trees: each neighbour on a clean link, no routes.
 */
import type { HopView } from '../../modules/mycelium/packager/find-hop.js';
import type { BorderTable } from '../../modules/mycelium/packager/borders.js';
import { LearnedPaths } from '../../modules/mycelium/packager/learned-paths.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import type { RouteTable } from '../../modules/mycelium/packager/routes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

/** A neighbour with its addresses, oldest first (as Peer.addrs), on a clean link. */
export function plainPeer(key: string, ...addrs: Address[]): Peer {
  return { key, addrs, leaf: false, usable: () => true, gone: () => false, linkCost: () => 1, bestLink: () => undefined } as unknown as Peer;
}

/** A node with addresses `own` (newest last), neighbours `peers` and the directory `borders`. */
export function hopView(own: Address[], peers: Peer[], borders: BorderTable): HopView {
  return {
    [Symbol.iterator]: () => peers[Symbol.iterator](),
    routes: { get: () => undefined } as unknown as RouteTable,
    learned: new LearnedPaths(8, 60_000),
    borders,
    addresses: own,
    addressIn: (ts) => own.find((a) => a.treeState === ts),
    peerByKey: (k) => peers.find((p) => p.key === k),
  };
}
