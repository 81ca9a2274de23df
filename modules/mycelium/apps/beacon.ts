/**
 * Beacon (protocol.md §6.1): peer discovery. Two broadcasts 36 ms apart at start, then one per
 * minute; every beacon heard adds or refreshes its sender as a peer and is answered with a
 * unicast response; each burst ages every peer by one cycle and drops those silent for 4.
 * Beyond upstream: `stop` sends the DISCONNECT (0xff) message its spec defines, and a DISCONNECT
 * removes the link it came on at once (the peer with its last link; one naming a peer from a MAC
 * that is not one of its links is refused and counted), and links silent for the peer timeout go.
 * Upstream's code adds a peer on *any* beacon op, so a DISCONNECT would make an upstream neighbour keep us for minutes: it goes only to peers that speak Hello
 * (they understand it) — one broadcast when every peer does, else one unicast to each of them. And a beacon is answered only when it matters: from a
 * node we did not know, or from one starting up (its start burst repeats the beacon within
 * 36 ms). Upstream answers every periodic beacon of every neighbour although each neighbour
 * beacons itself every minute anyway: with 10 neighbours that is 10 unicasts and 10 ACKs per
 * beacon, a fifth of all frames of a quiet mesh. `answer_every_beacon` restores upstream.
 * `answer_broadcast_ms` > 0 answers by one broadcast RESPONSE instead, at a random time within
 * that window and at most once per window: on LoRa a unicast answer (and its ack, and its
 * retries) to each of ten nodes that boot together costs more airtime than the mesh has.
 * `jitter_ratio` draws each interval in ±that share of itself (default 0: upstream's fixed
 * period): on a slow shared channel (LoRa) nodes that booted together would otherwise beacon
 * together for ever.
 * `quiet_every`: while every peer speaks Hello, only every this many periodic bursts goes on air
 * (the peers are still aged every cycle). Such neighbours learn and keep us from our hellos (one
 * in twelve carries our node id), and a node that is new to us, upstream or ours, is answered
 * when its own beacon arrives; the minute's beacon was ~10 % of a quiet mesh's control bytes.
 * Any peer without Hello (upstream) brings the upstream period back at the next cycle.
 * `answer_ours_ms` (off by default, see its doc): a starting node whose beacon lists Hello is
 * answered by one broadcast RESPONSE within that window, one for every such node heard meanwhile.
 */
import { BEACON_DEFAULTS } from './defaults.js';
import { MeshApp } from './app.js';
import { BeaconOp, beaconMessages, parseBeacon } from '../wire/messages/beacon.js';
import { bytesEqual } from '../wire/bytes.js';
import { appId } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import { COMPACT_APP_IDS_APP, COMPACT_FRAMES_APP, isBundledApp } from '../wire/compact-frame.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import type { Peer } from '../packager/peer.js';
import type { BeaconLayer } from './beacon-layer.js';
import { SlotPairs } from '../packager/slot-pairs.js';

/** Senders whose last beacon time is remembered (more than any node's peer table). */
const LAST_BEACON_LIMIT = 64;
/** Upstream's defaults and ours, one frozen object every Beacon without overrides shares. */
const BEACON_APP_DEFAULTS: BeaconParams = Object.freeze({ ...BEACON_DEFAULTS, start_count: 2, answer_every_beacon: false, jitter_ratio: 0, answer_broadcast_ms: 0, any_frame_keeps_peer: false, quiet_every: 4, compact_frames: false, answer_ours_ms: 0, expands_compact: true });

