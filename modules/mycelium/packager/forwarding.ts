/**
 * Where a unicast goes next (protocol.md §4.6–§4.8): the send plan for our own blobs (a peer
 * directly, or a tree address hop by hop), the relay of packets addressed to others, and the
 * routed sends of our own acks and RTX requests.
 */
import { resendWindowPeriods } from './retry-backoff.js';
import { Metric, TTL_START } from '../wire/constants.js';
import { Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';
import { hasFlag, setFlag } from '../wire/flags.js';
import { parsePacket, serializePacket, type Packet } from '../wire/packet.js';
import { ackOf, intersectSchemaIds, type Purpose, type RouteFields } from '../wire/outbound.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { AttachedInterface, Link } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Datagrams } from './datagrams.js';
import { LoopGuard, type Relayed } from './loop-guard.js';
import type { HopResult } from './next-hop.js';
import { foreignSource, isForeignSource } from './borders.js';
import type { Neighbours } from './neighbours.js';
import type { Destination, OwnWay, SendTarget } from './outbound-store.js';
import type { Peer } from './peer.js';
import { RelayLimit, UNKNOWN_HOP } from './relay-limit.js';
import { GOOD_ETX, PREFERRED_ETX } from './link-quality.js';
import { REROUTES, UnackedMarks, type WatchedUnicast } from './unacked.js';
import { resendWay } from './resend-around.js';

export const NO_EXCLUSIONS: ReadonlySet<string> = new Set();

/** The return of a relayed packet (loop-guard.ts) at which it is dropped as looping. */
const LOOP_RETURNS = 3;

/** How to send one blob: to whom, on which schemas, with which routing fields. */
export interface SendPlan {
  readonly dest: Destination;
  readonly purpose: Purpose;
  readonly ids: number[];
  readonly route?: RouteFields;
  /** For a routed send: the next hop, chosen once for every frame of this transmission. */
  readonly via?: Peer;
}

export class Forwarding {
  private readonly ctx: PackagerContext;
  private readonly neighbours: Neighbours;
  private readonly datagrams: Datagrams;
  private readonly loops: LoopGuard;
  private readonly relayLimit: RelayLimit;

  constructor(ctx: PackagerContext, neighbours: Neighbours, datagrams: Datagrams) {
    this.ctx = ctx;
    this.neighbours = neighbours;
    this.datagrams = datagrams;
    this.loops = new LoopGuard(ctx);
    this.relayLimit = new RelayLimit(ctx);
  }

  plan(target: SendTarget, metric: Metric, way?: OwnWay): Result<SendPlan> {
    if (!target.nodeId && !target.address) return fail('bad_argument', 'send needs a node id or an address');
    const n = this.neighbours;
    const peer = target.nodeId ? n.peerByKey(toHex(target.nodeId)) : undefined;
    if (peer && peer.links.length) {
      const around = this.aroundWeakLink(peer, target, metric) ?? this.aroundSleepyLeaf(peer, target, metric);
      if (around) return around;
      return ok({ dest: { kind: 'peer', peer }, purpose: 'direct', ids: linkSchemaIds(peer) });
    }
    return this.routedPlan(target, metric, way);
  }

  /**
   * A neighbour judged by its signal alone (a LoRa peer: no hellos) whose link is below the
   * usable mark (ETX over GOOD_ETX: over half its frames lost each way) is reached through a
   * better neighbour when tree routing offers one. Sent directly, a message and its ack each
   * crossed the weak link, and with LoRa's single end-to-end retry most were lost (lora-20 with
   * the duty limit and collisions off lost 8.5 % of its messages that way, on three such pairs).
   * The bar is the usable mark, not the preferred one (ETX 1.6): detours cost relays' airtime,
   * and under the duty limit that cost more messages than it saved. A neighbour measured by
   * Hello, or not measured at all (upstream's rule), is still sent to directly.
   */
  private aroundWeakLink(peer: Peer, target: SendTarget, metric: Metric): Result<SendPlan> | undefined {
    if (peer.link || !peer.signal) return undefined;
    const now = this.ctx.platform.now();
    const cost = peer.linkCost(now);
    if (cost <= GOOD_ETX) return undefined;
    const plan = this.routedPlan(target, metric);
    if (!plan.ok || !plan.value.via || plan.value.via === peer || plan.value.via.linkCost(now) >= cost) return undefined;
    this.ctx.counters.inc('send_around_weak_link');
    return plan;
  }

  /**
   * A sleepy leaf's message to a neighbouring sleepy leaf, addressed in the tree (an app's, not
   * a neighbour protocol's), goes through a router (docs/sleep.md "Leaves spread over the
   * superframe"): sent straight it waits for the other leaf's window, one in a superframe, on a
   * schedule we may not even hold (then RNS probes, each waking us a window), and every retry
   * costs another window. A router answers in its next window and holds it for the leaf.
   */
  private aroundSleepyLeaf(peer: Peer, target: SendTarget, metric: Metric): Result<SendPlan> | undefined {
    if (!target.address || !peer.leaf || !this.ctx.ownSleep?.leaf) return undefined;
    const plan = this.routedPlan(target, metric);
    return plan.ok && plan.value.via && plan.value.via !== peer ? plan : undefined;
  }

  private routedPlan(target: SendTarget, metric: Metric, way?: OwnWay): Result<SendPlan> {
    const n = this.neighbours;
    let to = target.address;
    if (!to && target.nodeId) {
      const known = n.routes.addressesOf(toHex(target.nodeId));
      // fix: prefer an address in one of our trees, newest first (upstream takes the oldest, §9.2 item 8)
      to = [...known].reverse().find((a) => n.addressIn(a.treeState) !== undefined) ?? known[known.length - 1];
    }
    if (!to) return fail('no_route', `node ${target.nodeId ? toHex(target.nodeId).slice(0, 16) : '?'}… is neither a peer nor a known route`);
    const mine = n.sourceAddressIn(to.treeState);
    if (mine?.equals(to)) return fail('no_route', `${to.toString()} is this node's own address`);
    // fix: same tree as the target (§9.2 item 11). A tree reached only through a border, or left a while
    // ago (its state byte may name another tree now), holds no address of ours: from_addr is then
    // foreignSource(), which no node holds; replies go by what the app carries (Ping does).
    const own = n.addressIn(to.treeState);
    if (!own && n.addresses.length === 0) return fail('no_address', `this node has no address in tree ${to.treeState}`);
    // Our own resend: around the hop its copies died beyond, as a relay does (resend-around.ts).
    const last = way?.via;
    const resend = last === undefined ? undefined : resendWay(way?.fails ?? 0);
    const flow = own;
    let r = n.findHop(to, metric, resend?.around === true ? new Set([(last as Peer).key]) : NO_EXCLUSIONS, false, flow);
    if (resend?.around === true) {
      if (this.leadsAround(r, last as Peer, this.ctx.platform.now())) this.ctx.counters.inc('resend_around');
      else r = n.findHop(to, metric, NO_EXCLUSIONS, false, flow);
    }
    if (!own && !('hop' in r)) return fail('no_address', `this node has no address in tree ${to.treeState}`);
    const from = mine ?? foreignSource(to.treeState);
    if (!('hop' in r)) return fail('no_route', r.reason === 'local_minimum' ? `no neighbour is closer to ${to.toString()} than this node` : `no neighbour in tree ${to.treeState}`);
    const via = r.hop.peer;
    if (way) {
      way.fails = via === last ? (resend?.fails ?? 0) : 0;
      way.via = via;
    }
    return ok({
      dest: { kind: 'routed', to, metric },
      purpose: 'routed',
      ids: linkSchemaIds(via),
      route: { to, from },
      via,
    });
  }

  /**
   * Put a frame on its way to a unicast destination. A routed frame goes `via` the next hop the
   * send plan chose for this transmission, or (retries, RTX) the next hop chosen now. Returns
   * the link it went on (its interface's timings pace the retries), undefined when none.
   */
  toDestination(frame: Uint8Array, dest: Destination, via?: Peer): Link | undefined {
    if (dest.kind === 'peer') {
      if (!this.neighbours.hasPeer(dest.peer.key)) {
        this.ctx.counters.inc('drop_peer_gone');
        return undefined;
      }
      const link = dest.peer.bestLink();
      if (link) this.datagrams.send(frame, dest.peer, link);
      else this.ctx.counters.inc('drop_no_link');
      return link;
    }
    if (dest.kind === 'routed') {
      const peer = via ?? this.hopPeer(dest.to, dest.metric);
      const link = peer?.bestLink();
      if (!peer || !link) {
        this.ctx.counters.inc('drop_no_next_hop');
        return undefined;
      }
      this.datagrams.send(frame, peer, link);
      return link;
    }
    return undefined;
  }

  /**
   * Send an addressed packet we built (RTX, ack) greedily toward its to_addr, or via `fallback`
   * (the last hop it came from) when no neighbour is closer. Upstream hands acks to the last hop,
   * which need not be closer to the origin by the packet's metric: the ack then dies at a local
   * minimum there.
   */
  sendRouted(frame: Uint8Array, p: Packet, fallback: Peer | undefined): void {
    const to = Address.fromBytes(p.treeState as number, p.toAddr as Uint8Array);
    let peer = to.ok ? this.hopPeer(to.value, hasFlag(p.flags, 'mode') ? Metric.dCPL : Metric.dTree) : undefined;
    peer ??= fallback;
    const link = peer?.bestLink();
    if (!peer || !link) {
      this.ctx.counters.inc('drop_no_next_hop');
      return;
    }
    this.datagrams.send(frame, peer, link);
  }

  /** Acknowledge `p`: routed back to its origin when it was routed, else on the link it came by. */
  ack(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    // Built once: the packet routes the ack, its serialization goes on the air.
    const ack = ackOf(this.ctx.platform, p);
    const frame = serializePacket(ack);
    if (!frame.ok) {
      this.ctx.counters.inc('ack_unbuildable');
      return;
    }
    this.ctx.counters.inc('tx_acks');
    if (p.toAddr && p.fromAddr && p.treeState !== undefined && mac !== undefined) return this.sendRouted(frame.value, ack, src);
    this.datagrams.reply(frame.value, src, iface, mac);
  }

  /** The neighbour one greedy hop closer to `to`, if any. */
  private hopPeer(to: Address, metric: Metric): Peer | undefined {
    const r = this.neighbours.findHop(to, metric, NO_EXCLUSIONS);
    return 'hop' in r ? r.hop.peer : undefined;
  }

  /**
   * Relay a packet addressed to someone else (protocol.md §4.8), received from `src` (undefined:
   * a link that is no peer). Beyond upstream (issue 19): each previous hop has a relay budget;
   * a ttl packet never goes straight back to the neighbour it came from, and a belief that this
   * neighbour holds its target is refuted (it would not have relayed it); a packet back from a
   * loop is dropped and the belief that sent it round forgotten (loop-guard.ts).
   */
  forward(p: Packet, src?: Peer): void {
    this.ctx.hooks.call('send_packet', p, undefined);
    const counters = this.ctx.counters;
    if (!this.relayLimit.take(src?.key ?? UNKNOWN_HOP)) {
      counters.inc('drop_relay_rate');
      return;
    }
    const ts = p.treeState as number;
    const to = Address.fromBytes(ts, p.toAddr as Uint8Array);
    const from = Address.fromBytes(ts, p.fromAddr as Uint8Array);
    if (!to.ok || !from.ok) {
      counters.inc('drop_bad_address');
      return;
    }
    const metric = hasFlag(p.flags, 'mode') ? Metric.dCPL : Metric.dTree;
    let error = hasFlag(p.flags, 'error');
    const n = this.neighbours;
    const toOwner = n.route(to.value)?.nodeKey;
    const fromOwner = n.route(from.value)?.nodeKey;
    const arrivalTtl = p.ttl;
    if (p.ttl === undefined) {
      // One-hop relay schemas: bounce toward the origin when the destination is not a neighbour.
      if (!error && !(toOwner !== undefined && n.hasPeer(toOwner))) error = true;
      if (error && !(fromOwner !== undefined && n.hasPeer(fromOwner))) {
        counters.inc('drop_relay_no_route');
        return;
      }
    } else {
      const ttl = error ? p.ttl + 1 : p.ttl - 1;
      if ((!error && ttl <= 0) || (error && ttl >= 255)) {
        counters.inc('drop_ttl_expired');
        return;
      }
      p.ttl = ttl;
    }
    p.flags = setFlag(p.flags, 'error', error);
    const target = error ? from.value : to.value;
    const excluded = error ? toOwner : fromOwner;
    const exclude = new Set<string>();
    if (excluded !== undefined) exclude.add(excluded);
    const now = this.ctx.platform.now();
    let key: string | undefined;
    let returns = 0;
    let before: Relayed | undefined;
    let last: Relayed | undefined;
    let plain = false;
    if (arrivalTtl !== undefined) {
      key = this.loops.identity(p);
      last = this.loops.last(key);
      const back = this.loops.looped(last, arrivalTtl, error, now);
      returns = back ? back.returns + 1 : 0;
      // A packet back from a loop keeps the record of its first pass (ttl, failures): the
      // origin's resend, which comes with that ttl again, is then still known for one.
      if (back) before = back;
      // A short path never brings a packet back while views agree (short-paths.ts): one that came
      // back was misled by a stale view. It goes on by plain greedy routing, and a learnt path
      // that sent it round is forgotten.
      if (back) {
        plain = true;
        counters.inc('short_path_fallback');
        if (back.learned) n.learned.forget(back.learned);
      } else if (!error) {
        this.learn(from.value, arrivalTtl, src, now);
      }
      // While a tree reshuffles, views disagree for a moment and a packet handed round a few
      // times is often delivered once one of them is corrected: only the LOOP_RETURNS-th return
      // is taken for a loop that will not heal (lossy-50 lost a third of its deliveries when the
      // first return was dropped).
      if (back && returns >= LOOP_RETURNS) {
        counters.inc('drop_routing_loop');
        // A direct route skips the descent check (next-hop.ts): that is the belief to forget. A
        // greedy hop was chosen on a neighbour's address that is usually true while the tree
        // moves (a stale view elsewhere made the loop); forgetting it would leave a local minimum.
        if (back.address.equals(target)) this.forget(back.peerKey, back.address);
        return;
      }
      // src relayed this packet, so a belief that src holds its target is false: forget it before
      // choosing (it would send the packet straight back). src itself stays a candidate: while a
      // tree reshuffles, views disagree for a moment and handing a packet back until one of
      // them is corrected delivers more than dropping it (lossy-50).
      if (src && this.holds(src, target)) this.forget(src.key, target);
      // A packet for another tree that came back: src takes us for the way to its gateway and we
      // took it for ours (our border directories differ). Not back to src, so that we try our
      // next gateway (find-hop.ts); with none, the plain retry below hands it back as before and
      // src, seeing it return in turn, tries its own next one.
      if (back && src && n.addresses[n.addresses.length - 1]?.treeState !== target.treeState) exclude.add(src.key);
    }
    // The origin's resend of a packet we relayed: the copy we handed on never made the round
    // trip. Once copies died through one hop in a row, this one goes around it (resend-around.ts).
    const resent = key !== undefined && returns === 0 && !error ? this.loops.resent(last, arrivalTtl as number, now, resendWindowPeriods(this.ctx.timings) * this.ctx.timings.sendRetryDelayMs) : undefined;
    const resend = resent && resendWay(resent.fails ?? 0);
    const around = resend && resend.around && !exclude.has(resent.peerKey) ? this.neighbours.peerByKey(resent.peerKey) : undefined;
    if (around) exclude.add(around.key);
    // Hop vectors draw a next hop per flow: per source (per destination when going back to it).
    const flow = error ? to.value : from.value;
    let r = n.findHop(target, metric, exclude, plain, flow);
    if (around && !this.leadsAround(r, around, now)) {
      exclude.delete(around.key);
      r = n.findHop(target, metric, exclude, plain, flow);
    } else if (around) counters.inc('resend_around');
    // A packet a stale short path sent round may stand where the only way on is the neighbour
    // split horizon leaves out (its origin, say): plain greedy routing without it, as upstream
    // would route, rather than a drop at a local minimum. The loop guard still counts returns.
    if (plain && !('hop' in r) && r.reason === 'local_minimum' && exclude.size > 0) r = n.findHop(target, metric, new Set(), true);
    if (!('hop' in r)) {
      counters.inc(r.reason === 'local_minimum' ? 'drop_local_minimum' : 'drop_no_next_hop');
      return;
    }
    const frame = serializePacket(p);
    if (!frame.ok) {
      counters.inc(`drop_${frame.error.code}`);
      return;
    }
    const link = r.hop.peer.bestLink();
    if (!link) {
      counters.inc('drop_no_link');
      return;
    }
    if (key !== undefined) {
      const peerKey = r.hop.peer.key;
      const record: { -readonly [K in keyof Relayed]: Relayed[K] } = { ttl: before?.ttl ?? (arrivalTtl as number), error, at: now, returns, peerKey, address: r.hop.address, learned: r.hop.learned };
      // Failures through the hop this copy takes (a loop's return keeps its first pass's count);
      // set only when there are some, a slot less per record on XS.
      const fails = before ? before.fails : peerKey === resent?.peerKey ? resend?.fails : 0;
      if (fails) record.fails = fails;
      // Read within the loop window (looped) and the resend window (resent), never later.
      this.loops.remember(key, record, Math.max(this.loops.window(), resendWindowPeriods(this.ctx.timings) * this.ctx.timings.sendRetryDelayMs));
    }
    counters.inc('forwarded');
    if (r.hop.kind === 'two_hop') counters.inc('short_hop_two_hop');
    else if (r.hop.kind === 'learned') counters.inc('short_hop_learned');
    else if (r.hop.kind === 'landmark') counters.inc('short_hop_landmark');
    this.datagrams.send(frame.value, r.hop.peer, link);
  }

  /**
   * Whether `r`, the hop found without `around`, is a way around it worth taking: a neighbour
   * over a clean link, or one no worse than `around`'s. On a lossy mesh the hop after the
   * best is often a bad link or a long way round, and a copy sent there is lost more often than
   * one sent the usual way again (lossy-50 seed 3 lost 44 more pings that way).
   */
  private leadsAround(r: HopResult, around: Peer, now: number): boolean {
    if (!('hop' in r)) return false;
    const cost = r.hop.peer.linkCost(now);
    const ok = cost <= PREFERRED_ETX || cost <= around.linkCost(now);
    if (!ok) this.ctx.counters.inc('resend_around_none');
    return ok;
  }

  /**
   * A unicast no ack answered (unacked.ts): its neighbour is tried after every other way until a
   * frame from it shows it alive, and a routed packet goes on by another neighbour, once. Not when
   * that neighbour was the packet's target itself (nobody else can take it there) or when no
   * other way leads on (`reroute_none`): lost then, as before.
   */
  unacked(w: WatchedUnicast): void {
    const n = this.neighbours;
    const peerKey = w.peer.key;
    (n.unacked ??= new UnackedMarks()).mark(peerKey, this.ctx.platform.now());
    if (w.rerouted >= REROUTES) return;
    const parsed = parsePacket(w.frame);
    if (!parsed.ok) return;
    const p = parsed.value;
    if (p.ttl === undefined || p.toAddr === undefined || p.fromAddr === undefined || p.treeState === undefined) return;
    const error = hasFlag(p.flags, 'error');
    const target = Address.fromBytes(p.treeState, error ? p.fromAddr : p.toAddr);
    if (!target.ok || n.route(target.value)?.nodeKey === peerKey) return;
    const r = n.findHop(target.value, hasFlag(p.flags, 'mode') ? Metric.dCPL : Metric.dTree, new Set([peerKey]));
    const link = 'hop' in r ? r.hop.peer.bestLink() : undefined;
    if (!('hop' in r) || !link) {
      this.ctx.counters.inc('reroute_none');
      return;
    }
    this.ctx.counters.inc('rerouted_unacked');
    this.datagrams.sendRerouted(w.frame, r.hop.peer, link, w.rerouted + 1);
  }

  /** A routed packet addressed to us shows a path back to its origin, as a relayed one does. */
  learnFrom(p: Packet, src: Peer | undefined): void {
    if (p.ttl === undefined || p.treeState === undefined || !p.fromAddr || hasFlag(p.flags, 'error')) return;
    const from = Address.fromBytes(p.treeState, p.fromAddr);
    if (from.ok) this.learn(from.value, p.ttl, src, this.ctx.platform.now());
  }

  /**
   * A packet from `origin` reached us from `src` with `ttl`: TTL_START − ttl + 1 hops after it
   * left (the origin sends TTL_START; each relay takes one). Only from neighbours that speak Hello,
   * which learn the same way (learned-paths.ts).
   */
  private learn(origin: Address, ttl: number, src: Peer | undefined, now: number): void {
    // A packet from another tree carries foreignSource() (all ones), an address no node holds:
    // learnt as a path, it read as a node 16 levels deep behind src and drew packets for that
    // tree's root back across the border, where they looped (line-70-lossy seed 10: a flow lost
    // every ping).
    if (src?.link && !isForeignSource(origin) && !this.neighbours.isOwnAddress(origin, now)) this.neighbours.learned.learn(origin, src.key, TTL_START + 1 - ttl, now);
  }

  /** Whether we believe `peer` holds `address` (a route to it, or one of its peer addresses). */
  private holds(peer: Peer, address: Address): boolean {
    return this.neighbours.route(address)?.nodeKey === peer.key || peer.addrs.some((a) => a.equals(address));
  }

  /**
   * Forget that the neighbour `peerKey` holds `address`: its route, and the address among the
   * peer's when we know another of its addresses in that tree to put instead. Without one the
   * peer keeps it: while a tree reshuffles a neighbour's last known address is mostly near the
   * truth, and greedy routing needs it (split horizon already stops the packet coming back).
   */
  private forget(peerKey: string, address: Address): void {
    const n = this.neighbours;
    if (n.route(address)?.nodeKey === peerKey) n.removeRoute(address);
    const peer = n.peerByKey(peerKey);
    if (peer && peer.addrs.some((a) => a.equals(address))) {
      const other = [...n.routes.addressesOf(peerKey)].reverse().find((a) => a.treeState === address.treeState && !a.equals(address));
      if (other) peer.setAddr(other);
    }
    this.ctx.counters.inc('route_refuted');
  }
}

/**
 * Schemas for a frame to `peer`: those of the link it will go on. Upstream intersects every link
 * of the peer, the same set while they all are ESP-NOW; a bridge's ESP-NOW (0–10) and RYLR-998
 * (20–30) links share none, and a frame must fit the link it takes.
 */
function linkSchemaIds(peer: Peer): number[] {
  const link = peer.bestLink();
  return link ? link.iface.radio.schemaIds.slice() : intersectSchemaIds(peer.links.map((l) => l.iface.radio.schemaIds));
}
