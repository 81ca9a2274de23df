/**
 * The next hop toward an address, in the order a relay tries them: a short path (short-paths.ts)
 * unless a direct route knows the target or `plain` asks for greedy routing alone (a packet that
 * came back), then greedy tree routing (next-hop.ts), then — when no neighbour leads into the
 * target's tree and we hold no address in it — the nearest gateway of our own tree that leads
 * there (borders.ts, docs/routing.md "Any diameter").
 */
import { Metric } from '../wire/constants.js';
import type { Address } from '../wire/address.js';
import type { BorderTable } from './borders.js';
import { flowOf, type HopVectors } from './hop-vectors.js';
import type { LearnedPaths } from './learned-paths.js';
import { PREFERRED_ETX } from './link-quality.js';
import { distance, nextHop, type Hop, type HopResult } from './next-hop.js';
import type { Peer } from './peer.js';
import type { RouteTable } from './routes.js';
import { shortHop } from './short-paths.js';

/** What hop finding reads of the neighbour table (packager/neighbours.ts). */
export interface HopView extends Iterable<Peer> {
  readonly routes: RouteTable;
  readonly learned: LearnedPaths;
  readonly borders: BorderTable;
  /** Our addresses, the current tree's last. */
  readonly addresses: readonly Address[];
  addressIn(treeState: number): Address | undefined;
  peerByKey(key: string): Peer | undefined;
}

/** Where a hop toward a gateway is counted (the Packager's counters). */
export interface BorderHopCounter {
  inc(name: 'border_hop' | 'hop_around_busy' | 'vector_hop'): void;
}

/**
 * `flow`: the packet's source (forwarding.ts), so that `vectors` (hop-vectors.ts, while our
 * RouteVector app runs) draw one of the equally short next hops per flow.
 */
export function findHop(v: HopView, to: Address, metric: Metric, exclude: ReadonlySet<string>, now: number, plain: boolean, counters: BorderHopCounter, flow?: Address, vectors?: HopVectors): HopResult {
  const own = v.addressIn(to.treeState);
  // A previous tree's address of ours (kept while a tree changes) does not make us part of it.
  const current = v.addresses[v.addresses.length - 1];
  if (own && own === current) {
    // A packet that came back (`plain`) goes greedily, as after a stale short path.
    const unrouted = !plain && !v.routes.get(to);
    const vh = vectors && unrouted ? vectorHop(vectors, v, to, flow, exclude, now) : undefined;
    if (vh) {
      counters.inc('vector_hop');
      return { hop: vh };
    }
    if (unrouted) {
      const hop = shortHop(to, { peers: v, exclude, own, usable: (p) => p.usable(now), cost: (p) => p.linkCost(now), learned: v.learned, peerByKey: (k) => v.peerByKey(k), now });
      if (hop) return { hop };
    }
    const r = greedy(v, to, metric, exclude, own, now, true, true);
    if ('hop' in r && r.hop.aroundBusy) counters.inc('hop_around_busy');
    return (plain && directAfterReturn(v, to, exclude, now, r)) || r;
  }
  // Not in the target's tree: into it through a neighbour that is in it now, else toward a
  // gateway. Our own and our neighbours' previous addresses there (each peer keeps two) place
  // nobody where the tree is now: ten nodes that had all left tree 174 handed its packets to
  // each other on them until the loop guard dropped them, while their directory named the
  // gateway (route-losses, random-300-borders seed 4). They are the last resort.
  const into = neighbourIn(v, to.treeState, exclude, now, to, metric);
  if (into) return { hop: into };
  const border = viaBorder(v, to, metric, exclude, current, now, counters, plain);
  if (border && 'hop' in border) return border;
  const r = greedy(v, to, metric, exclude, own, now);
  return 'hop' in r ? r : (border ?? r);
}

/**
 * Greedy routing (next-hop.ts). `here`: toward an address of the tree we are in now, where a
 * neighbour whose newest address is in another tree has left: its old address there names a
 * place nobody holds. Handed a packet on it, that neighbour carries it as a packet for a foreign
 * tree, often straight back across its border to us (random-1000-trees seed 42: a node that
 * had become another tree's root drew packets for its old tree's gateway, and sent them back).
 * Unless it holds the target itself.
 */
function greedy(v: HopView, to: Address, metric: Metric, exclude: ReadonlySet<string>, own: Address | undefined, now: number, roomy = false, here = false): HopResult {
  const owner = here ? v.routes.get(to)?.nodeKey : undefined;
  const stays = (p: Peer): boolean => !here || p.key === owner || inTreeNow(p, to);
  return nextHop(to, metric, v, v.routes, (k) => v.peerByKey(k), exclude, own, (p) => p.usable(now) && stays(p), (p) => p.linkCost(now) <= PREFERRED_ETX && !p.gone(now) && stays(p), roomy ? peerBusy : undefined, (p) => !p.gone(now));
}

/**
 * For a packet that came back (`plain`): the target itself, when a direct route names it over a
 * usable link that costs no more than the hop greedy routing chose plus the tree hops left from
 * there (each at least one transmission). Greedy routing tries clean links first (next-hop.ts),
 * so a target one lossy hop away loses to any clean neighbour a tree hop nearer it, however long
 * the tree path from there; when that neighbour's short path (which takes any usable link,
 * short-paths.ts) leads back through us, the packet goes round until the loop guard drops it:
 * lossy-50 seed 16 lost 15 pings of one flow in a row. Only on a return: on a first pass the
 * clean link delivers more often (8 MAC attempts on a lossy link fail more; the same seeds lost
 * more on the radio when the direct hop always won).
 */
