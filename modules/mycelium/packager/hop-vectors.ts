/**
 * Hop counts to the mesh's nodes by neighbour (docs/lora.md "Session 25"): a distance vector that
 * our RouteVector app (apps/route-vector.ts) fills from its neighbours' adverts, and that hop
 * finding (find-hop.ts) consults before greedy tree routing. Greedy routing follows the tree and
 * piles every flow that crosses a branch onto the same few relays; under LoRa's 1 % duty limit
 * those relays spend their hour and drop what they hold. Here each destination (a tree address,
 * what a routed packet carries) has every neighbour's offer, and a packet goes to one of the
 * neighbours whose offer is shortest — drawn per flow, so equal paths share the relaying.
 *
 * Loop freedom is Babel's feasibility condition (RFC 8966 §2.4, §3.5.1): an origin numbers its
 * adverts (seq, 4 bits, raised every few periods), and each node keeps per destination a
 * feasibility distance FD = the best (seq, metric) it has advertised. An offer (s, m) from a
 * neighbour is feasible when s is newer than FD's seq, or the same seq with m below FD's metric.
 * A node routes only through feasible offers and the neighbour's own FD is at most what it
 * advertised, so FD strictly falls along any chain of next hops: no cycle, whatever is stale or
 * lost, and no count to infinity (a worse offer than FD is never taken; a node without a feasible
 * one routes greedily until the origin's next seq arrives). Metric: hops, a link above
 * PREFERRED_ETX counting LOSSY_HOP.
 *
 * Bounded: at most `maxDestinations`, each with at most OFFERS offers. A full table makes room
 * first from a destination nobody offers any more, then from the neighbour that holds the most
 * destinations (the one whose offer is best), and only when that neighbour holds more than the
 * advertiser of the new one: a neighbour making up destinations only ever evicts its own once it
 * holds the most (as learned-paths.ts).
 */
import type { Address } from '../wire/address.js';
import { PREFERRED_ETX } from './link-quality.js';
import type { Peer } from './peer.js';
import { textHash } from './route-index.js';

/** Offers kept per destination: more than a LoRa node's usual count of equally near neighbours. */
const OFFERS = 6;
/** What a hop over a link above PREFERRED_ETX counts (a clean hop counts 1). */
export const LOSSY_HOP = 2;
/** A metric at or above this is no route (never advertised). */
export const NO_ROUTE = 32;
const SEQ_MASK = 15;

/** A number fixed per address (FNV-1a of its key), to draw a flow's next hop (`hop`). */
export function flowOf(a: Address): number {
  return textHash(a.key);
}

/** Whether 4-bit sequence number `a` is newer than `b` (serial arithmetic, RFC 1982). */
export function seqNewer(a: number, b: number): boolean {
  const d = (a - b) & SEQ_MASK;
  return d > 0 && d <= SEQ_MASK >> 1;
}

interface Offer {
  readonly key: string;
  seq: number;
  metric: number;
  at: number;
  /** The neighbour's airtime in its last hour, ms, as its advert said. */
  load: number;
}

interface Destination {
  readonly address: Address;
  /** Feasibility distance: set at our first advert of it (fdMetric < 0 until then). */
  fdSeq: number;
  fdMetric: number;
  /** When an offer for it was last heard: it is forgotten `forgetMs` after. */
  heardAt: number;
  readonly offers: Offer[];
}

/** How the table sees a neighbour now (find-hop.ts gives it the Packager's view). */
export interface VectorView {
  peerByKey(key: string): Peer | undefined;
  readonly now: number;
}

export interface VectorLimits {
  readonly maxDestinations: number;
  /** An offer not heard again within this is dropped (a few advert periods). */
  readonly holdMs: number;
  /** A destination none offers is forgotten, feasibility distance included, after this. */
  readonly forgetMs: number;
  /** Draw among equal next hops per packet (true) or per flow (false: a flow keeps one path). */
  readonly perPacket: boolean;
  /**
   * The duty budget, ms an hour: equal next hops are drawn in proportion to the room each said it
   * has left (budget − its last hour's airtime), so the relays with most room take most flows.
   * 0: drawn evenly.
   */
  readonly budgetMs: number;
  /** A link at or below this ETX counts one hop, a worse one LOSSY_HOP (default PREFERRED_ETX). */
  readonly cleanEtx?: number;
  /** What a hop over a worse link counts (default LOSSY_HOP). */
  readonly lossyHop?: number;
}

export interface VectorCounter {
  inc(name: 'vector_full' | 'vector_evicted'): void;
}

