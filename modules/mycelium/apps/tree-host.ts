/**
 * What the tree's parts (repair, messages, borders, replay, address gossip) see of the
 * SpanningTree: one object a tree, its methods on a shared prototype, where each part used to get
 * its own bag of arrow functions (~35 closures a tree, ≈ 200 B each on XS: issue 21). This base
 * answers from the tree's public side; spanning-tree.ts extends it with what needs its private state.
 */
import type { Packager } from '../packager/packager.js';
import type { NodeSlots } from '../packager/node-slots.js';
import type { Node } from '../node.js';
import { Gossip } from './gossip.js';
import { Hello } from './hello.js';
import type { SpanningTreeParams } from './tree-params.js';
import type { TreeLayer } from './tree-layer.js';
import { rankOf, usableVia, type Claim } from './tree-claims.js';
import { bytesEqual, compareBytes } from '../wire/bytes.js';
import { claimScore } from '../wire/ids.js';
import { STEP_ASIDE_MS, tagBeats } from './tree-collisions.js';
import { leadingFraction } from './tree-pace.js';

/** The public side of a SpanningTree that the host reads. */
export interface TreeView {
  readonly id: Uint8Array;
  readonly idHex: string;
  readonly packager: Packager;
  readonly node: Node;
  readonly params: SpanningTreeParams;
  readonly isRoot: boolean;
  readonly age: number;
  readonly layer: TreeLayer | undefined;
}

export class TreeHostBase {
  readonly id: Uint8Array;
  protected readonly tree: TreeView;
  /** Until then (platform ms) our own claim scores the worst: we stepped aside as root (tree-collisions.ts). */
  asideUntil = 0;

  constructor(tree: TreeView) {
    this.tree = tree;
    this.id = tree.id;
  }

  /** The event under which an answer to a worse claim waits (tree-messages.ts); made when asked, not held. */
  get answerEvent(): string {
    return this.tree.idHex + 'r';
  }

  packager(): Packager {
    return this.tree.packager;
  }

  /**
   * The event news of a better root is passed on under (tree-news.ts); undefined while news is
   * off: formation unpaced (`claim_pace_ms` 0, upstream's timing), or signed mode, which has its own.
   */
  newsEvent(): string | undefined {
    return this.tree.layer || this.tree.params.claim_pace_ms <= 0 ? undefined : this.tree.idHex + 'n';
  }

  now(): number {
    return this.tree.node.platform.now();
  }

  isRoot(): boolean {
    return this.tree.isRoot;
  }

  age(): number {
    return this.tree.age;
  }

  layer(): TreeLayer | undefined {
    return this.tree.layer;
  }

  gossip(): Gossip | undefined {
    return this.tree.node.app(Gossip);
  }

  /** A claim's score in the root election: the layer's (signed/root-work.ts) or upstream's. */
  score(claim: Uint8Array): Uint8Array {
    const t = this.tree;
    // A sleepy leaf's own claim loses to any other, promoted or not: it joins a routing node's tree, never roots one;
    // so does a root's that stepped aside for another of its tree state (tree-collisions.ts).
    if ((t.node.modemSleep?.leafByConfig || this.stillAside()) && bytesEqual(claim, t.packager.nodeId)) return new Uint8Array(32).fill(0xff);
    return t.layer ? t.layer.score(claim) : claimScore(claim);
  }

  /** Where `claim` lies among all claims, 0 best … 1 worst (tree-pace.ts). */
  pace(claim: Uint8Array): number {
    const layer = this.tree.layer;
    return layer?.pace ? layer.pace(claim) : leadingFraction(this.score(claim));
  }

  /** We stepped aside as root and are still our own: we say nothing of our tree (no SEND, RESPOND, ASSIGN or heartbeat). */
  silent(): boolean {
    return this.stillAside() && this.tree.isRoot;
  }

  /** Our step aside has not run out (the clock is read only when we ever stepped aside: score() is on every claim). */
  private stillAside(): boolean {
    return this.asideUntil !== 0 && this.asideUntil > this.now();
  }

  /**
   * A notice asks root `worse` to step aside for `better`, a root of the same tree state (its
   * sender checked that; or its id's first bytes, from a border advert): true, and our claim
   * scores the worst from now, when we are that root and `better` wins under the tree's own
   * scoring (pins, work); the caller gives the root up.
   */
  mayStepAside(worse: Uint8Array, better: Uint8Array): boolean {
    const t = this.tree;
    if (!t.isRoot || this.silent() || !bytesEqual(worse, t.packager.nodeId)) return false;
    // A border advert names a root by its first bytes (tree-collisions.ts): upstream's score, open mode only.
    const beats = better.length < worse.length ? !t.layer && tagBeats(better, worse) : compareBytes(this.score(better), this.score(worse)) < 0;
    if (!beats) {
      t.packager.counters.inc('tree_step_aside_refused');
      return false;
    }
    this.asideUntil = this.now() + STEP_ASIDE_MS;
    return true;
  }

  /** Our step aside has run out while we are still our own root (our score must be made again): true once. */
  asideOver(now: number): boolean {
    if (this.asideUntil === 0 || this.asideUntil > now || !this.tree.isRoot) return false;
    this.asideUntil = 0;
    return true;
  }

  hello(): Hello | undefined {
    return this.tree.node.app(Hello);
  }

  /** A dropped child's coordinate lease (tree-coordinates.ts): the tree timeout. */
  leaseMs(): number {
    return this.tree.params.max_tree_age * 1000;
  }

  lastHeard(key: string): number | undefined {
    return this.tree.packager.peerByKey(key)?.lastRx;
  }

  /** A neighbour that speaks Hello takes another coordinate under ours when told (tree-coordinates.ts). */
  movable(key: string): boolean {
    return this.tree.packager.peerByKey(key)?.link !== undefined;
  }

  randomByte(): number {
    return this.tree.node.platform.randomBytes(new Uint8Array(1))[0];
  }

  usable(peerKey: string, now: number): boolean {
    return usableVia(this.tree.packager, peerKey, now);
  }

  rank(c: Claim, now: number): number {
    return rankOf(this.tree.packager, c, now);
  }

  answerBroadcastMs(): number {
    return this.tree.params.answer_broadcast_ms;
  }

  answerOursMs(): number {
    return this.tree.params.answer_ours_ms;
  }

  pub(): boolean {
    return this.tree.params.pub;
  }

  holddownMs(): number {
    return this.tree.params.pub_holddown_ms;
  }

  settleMs(): number {
    return this.tree.params.pub_settle_ms;
  }

  /** The test knob address_levels (tree-params.ts): 0, or the levels an address holds. */
  addressLevels(): number {
    return this.tree.params.address_levels;
  }

  /** The tree parameter join_margin (tree-params.ts). */
  joinMargin(): number {
    return this.tree.params.join_margin;
  }

  /** TreeReplay's cap: one replay clock per possible neighbour. */
  limit(): number {
    return this.tree.packager.limits.peers;
  }

  windowMs(): number {
    return this.tree.params.replay_window_ms;
  }

  nodeSlots(): NodeSlots {
    return this.tree.packager.nodeSlots;
  }

  answerMs(): number {
    return this.tree.params.tree_maintenance_delay;
  }
}
