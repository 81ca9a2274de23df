/**
 * What fast tree repair (tree-repair.ts) sees of the SpanningTree and may ask it to do, and its
 * parameters: the seam that lets repair be tested without a tree (tests/apps/repair-unbeaten.test.ts).
 */
import type { Packager } from '../packager/packager.js';
import type { Hello } from './hello.js';
import type { Claim, ClaimTable } from './tree-claims.js';

/** What repair needs to see of the tree and may ask it to do. */
export interface TreeControl {
  packager(): Packager;
  root(): Uint8Array;
  rootScore(): Uint8Array;
  /**
   * The election score of the root whose id starts with `rootPrefix` (a hello carries 8 bytes):
   * the tree's layer's (pins, work), as a claim for that root held scores it; else the layer's
   * score of the prefix alone (upstream's, or the worst when the layer needs the whole key).
   */
  scoreOfRoot(rootPrefix: Uint8Array): Uint8Array;
  isRoot(): boolean;
  /** We stepped aside as root and are still our own (tree-collisions.ts): no heartbeat. */
  silent(): boolean;
  /** A notice names us as the worse of two roots of one tree state: true when we must step aside (tree-host.ts). */
  mayStepAside(worse: Uint8Array, better: Uint8Array): boolean;
  parentKey(): string | undefined;
  /** Some neighbour holds a coordinate under ours: it is our child and watches our hellos. */
  leads(): boolean;
  readonly claims: ClaimTable;
  now(): number;
  /** The node's Hello app, if it runs one. */
  hello(): Hello | undefined;
  /** The root's heartbeat reached us: the tree is fresh. */
  refreshed(now: number): void;
  /** Ask `peerId` for an address in `claim`'s tree; `via`: take its answer even if deeper. */
  request(peerId: Uint8Array, claim: Uint8Array, via: string | undefined): void;
  /** Unicast our SEND advert to a peer (it answers with RESPOND when its root is better). */
  advertiseTo(peerId: Uint8Array): void;
  /** Become our own root and tell the neighbours. */
  restart(): void;
  /** The event news of a better root is passed on under; undefined: news is off (tree-host.ts). */
  newsEvent?(): string | undefined;
  usable(peerKey: string, now: number): boolean;
  /** A claim's rank: its depth plus the ETX of the link to its advertiser. */
  rank(c: Claim, now: number): number;
}

export interface TreeRepairParams {
  readonly dead_root_ms: number;
  readonly claim_pace_ms?: number;
  readonly address_levels?: number;
  readonly max_tree_age: number;
  readonly tree_maintenance_delay: number;
  readonly claims_limit: number;
}