export type BeaconParams = { -readonly [K in keyof typeof BEACON_DEFAULTS]: number } & {
  /** Broadcasts of the first burst (upstream 2). */
  start_count: number;
  /** Answer every beacon heard, as upstream (default: only new or starting nodes). */
  answer_every_beacon: boolean;
  /** Each periodic interval is drawn in ±this share of beacon_interval (default 0: fixed). */
  jitter_ratio: number;
  /** > 0: answer new or starting nodes by one broadcast within this many ms, not a unicast each (default 0). */
  answer_broadcast_ms: number;
  /**
   * A peer heard in any frame since our last burst keeps its full timeout, not only one heard
   * beaconing (default false: upstream counts beacons only). On LoRa a neighbour near its duty
   * limit sheds its own beacons first while its data and acks still arrive: silent-by-shedding
   * is not gone.
   */
  any_frame_keeps_peer: boolean;
  /** While every peer speaks Hello, only every this many periodic bursts is sent (1: each, as upstream). */
  quiet_every: number;
  /**
   * Send compact frames to neighbours that list the CompactFrames capability
   * (wire/compact-frame.ts; default false; every beacon of ours lists it). On LoRa a routed 16-byte message takes half the airtime.
   */
  compact_frames: boolean;
  /**
   * > 0: a starting neighbour that speaks Hello (its beacon lists it) is answered by one
   * broadcast RESPONSE within this many ms, shared with every such neighbour heard meanwhile, not
   * by a unicast each (0, the default: unicast, upstream). Upstream neighbours still get their
   * unicast. Off by default: in a 1,000-node mesh powered on at once the broadcasts were lost in
   * the storm where the unicasts' acks and retries got through, and the tree took 49 s instead
   * of 3 s to form (docs/benchmarks.md "The start-up storm, part 2").
   */
  answer_ours_ms: number;
  /**
   * List the CompactFrames capability: this node expands compact frames (default true: every
   * build of ours does, packager/receiver.ts). False stands for an older build in tests and
   * simulations: its neighbours then send it upstream's bytes only.
   */
  expands_compact: boolean;
};

export class Beacon extends MeshApp<BeaconParams> {
  /** Last 10 senders heard and messages sent, for the console (upstream's seen / sent). */
  readonly seen: string[] = [];
  readonly sent: number[] = [];
  /**
   * When each recent sender's last beacon arrived (first) and which watched app ids it listed
   * (second, bit i: `#watched[i]`); oldest evicted beyond LAST_BEACON_LIMIT. On the node's key
   * index (slot-pairs.ts), made on the first beacon heard.
   */
  #lastBeacon: SlotPairs | undefined;
  /** App ids other apps asked about (capabilities: "this neighbour runs X"), at most 8. */
  readonly #watched: Uint8Array[] = [];
  /** When the last answer by broadcast was planned. */
  #lastAnswer = -Infinity;
  /** A layer over the beacons (signed/beacon-proof.ts); none: upstream's behaviour exactly. */
  layer: BeaconLayer | undefined;
  /** Periodic cycles since our last burst went on air. */
  #quietCycles = 0;
  /** Beacons left in the burst under way (its next one is pending). */
  #burstLeft = 0;
  /** The CompactFrames capability's id (every beacon lists it; see #listed). */
  readonly #compactId: Uint8Array;
  /** The CompactAppIds capability's id: we resolve an app id of ours from its prefix (listed with CompactFrames). */
  private get appIdsId(): Uint8Array {
    const ids = COMPACT_APP_IDS_APP;
    // Hashed when first needed: only nodes with compact unicasts (LoRa) list it (issue 21: no bytes at rest).
    return (this.appIdsMemo ??= unwrap(appId(this.node.platform, ids.name, ids.description, ids.version)));
  }
  private appIdsMemo: Uint8Array | undefined;

  constructor(hashes: Hashes, params: Partial<BeaconParams> = {}) {
    super(hashes, 'Beacon', 'Dev Beacon App', 0, BEACON_APP_DEFAULTS, params);
    const cap = COMPACT_FRAMES_APP;
    this.#compactId = unwrap(appId(hashes, cap.name, cap.description, cap.version));
  }

  protected override exposeCallbacks(): void {
    this.expose('broadcast', () => this.broadcast());
    this.expose('send', (peerId: Uint8Array) => this.send(peerId, BeaconOp.BEACON));
    this.expose('respond', (peerId: Uint8Array) => this.send(peerId, BeaconOp.RESPONSE));
    this.expose('get_seen', () => this.seen.slice());
    this.expose('get_sent', () => this.sent.slice());
  }

