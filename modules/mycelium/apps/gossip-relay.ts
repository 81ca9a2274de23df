/**
 * How Gossip re-floods what it receives, bounded (issue 19, class 11). Upstream re-broadcasts
 * every new small PUBLISH (and the NOTIFY of every new large one) at once and again 20 ms later,
 * so each message costs two frames per node, and one node publishing at full rate makes every
 * node transmit twice its rate. Two rules, both invisible on the air (the frames are upstream's;
 * only fewer of them):
 *
 * - **Suppression** (after Trickle, RFC 6206): a relay waits a random 0..`jitterMs` (so that
 *   neighbours do not collide), and its echo is not sent once the node has heard the message
 *   `redundancy` times from its neighbours — they have it, and so have theirs. The first relay
 *   is always sent: suppressing it too cut bridges between parts of a sparse mesh (a 100-node
 *   telemetry mesh delivered 79 % of readings instead of 100 %).
 * - **Per-neighbour rate** (token bucket): messages first heard from one neighbour are relayed at
 *   most `rate` a second (bursts of `burst`); beyond it they are delivered and cached here, and
 *   reach the rest of the mesh by its other paths or the periodic sync. Unknown senders share
 *   one bucket, so new MACs bring no new tokens. Our own publishes are never limited.
 * - **Sparse neighbourhoods relay by unicast** (docs/routing.md "Floods on sparse links"): a node
 *   with at most SPARSE_PEERS (2) neighbours, every one of ours (it speaks Hello) on a radio that
 *   retries unicasts until acked, sends its relay to each neighbour but the sender by unicast,
 *   with no echo. A broadcast gets no retry, and along a line the flood is its own hidden
 *   terminal: a node's copy collides at the next with the relay of the one after it. Where
 *   there is no second path, one lost hop cut the flood for everyone beyond (a border advert
 *   across line-70 on the lossy radio often never arrived). It costs no more frames: a leaf
 *   sends nothing, a node in a line one unicast instead of a broadcast (and its echo).
 */

import type { Packager } from '../packager/packager.js';
import type { Platform } from '../platform/platform.js';
import type { NodeSlots } from '../packager/node-slots.js';
import { TokenBuckets } from '../packager/token-buckets.js';
import { toHex } from '../wire/bytes.js';

export interface RelayHost {
  now(): number;
  /** Uniform in [0, 1), from the platform's randomness. */
  random(): number;
  /** Schedule `fn` under `id` (the app's event id space); false when refused. */
  schedule(id: string, ms: number, fn: () => void): boolean;
  broadcast(message: Uint8Array): void;
  /**
   * The neighbours to relay to by unicast instead of a broadcast (all but `sender`; none for a
   * leaf), or undefined where the neighbourhood is not sparse (see the header).
   */
  sparseTargets(sender: string | undefined): Uint8Array[] | undefined;
  unicast(message: Uint8Array, to: Uint8Array): void;
  /** Count a relay limited by its neighbour's rate, or an echo suppressed by copies heard. */
  count(what: 'gossip_relay_limited' | 'gossip_relay_suppressed' | 'gossip_relay_unicast'): void;
  /** The relay's tunables as they are now (the app's params may change). */
  relayParams(): RelayParams;
  /** The node's key index, which the neighbours' buckets are kept on (node-slots.ts). */
  nodeSlots(): NodeSlots;
}

export interface RelayParams {
  /** Copies heard that make a pending echo unnecessary; 0 = never suppress (upstream). */
  readonly redundancy: number;
  /** Longest random wait before relaying, ms (0 = at once, upstream). */
  readonly jitterMs: number;
  /** Upstream's echo: the relay is repeated after this, ms (unless suppressed by then). */
  readonly echoMs: number;
  /** Relays per second of messages first heard from one neighbour (0 = unlimited, upstream), and the burst. */
  readonly rate: number;
  readonly burst: number;
}

/**
 * At most this many neighbours make a sparse neighbourhood: a node in a line (or a chain) and a
 * leaf, where a relay by unicast costs no more frames than a broadcast (one, or none). With three
 * (a grid's edge) it is two unicasts against a broadcast whose echo the grid mostly suppresses:
 * grid-7x7's control bytes rose 23 %.
 */
export const SPARSE_PEERS = 2;

/** Pending relays and neighbour buckets kept (each table evicts its oldest beyond it). */
const PENDING_LIMIT = 128;
const BUCKET_LIMIT = 64;
/** The bucket shared by senders that are not peers. */
export const UNKNOWN_SENDER = '?';

export class GossipRelay {
  readonly #host: RelayHost;
  /** Message id (hex) → copies heard from neighbours since we first had it. */
  // Made on the first set: empty until then costs nothing (issue 21).
  #heard: Map<string, number> | undefined;
  /** Neighbours' buckets, on the node's key index; made on the first relay limited by rate. */
  #buckets: TokenBuckets | undefined;

  constructor(host: RelayHost) {
    this.#host = host;
  }

