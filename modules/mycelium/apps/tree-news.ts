/**
 * News of the best root ahead of its tree, in open mode (docs/routing.md "Formation: news of the
 * best root ahead of its tree"; signed mode has its own, signed/root-news.ts).
 *
 * While a mesh powered on at once forms, each locally best root's tree spreads as a wave and a
 * node joins every wave that reaches it before a better one. Pacing (tree-pace.ts) makes worse
 * waves slower, but claims better than FREE_PACE all go at one speed, and there are 3 % of n of
 * them: at 2,000 nodes the two best roots both had a pace under 0.001 and half the mesh joined
 * the second before the first, each move re-addressing a whole subtree. No speed rule that knows
 * nothing of n can tell the best of n from the second. Word that a better root exists can travel
 * faster than its tree (a broadcast a hop, against a REQUEST, an ASSIGN and an advert's jitter):
 * a node that heard of root N does not join a root worse than N for `claim_pace_ms` after it
 * heard, so it joins N's tree once when it arrives instead of a nearer, worse one first.
 *
 *   HELLO_NEWS_OP (0x06) ‖ the first 8 bytes of the root's id (as a hello names a root) ‖ hops (u8)
 *
 * `hops`: how far the sender is from the root along the way the news came (a hello's depth + 1
 * where it began). A root's tree cannot reach a node farther than an address holds levels (32, or
 * `address_levels`): there the mesh forms other trees joined by borders (docs/routing.md "Any
 * diameter"). The way news comes, and a forming tree's depths, are longer than the shortest way,
 * so news goes twice that many hops (SCOPE_LEVELS) and no farther. Without a bound a 1,000-node
 * mesh of 6-level trees (`random-1000-trees`) held every node back for the best root, whose tree
 * reaches a tenth of them, and re-joined more (2.41 → 2.70 per node).
 *
 * A Hello message: upstream never receives Hello; older builds of ours drop it as an unknown op
 * (`hello_bad_message`) and form as before. Bounds: news is taken only when it names a root
 * better than ours and than any live news held (NEWS_KEEP_MS), not dead-marked, of pace at most
 * NEWS_PACE_LIMIT; each node passes news on at most NEWS_RELAYS times per NEWS_KEEP_MS, after a
 * wait that grows with the root's pace (better news overtakes worse), and not at all when two
 * neighbours passed the same news on meanwhile (Trickle's suppression). State: one root prefix,
 * its score and hops, two times and two small counts, made with the first news. Only when a node
 * would join is anything delayed, never longer than `claim_pace_ms` a news, and never the named
 * root itself: which root wins, the tree's messages and their bytes stay upstream's.
 */
import { bytesEqual, compareBytes, toHex } from '../wire/bytes.js';
import { HELLO_NEWS_OP, HELLO_ROOT_BYTES } from '../wire/messages/hello.js';
import type { Packager } from '../packager/packager.js';
import type { Delivery } from '../packager/application.js';
import { leadingFraction } from './tree-pace.js';

/** A better root held as news stops worse news from being taken (and passed on) this long. */
export const NEWS_KEEP_MS = 600_000;
/** News of a root this far down the ranks (pace, 0 best … 1 worst) is not taken: its own wave is slow and a better root is near. */
export const NEWS_PACE_LIMIT = 0.05;
/** Relays per node per NEWS_KEEP_MS at most (a formation takes one to three). */
export const NEWS_RELAYS = 4;
/** News is passed on after this, plus up to NEWS_JITTER_MS, plus the root's pace × NEWS_PACE_MS. */
const NEWS_BASE_MS = 5;
const NEWS_JITTER_MS = 60;
const NEWS_PACE_MS = 1_000;
/** A 16-byte address holds 32 one-nibble coordinates at most (protocol.md §5.2). */
const ADDRESS_LEVELS = 32;
/**
 * News goes this many times an address's levels in hops: the way news comes and a forming tree's
 * depths are longer than the shortest way (with 1, 1,000 nodes re-joined 1.89 times a node where
 * they need no bound, against 1.49 without one).
 */
const SCOPE_LEVELS = 2;
/** Copies of the same news heard while ours waits that make ours redundant. */
const NEWS_REDUNDANT = 2;
/** News on the air: op, root prefix, hops. */
const NEWS_BYTES = 1 + HELLO_ROOT_BYTES + 1;

/** What news needs of the tree (a part of tree-repair.ts's TreeControl). */
export interface NewsTree {
  packager(): Packager;
  now(): number;
  rootScore(): Uint8Array;
  scoreOfRoot(rootPrefix: Uint8Array): Uint8Array;
  /** The Hello app news goes out under. */
  hello(): { readonly id: Uint8Array } | undefined;
}

/** Root marks (root-watch.ts): a dead root is no news. */
interface DeadRoots {
  isDead(rootHex: string, now: number): boolean;
}