  protected override onStart(): void {
    // Watched on every node: Hello asks it too. Frames go compact everywhere with `compact_frames`,
    // else only on the interfaces that ask (a bridge's LoRa side; app ids stay whole there).
    const compacting = this.params.compact_frames || this.packager.interfaces.some((i) => i.compacts);
    if (this.watch(this.#compactId) && compacting) {
      this.packager.compactFramesTo(this.expandsCompactPeer, this, this.params.compact_frames);
      if (this.params.compact_frames && this.watch(this.appIdsId)) {
        for (const a of this.node.apps) if (!isBundledApp(a.id)) this.watch(a.id);
        this.packager.compactAppIdsTo((peer, app) => this.resolvesPrefix(peer.key, app));
      }
    }
    this.#burst(this.params.start_count);
  }

  /**
   * The app ids our beacons list: the node's apps, and the capabilities we have. Every build of
   * ours expands compact frames (packager/receiver.ts) whether or not it sends them
   * (`compact_frames`), so every beacon says so: neighbours may send us compact frames, and our
   * hellos go compact where every neighbour says the same (hello.ts).
   */
  #listed(): Uint8Array[] {
    const ids = this.node.apps.map((a) => a.id);
    if (this.params.expands_compact) ids.push(this.#compactId);
    // Every build from this one resolves prefixes; said only where frames go compact (LoRa), so
    // that beacons elsewhere keep their size.
    if (this.params.expands_compact && this.params.compact_frames) ids.push(this.appIdsId);
    return ids;
  }

  /**
   * Whether `peer`'s last beacon said it expands compact frames: the Packager's compact-frame test
   * (called with this app as `this`: no closure, issue 21), and Hello's. By the peer's slot on the
   * key index when it has one there: its key is made when asked (node-slots.ts).
   */
  expandsCompactPeer(peer: Peer): boolean {
    const table = this.#lastBeacon;
    if (table === undefined) return false; // no beacon heard: `lists` says no to every peer
    const s = peer.slotOn(this.packager.nodeSlots);
    const i = this.#watched.findIndex((w) => bytesEqual(w, this.#compactId));
    const caps = (s === undefined ? table.second(peer.key) : table.secondAt(s)) ?? 0;
    return i >= 0 && (caps & (1 << i)) !== 0;
  }

  /**
   * Whether `peerKey` resolves `app` from its prefix: its last beacon listed CompactAppIds and
   * the app. Only apps this node runs are watched (a relay's foreign traffic must not fill the
   * watch list), on their first frame; until a beacon lists them their ids go whole.
   */
  private resolvesPrefix(peerKey: string, app: Uint8Array): boolean {
    if (!this.lists(peerKey, this.appIdsId)) return false;
    if (this.lists(peerKey, app)) return true;
    if (!isBundledApp(app) && this.node.apps.some((a) => bytesEqual(a.id, app))) this.watch(app);
    return false;
  }

  protected override onStop(): void {
    this.packager.cancel(this.idHex);
    this.packager.cancel(this.idHex + 'b');
    this.packager.cancel(this.idHex + 'r');
    this.packager.compactFramesTo(() => false);
    this.packager.compactAppIdsTo(() => false);
    this.#disconnect();
  }

  #disconnect(): void {
    const peers = this.packager.peers;
    const aware = peers.filter((p) => p.link !== undefined);
    if (aware.length === 0) return;
    if (aware.length === peers.length) this.#broadcast(BeaconOp.DISCONNECT);
    else for (const p of aware) this.send(p.id, BeaconOp.DISCONNECT);
  }

