/**
 * Building and sending SpanningTree's messages (protocol.md §6.3): upstream's bytes, sealed by the
 * tree's layer when there is one (signed/signed-tree.ts). Kept apart from spanning-tree.ts, which
 * decides *when* to send; this file knows only *how*.
 */
import { TreeOp, encodeTreeAge, serializeTree } from '../wire/messages/tree.js';
import type { Address } from '../wire/address.js';
import type { Packager } from '../packager/packager.js';
import type { Gossip } from './gossip.js';
import type { TreeLayer } from './tree-layer.js';

const ZERO_ADDRESS = new Uint8Array(16);

/** What the messages need of the tree. */
export interface TreeMessageHost {
  readonly id: Uint8Array;
  /** Event id of the pending broadcast RESPOND (cancelled with the tree's other events). */
  readonly answerEvent: string;
  packager(): Packager;
  now(): number;
  /** The tree's age in seconds, as a SEND/RESPOND carries it. */
  age(): number;
  root(): Uint8Array;
  layer(): TreeLayer | undefined;
  randomByte(): number;
  /** > 0: answer worse claims by one broadcast within this many ms (LoRa). */
  answerBroadcastMs(): number;
  /** > 0: answer worse claims of neighbours that speak Hello by one broadcast within this many ms. */
  answerOursMs(): number;
  /** Upstream's `pub` option: address adverts on the SpanningTree Gossip topic. */
  pub(): boolean;
  gossip(): Gossip | undefined;
  /** We stepped aside as root and are still our own (tree-collisions.ts): only REQUESTs go out. */
  silent(): boolean;
}

export class TreeMessages {
  readonly #h: TreeMessageHost;
  /** When our last SEND went out (platform ms). */
  #lastAdvert = -Infinity;
  /** Period of our periodic SEND: upstream's 20 s, doubling to advert_max_ms among our own nodes. */
  #advertPeriod = 20_000;

  constructor(host: TreeMessageHost) {
    this.#h = host;
  }

  /** Broadcast a SEND advert describing our root and address, `count` times. */
  broadcast(count: number): void {
    const m = this.build(TreeOp.SEND);
    if (!m) return;
    this.#lastAdvert = this.#h.now();
    for (let i = 0; i < count; i++) this.#h.packager().broadcast(this.#h.id, m);
  }

  /**
   * A maintenance round's SEND, skipped when a refresh advert went out during the period; among
   * our own neighbours only, the period grows while nothing changes (Trickle, RFC 6206).
   */
  periodic(count: number, basePeriod: number, maxPeriod: number): void {
    if (this.#h.now() - this.#lastAdvert < this.#advertPeriod) return;
    this.broadcast(count);
    const ours = this.#h.packager().peers.every((p) => p.link !== undefined);
    this.#advertPeriod = ours ? Math.min(maxPeriod, this.#advertPeriod * 2) : basePeriod;
  }

  /** Our tree position changed: advertise at upstream's pace again (Trickle's reset). */
  changed(basePeriod: number): void {
    this.#advertPeriod = basePeriod;
  }

  build(op: number, claim: Uint8Array = this.#h.root(), address?: Uint8Array, to?: Uint8Array): Uint8Array | undefined {
    const h = this.#h;
    if (op !== TreeOp.REQUEST_ADDRESS_ASSIGNMENT && h.silent()) return undefined;
    const own = h.packager().address;
    const m = serializeTree({
      op,
      ts: BigInt(Math.max(0, Math.floor(h.now()))),
      age: op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT ? 0 : encodeTreeAge(h.age()),
      claim,
      address: address ?? (op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT ? ZERO_ADDRESS : (own?.bytes ?? ZERO_ADDRESS)),
      nodeId: h.packager().nodeId,
    });
    const layer = h.layer();
    return !m.ok ? undefined : layer ? layer.seal(m.value, to) : m.value;
  }

  send(op: number, peerId: Uint8Array, address?: Uint8Array, claim?: Uint8Array): void {
    const m = this.build(op, claim, address, peerId);
    if (m) this.#h.packager().send(this.#h.id, m, { nodeId: peerId });
  }

  /**
   * A worse claim heard: a unicast RESPOND (upstream), or one broadcast within `answerBroadcastMs`
   * for all heard meanwhile; from a neighbour of ours (`ours`: it speaks Hello) within
   * `answerOursMs`. A mesh powered on at once hears every node's claim to be root, and each
   * better-rooted neighbour answered each with a unicast and its ack.
   */
  answerWorseClaim(peerId: Uint8Array, ours = false): void {
    const h = this.#h;
    const window = h.answerBroadcastMs() > 0 ? h.answerBroadcastMs() : ours ? h.answerOursMs() : 0;
    if (!(window > 0)) return this.send(TreeOp.RESPOND, peerId);
    const p = h.packager();
    if (p.isScheduled(h.answerEvent)) return;
    p.schedule(h.answerEvent, Math.floor((h.randomByte() / 256) * window), () => {
      const m = this.build(TreeOp.RESPOND); // built when it goes: our root and address then
      if (m) h.packager().broadcast(h.id, m);
    });
  }

  /** Publish a SEND describing us at `addr` on the SpanningTree topic (upstream's pub option). */
  gossipAdvert(addr: Address | undefined): void {
    const h = this.#h;
    if (!h.pub() || !addr || h.layer()?.gossipsAdverts === false) return;
    const gossip = h.gossip();
    const m = this.build(TreeOp.SEND, h.root(), addr.bytes);
    if (gossip && m) gossip.publish(h.id, m);
  }
}
