/**
 * Who this node can reach (protocol.md §4.2–§4.3): the radios attached, the peers heard on them
 * and their links (indexed by MAC and interface), the routes learnt from adverts, banned ids,
 * and our own tree addresses. Tables are capped: a new peer evicts the one heard least recently.
 * A claim binds only the link it arrived on (issue 19, class 1): a second MAC claiming a peer
 * heard recently is a candidate link, a goodbye removes only its own link, silent links go.
 */
import type { Metric } from '../wire/constants.js';
import type { Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';
import { interfaceId } from '../wire/ids.js';
import { ok, type Result } from '../wire/result.js';
import { Attached, type AttachedInterface, type TableSize } from './attached.js';
import type { PackagerContext } from './context.js';
import type { PeerLinkSpec } from './events.js';
import type { InterfaceOptions } from './options.js';
import type { HopResult } from './next-hop.js';
import { findHop } from './find-hop.js';
import { LearnedPaths } from './learned-paths.js';
import { LinkIndex, macKey, type MacKey } from './link-index.js';
import { LinkSignal } from './link-signal.js';
import { Peer, sameLink, sameMac } from './peer.js';
import { newestLink } from './peer-link.js';
import { claimLink, unlink } from './link-binding.js';
import { peerColumns, type PeerColumns } from './peer-class.js';
import { PeerTable } from './peer-table.js';
import type { Radio } from './radio.js';
import { RouteTable, type Route } from './routes.js';
import { BorderTable } from './borders.js';
import { OwnAddresses, PREVIOUS_ADDRESS_RESENDS } from './own-addresses.js';
import type { UnackedMarks } from './unacked.js';
import { hookSent, type SentSink } from './sent-hook.js';

/** Where attached radios' frames go, and who hears that a peer is awake (the Packager's wiring.ts). */
export interface NeighbourCalls {
  readonly datagrams: SentSink;
  receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void;
  /** A peer was added or refreshed: it is awake now, so its queued datagrams may go. */
  peerHeard(peer: Peer): void;
}

/** The quiet apps of every interface that has none (frozen: shared, never written). */
const NO_QUIET_APPS: readonly string[] = Object.freeze([]);

export class Neighbours implements Iterable<Peer> {
  readonly #ctx: PackagerContext;
  readonly #wiring: NeighbourCalls;
  readonly #ifaces: AttachedInterface[] = [];
  // Made with the first peer (issue 21); on the key index, in the order the peers came (peer-table.ts).
  #peers: PeerTable<Peer> | undefined;
  /** Our peers' link estimates and first links in columns on the key index (declared: made with the first peer, issue 21). */
  declare private columns: PeerColumns | undefined;
  /** (mac, iface) → peer key: who sent a frame. */
  readonly #byLink = new LinkIndex();
  readonly #routes: RouteTable;
  readonly #banned = new Set<string>();
  readonly #own = new OwnAddresses();
  /** Gateways to trees we hold no address in (borders.ts, docs/routing.md "Any diameter"). */
  readonly borders = new BorderTable();
  /** The signal figure of the frame being received, while it is (radios that report one: LoRa). */
  #rxSignal: { readonly mac: Uint8Array | undefined; readonly iface: AttachedInterface; readonly marginDb: number } | undefined;

  /** Paths learnt from relayed traffic ("Short paths"); entries through a peer go with it. */
  readonly learned: LearnedPaths;
  declare unacked: UnackedMarks | undefined; // whose last unicast went unacked (made with the first)

  constructor(ctx: PackagerContext, wiring: NeighbourCalls) {
    this.learned = new LearnedPaths(ctx.limits.learnedPaths, ctx.timings.learnedPathMs);
    this.#ctx = ctx;
    this.#wiring = wiring;
    this.#routes = new RouteTable(ctx);
  }

  // Interfaces

  /** Attach a radio: its frames go to the receiver given at construction. */
  addInterface(radio: Radio, options: InterfaceOptions = {}): Result<AttachedInterface> {
    const existing = this.interfaceOf(radio);
    if (existing) return ok(existing);
    const id = interfaceId(this.#ctx.platform, radio.name, radio.bitrate, radio.schemaIds);
    if (!id.ok) return id as Result<never>;
    const node = this.#ctx.timings;
    // Without options every interface shares the node's frozen timings (no copy per radio).
    const timings = options.timings ? Object.freeze({ ...node, ...options.timings }) : node;
    const quietApps = options.quietApps?.length ? Object.freeze(options.quietApps.map((a) => toHex(a))) : NO_QUIET_APPS;
    const iface: AttachedInterface = Object.freeze(new Attached(radio, toHex(id.value), timings, quietApps, options.compactFrames === true));
    this.#ctx.hooks.call('add_interface', iface);
    this.#ifaces.push(iface);
    radio.onReceive = (frame, mac, marginDb) => {
      this.#rxSignal = marginDb === undefined ? undefined : { mac, iface, marginDb };
      try {
        this.#wiring.receive(frame, mac, iface);
      } finally {
        this.#rxSignal = undefined;
      }
    };
    if (radio.reportsSent || this.#ctx.ownSleep) hookSent(iface, this.#wiring.datagrams); // else none listens (sent-hook.ts)
    return ok(iface);
  }

  removeInterface(radio: Radio): boolean {
    const i = this.#ifaces.findIndex((x) => x.radio === radio);
    if (i < 0) return false;
    const iface = this.#ifaces[i];
    this.#ctx.hooks.call('remove_interface', iface);
    this.#ifaces.splice(i, 1);
    radio.onReceive = undefined;
    radio.onSent = undefined;
    for (const peer of this.#peers?.values() ?? []) {
      for (const l of peer.links.filter((x) => x.iface === iface)) peer.dropLink(l);
    }
    this.columns?.links.forgetInterface(iface);
    this.#byLink.dropInterface(iface);
    return true;
  }

  get interfaces(): readonly AttachedInterface[] {
    return this.#ifaces;
  }

  interfaceOf(radio: Radio): AttachedInterface | undefined {
    return this.#ifaces.find((i) => i.radio === radio);
  }

  // Peers

  /** Add or refresh a neighbour; see Packager.addPeer. */
  addPeer(id: Uint8Array | undefined, links: readonly PeerLinkSpec[], known?: Peer, holdsUs = false): Peer | undefined {
    if (id === undefined ? known === undefined : !(id instanceof Uint8Array) || id.length === 0) return undefined;
    // `id` undefined: `known`'s, made only if read (Hello refreshes a peer on each hello: a 32-byte copy each, issue 21).
    const hooks = this.#ctx.hooks;
    if (hooks.has('add_peer')) hooks.call('add_peer', (id ??= (known as Peer).id), links);
    // `known` still on its slot after the hook, nothing banned: what `id`'s hex key would find (no 64-digit key made, issue 21).
    const held = known !== undefined && this.#banned.size === 0 && this.#peers?.at(known.slotOn(this.#ctx.nodeSlots) ?? 0) === known;
    const key = held ? '' : toHex((id ??= (known as Peer).id));
    if (!held && (this.#banned.has(key) || key === this.#ctx.nodeKey)) return undefined;
    let peer = held ? known : this.#peers?.get(key);
    const now = this.#ctx.platform.now();
    const heard = this.#rxSignal;
    if (!peer) {
      // Admission: a new id may only take the slot of a neighbour silent for peerIdleMs, so a flood of made-up ids cannot push out the neighbours we hear (issue 19, class 7); one whose hello names us, that of a peer that does not name us ("Dense neighbourhoods").
      if ((this.#peers?.size ?? 0) >= this.#ctx.limits.peers && !this.evictPeer(now) && !(holdsUs && this.evictUnanswered(now))) {
        this.#ctx.counters.inc('peer_refused');
        return undefined;
      }
      // One key per node: a node we hold routes for, or one the apps' tables hold on the key index (Beacon notes a beacon before its sender is a peer), lends the peer its key.
      peer = new (this.columns ?? this.makeColumns()).peerClass(this.#routes.keyOf(key) ?? this.#ctx.heldKey(key) ?? key, now, this.#ctx.timings.peerTimeoutStart, this.columns) as Peer;
      (this.#peers ??= new PeerTable(this.#ctx.nodeSlots)).add(peer);
    }
    // A claim heard only on candidate links neither refreshes the peer nor returns it: what came with it (its apps, its hello) is not the peer's word.
    let bound = links.length === 0 || peer.links.length === 0;
    for (const spec of links) {
      const iface = this.interfaceOf(spec.radio);
      if (iface && claimLink(this.#ctx, this.#byLink, peer, spec.mac, iface, now)) bound = true;
    }
    if (!bound) return undefined;
    // The frame that introduced the peer (its Beacon) came before it was a peer: its signal counts.
    if (heard && !peer.signal && links.some((l) => this.interfaceOf(l.radio) === heard.iface && sameMac(l.mac, heard.mac))) noteSignal(peer, heard.marginDb);
    peer.lastRx = now;
    peer.timeout = this.#ctx.timings.peerTimeoutStart;
    this.#wiring.peerHeard(peer);
    return peer;
  }

  removePeer(id: Uint8Array): boolean {
    const peer = this.#peers?.get(toHex(id));
    if (!peer) return false;
    this.#ctx.hooks.call('remove_peer', peer.id);
    this.dropPeer(peer);
    return true;
  }

  /**
   * The peer `id` said goodbye on (`mac`, `iface`): that link goes, and the peer with it when it
   * was its last bound link. False when the link is not one of the peer's (a DISCONNECT naming
   * a peer from someone else's MAC removes nothing, issue 19 class 1).
   */
  removeLink(id: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): boolean {
    const peer = this.#peers?.get(toHex(id));
    const link = peer?.linkOf(mac, iface);
    if (!peer || !link) return false;
    if (!link.candidate && !peer.links.some((l) => !sameLink(l, link) && !l.candidate)) return this.removePeer(peer.id);
    unlink(this.#ctx, this.#byLink, peer, link);
    return true;
  }

  /**
   * Forget links not heard since `olderThan` (the Beacon calls this with its peer timeout). Each
   * peer keeps its most recently heard bound link: dropping the peer is the Beacon's timeout.
   */
  pruneLinks(olderThan: number): void {
    for (const peer of this.#peers?.values() ?? []) {
      const keep = newestLink(peer.links.filter((l) => !l.candidate));
      for (const l of peer.links.slice()) if (!sameLink(l, keep) && l.heard < olderThan) unlink(this.#ctx, this.#byLink, peer, l);
    }
  }

  /** A frame arrived on (`mac`, `iface`): the peer bound to that link, marked as just heard. */
  heardOn(mac: Uint8Array | undefined, iface: AttachedInterface): Peer | undefined {
    const key = macKey(mac); // once for both lookups (≈ 80 XS bytecodes a frame)
    const peer = this.peerOnLink(mac, iface, key);
    if (!peer) return undefined;
    const now = this.#ctx.platform.now();
    peer.lastRx = now; // fix: any frame shows the peer is awake (§9.2 item 13)
    const candidate = peer.heardLink(mac, iface, now, key);
    const signal = this.#rxSignal;
    if (signal && signal.iface === iface && candidate === false) noteSignal(peer, signal.marginDb);
    return peer;
  }

  peerByKey(key: string): Peer | undefined {
    return this.#peers?.get(key);
  }

  /** `key` as the peer or route table holds it (a node key: as last found or made), else `key`. */
  internKey(key: string): string {
    return this.#peers?.get(key)?.key ?? this.#routes.keyOf(key) ?? this.#ctx.heldKey(key) ?? key;
  }

  hasPeer(key: string): boolean {
    return this.#peers?.has(key) ?? false;
  }

  /** The peer that owns the link (`mac` on `iface`), if any. */
  peerOnLink(mac: Uint8Array | undefined, iface: AttachedInterface, key: MacKey = macKey(mac)): Peer | undefined {
    const owner = this.#byLink.owner(mac, iface, key);
    if (owner === undefined) return undefined;
    return typeof owner === 'number' ? this.#peers?.at(owner) : this.#peers?.get(owner);
  }

  /** The peers, oldest first, in a new array. */
  peers(): Peer[] {
    return this.#peers?.toArray() ?? [];
  }

  /** The peers, iterable more than once (next-hop makes two passes): routing is handed `this`. */
  [Symbol.iterator](): IterableIterator<Peer> {
    return this.#peers?.values() ?? [].values();
  }

  // Routes

  addRoute(nodeId: Uint8Array, address: Address): boolean {
    this.#ctx.hooks.call('add_route', nodeId, address);
    const key = toHex(nodeId);
    if (this.#banned.has(key) || key === this.#ctx.nodeKey) return false;
    const peer = this.#peers?.get(key);
    if (peer && !peer.addrs.some((a) => a.equals(address))) peer.setAddr(address);
    const evicted = this.#routes.add(key, address, peer?.key ?? this.#ctx.heldKey(key));
    if (evicted.length) this.#ctx.counters.inc('route_evicted', evicted.length);
    return true;
  }

  removeRoute(address: Address): boolean {
    this.#ctx.hooks.call('remove_route', address);
    return this.#routes.remove(address) !== undefined;
  }

  get routes(): RouteTable {
    return this.#routes;
  }

  route(address: Address): Route | undefined {
    return this.#routes.get(address);
  }

  // Bans

  ban(nodeId: Uint8Array): boolean {
    const key = toHex(nodeId);
    this.#ctx.hooks.call('ban', nodeId);
    if (key === this.#ctx.nodeKey) return false; // a remote admin must not cut a node off from itself
    if (!this.#banned.has(key)) {
      if (this.#banned.size >= this.#ctx.limits.banned) {
        this.#ctx.counters.inc('ban_refused');
        return false;
      }
      this.#banned.add(key);
    }
    const peer = this.#peers?.get(key);
    if (peer) this.dropPeer(peer);
    for (const r of this.#routes.removeNode(key)) this.#ctx.hooks.call('remove_route', r.address);
    return true;
  }

  unban(nodeId: Uint8Array): boolean {
    this.#ctx.hooks.call('unban', nodeId);
    return this.#banned.delete(toHex(nodeId));
  }

  get banned(): ReadonlySet<string> {
    return this.#banned;
  }

  // Own addresses

  /** Take an address (own-addresses.ts); `alone`: the others go (apps/tree-collisions.ts). */
  setAddress(address: Address, alone = false): void {
    this.#ctx.hooks.call('set_addr', address);
    this.#own.set(address, alone, this.#ctx.platform.now(), PREVIOUS_ADDRESS_RESENDS * this.#ctx.timings.sendRetryDelayMs);
  }

  /** Own addresses, newest last. */
  get addresses(): readonly Address[] {
    return this.#own.list;
  }

  /** We hold no address yet, or took our current tree moments ago (own-addresses.ts): our view of the mesh still settles. */
  newInTree(): boolean {
    return this.#own.newInTree(this.#ctx.platform.now());
  }

  /** Our address in `treeState`, if we have one. */
  addressIn(treeState: number): Address | undefined {
    return this.#own.in(treeState);
  }

  /** Our address in `treeState` to send from, if it is current or we left it moments ago (own-addresses.ts). */
  sourceAddressIn(treeState: number): Address | undefined {
    return this.#own.sourceIn(treeState, this.#ctx.platform.now());
  }

  /**
   * An Address equal to `address` that this node already holds (one of its own, a route's), else
   * `address` itself: what a neighbour says of its neighbours names mostly addresses we hold, and
   * on XS each copy is an object, a Uint8Array and an array, ≈ 400 B (issue 21).
   */
  sharedAddress(address: Address): Address {
    for (const a of this.#own.list) if (a.equals(address)) return a;
    return this.#routes.heldAddress(address) ?? address;
  }

  /** `address` is ours: the current tree's, or the previous tree's moments after we left it (own-addresses.ts); `now` when the caller has it. */
  isOwnAddress(address: Address, now = this.#ctx.platform.now()): boolean {
    return this.#own.isOurs(address, now);
  }

  /** A packet to `bytes` is ours: an address we hold, or our previous one that nobody else holds. */
  isOwn(treeState: number, bytes: Uint8Array): boolean {
    const now = this.#ctx.platform.now();
    if (this.#own.holds(treeState, bytes, now)) return true;
    const p = this.#own.previousFor(treeState, bytes, now);
    if (!p || this.#routes.get(p)) return false;
    for (const peer of this.#peers?.values() ?? []) if (peer.addrs.some((a) => a.equals(p))) return false;
    this.#ctx.counters.inc('to_previous_address');
    return true;
  }

  /** Next hop toward `to` (find-hop.ts); neighbours whose last unicast went unacked come last (unacked.ts). */
  findHop(to: Address, metric: Metric, exclude: ReadonlySet<string>, plain = false, flow?: Address): HopResult {
    const viaRouter = this.#ctx.ownSleep?.leaf ? this.withLeaves(exclude) : undefined;
    const r = viaRouter && this.findHopExcluding(to, metric, viaRouter, plain, flow);
    return r && 'hop' in r ? r : this.findHopExcluding(to, metric, exclude, plain, flow);
  }

  /**
   * `exclude` and our sleepy-leaf neighbours, or undefined when we have none. A sleepy leaf sends
   * to another leaf through a router: sent straight, it waits for that leaf's window (one in a
   * superframe), wakes for it and listens, and each retry costs it another window; a router
   * answers at once and holds the frame for the other leaf.
   */
  private withLeaves(exclude: ReadonlySet<string>): ReadonlySet<string> | undefined {
    let out: Set<string> | undefined;
    for (const p of this.#peers?.values() ?? []) if (p.leaf) (out ??= new Set(exclude)).add(p.key);
    return out;
  }

  private findHopExcluding(to: Address, metric: Metric, exclude: ReadonlySet<string>, plain: boolean, flow: Address | undefined): HopResult {
    const now = this.#ctx.platform.now();
    const avoid = this.unacked?.avoiding(this, exclude);
    const r = avoid && findHop(this, to, metric, avoid, now, plain, this.#ctx.counters, flow, this.#ctx.vectors);
    return r && 'hop' in r ? r : findHop(this, to, metric, exclude, now, plain, this.#ctx.counters, flow, this.#ctx.vectors);
  }

  sizes(): { peers: TableSize; routes: TableSize; banned: TableSize; peerQueues: TableSize } {
    const l = this.#ctx.limits;
    let queued = 0;
    for (const p of this.#peers?.values() ?? []) queued += p.queue.length;
    const peers = { size: this.#peers?.size ?? 0, limit: l.peers };
    return { peers, routes: { size: this.#routes.size, limit: l.routes }, banned: { size: this.#banned.size, limit: l.banned }, peerQueues: { size: queued, limit: l.peerQueue * l.peers } };
  }

  /** Forget every peer, route, ban and own address (interfaces stay attached). */
  clear(): void {
    for (const peer of this.#peers?.values() ?? []) peer.detach();
    this.#peers?.clear();
    this.#byLink.clear();
    this.#routes.clear();
    this.#banned.clear();
    this.learned.clear();
    this.#own.clear();
    this.borders.clear();
  }

  private dropPeer(peer: Peer): void {
    this.#peers?.delete(peer.key);
    this.learned.forgetVia(peer.key);
    for (const l of peer.links) {
      this.#byLink.deleteIfOwner(l.macKey, l.iface, peer.key);
      this.#ctx.cancel('rns' + peer.key + l.iface.key);
    }
    for (const a of peer.addrs) this.#routes.remove(a);
    this.#routes.removeNode(peer.key);
    peer.dropQueued();
    peer.detach();
  }

  /** Our peers' columns and class (peer-class.ts: theirs alone unless the platform shares its heap with other nodes); the link index keeps their first links' entries there. */
  private makeColumns(): PeerColumns {
    const columns = (this.columns = peerColumns(this.#ctx.nodeSlots, this.#ctx.platform.shared === undefined));
    this.#byLink.useColumns(columns.links);
    return columns;
  }

  /** Evict the least recently heard peer if it has been silent for peerIdleMs; false when none has. */
  private evictPeer(now: number): boolean {
    let victim: Peer | undefined;
    for (const p of this.#peers?.values() ?? []) if (!victim || p.lastRx < victim.lastRx) victim = p;
    if (!victim || now - victim.lastRx < this.#ctx.timings.peerIdleMs) return false;
    this.#ctx.hooks.call('remove_peer', victim.id);
    this.dropPeer(victim);
    this.#ctx.counters.inc('peer_evicted');
    return true;
  }

  /**
   * Evict the peer heard least recently among those that, past their grace, have not named us
   * lately (no report of us, so not good: its table is full without us, or it hears us not);
   * false when every peer names us or speaks no Hello (an upstream node is never judged so).
   */
  private evictUnanswered(now: number): boolean {
    let victim: Peer | undefined;
    for (const p of this.#peers?.values() ?? []) {
      const l = victim && p.lastRx >= victim.lastRx ? undefined : p.link;
      if (l && l.outbound(now) === undefined && !l.good(now)) victim = p;
    }
    if (!victim) return false;
    this.#ctx.hooks.call('remove_peer', victim.id);
    this.dropPeer(victim);
    this.#ctx.counters.inc('peer_unanswered_evicted');
    return true;
  }
}

/** One more frame's SNR margin from `peer` (link-signal.ts). */
function noteSignal(peer: Peer, marginDb: number): void {
  if (!Number.isFinite(marginDb)) return;
  if (peer.signal) peer.signal.add(marginDb);
  else peer.signal = new LinkSignal(marginDb);
}
