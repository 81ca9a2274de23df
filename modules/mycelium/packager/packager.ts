/**
 * The Packager (protocol.md §3–§4): app blobs to frames on radios and back; peers, routes and
 * own addresses; greedy forwarding; acks, retries, sequence sync/RTX and RNS/NIA for sleeping
 * peers. An instance, not upstream's process-wide singleton, so one process can run thousands.
 *
 * Event-driven: frames arrive through each radio's `onReceive`, timers come from the platform.
 * Nothing thrown by a hook, an app or a hostile frame escapes the receive path or a timer; each
 * such event is counted (`stats().counters`). Our fixes to upstream are listed in §13.3 and
 * marked "fix" below.
 */
import { Metric } from '../wire/constants.js';
import { Address } from '../wire/address.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import { Encoded, encodedValue, hasFlag, setFlag, withEncoded } from '../wire/flags.js';
import { getSchema, type Schema } from '../wire/schemas.js';
import { bodyChecksum, checksumValid, parsePacket, serializePacket, type Packet } from '../wire/packet.js';
import { parsePackage, verifyPackage } from '../wire/package.js';
import { Reassembly } from '../wire/sequence.js';
import { interfaceId } from '../wire/ids.js';
import { frameAck, frameBlob, frameControl, intersectSchemaIds, type Purpose, type RouteFields } from '../wire/outbound.js';
import { fail, ok, type Result } from '../wire/result.js';
import { TTL_START } from '../wire/constants.js';
import type { Platform } from '../platform/platform.js';
import type { Radio } from './radio.js';
import { BROADCAST_MAC } from './radio.js';
import type { AttachedInterface, Link } from './attached.js';
import { Peer } from './peer.js';
import { RouteTable, type Route } from './routes.js';
import { nextHop, type Hop } from './next-hop.js';
import { Counters } from './counters.js';
import { Hooks, type Hook } from './hooks.js';
import type { PackagerEvents, PeerLinkSpec } from './events.js';
import { Scheduler } from './scheduler.js';
import { TtlCache } from './ttl-cache.js';
import { CompletedSequences, InboundTable, RecentDeliveries, type InboundSequence } from './inbound.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS, type Limits, type PackagerOptions, type Timings } from './options.js';
import type { Application, Delivery } from './application.js';
import type { Destination, OutboundPacket, OutboundSequence, SendTarget } from './outbound-store.js';

export interface SendOptions {
  /** Routing metric for routed sends; carried in flags.mode so relays use it too (fix). */
  readonly metric?: Metric;
  /** Retries after the first attempt (default: timings.sendRetryCount). */
  readonly retries?: number;
}

export interface SendReport {
  readonly schemaId: number;
  readonly frames: number;
  readonly sequence: boolean;
}

export type { PeerLinkSpec } from './events.js';

const NO_EXCLUSIONS: ReadonlySet<string> = new Set();

export class Packager {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly timings: Timings;
  readonly limits: Limits;
  readonly counters = new Counters();

  readonly #platform: Platform;
  readonly #askEveryFragment: boolean;
  readonly #hooks: Hooks<PackagerEvents>;
  readonly #scheduler: Scheduler;
  readonly #ifaces: AttachedInterface[] = [];
  readonly #peers = new Map<string, Peer>();
  readonly #byLink = new Map<string, string>();
  readonly #routes: RouteTable;
  readonly #banned = new Set<string>();
  readonly #addrs: Address[] = [];
  readonly #apps = new Map<string, Application>();
  readonly #packetCache: TtlCache<OutboundPacket>;
  readonly #seqCache: TtlCache<OutboundSequence>;
  #seqCacheBytes = 0;
  readonly #inbound: InboundTable;
  readonly #completed: CompletedSequences;
  readonly #recent: RecentDeliveries;
  #packetId = 0;
  #seqId = 0;
  #sleepSkips = 0;