function directAfterReturn(v: HopView, to: Address, exclude: ReadonlySet<string>, now: number, r: HopResult): HopResult | undefined {
  const direct = v.routes.get(to);
  if (!direct || exclude.has(direct.nodeKey)) return undefined;
  const peer = v.peerByKey(direct.nodeKey);
  if (!peer || !peer.usable(now) || ('hop' in r && r.hop.peer === peer)) return undefined;
  if ('hop' in r && peer.linkCost(now) > r.hop.peer.linkCost(now) + distance(Metric.dTree, r.hop.address, to)) return undefined;
  return { hop: { peer, address: to } };
}

/** The hop vectors' next hop toward `to` (hop-vectors.ts), with the neighbour's address in `to`'s tree. */
function vectorHop(vectors: HopVectors, v: HopView, to: Address, flow: Address | undefined, exclude: ReadonlySet<string>, now: number): Hop | undefined {
  const peer = vectors.hop(to, flow ? flowOf(flow) : 0, exclude, peerBusy, { peerByKey: (k) => v.peerByKey(k), now });
  const addrs = peer?.addrs;
  const a = addrs?.[addrs.length - 1];
  return peer && a && a.treeState === to.treeState ? { peer, address: a, kind: 'vector' } : undefined;
}

/** `p`'s newest address is in `to`'s tree, or it holds `to`. */
function inTreeNow(p: Peer, to: Address): boolean {
  const addrs = p.addrs;
  const newest = addrs[addrs.length - 1];
  return newest !== undefined && (newest.treeState === to.treeState || addrs.some((a) => a.equals(to)));
}

/** Whether the neighbour's radio told ours that its duty hour is nearly spent (Radio.peerBusy). */
function peerBusy(p: Peer): boolean {
  const l = p.bestLink();
  const radio = l?.iface.radio;
  return l?.mac !== undefined && radio?.peerBusy !== undefined && radio.peerBusy(l.mac);
}

/** Gateways tried for one packet: the nearest few are all a relay needs (borders.ts). */
const GATEWAY_TRIES = 4;

/**
 * Toward the target's tree through a border: to the nearest known gateway of our tree, or across
 * to our own neighbour when we border a tree on the way ourselves. A gateway that is ourselves in
 * the table has lost its neighbour in the far tree: refuted, the next tried. So is one we make
 * no progress toward without the excluded neighbours: a packet that came back from a neighbour
 * (forwarding.ts excludes it then) goes on by the next gateway rather than round again, since
 * two relays whose directories differ each take the other for the way to their gateway; and
 * `returned` (plain routing: it came back) takes the nearest gateway whatever the crossings
 * beyond it (borders.ts), where relays' directories differ least.
 */
function viaBorder(v: HopView, to: Address, metric: Metric, exclude: ReadonlySet<string>, own: Address | undefined, now: number, counters: BorderHopCounter, returned: boolean): HopResult | undefined {
  if (!own) return undefined;
  const across = (ts: number): boolean => neighbourIn(v, ts, exclude, now) !== undefined;
  let skipped: Address[] | undefined;
  const skip = (a: Address): boolean => skipped !== undefined && skipped.some((s) => s.equals(a));
  let last: HopResult | undefined;
  for (let tries = 0; tries < GATEWAY_TRIES; tries++) {
    const gw = v.borders.gateway(to.treeState, own, now, skip, across, returned);
    if (gw === undefined) return last;
    if (typeof gw === 'number') {
      const hop = neighbourIn(v, gw, exclude, now);
      if (!hop) return last;
      counters.inc('border_hop');
      return { hop };
    }
    if (gw.equals(own)) {
      v.borders.refute(to.treeState, gw);
      continue;
    }
    last = greedy(v, gw, metric, exclude, own, now, false, true);
    if ('hop' in last) {
      counters.inc('border_hop');
      return last;
    }
    (skipped ??= []).push(gw);
  }
  return last;
}

/**
 * Our usable, not excluded neighbour whose current (newest) address is in tree `ts`: the one
 * nearest `toward` (by `metric`) when both are given, then the cleanest link. Only a neighbour's newest
 * address counts; the one it held before a move is not where it is now. A sleepy leaf is never a
 * relay: only when it is `toward` itself.
 */
function neighbourIn(v: HopView, ts: number, exclude: ReadonlySet<string>, now: number, toward?: Address, metric?: Metric): Hop | undefined {
  let best: Hop | undefined;
  let bestDistance = Infinity;
  let bestCost = Infinity;
  for (const peer of v) {
    if (exclude.has(peer.key) || !peer.usable(now)) continue;
    const addrs = peer.addrs;
    const a = addrs[addrs.length - 1];
    if (a === undefined || a.treeState !== ts) continue;
    const d = toward && metric !== undefined ? distance(metric, a, toward) : 0;
    if ((peer.leaf && (!toward || d > 0)) || d > bestDistance) continue;
    const cost = peer.linkCost(now);
    if (d === bestDistance && cost >= bestCost) continue;
    best = { peer, address: a };
    bestDistance = d;
    bestCost = cost;
  }
  return best;
}