export class TreeNews {
  readonly #host: NewsTree;
  readonly #dead: DeadRoots;
  /** The event the relay waits under; how long a node holding news waits for its root (`claim_pace_ms`); levels an address holds. */
  readonly #event: string;
  readonly #waitMs: number;
  readonly #levels: number;
  /** The best root heard of, its score, when. */
  #root: Uint8Array = new Uint8Array(HELLO_ROOT_BYTES);
  #score: Uint8Array | undefined;
  #heardAt = 0;
  /** Our hops from that root, as its news came. */
  #hops = 0;
  /** Copies of that news heard since it was taken; relays since `#windowAt`. */
  #copies = 0;
  #relays = 0;
  #windowAt = 0;

  constructor(tree: NewsTree, dead: DeadRoots, event: string, waitMs: number, levels = 0) {
    this.#host = tree;
    this.#dead = dead;
    this.#event = event;
    this.#waitMs = waitMs;
    this.#levels = SCOPE_LEVELS * (levels > 0 ? Math.min(levels, ADDRESS_LEVELS) : ADDRESS_LEVELS);
  }

  /** News op from a neighbour (Hello hands it over): a root named by a neighbour that heard of it. */
  receive(blob: Uint8Array, from: Delivery): void {
    const p = this.#host.packager();
    if (blob.length !== NEWS_BYTES || blob[0] !== HELLO_NEWS_OP || !from.peer) return p.counters.inc('tree_news_bad');
    this.heard(blob.subarray(1, 1 + HELLO_ROOT_BYTES), blob[NEWS_BYTES - 1] + 1, true);
  }

  /**
   * A root better than ours was named (a neighbour's hello, or news), `hops` from us: hold it and
   * pass it on when it beats any live news held and its tree can reach us. `relayed`: it came as
   * news (a copy for suppression).
   */
  heard(rootPrefix: Uint8Array, hops: number, relayed = false): void {
    const h = this.#host;
    const now = h.now();
    const prefix = rootPrefix.subarray(0, HELLO_ROOT_BYTES);
    if (hops > this.#levels) return; // its tree cannot reach us
    if (this.#score && bytesEqual(prefix, this.#root)) {
      if (relayed) this.#copies++;
      if (hops < this.#hops) this.#hops = hops;
      return;
    }
    const score = h.scoreOfRoot(prefix);
    if (compareBytes(score, h.rootScore()) >= 0 || leadingFraction(score) > NEWS_PACE_LIMIT || this.#dead.isDead(toHex(prefix), now)) return;
    if (this.live(now) && compareBytes(score, this.#score as Uint8Array) >= 0) return;
    this.#root.set(prefix);
    this.#score = score;
    this.#heardAt = now;
    this.#hops = hops;
    this.#copies = relayed ? 1 : 0;
    h.packager().counters.inc('tree_news_taken');
    if (now - this.#windowAt >= NEWS_KEEP_MS) {
      this.#windowAt = now;
      this.#relays = 0;
    }
    if (this.#relays >= NEWS_RELAYS) return;
    const r = h.packager().platform.randomBytes(new Uint8Array(1))[0] / 256;
    h.packager().schedule(this.#event, NEWS_BASE_MS + Math.floor(r * NEWS_JITTER_MS + leadingFraction(score) * NEWS_PACE_MS), TreeNews.#relayNow, this);
  }

  /** The relay event's handler: shared, given the news (no closure per pending event, issue 21). */
  static #relayNow(n: TreeNews): void {
    n.relay();
  }

  private relay(): void {
    const h = this.#host;
    const helloId = h.hello()?.id;
    if (!helloId || !this.live(h.now())) return;
    if (this.#hops >= this.#levels) return; // one hop on, its tree could not reach them
    if (this.#copies >= NEWS_REDUNDANT) return h.packager().counters.inc('tree_news_suppressed');
    this.#relays++;
    const blob = new Uint8Array(NEWS_BYTES);
    blob[0] = HELLO_NEWS_OP;
    blob.set(this.#root, 1);
    blob[NEWS_BYTES - 1] = this.#hops;
    h.packager().broadcast(helloId, blob);
    h.packager().counters.inc('tree_news_relayed');
  }

  /** News held, not dead since, and not older than NEWS_KEEP_MS. */
  private live(now: number): boolean {
    return this.#score !== undefined && now - this.#heardAt < NEWS_KEEP_MS && !this.#dead.isDead(toHex(this.#root), now);
  }

  /**
   * How long to wait before joining `claim`'s root (0: go ahead): when it beats ours, while news
   * of a better root than it is live and younger than the tree's wait, until that wait is over.
   */
  waitBefore(claim: Uint8Array, score: Uint8Array, now: number): number {
    if (compareBytes(score, this.#host.rootScore()) >= 0 || !this.live(now) || bytesEqual(claim.subarray(0, HELLO_ROOT_BYTES), this.#root)) return 0;
    return compareBytes(this.#score as Uint8Array, score) < 0 ? Math.max(0, this.#heardAt + this.#waitMs - now) : 0;
  }
}
