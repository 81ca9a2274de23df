/**
 * The Packager (protocol.md §3–§4): app blobs to frames on radios and back; peers, routes and
 * own addresses; greedy forwarding; acks, retries, sequence sync/RTX and RNS/NIA for sleeping
 * peers. An instance, not upstream's process-wide singleton, so one process can run thousands.
 *
 * A facade over parts of one concern each, sharing one small context (context.ts):
 * neighbours.ts (radios, peers, routes, bans, own addresses), datagrams.ts (one frame to a peer:
 * queue, RNS/NIA wake), forwarding.ts (send plan, next hop, relay, routed acks), reliability.ts
 * (outbound caches, acks, retries, RTX service), sending.ts (our broadcasts and unicasts),
 * receiver.ts → fragments.ts / applications.ts (reassembly, sequence sync, delivery).
 *
 * Event-driven: frames arrive through each radio's `onReceive`, timers come from the platform.
 * Nothing thrown by a hook, an app or a hostile frame escapes the receive path or a timer; each
 * such event is counted (`node.state().counters`). Our fixes to upstream are listed in §13.3 and
 * marked "fix" in the parts.
 */
import { Metric } from '../wire/constants.js';
import type { Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';
import type { Result } from '../wire/result.js';
import type { Platform } from '../platform/platform.js';
import type { Application } from './application.js';
import type { AttachedInterface, TableSize } from './attached.js';
import { PackagerContext, type OwnSleep } from './context.js';
import type { Counters } from './counters.js';
import type { PackagerEvents, PeerLinkSpec } from './events.js';
import { NO_EXCLUSIONS } from './forwarding.js';
import type { Hook } from './hooks.js';
import type { EventHandler } from './scheduler.js';
import type { Hop } from './next-hop.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS, type InterfaceOptions, type Limits, type PackagerOptions, type Timings } from './options.js';
import type { SendTarget } from './outbound-store.js';
import type { NodeSlots } from './node-slots.js';
import type { Peer } from './peer.js';
import type { Radio } from './radio.js';
import type { Route } from './routes.js';
import type { BorderTable } from './borders.js';
import type { HopVectors } from './hop-vectors.js';
import { assembleParts } from './packager-parts.js';
import type { Applications } from './applications.js';
import type { Datagrams } from './datagrams.js';
import type { Fragments } from './fragments.js';
import type { HopReceipts } from './hop-receipts.js';
import type { Neighbours } from './neighbours.js';
import type { Receiver } from './receiver.js';
import type { Reliability } from './reliability.js';
import type { Sending, SendOptions, SendReport } from './sending.js';
import { hookSent } from './sent-hook.js';

export type { SendOptions, SendReport } from './sending.js';
export type { PeerLinkSpec } from './events.js';

export class Packager {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly timings: Timings;
  readonly limits: Limits;
  readonly counters: Counters;

  readonly #ctx: PackagerContext;
  readonly #neighbours: Neighbours;
  readonly #reliability: Reliability;
  readonly #sending: Sending;
  readonly #applications: Applications;
  readonly #fragments: Fragments;
  readonly #receiver: Receiver;
  readonly #datagrams: Datagrams;
  readonly #hopReceipts: HopReceipts;

  constructor(platform: Platform, options: PackagerOptions) {
    if (!(options.nodeId instanceof Uint8Array) || options.nodeId.length !== 32) {
      throw new TypeError('nodeId must be 32 bytes (SHA-256 of SHA-256 of the chip id)');
    }
    this.nodeId = options.nodeId.slice();
    this.nodeKey = toHex(this.nodeId);
    // Without overrides every node shares the frozen defaults (a copy is ~45 properties, issue 21).
    this.timings = options.timings ? Object.freeze({ ...DEFAULT_TIMINGS, ...options.timings }) : DEFAULT_TIMINGS;
    this.limits = options.limits ? Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }) : DEFAULT_LIMITS;
    const ctx = new PackagerContext(platform, this.nodeKey, this.timings, this.limits);
    this.#ctx = ctx;
    this.counters = ctx.counters;
    const parts = assembleParts(ctx, this, options);
    this.#neighbours = parts.neighbours;
    this.#reliability = parts.reliability;
    this.#applications = parts.applications;
    this.#fragments = parts.fragments;
    this.#sending = parts.sending;
    this.#hopReceipts = parts.hopReceipts;
    this.#datagrams = parts.datagrams;
    this.#receiver = parts.receiver;
  }

  get platform(): Platform {
    return this.#ctx.platform;
  }

  // Interfaces

  /**
   * Attach a radio: the Packager becomes its receiver. `options` give the interface timings of
   * its own (a LoRa radio beside ESP-NOW: retries, awake window, hop acks, broadcast pacing) and
   * apps whose broadcasts stay off it; without them the node's timings apply.
   */
  addInterface(radio: Radio, options?: InterfaceOptions): Result<AttachedInterface> {
    return this.#neighbours.addInterface(radio, options);
  }

  removeInterface(radio: Radio): boolean {
    return this.#neighbours.removeInterface(radio);
  }

  get interfaces(): readonly AttachedInterface[] {
    return this.#neighbours.interfaces;
  }

  interfaceOf(radio: Radio): AttachedInterface | undefined {
    return this.#neighbours.interfaceOf(radio);
  }

  // Hooks and timed events

  /** Call `hook` (with `thisArg` as `this`: an app's method and the app, no closure) on each `name` event. */
  addHook<K extends keyof PackagerEvents>(name: K, hook: Hook<PackagerEvents[K]>, thisArg?: object): void {
    this.#ctx.hooks.add(name, hook, thisArg);
  }

  removeHook<K extends keyof PackagerEvents>(name: K, hook: Hook<PackagerEvents[K]>, thisArg?: object): void {
    this.#ctx.hooks.remove(name, hook, thisArg);
  }

  clearHook(name: keyof PackagerEvents): void {
    this.#ctx.hooks.clear(name);
  }

  clearAllHooks(): void {
    this.#ctx.hooks.clear();
  }

  callHook<K extends keyof PackagerEvents>(name: K, ...args: PackagerEvents[K]): void {
    this.#ctx.hooks.call(name, ...args);
  }

  /**
   * Run `handler(arg)` after `delayMs` under `id` (an id already pending is replaced). An app
   * passes a shared function and itself as `arg` rather than a closure (≈ 200 B on XS).
   */
  schedule<A>(id: string, delayMs: number, handler: EventHandler<A>, arg?: A): boolean {
    return this.#ctx.schedule(id, delayMs, handler, arg);
  }

  cancel(id: string): boolean {
    return this.#ctx.cancel(id);
  }

  isScheduled(id: string): boolean {
    return this.#ctx.scheduler.has(id);
  }

  scheduledIds(): string[] {
    return this.#ctx.scheduler.ids();
  }

  /** Due time (platform ms) of a pending event. */
  dueTime(id: string): number | undefined {
    return this.#ctx.scheduler.due(id);
  }

  /** Cancel every pending event (retries, sequence sync, RNS, app timers). */
  cancelAllEvents(): void {
    this.#ctx.scheduler.cancelAll();
  }

  // Applications

  addApplication(app: Application): Result<Application> {
    return this.#applications.add(app);
  }

  removeApplication(appOrId: Application | Uint8Array): boolean {
    return this.#applications.remove(appOrId);
  }

  application(id: Uint8Array): Application | undefined {
    return this.#applications.get(id);
  }

  get applications(): readonly Application[] {
    return this.#applications.list();
  }

  // Peers, routes, bans, own addresses

  /**
   * Add or refresh a neighbour (the Beacon calls this); the `add_peer` hook runs first, before the
   * peer exists (Gossip relies on it). Banned ids are ignored; a full table evicts the peer heard
   * least recently. Undefined when refused, or claimed only on a candidate link (neighbours.ts). `known`: the peer `id` names, when the caller holds it
   * (then `id` may be undefined: `known`'s, made only when a hook or a lookup needs it). `holdsUs`:
   * the newcomer's hello names us, so a full table may give it the slot of a peer that does not
   * (neighbours.ts, docs/routing.md "Dense neighbourhoods").
   */
  addPeer(id: Uint8Array | undefined, links: readonly PeerLinkSpec[], known?: Peer, holdsUs = false): Peer | undefined {
    return this.#neighbours.addPeer(id, links, known, holdsUs);
  }

  removePeer(id: Uint8Array): boolean {
    return this.#neighbours.removePeer(id);
  }

  /**
   * The peer `id` said goodbye on (`mac`, `radio`): that link goes, and the peer with it when it
   * was its last. False when the link is not the peer's (a goodbye forged from another MAC).
   */
  removeLink(id: Uint8Array, mac: Uint8Array | undefined, radio: Radio): boolean {
    const iface = this.interfaceOf(radio);
    return iface ? this.#neighbours.removeLink(id, mac, iface) : false;
  }

  /** Forget links silent for `silentMs` (each peer keeps its most recently heard one). */
  pruneLinks(silentMs: number): void {
    this.#neighbours.pruneLinks(this.#ctx.platform.now() - silentMs);
  }

  /** `id` as a table key (hex): the string the peer or route table holds for a known node (one per node, issue 21). */
  keyOf(id: Uint8Array): string {
    return this.#neighbours.internKey(toHex(id));
  }

  /** The per-neighbour tables' shared key index: a small number per node key (node-slots.ts). */
  get nodeSlots(): NodeSlots {
    return this.#ctx.nodeSlots;
  }

  peer(id: Uint8Array): Peer | undefined {
    return this.#neighbours.peerByKey(toHex(id));
  }

  peerByKey(key: string): Peer | undefined {
    return this.#neighbours.peerByKey(key);
  }

  /** The peer reached through `mac` on `radio`, if any. */
  peerAt(mac: Uint8Array | undefined, radio: Radio): Peer | undefined {
    const iface = this.interfaceOf(radio);
    return iface ? this.#neighbours.peerOnLink(mac, iface) : undefined;
  }

  get peers(): readonly Peer[] {
    return this.#neighbours.peers();
  }

  addRoute(nodeId: Uint8Array, address: Address): boolean {
    return this.#neighbours.addRoute(nodeId, address);
  }

  /** An Address equal to `address` that the node already holds (own or a route's), else `address`: one object per address. */
  sharedAddress(address: Address): Address {
    return this.#neighbours.sharedAddress(address);
  }

  removeRoute(address: Address): boolean {
    return this.#neighbours.removeRoute(address);
  }

  route(address: Address): Route | undefined {
    return this.#neighbours.route(address);
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeId: Uint8Array): readonly Address[] {
    return this.#neighbours.routes.addressesOf(toHex(nodeId));
  }

  get routes(): readonly Route[] {
    return [...this.#neighbours.routes.values()];
  }

  ban(nodeId: Uint8Array): boolean {
    return this.#neighbours.ban(nodeId);
  }

  unban(nodeId: Uint8Array): boolean {
    return this.#neighbours.unban(nodeId);
  }

  isBanned(nodeId: Uint8Array): boolean {
    return this.#neighbours.banned.has(toHex(nodeId));
  }

  get banned(): readonly string[] {
    return [...this.#neighbours.banned];
  }

  /** Take an address; one per tree state, two kept (the previous tree stays routable) unless `alone` (tree-collisions.ts). */
  setAddress(address: Address, alone = false): void {
    this.#neighbours.setAddress(address, alone);
  }

  /** Own addresses, newest last. */
  get addresses(): readonly Address[] {
    return this.#neighbours.addresses;
  }

  /** The current (newest) address. */
  get address(): Address | undefined {
    const addrs = this.#neighbours.addresses;
    return addrs[addrs.length - 1];
  }

  isOwnAddress(address: Address): boolean {
    return this.#neighbours.isOwnAddress(address);
  }

  /** Gateways to other trees (borders.ts, docs/routing.md "Any diameter"). */
  get borders(): BorderTable {
    return this.#neighbours.borders;
  }

  /** Greedy next hop toward `to` (see next-hop.ts); undefined when none makes progress. */
  nextHop(to: Address, metric: Metric = Metric.dTree, exclude: ReadonlySet<string> = NO_EXCLUSIONS): Hop | undefined {
    this.#ctx.hooks.call('next_hop', to, metric);
    const r = this.#neighbours.findHop(to, metric, exclude);
    return 'hop' in r ? r.hop : undefined;
  }

  // Sending and receiving

  /**
   * `appId`'s broadcasts go with priority on radios that meter airtime (Radio.broadcast), or no
   * longer (`on` false). At most 8 apps; false when that many are set already.
   */
  prioritizeBroadcasts(appId: Uint8Array, on = true): boolean {
    return this.#sending.prioritize(toHex(appId), on);
  }

  /**
   * `appId`'s broadcast sequences ask no ack of their fragments (`on` false: they do again, as
   * upstream's do). Only for an app whose receivers are all ours: the sender keeps no state for
   * those acks, and a receiver missing a fragment asks for it (rtx) as for any sequence; the
   * acks were pure airtime (SignedTree's broadcast chains: docs/security.md, session 11).
   */
  unackedBroadcasts(appId: Uint8Array, on = true): void {
    this.#sending.leaveUnacked(toHex(appId), on);
  }

  /**
   * Broadcast `blob` for `appId` on every interface (or one): the schema every interface
   * carries with the largest body; a sequence when the Package does not fit one packet.
   * `compact`: the frames go on air compact (wire/compact-frame.ts); only for what every
   * neighbour that may hear it expands (the caller checks their Beacons).
   */
  broadcast(appId: Uint8Array, blob: Uint8Array, radio?: Radio, compact = false): Result<SendReport> {
    return this.#sending.broadcast(appId, blob, radio, compact);
  }

  /**
   * Send `blob` to a node: directly when it is a peer, else routed toward its address (given,
   * or the newest known route address in one of our trees). Single packets are retried every
   * 2 s up to 3 times until acked; sequences ask an ack of every fragment and resend the
   * missing ones on the same timer (fix: upstream never retries or caches unicast sequences).
   */
  send(appId: Uint8Array, blob: Uint8Array, target: SendTarget, options: SendOptions = {}): Result<SendReport> {
    return this.#sending.send(appId, blob, target, options);
  }

  /** Handle one frame heard from `mac` on `iface` (through `onReceive`); never throws: bad frames are counted as `drop_<reason>`. */
  receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void {
    this.#receiver.receive(frame, mac, iface);
  }

  /**
   * Frames to the neighbours `test` accepts go on air compact (wire/compact-frame.ts): those
   * whose Beacon lists the capability (Beacon's `compact_frames` sets this). `test` is called
   * with `thisArg` as `this` (a method and its app rather than a closure). Not `everywhere`: only
   * on the interfaces attached with `compactFrames` (a bridge's LoRa side).
   */
  compactFramesTo(test: (peer: Peer) => boolean, thisArg?: object, everywhere = true): void {
    this.#datagrams.compactTo = test;
    this.#datagrams.compactThis = thisArg;
    this.#datagrams.compactEverywhere = everywhere;
  }

  /**
   * In those frames, an app id goes as its 4-byte prefix to the neighbours `test` accepts for it:
   * those whose Beacon lists that app and the CompactAppIds capability (Beacon sets this).
   */
  compactAppIdsTo(test: (peer: Peer, appId: Uint8Array) => boolean): void {
    this.#datagrams.appIdPrefixTo = test;
  }

  /** The node's aligned modem sleep tells the Packager it exists (docs/sleep.md); it counts our frames in every radio. */
  setOwnSleep(sleep: OwnSleep | undefined): void {
    this.#ctx.ownSleep = sleep;
    if (sleep) for (const i of this.interfaces) hookSent(i, this.#datagrams);
  }

  /** The aligned modem sleep turned the radios on: our broadcasts held meanwhile go out (`slot`: at once, a sleepy leaf's send slot). */
  radiosAwake(slot = false): void {
    if (slot) this.#sending.wakeQueue.flush();
    else this.#sending.wakeQueue.flushSoon(8);
  }

  /** Consume one modem-sleep skip; false when none is queued (the radio may sleep). */
  takeSleepSkip(): boolean { return this.#ctx.takeSleepSkip(); }

  get pendingSleepSkips(): number { return this.#ctx.pendingSleepSkips; }

  /** Hop finding consults `vectors` (RouteVector's table, hop-vectors.ts) from now, or no longer. */
  useHopVectors(vectors: HopVectors | undefined): void { this.#ctx.vectors = vectors; }

  // Life cycle

  /** Cancel every timer and forget all state except the node id, interfaces and apps. */
  reset(): void {
    this.#ctx.scheduler.cancelAll();
    this.#neighbours.clear();
    this.#reliability.clear();
    this.#fragments.clear();
    this.#receiver.clear();
    this.#datagrams.custody.clear();
    this.#hopReceipts.clear();
    this.#ctx.clearSleepSkips();
    this.#sending.clear();
  }

  /** Stop all timers and detach the radios. */
  close(): void {
    this.#ctx.scheduler.cancelAll();
    for (const i of this.interfaces.slice()) this.removeInterface(i.radio);
  }

  /** Sizes of every bounded table, with their caps. */
  sizes(): Record<string, TableSize> {
    const n = this.#neighbours.sizes();
    const events = { size: this.#ctx.scheduler.size, limit: this.limits.events };
    const hopCustody = { size: this.#datagrams.custody.size, limit: this.limits.hopCustody };
    const hopReceipts = { size: this.#hopReceipts.size, limit: this.limits.hopReceipts };
    return { peers: n.peers, routes: n.routes, banned: n.banned, events, ...this.#reliability.sizes(), ...this.#fragments.sizes(), peerQueues: n.peerQueues, hopCustody, hopReceipts };
  }
}