  /**
   * A copy of a message we already had arrived from a neighbour: `id`, its 16 bytes (`notify`:
   * its NOTIFY's). Made a key only while echoes wait: most copies of a flood come after (issue 21).
   */
  heard(id: Uint8Array, notify = false): void {
    const heard = this.#heard;
    if (heard === undefined || heard.size === 0) return;
    const key = notify ? 'n' + toHex(id) : toHex(id);
    const n = heard.get(key);
    if (n !== undefined) heard.set(key, n + 1);
  }

  /**
   * Flood `message` (id `id`, event ids from `eventId`): ours (`sender` undefined) at once, a
   * received one after the jitter, if its sender's bucket allows; each send echoed once.
   */
  flood(id: string, message: Uint8Array, eventId: (suffix: string) => string, sender?: string): void {
    const p = this.#host.relayParams();
    if (sender !== undefined && !this.take(sender, p)) {
      this.#host.count('gossip_relay_limited');
      return;
    }
    this.#heard?.delete(id);
    (this.#heard ??= new Map()).set(id, 0);
    while ((this.#heard?.size ?? 0) > PENDING_LIMIT) this.#heard?.delete((this.#heard as Map<string, number>).keys().next().value as string);
    const echo = () => this.send(id, message, p.redundancy, () => this.#heard?.delete(id));
    const first = () => {
      const sparse = this.#host.sparseTargets(sender);
      if (sparse) {
        // Each copy is retried by the radio until acked: no echo.
        for (const to of sparse) this.#host.unicast(message, to);
        this.#heard?.delete(id);
        return;
      }
      this.#host.broadcast(message);
      this.#host.schedule(eventId('b' + id), p.echoMs, echo);
    };
    if (sender === undefined || p.jitterMs <= 0) first();
    else if (!this.#host.schedule(eventId('j' + id), Math.floor(this.#host.random() * p.jitterMs), first)) first();
  }

  clear(): void {
    this.#heard?.clear();
    this.#buckets?.clear();
  }

  private send(id: string, message: Uint8Array, redundancy: number, done?: () => void): void {
    if (redundancy > 0 && (this.#heard?.get(id) ?? 0) >= redundancy) this.#host.count('gossip_relay_suppressed');
    else this.#host.broadcast(message);
    done?.();
  }

  /** Take a token from `sender`'s bucket; false when it is empty. */
  private take(sender: string, p: RelayParams): boolean {
    if (p.rate <= 0) return true;
    return (this.#buckets ??= new TokenBuckets(BUCKET_LIMIT, this.#host.nodeSlots())).take(sender, this.#host.now(), p.rate, 1000, Math.max(1, p.burst));
  }
}

/** What AppRelayHost reads of the Gossip app: its public side. */
interface RelayApp {
  readonly id: Uint8Array;
  readonly packager: Packager;
  readonly node: { readonly platform: Platform; readonly modemSleep?: unknown };
  readonly params: { readonly relay_redundancy: number; readonly relay_jitter_ms: number; readonly echo_delay_ms: number; readonly relay_rate: number; readonly relay_burst: number };
}

/** RelayHost over a Gossip app: one object, methods on a shared prototype, not a closure each (issue 21). */
export class AppRelayHost implements RelayHost {
  readonly #app: RelayApp;

  constructor(app: RelayApp) {
    this.#app = app;
  }

  now(): number {
    return this.#app.node.platform.now();
  }

  random(): number {
    const b = this.#app.node.platform.randomBytes(new Uint8Array(2));
    return ((b[0] << 8) | b[1]) / 65_536;
  }

  schedule(id: string, ms: number, fn: () => void): boolean {
    return this.#app.packager.schedule(id, ms, fn);
  }

  broadcast(message: Uint8Array): void {
    this.#app.packager.broadcast(this.#app.id, message);
  }

  count(what: 'gossip_relay_limited' | 'gossip_relay_suppressed' | 'gossip_relay_unicast'): void {
    this.#app.packager.counters.inc(what);
  }

  sparseTargets(sender: string | undefined): Uint8Array[] | undefined {
    const app = this.#app;
    // Modem sleep: unicasts to sleepers wait for RNS; its broadcasts already reach every phase.
    if (app.node.modemSleep !== undefined) return undefined;
    const peers = app.packager.peers;
    if (peers.length > SPARSE_PEERS) return undefined;
    const out: Uint8Array[] = [];
    for (const p of peers) {
      // An upstream or older neighbour (no Hello), a sleepy leaf, or a slow paced interface
      // (a bridge's LoRa: no link-layer retry): keep the broadcast everyone has always had.
      const iface = p.bestLink()?.iface;
      if (!p.link || p.leaf || !iface || iface.timings.broadcastSpacingMs > 0) return undefined;
      if (p.key !== sender) out.push(p.id);
    }
    return out;
  }

  unicast(message: Uint8Array, to: Uint8Array): void {
    const sent = this.#app.packager.send(this.#app.id, message, { nodeId: to }, { retries: 0, unacked: true });
    if (sent.ok) this.count('gossip_relay_unicast');
  }

  nodeSlots(): NodeSlots {
    return this.#app.packager.nodeSlots;
  }

  relayParams(): RelayParams {
    const p = this.#app.params;
    return { redundancy: p.relay_redundancy, jitterMs: p.relay_jitter_ms, echoMs: p.echo_delay_ms, rate: p.relay_rate, burst: p.relay_burst };
  }
}