/** A route we hold: its seq, metric and the neighbours that give it, sorted by key. */
export interface VectorRoute {
  readonly seq: number;
  readonly metric: number;
  readonly via: readonly Peer[];
  /** Each one's airtime in its last hour, ms (as `via`). */
  readonly loads: readonly number[];
}

export class HopVectors {
  readonly limits: VectorLimits;
  readonly #counters: VectorCounter;
  /** In [0, 1): draws a next hop per packet (`perPacket`); never called per flow. */
  readonly #random: () => number;
  readonly #dests = new Map<number | string, Destination>();

  constructor(limits: VectorLimits, counters: VectorCounter, random: () => number) {
    this.limits = limits;
    this.#counters = counters;
    this.#random = random;
  }

  get size(): number {
    return this.#dests.size;
  }

  /** Neighbour `key` (`load` ms of airtime in its last hour) advertised `address` at `metric` hops with the origin's `seq`. */
  hear(key: string, address: Address, seq: number, metric: number, now: number, load = 0): void {
    if (!(metric >= 0 && metric < NO_ROUTE)) return;
    const tk = address.tableKey;
    let d = this.#dests.get(tk);
    if (!d) {
      if (this.#dests.size >= this.limits.maxDestinations && !this.#makeRoom(key, now)) {
        this.#counters.inc('vector_full');
        return;
      }
      d = { address, fdSeq: 0, fdMetric: -1, heardAt: now, offers: [] };
      this.#dests.set(tk, d);
    }
    d.heardAt = now;
    const offers = d.offers;
    let slot = -1;
    for (let i = 0; i < offers.length; i++) if (offers[i].key === key) slot = i;
    if (slot >= 0) {
      const o = offers[slot];
      o.seq = seq & SEQ_MASK;
      o.metric = metric;
      o.at = now;
      o.load = load;
      return;
    }
    if (offers.length < OFFERS) {
      offers.push({ key, seq: seq & SEQ_MASK, metric, at: now, load });
      return;
    }
    // Full: a lapsed offer, else the worst if the new one is strictly better (a worse one never
    // pushes a better out).
    let worst = 0;
    for (let i = 0; i < offers.length; i++) {
      if (now - offers[i].at > this.limits.holdMs) {
        worst = i;
        break;
      }
      if (offers[i].metric > offers[worst].metric) worst = i;
    }
    if (now - offers[worst].at > this.limits.holdMs || metric < offers[worst].metric) offers[worst] = { key, seq: seq & SEQ_MASK, metric, at: now, load };
  }

  /** Our route to `to`: the feasible offers of least metric through usable neighbours (undefined: none). */
  route(to: Address, v: VectorView): VectorRoute | undefined {
    const d = this.#dests.get(to.tableKey);
    return d && this.#select(d, v);
  }

  /**
   * The next hop toward `to` for a flow (`flow`: a number fixed per source; drawn at random per
   * packet instead when `perPacket`), not one in `exclude`, a busy one only when every equal one is.
   */
  hop(to: Address, flow: number, exclude: ReadonlySet<string>, busy: (p: Peer) => boolean, v: VectorView): Peer | undefined {
    const r = this.route(to, v);
    if (!r) return undefined;
    const via: Peer[] = [];
    const weights: number[] = [];
    let total = 0;
    const budget = this.limits.budgetMs;
    for (let i = 0; i < r.via.length; i++) {
      if (exclude.has(r.via[i].key)) continue;
      via.push(r.via[i]);
      // Even a full relay keeps a small share: its figure is minutes old.
      const w = budget > 0 ? Math.max(budget / 16, budget - r.loads[i]) : 1;
      weights.push(w);
      total += w;
    }
    if (via.length === 0) return undefined;
    const u = (this.limits.perPacket ? this.#random() : (flow >>> 0) / 0x100000000) * total;
    let first = via.length - 1;
    for (let i = 0, sum = 0; i < via.length; i++) {
      sum += weights[i];
      if (u < sum) {
        first = i;
        break;
      }
    }
    for (let i = 0; i < via.length; i++) {
      const p = via[(first + i) % via.length];
      if (!busy(p)) return p;
    }
    return via[first];
  }

  /**
   * Our routes to advertise in tree `treeState` (`emit` each), best first; each advert lowers the
   * destination's feasibility distance (RFC 8966 §3.5.1: FD is what we told our neighbours).
   * Lapsed offers and long-unheard destinations are dropped on the way.
   */
  advertise(treeState: number, v: VectorView, emit: (address: Address, seq: number, metric: number) => void): void {
    const out: [Destination, VectorRoute][] = [];
    for (const [tk, d] of this.#dests) {
      const live = d.offers.filter((o) => v.now - o.at <= this.limits.holdMs);
      if (live.length !== d.offers.length) d.offers.splice(0, d.offers.length, ...live);
      if (live.length === 0 && v.now - d.heardAt > this.limits.forgetMs) {
        this.#dests.delete(tk);
        continue;
      }
      if (d.address.treeState !== treeState) continue;
      const r = this.#select(d, v);
      if (r) out.push([d, r]);
    }
    out.sort((a, b) => a[1].metric - b[1].metric);
    for (const [d, r] of out) {
      if (d.fdMetric < 0 || seqNewer(r.seq, d.fdSeq)) {
        d.fdSeq = r.seq;
        d.fdMetric = r.metric;
      } else if (r.metric < d.fdMetric) d.fdMetric = r.metric;
      emit(d.address, r.seq, r.metric);
    }
  }

  /** Forget everything (the node reset). */
  clear(): void {
    this.#dests.clear();
  }

  #feasible(d: Destination, o: Offer): boolean {
    return d.fdMetric < 0 || seqNewer(o.seq, d.fdSeq) || (o.seq === d.fdSeq && o.metric < d.fdMetric);
  }