  /**
   * Remember from now on whether each sender's beacon lists `appId` (ask with `lists`). False
   * when 8 ids are watched already. Apps that need a capability of a neighbour use this rather
   * than the `peer_apps` hook, which holds one callable and is Hello's.
   */
  watch(appId: Uint8Array): boolean {
    if (this.#watched.some((w) => bytesEqual(w, appId))) return true;
    if (this.#watched.length >= 8) return false;
    this.#watched.push(appId.slice());
    return true;
  }

  /** Whether the last beacon heard from `peerKey` (node id hex) listed the watched `appId`. */
  lists(peerKey: string, appId: Uint8Array): boolean {
    const i = this.#watched.findIndex((w) => bytesEqual(w, appId));
    const caps = this.#lastBeacon?.second(peerKey) ?? 0;
    return i >= 0 && (caps & (1 << i)) !== 0;
  }

  /** Announce this node and its apps to every neighbour (op 0x00: answer me). */
  broadcast(): void {
    this.#broadcast(BeaconOp.BEACON);
  }

  /** Unicast a beacon (op 0x00) or a response (0x01) to a peer. */
  send(peerId: Uint8Array, op: number): void {
    const msgs = beaconMessages(op, this.packager.nodeId, this.#listed());
    if (!msgs.ok) return;
    if (op !== BeaconOp.DISCONNECT) this.layer?.beforeBeacon(peerId);
    for (const m of msgs.value) this.packager.send(this.id, m, { nodeId: peerId });
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    const parsed = parseBeacon(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('beacon_bad_message');
      return;
    }
    const { op, nodeId } = parsed.value;
    const key = this.packager.keyOf(nodeId); // the peer's own string when known: one per node
    remember(this.seen, key);
    if (bytesEqual(nodeId, this.packager.nodeId)) return; // our own, back through the loopback
    if (!from.iface || !from.mac) return;
    if (op === BeaconOp.DISCONNECT) {
      // Only the link it came on goes (a goodbye names a peer, anyone can name any peer).
      if (!this.packager.removeLink(nodeId, from.mac, from.iface.radio)) this.packager.counters.inc('beacon_disconnect_refused');
      return;
    }
    if (this.layer) {
      // The retry may come later: the radio may have reused the frame's buffer by then.
      const kept = blob.slice();
      const keptFrom = { ...from, mac: from.mac.slice() };
      if (!this.layer.admit(parsed.value, from, () => this.started && this.onReceive(kept, keptFrom))) return;
    }
    const known = this.packager.peer(nodeId) !== undefined;
    // A beacon repeated within half an interval is a start burst (a node that may have just
    // rebooted and knows nobody): answer it even though we know the sender.
    const now = this.node.platform.now();
    const last = this.#lastBeacon?.first(key);
    const startingUp = last !== undefined && now - last < this.params.beacon_interval / 2;
    // A known peer's id from a MAC not bound to it is a candidate link's claim (neighbours.ts):
    // the apps it lists are not the peer's.
    if (!known || this.packager.peerAt(from.mac, from.iface.radio)?.key === key) this.#note(key, op, parsed.value.apps, now);
    const peer = this.packager.addPeer(nodeId, [{ mac: from.mac, radio: from.iface.radio }]);
    if (peer) this.callHook('peer_apps', peer, parsed.value.apps); // which apps (capabilities) it runs
    if (!peer || op !== BeaconOp.BEACON || !(this.params.answer_every_beacon || !known || startingUp)) return;
    if (this.params.answer_broadcast_ms > 0) this.#answerByBroadcast(now, this.params.answer_broadcast_ms);
    else if (this.params.answer_ours_ms > 0 && peer.link !== undefined) this.#answerByBroadcast(now, this.params.answer_ours_ms);
    else this.send(nodeId, BeaconOp.RESPONSE);
  }

  /** Remember when `key`'s beacon came and which watched apps it listed. */
  #note(key: string, op: number, apps: readonly Uint8Array[], now: number): void {
    let caps = 0;
    this.#watched.forEach((w, i) => {
      if (apps.some((a) => bytesEqual(a, w))) caps |= 1 << i;
    });
    // Answers by broadcast are RESPONSEs heard by all: only a BEACON says "starting up".
    const at = op === BeaconOp.BEACON || (this.params.answer_broadcast_ms === 0 && this.params.answer_ours_ms === 0) ? now : (this.#lastBeacon?.first(key) ?? -Infinity);
    (this.#lastBeacon ??= new SlotPairs(this.packager.nodeSlots)).put(key, at, caps, LAST_BEACON_LIMIT);
  }

  /** One broadcast beacon answers every node that appeared within the window (see the header). */
  #answerByBroadcast(now: number, window: number): void {
    if (this.packager.isScheduled(this.idHex + 'r') || now - this.#lastAnswer < window) return;
    this.#lastAnswer = now;
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    // A RESPONSE: every node takes it as a beacon (upstream too), none answers it.
    this.packager.schedule(this.idHex + 'r', Math.floor((r[0] / 256) * window), Beacon.#respond, this);
  }

  #broadcast(op: number): void {
    const msgs = beaconMessages(op, this.packager.nodeId, this.#listed());
    if (!msgs.ok) return;
    if (op !== BeaconOp.DISCONNECT) this.layer?.beforeBeacon(undefined);
    for (const m of msgs.value) {
      this.packager.broadcast(this.id, m);
      remember(this.sent, op);
    }
  }

  /** `count` broadcasts `beacon_period` apart, then age the peers and plan the next burst. */
  #burst(count: number): void {
    this.broadcast();
    if (count > 1) {
      // Held here, not in a closure: a pending event then holds none (issue 21). A burst begun
      // anew replaces the pending event, and its count this one.
      this.#burstLeft = count - 1;
      this.packager.schedule(this.idHex, this.#spacing(), Beacon.#nextBurst, this);
      return;
    }
    this.packager.schedule(this.idHex, this.params.beacon_period, Beacon.#afterBurst, this);
  }

  // The events' handlers: shared, given the Beacon (no closure per pending event, issue 21).
  static #respond(b: Beacon): void {
    b.#broadcast(BeaconOp.RESPONSE);
  }

  static #nextBurst(b: Beacon): void {
    b.#burst(b.#burstLeft);
  }

  static #afterBurst(b: Beacon): void {
    b.#timeoutPeers();
    b.packager.schedule(b.idHex + 'b', b.#interval(), Beacon.#cycleNow, b);
  }

  static #cycleNow(b: Beacon): void {
    b.#cycle();
  }

  /**
   * Time to the next beacon of a burst: `beacon_period`, or with `jitter_ratio` > 0 drawn in
   * [1, 3) × beacon_period, so that the bursts of nodes that booted together (on LoRa each
   * beacon is on air for a large part of the period) do not stay aligned for every beacon.
   */
  #spacing(): number {
    const base = this.params.beacon_period;
    if (!(this.params.jitter_ratio > 0)) return base;
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    return Math.round(base * (1 + (r[0] / 256) * 2));
  }

