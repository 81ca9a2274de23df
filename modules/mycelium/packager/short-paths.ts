/**
 * Short paths (docs/routing.md "Short paths"): greedy tree routing sees one hop ahead and climbs
 * towards the common ancestor even when the target is a few hops away across a branch (stretch
 * 1.4–1.5 at 1,000 nodes). Here a node bounds the hops to the target through everything it knows:
 *
 *   U = min( dTree(own, D),                           staying on the tree
 *            1 + dTree(n, D)        for a neighbour n,
 *            2 + dTree(y, D)        for y a neighbour of neighbour n (its hellos, neighbour-reach.ts),
 *            t + dTree(O, D)        for a path of t hops to O through n, learnt from traffic,
 *            1 + h + dTree(L, D)    for a landmark L that neighbour n lists at h hops (landmarks.ts) )
 *
 * and hands the packet to the neighbour n that starts the best bound. Each bound is a real path
 * (tree edges are links), and n's own bound is at most ours − 1 (it sees y as a neighbour, holds
 * the path to O in t − 1 hops, or is n itself): U strictly falls at every hop, so a packet cannot
 * come back to a node while views agree, and it takes at most U(source) hops.
 *
 * Among equal bounds the one reaching furthest down the tree wins, then the cheaper link; a node
 * whose best bound is its own (no neighbour is strictly closer on the tree either) reports
 * nothing, and greedy routing (next-hop.ts) decides as before, local minimum included. A short
 * path runs only among our own nodes: over usable links to neighbours that speak Hello, which
 * list only such neighbours in their hellos. An upstream neighbour routes by upstream's greedy
 * rule, whose hops we cannot bound; it stays a candidate of greedy routing, as before.
 */
import { dTreeWithin, positionLength, type Address } from '../wire/address.js';
import type { LearnedPaths } from './learned-paths.js';
import type { Hop } from './next-hop.js';
import type { Peer } from './peer.js';

export interface ShortPathView {
  readonly peers: Iterable<Peer>;
  readonly exclude: ReadonlySet<string>;
  readonly own: Address;
  readonly usable: (peer: Peer) => boolean;
  readonly cost: (peer: Peer) => number;
  readonly learned: LearnedPaths;
  readonly peerByKey: (key: string) => Peer | undefined;
  readonly now: number;
}

/** How a short hop was chosen: the bound, and the learnt path it follows, if any. */
export interface ShortHop extends Hop {
  readonly bound: number;
  readonly kind: 'neighbour' | 'two_hop' | 'learned' | 'landmark';
}

export function shortHop(target: Address, v: ShortPathView): ShortHop | undefined {
  if (v.own.treeState !== target.treeState) return undefined;
  // Each candidate is measured only as far as it could still win (dTreeWithin): the bound so
  // far caps the distance worth knowing, and one whose depth alone puts it past that is not
  // compared coordinate by coordinate. The target's length is found once, not per candidate.
  const to = target.coords;
  const toLength = positionLength(to);
  const self = dTreeWithin(v.own.coords, to, toLength, Infinity);
  let best: ShortHop | undefined;
  let bestBound = self;
  let bestDown = self;
  let bestCost = NaN;
  // Link costs (which read the links' histories) are asked only to break a tie: NaN until then.
  const offer = (bound: number, down: number, peer: Peer, address: Address, kind: ShortHop['kind'], learned?: Address): void => {
    if (bound > bestBound || (bound === bestBound && down > bestDown)) return;
    let cost = NaN;
    if (bound === bestBound && down === bestDown && best) {
      if (best.peer === peer) return;
      if (Number.isNaN(bestCost)) bestCost = v.cost(best.peer);
      cost = v.cost(peer);
      if (cost >= bestCost) return;
    }
    best = { peer, address, bound, kind, learned };
    bestBound = bound;
    bestDown = down;
    bestCost = cost;
  };
  for (const peer of v.peers) {
    if (v.exclude.has(peer.key) || !peer.link || !v.usable(peer)) continue;
    const a = peer.addressIn(target.treeState);
    if (!a) continue;
    const d = dTreeWithin(a.coords, to, toLength, bestBound - 1);
    offer(1 + d, d, peer, a, 'neighbour');
    // A sleepy leaf relays nothing (docs/sleep.md): no bound through its neighbours or landmarks.
    // It is still offered itself at 1 + d: the address we hold for it may lag its new one, and
    // the packet is then for the leaf (sleepy-leaves-40 lost 24 of 192 pings without it).
    if (peer.leaf) continue;
    const reach = peer.reach;
    if (!reach || !reach.fresh(v.now) || reach.own.treeState !== target.treeState) continue;
    for (const y of reach.addrs) {
      const dy = dTreeWithin(y.coords, to, toLength, bestBound - 2);
      if (2 + dy <= bestBound) offer(2 + dy, dy, peer, a, 'two_hop');
    }
    for (const l of reach.landmarks) {
      const dl = dTreeWithin(l.address.coords, to, toLength, bestBound - 1 - l.hops);
      if (1 + l.hops + dl <= bestBound) offer(1 + l.hops + dl, dl, peer, a, 'landmark');
    }
  }
  for (const e of v.learned.alive(v.now)) {
    if (e.origin.treeState !== target.treeState || v.exclude.has(e.viaKey)) continue;
    const d = dTreeWithin(e.origin.coords, to, toLength, bestBound - e.hops);
    if (e.hops + d > bestBound) continue;
    const peer = v.peerByKey(e.viaKey);
    const a = peer?.link ? peer.addressIn(target.treeState) : undefined;
    if (peer && a && v.usable(peer)) offer(e.hops + d, d, peer, a, 'learned', e.origin);
  }
  return best;
}
