/**
 * Greedy next hop (protocol.md §4.6, §5.5): a direct route to a peer wins; otherwise the peer
 * address (same tree state) closest to the target by dTree or dCPL, ties kept in peer then
 * address order as upstream. Our fixes (§13.3): excluded peers are skipped so the runner-up is
 * used, and a node that is itself at least as close as every neighbour reports a local minimum
 * instead of handing the packet back and forth.
 *
 * Beyond upstream, links are tried best first (link-quality.ts): neighbours with a clean link
 * (ETX ≤ 1.6) while one of them makes progress, then any usable link, and only then the bad
 * ones, so a lossy link is a last resort rather than never used; a neighbour gone silent
 * (`alive` false: down, peer.ts `gone`) is not even that.
 *
 * Under a duty limit (LoRa with room notices): when the chosen neighbour's radio said its hour is
 * nearly spent (`busy`), a neighbour of the same link tier exactly as close to the target that
 * has room takes the packet instead: the same progress, so no loop and no longer path; without
 * one the busy neighbour keeps it. (Any neighbour closer than we are, a longer path round the
 * busy one, measured worse on lora-20: the detours filled their relays in turn.)
 *
 * dCPL ties are broken by dTree: upstream's padded dCPL gives a node and its parent the same
 * distance to a sibling's subtree, so without the tie-break the parent (the right next hop) would
 * look no better than staying put.
 */
import { Metric } from '../wire/constants.js';
import { dCPL, dTree, type Address } from '../wire/address.js';
import type { Peer } from './peer.js';
import type { RouteTable } from './routes.js';

export interface Hop {
  readonly peer: Peer;
  /** The peer address the choice was made on (the target itself for a direct route). */
  readonly address: Address;
  /** A short path's kind (short-paths.ts); undefined for greedy and direct hops. */
  readonly kind?: 'neighbour' | 'two_hop' | 'learned' | 'landmark' | 'vector';
  /** For a hop on a path learnt from traffic: that path's origin (learned-paths.ts). */
  readonly learned?: Address;
  /** Chosen instead of a closer neighbour that said it is busy (room notices). */
  readonly aroundBusy?: boolean;
}

export type HopResult = { readonly hop: Hop } | { readonly reason: 'no_candidate' | 'local_minimum' };

/** dTree ≤ 64 and distinct dCPL values differ by ≥ 1, so this orders by (dCPL, dTree). */
const TIE_SCALE = 128;

export function distance(metric: Metric, a: Address, b: Address): number {
  const tree = dTree(a.coords, b.coords);
  return metric === Metric.dCPL ? dCPL(a.coords, b.coords) * TIE_SCALE + tree : tree;
}

export function nextHop(
  target: Address,
  metric: Metric,
  peers: Iterable<Peer>,
  routes: RouteTable,
  peerByKey: (key: string) => Peer | undefined,
  exclude: ReadonlySet<string>,
  own: Address | undefined,
  usable?: (peer: Peer) => boolean,
  preferred?: (peer: Peer) => boolean,
  busy?: (peer: Peer) => boolean,
  alive?: (peer: Peer) => boolean,
): HopResult {
  for (const only of [preferred, usable]) {
    if (!only) continue;
    const r = greedy(target, metric, peers, routes, peerByKey, exclude, own, only);
    if ('hop' in r) return busy ? aroundBusy(r.hop, target, metric, peers, exclude, own, only, busy) : r;
  }
  // The last resort, a bad link, is still a link: a neighbour that is not `alive` (down) is none.
  const r = greedy(target, metric, peers, routes, peerByKey, exclude, own, alive);
  return busy && 'hop' in r ? aroundBusy(r.hop, target, metric, peers, exclude, own, alive, busy) : r;
}

/**
 * `hop`, or — when its neighbour is busy, is not the target and we are in the target's tree — the
 * first neighbour of the same tier (`usable`) that is not busy and exactly as close to the target.
 */
function aroundBusy(
  hop: Hop,
  target: Address,
  metric: Metric,
  peers: Iterable<Peer>,
  exclude: ReadonlySet<string>,
  own: Address | undefined,
  usable: ((peer: Peer) => boolean) | undefined,
  busy: (peer: Peer) => boolean,
): { readonly hop: Hop } {
  // The destination itself (or a direct route to it) is never routed around.
  // Busy first: without room notices it is false for every neighbour, and this runs on every hop.
  if (!own || own.treeState !== target.treeState || hop.address === target || !busy(hop.peer) || distance(metric, hop.address, target) === 0) return { hop };
  const progress = distance(metric, hop.address, target);
  for (const peer of peers) {
    if (peer === hop.peer || exclude.has(peer.key) || peer.leaf || (usable && !usable(peer))) continue;
    for (const a of peer.addrs) {
      if (a.treeState === target.treeState && distance(metric, a, target) === progress && !busy(peer)) return { hop: { peer, address: a, aroundBusy: true } };
    }
  }
  return { hop };
}

function greedy(
  target: Address,
  metric: Metric,
  peers: Iterable<Peer>,
  routes: RouteTable,
  peerByKey: (key: string) => Peer | undefined,
  exclude: ReadonlySet<string>,
  own: Address | undefined,
  usable: ((peer: Peer) => boolean) | undefined,
): HopResult {
  const direct = routes.get(target);
  if (direct && !exclude.has(direct.nodeKey)) {
    const peer = peerByKey(direct.nodeKey);
    if (peer && (!usable || usable(peer))) return { hop: { peer, address: target } };
  }
  let best: Hop | undefined;
  let bestDistance = Infinity;
  for (const peer of peers) {
    if (exclude.has(peer.key) || (usable && !usable(peer))) continue;
    for (const a of peer.addrs) {
      if (a.treeState !== target.treeState) continue;
      const d = distance(metric, a, target);
      // A sleepy leaf is a destination, never a relay (docs/sleep.md).
      if (peer.leaf && d > 0) continue;
      if (d < bestDistance) {
        best = { peer, address: a };
        bestDistance = d;
      }
    }
  }
  if (!best) return { reason: 'no_candidate' };
  if (own && own.treeState === target.treeState && distance(metric, own, target) <= bestDistance) {
    return { reason: 'local_minimum' };
  }
  return { hop: best };
}