  /** A periodic cycle: a burst, or, while every peer speaks Hello, only every quiet_every-th one. */
  #cycle(): void {
    const peers = this.packager.peers;
    const ours = peers.length > 0 && peers.every((p) => p.link !== undefined);
    if (ours && ++this.#quietCycles < Math.max(1, this.params.quiet_every)) {
      this.packager.schedule(this.idHex, this.params.beacon_period, Beacon.#afterBurst, this);
      return;
    }
    this.#quietCycles = 0;
    this.#burst(this.params.beacon_count);
  }

  #interval(): number {
    const base = this.params.beacon_interval;
    if (!(this.params.jitter_ratio > 0)) return base;
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    return Math.max(1, Math.round(base * (1 + ((r[0] / 255) * 2 - 1) * Math.min(this.params.jitter_ratio, 1))));
  }

  #timeoutPeers(): void {
    const now = this.node.platform.now();
    for (const peer of this.packager.peers) {
      if (this.params.any_frame_keeps_peer && now - peer.lastRx <= this.params.beacon_interval) {
        peer.timeout = this.packager.timings.peerTimeoutStart;
        continue;
      }
      peer.timeout--;
      if (peer.timeout <= 0) this.packager.removePeer(peer.id);
    }
    // A link silent as long as a peer may be (4 cycles) goes too: a forged or abandoned MAC
    // does not stay one of the peer's links for ever.
    this.packager.pruneLinks(this.packager.timings.peerTimeoutStart * this.params.beacon_interval);
  }
}

function remember<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > 10) list.shift();
}
