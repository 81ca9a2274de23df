/**
 * Gossip (protocol.md §6.2): flooding with de-duplication, NOTIFY/REQUEST for messages too large
 * to re-flood, and anti-entropy (REQUEST_IDS / RESPOND_IDS) with new peers and every 20 s.
 * Subscribed apps receive published data through their `receive`, with `delivery.topic` set.
 * Bounded: 512 seen ids for an hour (gossip-seen.ts: a flood evicts only the flooder's), 100 cached messages for 300 s and at most `cache_bytes` (gossip-cache.ts),
 * 64 topics. A large message that cannot be cached is refused by `publish`, and when received is
 * delivered but not announced: it could not be served to those who ask.
 *
 * A new peer is asked at once for its ids (upstream), except before our own first round: that
 * round, at most `start_delay` s away, asks every peer met by then.
 *
 * Beyond upstream, both compatible on the air (each can be set back to upstream's behaviour):
 * - the periodic sync backs off like a Trickle timer (RFC 6206): the delay doubles from 20 s up
 *   to `sync_max_delay` s while rounds bring nothing new, and drops back to 20 s when a new
 *   message arrives on a topic the sync asks about (a subscribed one whose subscriber did not
 *   opt out: a StoreForward WHERE is a question, not state to reconcile), at most once per
 *   `sync_reset_gap` s. Upstream asks every peer every 20 s forever, which is half of all frames
 *   in a quiet mesh (a REQUEST_IDS and a RESPOND_IDS per peer and topic, each with its ACK);
 *   restarting on every new message of any topic made a mesh powered on at once (every node
 *   gossiping its first address) sync at the fastest rate for as long as it formed (issue 17).
 * - a REQUEST_IDS is not answered when we hold nothing on that topic (`respond_empty_ids`):
 *   an empty RESPOND_IDS makes the requester do nothing, so it is pure airtime.
 * - a re-flood's echo is suppressed once the message was heard `relay_redundancy` times, and
 *   re-floods are limited to `relay_rate` a second per neighbour (gossip-relay.ts): upstream's
 *   rule sends every message twice from every node.
 * - while every peer speaks Hello, a sync round asks them all by one broadcast REQUEST_IDS per
 *   topic (`sync_broadcast`), not a unicast and its ack per peer: at degree 10 the rounds of a
 *   mesh powered on at once were a sixth of its first minutes' control bytes, and nearly all of
 *   them asked about topics where nobody held anything yet. Each neighbour answers to the node
 *   id the request carries (as upstream does for a unicast), only when it holds something; a
 *   lost broadcast costs one round, and the next asks again. A peer without Hello (upstream)
 *   brings the unicasts back, so upstream neighbours see upstream's sync.
 */
import { GOSSIP_APP_DEFAULTS, type GossipParams } from './gossip-params.js';
import { MeshApp } from './app.js';
import { GossipOp, TOPIC_BYTES, gossipMessageId, isLargeGossip, parseGossip, serializeGossip, type GossipMessage } from '../wire/messages/gossip.js';
import { concatBytes, copyBytes, fromHex, toHex } from '../wire/bytes.js';
import { GossipCache, isLargeMessage } from './gossip-cache.js';
import { AppRelayHost, GossipRelay, UNKNOWN_SENDER } from './gossip-relay.js';
import { SeenIds } from './gossip-seen.js';
import type { Hashes } from '../platform/platform.js';
import type { NodeSlots } from '../packager/node-slots.js';
import type { Delivery } from '../packager/application.js';

export type { GossipParams } from './gossip-params.js';

const EMPTY = new Uint8Array(0);
/** Recent answers remembered to ignore a REQUEST's echo; the oldest is forgotten. */
const ANSWERED_LIMIT = 32;

export class Gossip extends MeshApp<GossipParams> {
  readonly #hashes: Hashes;
  /** `quiet`: the subscribers whose topic's news does not restart the sync (subscribe's `resync` false). */
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #seen: SeenIds;
  #cache: GossipCache | undefined;
  readonly #relay: GossipRelay;
  /** Requester ‖ message id (hex) → when answered: a REQUEST and its echo get one answer. */
  // Made on the first set: empty until then costs nothing (issue 21).
  #answered: Map<string, number> | undefined;
  /** Current delay to the next sync round, s (Trickle-style back-off). */
  #syncDelay = 0;
  /** When news last brought the sync back to its base rate (platform ms). */
  #resetAt = -Infinity;
  /** When we started (platform ms): the first round, start_delay later, asks every peer met by then. */
  #startedAt = 0;