  #select(d: Destination, v: VectorView): VectorRoute | undefined {
    let best = NO_ROUTE;
    let seq = 0;
    let via: Peer[] | undefined;
    let loads: number[] = [];
    for (const o of d.offers) {
      if (v.now - o.at > this.limits.holdMs || !this.#feasible(d, o)) continue;
      const p = v.peerByKey(o.key);
      if (!p || p.leaf || !p.usable(v.now) || !inTree(p, d.address.treeState)) continue;
      const m = o.metric + (p.linkCost(v.now) <= (this.limits.cleanEtx ?? PREFERRED_ETX) ? 1 : (this.limits.lossyHop ?? LOSSY_HOP));
      if (m > best) continue;
      if (m < best || !via) {
        best = m;
        seq = o.seq;
        via = [p];
        loads = [o.load];
      } else {
        via.push(p);
        loads.push(o.load);
        if (seqNewer(o.seq, seq)) seq = o.seq;
      }
    }
    if (!via || best >= NO_ROUTE) return undefined;
    // By key: the same neighbours in the same order whatever order their adverts came in, so a
    // flow keeps its next hop while the set is unchanged.
    const order = via.map((_, i) => i).sort((a, b) => (via[a].key < via[b].key ? -1 : via[a].key > via[b].key ? 1 : 0));
    return { seq, metric: best, via: order.map((i) => (via as Peer[])[i]), loads: order.map((i) => loads[i]) };
  }

  /**
   * Room for a destination `key` advertises: a destination nobody offers now goes first; else the
   * worst of the neighbour holding the most, if it holds more than `key` does.
   */
  #makeRoom(key: string, now: number): boolean {
    const held = new Map<string, number>();
    for (const [tk, d] of this.#dests) {
      const h = holder(d, now, this.limits.holdMs);
      if (h === undefined) {
        this.#dests.delete(tk);
        this.#counters.inc('vector_evicted');
        return true;
      }
      held.set(h, (held.get(h) ?? 0) + 1);
    }
    let top: string | undefined;
    let most = 0;
    for (const [h, n] of held) if (n > most) [top, most] = [h, n];
    if (top === undefined || top === key || most <= (held.get(key) ?? 0) + 1) return false;
    let victim: number | string | undefined;
    let worst = -1;
    for (const [tk, d] of this.#dests) {
      if (holder(d, now, this.limits.holdMs) !== top) continue;
      const m = bestMetric(d, now, this.limits.holdMs);
      if (m > worst) [victim, worst] = [tk, m];
    }
    if (victim === undefined) return false;
    this.#dests.delete(victim);
    this.#counters.inc('vector_evicted');
    return true;
  }
}

/** The neighbour whose live offer for `d` is best (undefined: none live). */
function holder(d: Destination, now: number, holdMs: number): string | undefined {
  let key: string | undefined;
  let m = Infinity;
  for (const o of d.offers) if (now - o.at <= holdMs && o.metric < m) [key, m] = [o.key, o.metric];
  return key;
}

function bestMetric(d: Destination, now: number, holdMs: number): number {
  let m = Infinity;
  for (const o of d.offers) if (now - o.at <= holdMs && o.metric < m) m = o.metric;
  return m;
}

/** `p`'s newest address is in tree `ts`: it routes there by its own table. */
function inTree(p: Peer, ts: number): boolean {
  const a = p.addrs;
  return a.length > 0 && a[a.length - 1].treeState === ts;
}
