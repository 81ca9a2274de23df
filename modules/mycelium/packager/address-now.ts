/**
 * Where a neighbour is now (docs/routing.md "Short paths", "A neighbour that left our tree"). A
 * peer keeps its address in the tree it held before (at most one other tree's), and a node that
 * was its own root at formation keeps [] there, under the tree state its own id gives, which can
 * be the state of the tree we are in. That address names a place the neighbour has left: a relay
 * there carries a packet for that tree as a stranger's, back across to us.
 */
import type { Address } from '../wire/address.js';
import type { Peer } from './peer.js';

/**
 * `peer`'s address in tree `treeState`, unless its own hello says it is in another tree now: the
 * own address of its neighbour section, which hello.ts forgets as soon as a hello carries another
 * address tag. The order of `peer.addrs` cannot tell: a late tree message from the tree it left
 * makes that address its newest again.
 */
export function addressNowIn(peer: Peer, treeState: number): Address | undefined {
  const said = peer.reach;
  if (said !== undefined && said.own.treeState !== treeState) return undefined;
  for (const a of peer.addrs) if (a.treeState === treeState) return a;
  return undefined;
}