  constructor(hashes: Hashes, params: Partial<GossipParams> = {}) {
    super(hashes, 'Gossip', 'Dev Gossip App', 0, GOSSIP_APP_DEFAULTS, params);
    this.#hashes = hashes;
    this.#seen = new SeenIds(this.params.seen_limit, this.params.seen_ttl_s * 1000, this);
    this.#relay = new GossipRelay(new AppRelayHost(this));
  }

  /** The Packager's key index, where the seen ids' owners keep their keys (gossip-seen.ts). */
  nodeSlots(): NodeSlots {
    return this.packager.nodeSlots;
  }

  protected override exposeCallbacks(): void {
    this.expose('publish', (topic: Uint8Array, data: Uint8Array) => this.publish(topic, data));
    this.expose('subscribe', (topic: Uint8Array, app: Uint8Array) => this.subscribe(topic, app));
    this.expose('unsubscribe', (topic: Uint8Array, app: Uint8Array) => this.unsubscribe(topic, app));
    this.expose('sync', () => this.sync());
    this.expose('get_seen', () => this.#seen.ids().map(toHex));
    this.expose('get_subscriptions', () => this.subscriptions());
  }

  protected override onStart(): void {
    this.#cache = new GossipCache(this.params.cache_limit, this.params.cache_bytes, this);
    this.packager.addHook('add_peer', this.greetPeer, this); // a method and its app: no closure (issue 21)
    this.#syncDelay = this.params.schedule_delay;
    this.#startedAt = this.node.platform.now();
    this.packager.schedule(this.idHex, this.params.start_delay * 1000, Gossip.#round, this);
  }

  protected override onStop(): void {
    this.packager.removeHook('add_peer', this.greetPeer, this);
    this.packager.cancel(this.idHex);
    this.#relay.clear();
  }

  // ------------------------------------------------------------------ API

  /** Flood `data` on `topic` (delivered to local subscribers too). False when refused: a large message must fit the cache to be served. */
  publish(topic: Uint8Array, data: Uint8Array): boolean {
    if (isLargeGossip(data) && this.#cache && !this.#cache.fits(1 + TOPIC_BYTES + data.length)) {
      this.packager.counters.inc('gossip_too_large');
      return false;
    }
    return this.deliverGossip({ op: GossipOp.PUBLISH, topic, data });
  }

  /**
   * Deliver messages on `topic` to the app with id `app`. False when the topic table is full.
   * `resync` false: news on the topic does not bring the sync back to its base rate for this
   * subscriber (messages that are questions or soon stale, not state neighbours must share).
   */
  subscribe(topic: Uint8Array, app: Uint8Array, resync = true): boolean {
    const s = this.subscription(topic);
    if (!s) return false;
    setSubscriber(s, toHex(app), resync ? 0 : QUIET);
    return true;
  }

  /**
   * Deliver messages on `topic` to `app`, flooded only: soft state its publishers repeat on their
   * own timer (tree borders). While every subscriber of the topic is such, its messages are
   * neither cached nor asked for by the sync, and their news never restarts it: an announcement
   * repeated anyway gains nothing from anti-entropy, whose RESPOND_IDS (16 bytes an id, every
   * peer, every round) cost more than the floods themselves (issue 17). `gate.admit(data, sender)`
   * false (an object, not a closure: issue 21): a message first heard from neighbour `sender` (a peer key, or UNKNOWN_SENDER) is
   * delivered here but not re-flooded (the subscriber's relay cap).
   */
  subscribeFlood(topic: Uint8Array, app: Uint8Array, gate?: FloodGate): boolean {
    const s = this.subscription(topic);
    if (!s) return false;
    setSubscriber(s, toHex(app), QUIET | FLOOD);
    s.gate = gate;
    return true;
  }

  private subscription(topic: Uint8Array): Subscription | undefined {
    const key = toHex(topic);
    let s = this.#subscriptions.get(key);
    if (!s) {
      if (this.#subscriptions.size >= this.params.topic_limit) return undefined;
      s = { apps: new Map(), quiet: 0, flood: 0, gate: undefined };
      this.#subscriptions.set(key, s);
    }
    return s;
  }

  unsubscribe(topic: Uint8Array, app: Uint8Array): void {
    const key = toHex(topic);
    const s = this.#subscriptions.get(key);
    if (!s) return;
    setSubscriber(s, toHex(app), undefined);
    if (s.apps.size === 0) this.#subscriptions.delete(key);
  }

  /** topic hex → subscribed app ids hex. */
  subscriptions(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [k, s] of this.#subscriptions) out[k] = [...s.apps.keys()];
    return out;
  }

  hasSeen(id: Uint8Array): boolean {
    return this.#seen.has(id);
  }

  /** Cached messages (serialized) on a topic. */
  messages(topic: Uint8Array): Uint8Array[] {
    return this.#cache?.messagesOn(topic) ?? [];
  }

  /** Bytes held by the message cache, each message with its entry's overhead (at most `cache_bytes`). */
  get cacheBytes(): number {
    return this.#cache?.bytes ?? 0;
  }

  /** Messages held by the cache, on every topic (at most `cache_limit`). */
  get cacheEntries(): number {
    return this.#cache?.size ?? 0;
  }

  /**
   * Ask every peer for the ids it holds on every subscribed topic: with `sync_broadcast` and
   * every peer speaking Hello, one broadcast per topic asks them all (see the header).
   */
  sync(): void {
    const peers = this.packager.peers;
    if (this.params.sync_broadcast && peers.length > 1 && peers.every((p) => p.link !== undefined)) {
      for (const [key, s] of this.#subscriptions) if (synced(s)) this.requestIds(topicOf(key));
      return;
    }
    for (const peer of peers) for (const [key, s] of this.#subscriptions) if (synced(s)) this.requestIds(topicOf(key), peer.id);
  }

  /**
   * Handle a gossip message as received or published here: de-duplicate, cache, hand to
   * subscribers, then re-flood small PUBLISHes or announce large messages with NOTIFY.
   * `sender`: the neighbour it came from (a peer or its key, or UNKNOWN_SENDER); undefined for
   * ours. A peer's key is read only for a new message: a Packager's peer makes it when asked.
   */
  deliverGossip(gm: GossipMessage, from?: string | { readonly key: string }, received?: Uint8Array): boolean {
    // A received message is its own serialization (parseGossip only splits it): it is hashed as
    // it came, and copied once it proves new; most copies of a flood are repeats (issue 21).
    let bytes: Uint8Array;
    if (received) bytes = received;
    else {
      const message = serializeGossip(gm);
      if (!message.ok) return false;
      bytes = message.value;
    }
    const id = gossipMessageId(this.#hashes, bytes);
    if (this.#seen.has(id)) {
      if (from !== undefined) this.#relay.heard(id);
      return false;
    }
    const idKey = toHex(id);
    const sender = typeof from === 'object' ? from.key : from;
    if (received) bytes = copyBytes(received);
    const large = isLargeGossip(gm.data);
    let cached = false;
    const seenEvicted = this.#seen.evicted;
    const sub = this.#subscriptions.get(toHex(gm.topic));
    if (gm.op === GossipOp.PUBLISH || gm.op === GossipOp.RESPOND) {
      this.#seen.add(id, sender);
      if (this.#seen.evicted > seenEvicted) this.packager.counters.inc('gossip_seen_evicted');
      const cache = sub && !synced(sub) ? undefined : this.#cache; // flooded only: nobody asks for it
      const evicted = cache?.evicted ?? 0;
      cached = cache?.add(idKey, bytes, this.params.cache_ttl_s * 1000) ?? false;
      if (cache && cache.evicted > evicted) this.packager.counters.inc('gossip_cache_evicted', cache.evicted - evicted);
      if (!cached && cache) this.packager.counters.inc('gossip_too_large');
    }
    if (sub && (gm.op === GossipOp.PUBLISH || gm.op === GossipOp.RESPOND) && sub.quiet < sub.apps.size) this.somethingNew();
    if (sub) {
      for (const appKey of sub.apps.keys()) {
        const id = fromHex(appKey);
        const app = id && this.packager.application(id); // the Packager's delivery map
        if (!app) continue;
        try {
          app.receive(gm.data.slice(), { iface: undefined, mac: undefined, peer: undefined, from: undefined, topic: gm.topic });
        } catch {
          this.packager.counters.inc('app_error');
        }
      }
    }
    if (gm.op === GossipOp.RESPOND && !large) return true;
    // A sleepy leaf relays nobody's gossip (it does not route: docs/sleep.md), but floods its own,
    // which its neighbours flood on: held back too, a leaf's address adverts never left it.
    if (this.node.modemSleep?.leaf && from !== undefined) return true;
    if (sender !== undefined && sub?.gate && !synced(sub) && !sub.gate.admit(gm.data, sender)) {
      this.packager.counters.inc('gossip_relay_refused');
      return true;
    }
    const eventId = (suffix: string) => this.eventId(suffix);
    if (large && cached) {
      const notify = serializeGossip({ op: GossipOp.NOTIFY, topic: gm.topic, data: id });
      if (notify.ok) this.#relay.flood('n' + idKey, notify.value, eventId, sender);
    } else if (gm.op === GossipOp.PUBLISH) this.#relay.flood(idKey, bytes, eventId, sender);
    return true;
  }

  // ------------------------------------------------------------------ receive

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    const parsed = parseGossip(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('gossip_bad_message');
      return;
    }
    const gm = parsed.value;
    const peer = from.peer;
    // Our own broadcasts come back on the loopback (no MAC): not a neighbour's copy.
    const sender = from.mac === undefined ? undefined : (peer ?? UNKNOWN_SENDER);
    switch (gm.op) {
      case GossipOp.REQUEST: {
        const cached = this.#cache?.get(toHex(gm.topic));
        const to = peer?.id ?? (gm.data.length === 32 ? gm.data : undefined);
        if (!cached || !to || !this.firstRequest(toHex(to) + toHex(gm.topic))) return;
        // A large answer is a sequence the Packager delivers reliably (acks, RTX): echoing it
        // would send the whole message twice. A small one keeps upstream's echo.
        if (isLargeMessage(cached)) this.packager.send(this.id, cached, { nodeId: to.slice() });
        else this.echoSend('r', to, relabel(cached, GossipOp.RESPOND));
        return;
      }
      case GossipOp.REQUEST_IDS: {
        const to = peer?.id ?? (gm.data.length === 32 ? gm.data : undefined);
        if (!to) return;
        const ids = (this.#cache?.keysOn(gm.topic) ?? []).map((k) => fromHex(k) as Uint8Array);
        if (ids.length === 0 && !this.params.respond_empty_ids) return;
        const respond = serializeGossip({ op: GossipOp.RESPOND_IDS, topic: gm.topic, data: ids.length ? concatBytes(...ids) : EMPTY });
        if (respond.ok) this.packager.send(this.id, respond.value, { nodeId: to });
        return;
      }
      case GossipOp.NOTIFY: {
        if (gm.data.length !== 16 || !peer) return;
        if (this.#cache?.get(toHex(gm.data)) || this.#seen.has(gm.data)) {
          if (sender !== undefined) this.#relay.heard(gm.data, true);
          return;
        }
        this.request(gm.data, peer.id);
        return;
      }
      case GossipOp.PUBLISH:
      case GossipOp.RESPOND:
        this.deliverGossip(gm, sender, blob);
        return;
      case GossipOp.RESPOND_IDS: {
        if (gm.data.length % 16 !== 0 || !peer) return;
        for (let o = 0; o < gm.data.length; o += 16) {
          const id = gm.data.subarray(o, o + 16);
          if (!this.#seen.has(id)) this.request(id.slice(), peer.id);
        }
        return;
      }
    }
  }

  // ------------------------------------------------------------------ sending

  private request(messageId: Uint8Array, peerId: Uint8Array): void {
    const m = serializeGossip({ op: GossipOp.REQUEST, topic: messageId, data: this.packager.nodeId });
    if (m.ok) this.echoSend('q', peerId, m);
  }

  /** A REQUEST_IDS to `peerId`, or broadcast when undefined (it carries our id to answer to). */
  private requestIds(topic: Uint8Array, peerId?: Uint8Array): void {
    const m = serializeGossip({ op: GossipOp.REQUEST_IDS, topic, data: this.packager.nodeId });
    if (!m.ok) return;
    if (peerId) this.packager.send(this.id, m.value, { nodeId: peerId });
    else this.packager.broadcast(this.id, m.value);
  }

  private echoSend(kind: string, to: Uint8Array, m: Uint8Array | { ok: true; value: Uint8Array }): void {
    const message = m instanceof Uint8Array ? m : m.value;
    const target = to.slice();
    this.packager.send(this.id, message, { nodeId: target });
    const id = this.eventId(kind + toHex(gossipMessageId(this.#hashes, message)) + toHex(target).slice(0, 16));
    this.packager.schedule(id, this.params.echo_delay_ms, () => this.packager.send(this.id, message, { nodeId: target }));
  }

  /** True unless `key` was answered within a retry delay (the REQUEST's echo, a copy). */
  private firstRequest(key: string): boolean {
    const now = this.node.platform.now();
    const at = this.#answered?.get(key);
    if (at !== undefined && now - at < this.packager.timings.sendRetryDelayMs) return false;
    this.#answered?.delete(key);
    (this.#answered ??= new Map()).set(key, now);
    while ((this.#answered?.size ?? 0) > ANSWERED_LIMIT) this.#answered?.delete((this.#answered as Map<string, number>).keys().next().value as string);
    return true;
  }

  private greetPeer(peerId: Uint8Array): void {
    if (!this.params.greet_peers || this.packager.peer(peerId)) return; // only new peers
    // Before our first round every peer is new (a mesh powered on at once: all of them), and that
    // round, due within start_delay, asks each anyway: a greeting now would ask twice.
    if (this.packager.isScheduled(this.idHex) && this.node.platform.now() - this.#startedAt < this.params.start_delay * 1000) return;
    const id = peerId.slice();
    for (const [key, s] of this.#subscriptions) {
      if (!synced(s)) continue;
      const topic = topicOf(key);
      this.packager.schedule(this.eventId('sync' + key + toHex(id).slice(0, 16)), 0, () => this.requestIds(topic, id));
    }
  }

  private syncRound(): void {
    this.sync();
    const delay = this.#syncDelay;
    this.#syncDelay = Math.min(Math.max(this.params.schedule_delay, this.params.sync_max_delay), delay * 2);
    this.packager.schedule(this.idHex, delay * 1000, Gossip.#round, this);
  }

  /** The sync round's event handler: shared, given the app (no closure per pending event, issue 21). */
  static #round(g: Gossip): void {
    g.syncRound();
  }

  /** A new message the sync is about: sync at the base rate again, and soon if the next round is far off (at most once per sync_reset_gap). */
  private somethingNew(): void {
    const base = this.params.schedule_delay;
    if (this.#syncDelay <= base * 2) return;
    const now = this.node.platform.now();
    if (now - this.#resetAt < this.params.sync_reset_gap * 1000) return;
    this.#resetAt = now;
    this.#syncDelay = base;
    const due = this.packager.dueTime(this.idHex);
    if (due !== undefined && due - now > base * 1000) this.packager.schedule(this.idHex, base * 1000, Gossip.#round, this);
  }
}

/** A subscriber's flags: its topic's news does not restart the sync; it takes the flood only. */
const QUIET = 1;
const FLOOD = 2;

/**
 * A topic's subscribers: app id hex → flags, in subscription order, with the count of each flag
 * (one Map a topic: three Sets cost ≈ 250 B more on XS, issue 21).
 */
interface Subscription {
  readonly apps: Map<string, number>;
  /** Subscribers whose topic's news does not restart the sync (subscribe's `resync` false, and flood ones). */
  quiet: number;
  /** Subscribers that take the topic as flooded soft state (subscribeFlood). */
  flood: number;
  /** subscribeFlood's relay cap, if any. */
  gate: FloodGate | undefined;
}

/** Set `appKey`'s flags on `s` (undefined: no longer a subscriber), keeping the counts. */
function setSubscriber(s: Subscription, appKey: string, flags: number | undefined): void {
  const old = s.apps.get(appKey);
  if (old !== undefined) {
    s.quiet -= old & QUIET;
    s.flood -= (old & FLOOD) >> 1;
  }
  if (flags === undefined) {
    s.apps.delete(appKey);
    return;
  }
  s.apps.set(appKey, flags);
  s.quiet += flags & QUIET;
  s.flood += (flags & FLOOD) >> 1;
}

/** A flooded topic's relay cap (subscribeFlood): false, and a message is delivered but not re-flooded. */
export interface FloodGate {
  admit(data: Uint8Array, sender: string): boolean;
}

/** A subscribed topic's bytes, from its key (kept as the key only: 152 B less a topic on XS, issue 21). */
function topicOf(key: string): Uint8Array {
  return fromHex(key) as Uint8Array;
}

/** The topic takes part in the sync and the cache: some subscriber wants more than the flood. */
function synced(s: Subscription): boolean {
  return s.flood < s.apps.size;
}

function relabel(message: Uint8Array, op: number): Uint8Array {
  const out = message.slice();
  out[0] = op;
  return out;
}
