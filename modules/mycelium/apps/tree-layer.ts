/**
 * What a layer stacked over SpanningTree may do (issue 20; Ironwood's `signed/` wraps its
 * connection interface the same way): the tree stays the open, upstream-compatible protocol and
 * knows nothing of keys. Without a layer the tree's bytes are upstream's, unchanged.
 */
import type { Delivery } from '../packager/application.js';

export interface TreeLayer {
  /**
   * The bytes to send for the serialized tree message `bytes` to neighbour `to` (undefined: a
   * broadcast or a Gossip advert); undefined sends nothing.
   */
  seal(bytes: Uint8Array, to: Uint8Array | undefined): Uint8Array | undefined;
  /**
   * Whether the tree's address adverts (upstream's `pub`) go on Gossip. A layer whose receivers
   * refuse any advert they cannot check hop by hop says false: each would flood the whole mesh
   * only to be refused by every node.
   */
  readonly gossipsAdverts: boolean;
  /**
   * A received tree blob: call `accept` (now, or later once the layer has what it needs) with
   * the 90-byte upstream message it vouches for, or drop it (and count why). Never throws.
   */
  open(blob: Uint8Array, from: Delivery, accept: (inner: Uint8Array) => void): void;
  /** The election score of `claim` (lower wins): upstream's, or restricted (pinned roots). */
  score(claim: Uint8Array): Uint8Array;
  /**
   * Where `claim` lies among all claims, 0 best … 1 worst, for pacing formation (tree-pace.ts);
   * when absent, the leading bits of `score` (right for upstream's uniform claim scores).
   */
  pace?(claim: Uint8Array): number;
  /**
   * When the tree's first maintenance round (its first SEND) runs, in ms from its start: `drawn`
   * is upstream's uniform draw in [0, `maxMs`); when absent, that draw (signed/first-advert.ts).
   */
  firstAdvert?(drawn: number, maxMs: number): number;
}