  constructor(platform: Platform, options: PackagerOptions) {
    if (!(options.nodeId instanceof Uint8Array) || options.nodeId.length !== 32) {
      throw new TypeError('nodeId must be 32 bytes (SHA-256 of SHA-256 of the chip id)');
    }
    this.#platform = platform;
    this.nodeId = options.nodeId.slice();
    this.nodeKey = toHex(this.nodeId);
    this.timings = Object.freeze({ ...DEFAULT_TIMINGS, ...options.timings });
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...options.limits });
    this.#askEveryFragment = options.askEveryFragment ?? true;
    this.#hooks = new Hooks(this.counters);
    const now = () => platform.now();
    this.#scheduler = new Scheduler(platform, now, this.counters, this.limits.events);
    this.#routes = new RouteTable(this.limits.routes);
    this.#packetCache = new TtlCache(this.limits.packetCache, now);
    this.#seqCache = new TtlCache(this.limits.sequenceCache, now);
    this.#seqCache.onEvict = (_k, s) => {
      this.#seqCacheBytes -= s.bytes;
      this.counters.inc('outbound_sequence_evicted');
    };
    this.#packetCache.onEvict = () => this.counters.inc('outbound_packet_evicted');
    this.#inbound = new InboundTable(this.limits.inboundPerOrigin, this.limits.inboundTotal, this.limits.inboundTotalBytes);
    this.#completed = new CompletedSequences(this.limits.duplicates);
    this.#recent = new RecentDeliveries(this.limits.duplicates);
  }

  get platform(): Platform {
    return this.#platform;
  }

  // ---------------------------------------------------------------- interfaces

  /** Attach a radio: the Packager becomes its receiver. */
  addInterface(radio: Radio): Result<AttachedInterface> {
    const existing = this.#ifaces.find((i) => i.radio === radio);
    if (existing) return ok(existing);
    const id = interfaceId(this.#platform, radio.name, radio.bitrate, radio.schemaIds);
    if (!id.ok) return id as Result<never>;
    const iface: AttachedInterface = Object.freeze({ radio, id: id.value, key: toHex(id.value) });
    this.#hooks.call('add_interface', iface);
    this.#ifaces.push(iface);
    radio.onReceive = (frame, mac) => this.receive(frame, iface, mac);
    return ok(iface);
  }

  removeInterface(radio: Radio): boolean {
    const i = this.#ifaces.findIndex((x) => x.radio === radio);
    if (i < 0) return false;
    const iface = this.#ifaces[i];
    this.#hooks.call('remove_interface', iface);
    this.#ifaces.splice(i, 1);
    radio.onReceive = undefined;
    for (const peer of this.#peers.values()) {
      for (let j = peer.links.length - 1; j >= 0; j--) {
        if (peer.links[j].iface === iface) {
          this.#byLink.delete(linkKey(peer.links[j].mac, iface));
          peer.links.splice(j, 1);
        }
      }
    }
    return true;
  }

  get interfaces(): readonly AttachedInterface[] {
    return this.#ifaces;
  }

  interfaceOf(radio: Radio): AttachedInterface | undefined {
    return this.#ifaces.find((i) => i.radio === radio);
  }

  // ---------------------------------------------------------------- hooks and events

  addHook<K extends keyof PackagerEvents>(name: K, hook: Hook<PackagerEvents[K]>): void {
    this.#hooks.add(name, hook);
  }

  removeHook<K extends keyof PackagerEvents>(name: K, hook: Hook<PackagerEvents[K]>): void {
    this.#hooks.remove(name, hook);
  }

  clearHook(name: keyof PackagerEvents): void {
    this.#hooks.clear(name);
  }

  clearAllHooks(): void {
    this.#hooks.clear();
  }

  callHook<K extends keyof PackagerEvents>(name: K, ...args: PackagerEvents[K]): void {
    this.#hooks.call(name, ...args);
  }

  /** Run `handler` after `delayMs` under `id` (an id already pending is replaced). */
  schedule(id: string, delayMs: number, handler: () => void): boolean {
    this.#hooks.call('queue_event', id, delayMs);
    return this.#scheduler.schedule(id, delayMs, handler);
  }

  cancel(id: string): boolean {
    return this.#scheduler.cancel(id);
  }

  isScheduled(id: string): boolean {
    return this.#scheduler.has(id);
  }

  scheduledIds(): string[] {
    return this.#scheduler.ids();
  }

  /** Due time (platform ms) of a pending event. */
  dueTime(id: string): number | undefined {
    return this.#scheduler.due(id);
  }

  /** Cancel every pending event (retries, sequence sync, RNS, app timers). */
  cancelAllEvents(): void {
    this.#scheduler.cancelAll();
  }

  // ---------------------------------------------------------------- applications

  addApplication(app: Application): Result<Application> {
    if (!(app.id instanceof Uint8Array) || app.id.length !== 16) return fail('bad_argument', 'an application id must be 16 bytes');
    this.#hooks.call('add_application', app);
    this.#apps.set(toHex(app.id), app);
    return ok(app);
  }

  removeApplication(appOrId: Application | Uint8Array): boolean {
    const id = appOrId instanceof Uint8Array ? appOrId : appOrId.id;
    const app = this.#apps.get(toHex(id));
    if (!app) return false;
    this.#hooks.call('remove_application', app);
    return this.#apps.delete(toHex(id));
  }

  application(id: Uint8Array): Application | undefined {
    return this.#apps.get(toHex(id));
  }

  get applications(): readonly Application[] {
    return [...this.#apps.values()];
  }

  // ---------------------------------------------------------------- peers, routes, addresses

  /**
   * Add or refresh a neighbour (the Beacon calls this). The `add_peer` hook runs first, while
   * the peer does not exist yet (Gossip relies on that). Banned ids are ignored. When the table
   * is full the peer heard least recently is evicted.
   */
  addPeer(id: Uint8Array, links: readonly PeerLinkSpec[]): Peer | undefined {
    if (!(id instanceof Uint8Array) || id.length === 0) return undefined;
    this.#hooks.call('add_peer', id, links);
    const key = toHex(id);
    if (this.#banned.has(key) || key === this.nodeKey) return undefined;
    let peer = this.#peers.get(key);
    const now = this.#platform.now();
    if (!peer) {
      if (this.#peers.size >= this.limits.peers) this.#evictPeer();
      peer = new Peer(id.slice(), key, now, this.timings.peerTimeoutStart);
      this.#peers.set(key, peer);
    }
    for (const spec of links) {
      const iface = this.interfaceOf(spec.radio);
      if (!iface) continue;
      const mac = spec.mac?.slice();
      if (!peer.hasLink(mac, iface)) peer.links.push({ mac, iface });
      const lk = linkKey(mac, iface);
      if (!this.#byLink.has(lk)) this.#byLink.set(lk, key);
    }
    peer.lastRx = now;
    peer.timeout = this.timings.peerTimeoutStart;
    this.#flush(peer);
    return peer;
  }

  removePeer(id: Uint8Array): boolean {
    const key = toHex(id);
    const peer = this.#peers.get(key);
    if (!peer) return false;
    this.#hooks.call('remove_peer', peer.id);
    this.#dropPeer(peer);
    return true;
  }

  peer(id: Uint8Array): Peer | undefined {
    return this.#peers.get(toHex(id));
  }

  peerByKey(key: string): Peer | undefined {
    return this.#peers.get(key);
  }

  /** The peer reached through `mac` on `radio`, if any. */
  peerAt(mac: Uint8Array | undefined, radio: Radio): Peer | undefined {
    const iface = this.interfaceOf(radio);
    if (!iface) return undefined;
    const key = this.#byLink.get(linkKey(mac, iface));
    return key === undefined ? undefined : this.#peers.get(key);
  }

  get peers(): readonly Peer[] {
    return [...this.#peers.values()];
  }

  addRoute(nodeId: Uint8Array, address: Address): boolean {
    this.#hooks.call('add_route', nodeId, address);
    const key = toHex(nodeId);
    if (this.#banned.has(key) || key === this.nodeKey) return false;
    const peer = this.#peers.get(key);
    if (peer && !peer.addrs.some((a) => a.equals(address))) peer.setAddr(address);
    const evicted = this.#routes.add(nodeId, key, address);
    if (evicted.length) this.counters.inc('route_evicted', evicted.length);
    return true;
  }

  removeRoute(address: Address): boolean {
    this.#hooks.call('remove_route', address);
    return this.#routes.remove(address) !== undefined;
  }

  route(address: Address): Route | undefined {
    return this.#routes.get(address);
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeId: Uint8Array): readonly Address[] {
    return this.#routes.addressesOf(toHex(nodeId));
  }

  get routes(): readonly Route[] {
    return [...this.#routes.values()];
  }

  ban(nodeId: Uint8Array): boolean {
    const key = toHex(nodeId);
    this.#hooks.call('ban', nodeId);
    if (key === this.nodeKey) return false; // a remote admin must not cut a node off from itself
    if (!this.#banned.has(key)) {
      if (this.#banned.size >= this.limits.banned) {
        this.counters.inc('ban_refused');
        return false;
      }
      this.#banned.add(key);
    }
    const peer = this.#peers.get(key);
    if (peer) this.#dropPeer(peer);
    for (const r of this.#routes.removeNode(key)) this.#hooks.call('remove_route', r.address);
    return true;
  }

  unban(nodeId: Uint8Array): boolean {
    this.#hooks.call('unban', nodeId);
    return this.#banned.delete(toHex(nodeId));
  }

  isBanned(nodeId: Uint8Array): boolean {
    return this.#banned.has(toHex(nodeId));
  }

  get banned(): readonly string[] {
    return [...this.#banned];
  }

  /** Take an address; one per tree state, two kept (the previous tree stays routable). */
  setAddress(address: Address): void {
    this.#hooks.call('set_addr', address);
    const i = this.#addrs.findIndex((a) => a.treeState === address.treeState);
    if (i >= 0) this.#addrs.splice(i, 1);
    this.#addrs.push(address);
    if (this.#addrs.length > 2) this.#addrs.shift();
  }

  /** Own addresses, newest last. */
  get addresses(): readonly Address[] {
    return this.#addrs;
  }

  /** The current (newest) address. */
  get address(): Address | undefined {
    return this.#addrs[this.#addrs.length - 1];
  }

  isOwnAddress(address: Address): boolean {
    return this.#addrs.some((a) => a.equals(address));
  }

  /** Greedy next hop toward `to` (see next-hop.ts); undefined when none makes progress. */
  nextHop(to: Address, metric: Metric = Metric.dTree, exclude: ReadonlySet<string> = NO_EXCLUSIONS): Hop | undefined {
    this.#hooks.call('next_hop', to, metric);
    const r = this.#nextHop(to, metric, exclude);
    return 'hop' in r ? r.hop : undefined;
  }

  // ---------------------------------------------------------------- sending

  /**
   * Broadcast `blob` for `appId` on every interface (or one): the schema every interface
   * carries with the largest body; a sequence when the Package does not fit one packet.
   */
  broadcast(appId: Uint8Array, blob: Uint8Array, radio?: Radio): Result<SendReport> {
    this.#hooks.call('broadcast', appId, blob, radio);
    this.#skipSleep();
    const ifaces = radio ? this.#ifaces.filter((i) => i.radio === radio) : this.#ifaces;
    if (ifaces.length === 0) return fail('no_interface', radio ? 'that radio is not attached' : 'no interface is attached');
    const ids = intersectSchemaIds(ifaces.map((i) => i.radio.schemaIds));
    const framed = frameBlob(this.#platform, 'broadcast', ids, appId, blob, { packetId: this.#packetId, seqId: this.#seqId });
    if (!framed.ok) return this.#refused(framed);
    const { schema, frames, sequence } = framed.value;
    if (sequence) this.#rememberSequence(this.#seqId, frames, { kind: 'broadcast' }, new Uint8Array(frames.length), 0);
    if (sequence) this.#seqId = (this.#seqId + 1) & 0xff; // fix: every sequence gets its own seq_id
    for (const iface of ifaces) {
      for (const f of frames) {
        if (iface.radio.broadcast(f)) this.counters.inc('tx_frames');
        else this.counters.inc('radio_refused');
      }
    }
    return ok({ schemaId: schema.id, frames: frames.length, sequence });
  }

  /**
   * Send `blob` to a node: directly when it is a peer, else routed toward its address (given,
   * or the newest known route address in one of our trees). Single packets are retried every
   * 2 s up to 3 times until acked; sequences ask an ack of every fragment and resend the
   * missing ones on the same timer (fix: upstream never retries or caches unicast sequences).
   */
  send(appId: Uint8Array, blob: Uint8Array, target: SendTarget, options: SendOptions = {}): Result<SendReport> {
    this.#hooks.call('send', appId, blob, target.nodeId, target.address);
    const metric = options.metric ?? Metric.dTree;
    const retries = options.retries ?? this.timings.sendRetryCount;
    const plan = this.#plan(target, metric);
    if (!plan.ok) return this.#refused(plan);
    const { dest, purpose, ids, route } = plan.value;
    const framed = frameBlob(
      this.#platform,
      purpose,
      ids,
      appId,
      blob,
      { packetId: this.#packetId, seqId: this.#seqId },
      route,
      { dcpl: purpose === 'routed' && metric === Metric.dCPL, askEveryFragment: this.#askEveryFragment },
    );
    if (!framed.ok) return this.#refused(framed);
    const { schema, frames, sequence } = framed.value;
    if (sequence) {
      const seqId = this.#seqId;
      this.#seqId = (this.#seqId + 1) & 0xff; // fix: unicast sequences get their own seq_id
      const awaiting = new Uint8Array(frames.length);
      for (let i = 0; i < frames.length; i++) awaiting[i] = hasFlag(frames[i][3], 'ask') ? 1 : 0;
      this.#rememberSequence(seqId, frames, dest, awaiting, retries);
      for (const f of frames) this.#toDestination(f, dest);
      this.#scheduleSequenceRetry(seqId);
    } else {
      const packetId = this.#packetId;
      const entry: OutboundPacket = { frame: frames[0], dest, appId: appId.slice(), blob: blob.slice(), target, metric, retries, acked: false };
      this.#packetCache.add(String(packetId), entry, this.timings.outboundTtlMs);
      this.#toDestination(frames[0], dest);
      // After transmitting, as upstream: an RNS sent meanwhile for a sleeping peer takes the same id.
      this.#packetId = (this.#packetId + 1) & 0xff;
      this.schedule('RP' + packetId, this.timings.sendRetryDelayMs, () => this.#retrySend(packetId));
    }
    return ok({ schemaId: schema.id, frames: frames.length, sequence });
  }

  // ---------------------------------------------------------------- receiving

  /**
   * Handle one frame from `iface` (radios call this through `onReceive`). Never throws: bad
   * frames are dropped and counted under `drop_<reason>`.
   */
  receive(frame: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    try {
      this.#receive(frame, iface, mac);
    } catch {
      this.counters.inc('receive_error');
    }
  }

  #receive(frame: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    this.counters.inc('rx_frames');
    const parsed = parsePacket(frame);
    if (!parsed.ok) {
      this.counters.inc(`drop_${parsed.error.code}`);
      return;
    }
    const p = parsed.value;
    if (!checksumValid(this.#platform, p)) {
      this.counters.inc('drop_checksum_mismatch'); // fix: upstream never checks
      return;
    }
    this.#hooks.call('receive', p, iface, mac);
    this.#skipSleep();
    const srcKey = this.#byLink.get(linkKey(mac, iface));
    const src = srcKey === undefined ? undefined : this.#peers.get(srcKey);
    if (src) {
      src.lastRx = this.#platform.now(); // fix: any frame shows the peer is awake (§9.2 item 13)
      if (src.queue.length) this.#flush(src);
    }
    if (p.toAddr && p.treeState !== undefined && !this.#isOwn(p.treeState, p.toAddr)) {
      this.#forward(p);
      return;
    }
    const encoded = encodedValue(p.flags);
    if (encoded === Encoded.ack) return this.#onAck(p, src); // fix: never a fragment
    if (encoded === Encoded.rtx) return this.#onRtx(p, src, iface, mac);
    if (encoded === Encoded.nia) return this.#onNia(p, src, iface, mac);
    if (encoded === Encoded.rns) return this.#onRns(p, src, iface, mac);
    if (p.seqId !== undefined && p.seqSize !== undefined) return this.#onFragment(p, src, iface, mac);
    const asked = encoded === Encoded.ask;
    if (asked) this.#ack(p, src, iface, mac);
    if (asked && p.body.length >= 32) {
      const key = originKey(p, src, iface, mac) + '/' + toHex(p.body.subarray(0, 32));
      if (this.#recent.seen(key, this.#platform.now(), this.timings.duplicateWindowMs)) {
        this.counters.inc('duplicate_packet');
        return;
      }
    }
    this.#deliver(p.body, iface, mac, src, p, true);
  }

  #onAck(p: Packet, src: Peer | undefined): void {
    this.counters.inc('rx_acks');
    if (p.seqId !== undefined) {
      const seq = this.#seqCache.get(String(p.seqId));
      if (!seq || seq.dest.kind === 'broadcast' || !this.#fromDestination(seq.dest, p, src) || p.seqSize !== seq.frames.length - 1) {
        this.counters.inc('ack_unmatched');
        return;
      }
      if (seq.awaiting[p.packetId]) {
        seq.awaiting[p.packetId] = 0;
        seq.awaitingCount--;
        seq.progressed = true;
        if (seq.awaitingCount === 0) {
          // Everything arrived: no resend or RTX will be needed, free the cache slot.
          this.cancel('RS' + seq.seqId);
          this.#seqCache.delete(String(seq.seqId));
          this.#seqCacheBytes -= seq.bytes;
        }
      }
      return;
    }
    const entry = this.#packetCache.get(String(p.packetId));
    if (!entry || !this.#fromDestination(entry.dest, p, src)) {
      this.counters.inc('ack_unmatched');
      return;
    }
    entry.acked = true;
    this.cancel('RP' + p.packetId);
    this.#packetCache.delete(String(p.packetId)); // delivered: free the slot for packets still in flight
  }

  /** Serve a retransmission request (fix: both upstream paths are broken, §9.2 item 3). */
  #onRtx(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (p.seqId !== undefined) {
      const seq = this.#seqCache.get(String(p.seqId));
      const frame = seq?.frames[p.packetId];
      if (!seq || !frame || p.seqSize !== seq.frames.length - 1 || (seq.dest.kind !== 'broadcast' && !this.#fromDestination(seq.dest, p, src))) {
        this.counters.inc('rtx_unknown');
        return;
      }
      this.counters.inc('rtx_served');
      if (seq.dest.kind === 'broadcast') this.#reply(frame, src, iface, mac);
      else this.#toDestination(frame, seq.dest);
      return;
    }
    const entry = this.#packetCache.get(String(p.packetId));
    if (!entry || !this.#fromDestination(entry.dest, p, src)) {
      this.counters.inc('rtx_unknown');
      return;
    }
    this.counters.inc('rtx_served');
    this.#toDestination(entry.frame, entry.dest);
  }

  #onNia(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (!src) {
      this.counters.inc('drop_nia_unknown_peer');
      return;
    }
    this.#hooks.call('receive:nia', p, iface, mac);
    this.cancel('rns' + src.key + iface.key);
    src.lastRx = this.#platform.now();
    this.#flush(src);
  }

  #onRns(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (!mac) {
      this.counters.inc('drop_rns_no_mac');
      return;
    }
    // fix: upstream ignores an RNS from a node it has not (yet) taken as a peer. Over a link
    // heard one way first, that sender then drops its whole queue as "asleep". NIA costs one
    // tiny frame and reveals nothing, so strangers get an answer too.
    if (!src) this.counters.inc('rns_from_stranger');
    this.#hooks.call('receive:rns', p, iface, mac);
    const nia = frameControl(this.#platform, iface.radio.schemaIds[0], 'nia', this.#nextPacketId());
    if (!nia.ok) {
      this.counters.inc('nia_unsupported');
      return;
    }
    if (iface.radio.send(mac, nia.value)) this.counters.inc('tx_frames');
    else this.counters.inc('radio_refused');
  }

  #onFragment(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const schema = getSchema(p.schemaId) as Schema;
    const seqId = p.seqId as number;
    const count = (p.seqSize as number) + 1;
    const origin = originKey(p, src, iface, mac);
    const key = origin + '/' + seqId;
    const now = this.#platform.now();
    const asked = encodedValue(p.flags) === Encoded.ask;
    // The check byte costs a CRC: only fragments of a recently completed sequence need it.
    const seen = this.#completed.has(key) ? this.#completed.classify(key, count, p.packetId, this.#platform.crc32(p.body) & 0xff, now) : 'unknown';
    if (seen === 'duplicate') {
      this.counters.inc('duplicate_fragment');
      if (asked) this.#ack(p, src, iface, mac);
      return;
    }
    let entry = this.#inbound.get(key);
    if (entry && entry.reassembly.count !== count) {
      // The same origin reused the seq_id for a new sequence (upstream does for every unicast).
      this.#inbound.delete(key);
      this.cancel('SS' + key);
      entry = undefined;
    }
    if (!entry) {
      const started = Reassembly.start(schema, seqId, count - 1, this.limits.inboundSequenceBytes);
      if (!started.ok) {
        this.counters.inc('drop_sequence_too_large');
        return;
      }
      const route =
        p.fromAddr && p.toAddr && p.treeState !== undefined
          ? { treeState: p.treeState, fromAddr: p.fromAddr.slice(), toAddr: p.toAddr.slice(), dcpl: hasFlag(p.flags, 'mode') }
          : undefined;
      const fresh: InboundSequence = {
        key,
        origin,
        reassembly: started.value,
        reserved: count * schema.maxBody,
        iface,
        mac: mac?.slice(),
        peerKey: src?.key,
        route,
        retries: this.timings.seqSyncRetries,
        updated: now,
      };
      const admitted = this.#inbound.admit(fresh, now, this.timings.seqSyncDelayMs);
      if (!admitted.admitted) {
        this.counters.inc('drop_inbound_full');
        return;
      }
      for (const e of admitted.evicted) {
        this.cancel('SS' + e.key);
        this.counters.inc('inbound_evicted');
      }
      entry = fresh;
    }
    const before = entry.reassembly.received;
    const added = entry.reassembly.add(p.packetId, p.body);
    if (!added.ok) {
      this.counters.inc(`drop_${added.error.code}`);
      return;
    }
    if (entry.reassembly.received > before) {
      entry.retries = this.timings.seqSyncRetries;
      entry.updated = now;
    }
    if (asked) this.#ack(p, src, iface, mac);
    if (added.value) {
      const data = entry.reassembly.assemble() as Uint8Array;
      this.#inbound.delete(key);
      this.cancel('SS' + key);
      this.#completed.remember(key, count, this.#fragmentChecks(data, schema.maxBody, count), now + this.timings.outboundTtlMs);
      this.#deliver(data, iface, mac, src, p, false);
      return;
    }
    const k = key;
    this.schedule('SS' + k, this.timings.seqSyncDelayMs, () => this.#syncSequence(k));
  }

  #fragmentChecks(data: Uint8Array, maxBody: number, count: number): Uint8Array {
    const checks = new Uint8Array(count);
    for (let i = 0; i < count; i++) checks[i] = this.#platform.crc32(data.subarray(i * maxBody, (i + 1) * maxBody)) & 0xff;
    return checks;
  }

  /** Ask the origin for missing fragments; give up after `seqSyncRetries` rounds without progress. */
  #syncSequence(key: string): void {
    const entry = this.#inbound.get(key);
    if (!entry) return;
    this.#hooks.call('sync_sequence', entry.reassembly.seqId);
    if (entry.retries <= 0) {
      this.#inbound.delete(key);
      this.counters.inc('sequence_abandoned');
      return;
    }
    const r = entry.reassembly;
    for (const index of r.missing(this.limits.rtxPerRound)) {
      const rtx: Packet = {
        schemaId: r.schema.id,
        flags: withEncoded(entry.route?.dcpl ? setFlag(0, 'mode', true) : 0, Encoded.rtx),
        packetId: index,
        seqId: r.seqId,
        seqSize: r.count - 1,
        body: new Uint8Array(0),
      };
      if (entry.route) {
        // fix: upstream builds these without routing fields and crashes (§9.2 item 7)
        rtx.ttl = TTL_START;
        rtx.treeState = entry.route.treeState;
        rtx.toAddr = entry.route.fromAddr;
        rtx.fromAddr = entry.route.toAddr;
      }
      if (r.schema.hasChecksum) rtx.checksum = bodyChecksum(this.#platform, rtx.body);
      const frame = serializePacket(rtx);
      if (!frame.ok) break;
      this.counters.inc('rtx_requested');
      const peer = entry.peerKey === undefined ? undefined : this.#peers.get(entry.peerKey);
      if (entry.route) this.#sendRouted(frame.value, rtx, peer);
      else this.#reply(frame.value, peer, entry.iface, entry.mac);
    }
    entry.retries--;
    this.schedule('SS' + key, this.timings.seqSyncDelayMs, () => this.#syncSequence(key));
  }

  #deliver(pkgBytes: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined, src: Peer | undefined, p: Packet, copy: boolean): boolean {
    const parsed = parsePackage(pkgBytes);
    if (!parsed.ok) {
      this.counters.inc(`drop_package_${parsed.error.code}`);
      return false;
    }
    const pkg = parsed.value;
    this.#hooks.call('deliver', pkg, iface, mac);
    if (!verifyPackage(this.#platform, pkg)) {
      this.#hooks.call('deliver:checksum_failed', pkg, iface, mac);
      this.counters.inc('drop_half_hash');
      return false;
    }
    const app = this.#apps.get(toHex(pkg.appId));
    if (!app) {
      this.#hooks.call('deliver:checksum_failed', pkg, iface, mac);
      this.counters.inc('drop_unknown_app');
      return false;
    }
    this.#hooks.call('deliver:receive', pkg, iface, mac);
    let from: Address | undefined;
    if (p.fromAddr && p.treeState !== undefined) {
      const a = Address.fromBytes(p.treeState, p.fromAddr);
      if (a.ok) from = a.value;
    }
    try {
      const hops = mac === undefined ? 0 : p.ttl === undefined ? 1 : TTL_START + 1 - p.ttl;
      app.receive(copy ? pkg.blob.slice() : pkg.blob, { iface, mac, peer: src, from, hops } satisfies Delivery);
      this.counters.inc('delivered');
      return true;
    } catch {
      this.#hooks.call('deliver:receive_failed', pkg, iface, mac);
      this.counters.inc('app_error');
      return false;
    }
  }

  // ---------------------------------------------------------------- forwarding

  /** Relay a packet addressed to someone else (protocol.md §4.8). */
  #forward(p: Packet): void {
    this.#hooks.call('send_packet', p, undefined);
    const ts = p.treeState as number;
    const to = Address.fromBytes(ts, p.toAddr as Uint8Array);
    const from = Address.fromBytes(ts, p.fromAddr as Uint8Array);
    if (!to.ok || !from.ok) {
      this.counters.inc('drop_bad_address');
      return;
    }
    const metric = hasFlag(p.flags, 'mode') ? Metric.dCPL : Metric.dTree;
    let error = hasFlag(p.flags, 'error');
    const toOwner = this.#routes.get(to.value)?.nodeKey;
    const fromOwner = this.#routes.get(from.value)?.nodeKey;
    if (p.ttl === undefined) {
      // One-hop relay schemas: bounce toward the origin when the destination is not a neighbour.
      if (!error && !(toOwner !== undefined && this.#peers.has(toOwner))) error = true;
      if (error && !(fromOwner !== undefined && this.#peers.has(fromOwner))) {
        this.counters.inc('drop_relay_no_route');
        return;
      }
    } else {
      const ttl = error ? p.ttl + 1 : p.ttl - 1;
      if ((!error && ttl <= 0) || (error && ttl >= 255)) {
        this.counters.inc('drop_ttl_expired');
        return;
      }
      p.ttl = ttl;
    }
    p.flags = setFlag(p.flags, 'error', error);
    const target = error ? from.value : to.value;
    const excluded = error ? toOwner : fromOwner;
    const exclude = new Set<string>();
    if (excluded !== undefined) exclude.add(excluded);
    const r = this.#nextHop(target, metric, exclude);
    if (!('hop' in r)) {
      this.counters.inc(r.reason === 'local_minimum' ? 'drop_local_minimum' : 'drop_no_next_hop');
      return;
    }
    const frame = serializePacket(p);
    if (!frame.ok) {
      this.counters.inc(`drop_${frame.error.code}`);
      return;
    }
    const link = r.hop.peer.bestLink();
    if (!link) {
      this.counters.inc('drop_no_link');
      return;
    }
    this.counters.inc('forwarded');
    this.#sendDatagram(frame.value, r.hop.peer, link);
  }

  #nextHop(to: Address, metric: Metric, exclude: ReadonlySet<string>) {
    const own = this.#addrs.find((a) => a.treeState === to.treeState);
    return nextHop(to, metric, this.#peers.values(), this.#routes, (k) => this.#peers.get(k), exclude, own);
  }

  // ---------------------------------------------------------------- transmission

  #plan(target: SendTarget, metric: Metric): Result<{ dest: Destination; purpose: Purpose; ids: number[]; route?: RouteFields }> {
    if (!target.nodeId && !target.address) return fail('bad_argument', 'send needs a node id or an address');
    const peer = target.nodeId ? this.#peers.get(toHex(target.nodeId)) : undefined;
    if (peer && peer.links.length) {
      return ok({ dest: { kind: 'peer', peer }, purpose: 'direct', ids: intersectSchemaIds(peer.links.map((l) => l.iface.radio.schemaIds)) });
    }
    let to = target.address;
    if (!to && target.nodeId) {
      const known = this.#routes.addressesOf(toHex(target.nodeId));
      // fix: prefer an address in one of our trees, newest first (upstream takes the oldest, §9.2 item 8)
      to = [...known].reverse().find((a) => this.#addrs.some((o) => o.treeState === a.treeState)) ?? known[known.length - 1];
    }
    if (!to) return fail('no_route', `node ${target.nodeId ? toHex(target.nodeId).slice(0, 16) : '?'}… is neither a peer nor a known route`);
    if (this.isOwnAddress(to)) return fail('no_route', `${to.toString()} is this node's own address`);
    const from = this.#addrs.find((a) => a.treeState === to.treeState); // fix: same tree as the target (§9.2 item 11)
    if (!from) return fail('no_address', `this node has no address in tree ${to.treeState}`);
    const r = this.#nextHop(to, metric, NO_EXCLUSIONS);
    if (!('hop' in r)) return fail('no_route', r.reason === 'local_minimum' ? `no neighbour is closer to ${to.toString()} than this node` : `no neighbour in tree ${to.treeState}`);
    return ok({
      dest: { kind: 'routed', to, metric },
      purpose: 'routed',
      ids: intersectSchemaIds(r.hop.peer.links.map((l) => l.iface.radio.schemaIds)),
      route: { to, from },
    });
  }

  /** Put a frame on its way to a unicast destination (the next hop is chosen now). */
  #toDestination(frame: Uint8Array, dest: Destination): void {
    if (dest.kind === 'peer') {
      if (!this.#peers.has(dest.peer.key)) {
        this.counters.inc('drop_peer_gone');
        return;
      }
      const link = dest.peer.bestLink();
      if (link) this.#sendDatagram(frame, dest.peer, link);
      else this.counters.inc('drop_no_link');
      return;
    }
    if (dest.kind === 'routed') {
      const r = this.#nextHop(dest.to, dest.metric, NO_EXCLUSIONS);
      const link = 'hop' in r ? r.hop.peer.bestLink() : undefined;
      if (!('hop' in r) || !link) {
        this.counters.inc('drop_no_next_hop');
        return;
      }
      this.#sendDatagram(frame, r.hop.peer, link);
    }
  }

  /**
   * Send an addressed packet we built (RTX, ack) greedily toward its to_addr, or via `fallback`
   * (the last hop it came from) when no neighbour is closer. Upstream hands acks to the last hop,
   * which need not be closer to the origin by the packet's metric: the ack then dies at a local
   * minimum there.
   */
  #sendRouted(frame: Uint8Array, p: Packet, fallback: Peer | undefined): void {
    const to = Address.fromBytes(p.treeState as number, p.toAddr as Uint8Array);
    let peer: Peer | undefined;
    if (to.ok) {
      const r = this.#nextHop(to.value, hasFlag(p.flags, 'mode') ? Metric.dCPL : Metric.dTree, NO_EXCLUSIONS);
      if ('hop' in r) peer = r.hop.peer;
    }
    peer ??= fallback;
    const link = peer?.bestLink();
    if (!peer || !link) {
      this.counters.inc('drop_no_next_hop');
      return;
    }
    this.#sendDatagram(frame, peer, link);
  }

  /** Answer the sender of a frame on the link it came from. */
  #reply(frame: Uint8Array, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (src) {
      const link = src.bestLink(iface) ?? src.bestLink();
      if (link) this.#sendDatagram(frame, src, link);
      return;
    }
    if (!mac) {
      // The loopback: our own frame came back.
      if (iface.radio.send(BROADCAST_MAC, frame)) this.counters.inc('tx_frames');
      return;
    }
    if (iface.radio.send(mac, frame)) this.counters.inc('tx_frames');
    else this.counters.inc('radio_refused');
  }

  #ack(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const ack = frameAck(this.#platform, p);
    if (!ack.ok) {
      this.counters.inc('ack_unbuildable');
      return;
    }
    this.counters.inc('tx_acks');
    if (p.toAddr && p.fromAddr && p.treeState !== undefined && mac !== undefined) {
      const back = parsePacket(ack.value);
      if (back.ok) return this.#sendRouted(ack.value, back.value, src);
    }
    this.#reply(ack.value, src, iface, mac);
  }

  /** upstream `_send_datagram`: send now if the peer is awake, else queue and wake it with RNS. */
  #sendDatagram(frame: Uint8Array, peer: Peer, link: Link): void {
    this.#hooks.call('_send_datagram', frame, peer);
    this.#skipSleep();
    if (peer.canTx(this.#platform.now(), this.timings.peerAwakeMs)) {
      if (link.iface.radio.send(link.mac ?? BROADCAST_MAC, frame)) this.counters.inc('tx_frames');
      else this.counters.inc('radio_refused');
      return;
    }
    if (peer.queue.length >= this.limits.peerQueue) {
      peer.queue.shift();
      this.counters.inc('drop_peer_queue_full');
    }
    peer.queue.push({ frame, link });
    this.#rns(peer, link.iface);
  }

  /** Request Node Status: up to 4 probes 36 ms apart until the peer answers NIA. */
  #rns(peer: Peer, iface: AttachedInterface, retries?: number): void {
    const id = 'rns' + peer.key + iface.key;
    if (retries === undefined) {
      if (this.#scheduler.has(id)) return; // already probing: do not restart the count
      retries = this.timings.rnsProbes;
    }
    this.#hooks.call('rns', peer.id, iface.id, retries);
    if (!this.#peers.has(peer.key)) return;
    if (retries < 1) {
      this.counters.inc('drop_peer_asleep', peer.queue.length);
      peer.queue.length = 0;
      return;
    }
    const left = retries - 1;
    this.schedule(id, this.timings.rnsIntervalMs, () => this.#rns(peer, iface, left));
    const link = peer.bestLink(iface);
    const rns = frameControl(this.#platform, iface.radio.schemaIds[0], 'rns', this.#nextPacketId());
    if (!link || !rns.ok) return;
    if (iface.radio.send(link.mac ?? BROADCAST_MAC, rns.value)) this.counters.inc('tx_frames');
  }

  #flush(peer: Peer): void {
    const now = this.#platform.now();
    while (peer.queue.length && peer.canTx(now, this.timings.peerAwakeMs)) {
      const q = peer.queue.shift() as { frame: Uint8Array; link: Link };
      if (q.link.iface.radio.send(q.link.mac ?? BROADCAST_MAC, q.frame)) this.counters.inc('tx_frames');
      else this.counters.inc('radio_refused');
    }
  }

  #retrySend(packetId: number): void {
    const key = String(packetId);
    const entry = this.#packetCache.get(key);
    if (!entry || entry.acked) return;
    this.#packetCache.delete(key);
    if (entry.retries <= 0) {
      this.counters.inc('send_unacked');
      return;
    }
    this.counters.inc('send_retries');
    const r = this.send(entry.appId, entry.blob, entry.target, { metric: entry.metric, retries: entry.retries - 1 });
    if (!r.ok) this.counters.inc('send_retry_failed');
  }

  #scheduleSequenceRetry(seqId: number): void {
    this.schedule('RS' + seqId, this.timings.sendRetryDelayMs, () => this.#retrySequence(seqId));
  }

  /** Resend the fragments whose ack has not come; stop after `retries` rounds without progress. */
  #retrySequence(seqId: number): void {
    const seq = this.#seqCache.get(String(seqId));
    if (!seq || seq.awaitingCount === 0) return;
    if (seq.progressed) {
      seq.progressed = false;
      seq.retries = seq.retryBudget; // progress resets the count, as upstream's receiver does
    } else if (--seq.retries < 0) {
      this.counters.inc('sequence_unacked');
      return;
    }
    for (let i = 0; i < seq.frames.length; i++) {
      if (seq.awaiting[i]) {
        this.counters.inc('fragment_resent');
        this.#toDestination(seq.frames[i], seq.dest);
      }
    }
    this.#scheduleSequenceRetry(seqId);
  }

  #rememberSequence(seqId: number, frames: Uint8Array[], dest: Destination, awaiting: Uint8Array, retries: number): OutboundSequence {
    let bytes = 0;
    for (const f of frames) bytes += f.length;
    const old = this.#seqCache.get(String(seqId));
    if (old) {
      this.#seqCache.delete(String(seqId));
      this.#seqCacheBytes -= old.bytes;
    }
    let awaitingCount = 0;
    for (const a of awaiting) awaitingCount += a;
    const entry: OutboundSequence = { seqId, frames, dest, awaiting, awaitingCount, retryBudget: retries, retries, progressed: false, bytes };
    this.#seqCache.add(String(seqId), entry, this.timings.outboundTtlMs);
    this.#seqCacheBytes += bytes;
    while (this.#seqCacheBytes > this.limits.sequenceCacheBytes && this.#seqCache.size > 1) {
      const oldest = this.#seqCache.keys()[0];
      const e = this.#seqCache.get(oldest);
      this.#seqCache.delete(oldest);
      if (e) this.#seqCacheBytes -= e.bytes;
      this.counters.inc('outbound_sequence_evicted');
    }
    return entry;
  }

  /** True when `p` (an ack or RTX) comes from the destination of what we sent. */
  #fromDestination(dest: Destination, p: Packet, src: Peer | undefined): boolean {
    if (dest.kind === 'peer') return src !== undefined && src.key === dest.peer.key;
    if (dest.kind === 'routed') return p.fromAddr !== undefined && p.treeState === dest.to.treeState && bytesEqual(p.fromAddr, dest.to.bytes);
    return true;
  }

  #isOwn(treeState: number, bytes: Uint8Array): boolean {
    for (const a of this.#addrs) if (a.treeState === treeState && bytesEqual(a.bytes, bytes)) return true;
    return false;
  }

  #nextPacketId(): number {
    const id = this.#packetId;
    this.#packetId = (this.#packetId + 1) & 0xff;
    return id;
  }

  #refused<T>(r: Result<unknown>): Result<T> {
    if (!r.ok) this.counters.inc(`send_refused_${r.error.code}`);
    return r as Result<T>;
  }

  #dropPeer(peer: Peer): void {
    this.#peers.delete(peer.key);
    for (const l of peer.links) {
      const lk = linkKey(l.mac, l.iface);
      if (this.#byLink.get(lk) === peer.key) this.#byLink.delete(lk);
      this.cancel('rns' + peer.key + l.iface.key);
    }
    for (const a of peer.addrs) this.#routes.remove(a);
    this.#routes.removeNode(peer.key);
    peer.queue.length = 0;
  }

  #evictPeer(): void {
    let victim: Peer | undefined;
    for (const p of this.#peers.values()) if (!victim || p.lastRx < victim.lastRx) victim = p;
    if (!victim) return;
    this.#hooks.call('remove_peer', victim.id);
    this.#dropPeer(victim);
    this.counters.inc('peer_evicted');
  }

  // ---------------------------------------------------------------- modem sleep support

  /** Traffic asks the modem-sleep cycle to stay awake one more period (upstream's sleepskip). */
  #skipSleep(): void {
    if (this.#sleepSkips < this.limits.sleepSkips) this.#sleepSkips++;
  }

  /** Consume one sleep-skip; false when none is queued (the radio may sleep). */
  takeSleepSkip(): boolean {
    if (this.#sleepSkips === 0) return false;
    this.#sleepSkips--;
    return true;
  }

  get pendingSleepSkips(): number {
    return this.#sleepSkips;
  }

  // ---------------------------------------------------------------- life cycle and stats

  /** Cancel every timer and forget all state except the node id, interfaces and apps. */
  reset(): void {
    this.#scheduler.cancelAll();
    this.#peers.clear();
    this.#byLink.clear();
    this.#routes.clear();
    this.#banned.clear();
    this.#addrs.length = 0;
    this.#packetCache.clear();
    this.#seqCache.clear();
    this.#seqCacheBytes = 0;
    this.#inbound.clear();
    this.#completed.clear();
    this.#recent.clear();
    this.#sleepSkips = 0;
  }

  /** Stop all timers and detach the radios. */
  close(): void {
    this.#scheduler.cancelAll();
    for (const i of this.#ifaces.slice()) this.removeInterface(i.radio);
  }

  /** Sizes of every bounded table, with their caps. */
  sizes(): Record<string, { size: number; limit: number }> {
    return {
      peers: { size: this.#peers.size, limit: this.limits.peers },
      routes: { size: this.#routes.size, limit: this.limits.routes },
      banned: { size: this.#banned.size, limit: this.limits.banned },
      events: { size: this.#scheduler.size, limit: this.limits.events },
      packetCache: { size: this.#packetCache.size, limit: this.limits.packetCache },
      sequenceCache: { size: this.#seqCache.size, limit: this.limits.sequenceCache },
      sequenceCacheBytes: { size: this.#seqCacheBytes, limit: this.limits.sequenceCacheBytes },
      inbound: { size: this.#inbound.size, limit: this.limits.inboundTotal },
      inboundBytes: { size: this.#inbound.reservedBytes, limit: this.limits.inboundTotalBytes },
      peerQueues: { size: [...this.#peers.values()].reduce((n, p) => n + p.queue.length, 0), limit: this.limits.peerQueue * this.limits.peers },
    };
  }
}

function linkKey(mac: Uint8Array | undefined, iface: AttachedInterface): string {
  return iface.key + '/' + (mac ? toHex(mac) : '-');
}

/** Who originated a packet, for keying inbound sequences and duplicates. */
function originKey(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): string {
  if (p.fromAddr && p.treeState !== undefined) return 'a' + p.treeState + ':' + toHex(p.fromAddr);
  if (src) return 'p' + src.key;
  return 'm' + iface.key + ':' + (mac ? toHex(mac) : '-');
}
