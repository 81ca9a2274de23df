/**
 * Root news (issue 20, session 12): the best root's own signed word, passed on ahead of its tree.
 *
 * While a mesh powered on at once forms, every locally best root's tree spreads as a wave, and a
 * node re-joins once per wave that reaches it before the best one (3.5–3.9 times a node at
 * 1,000 nodes). In signed mode each of those joins costs a chain of that tree — up to 32 links
 * of 96 bytes — and that was most of signed mode's overhead over open mode. A tree's wave is
 * slow (a REQUEST, an ASSIGN and a chain per hop); word that a better root exists can go much
 * faster: a root's own sealed SEND or RESPOND (126 bytes; its signature under the claim's key,
 * which is the root's node id, so anyone can verify it) is passed on by broadcast, once per node,
 * and only while it names a better root than any the node heard of. A node that heard of a
 * better root does not fetch chains of worse ones (ChainFetch's deferral, the same as after a
 * better root's chain verified) for `verify_round_ms`: it stays where it is, usually a small
 * local tree whose links it proves from tails, until the best root's wave reaches it, and then
 * fetches that one chain. Its own tree's chains are never deferred (signed-tree.ts).
 *
 *   ROOT_NEWS (8) ‖ the root's sealed message, as the root sent it (tree-seal.ts)
 *
 * What it costs and what it defends:
 * - news is taken only when it names a better root than our own tree's and than any heard of
 *   lately: a node in the best tree ignores news of it (its own adverts carry that root), so a
 *   formed mesh passes nothing on and a replayed message floods nothing;
 * - one verification per news taken, within its sender's budget (verify_per_round); a worse,
 *   equal or refused (unpinned) claim costs none;
 * - one broadcast per node per news taken, after a wait that grows with the root's pace (better
 *   news overtakes worse), skipped when two neighbours passed the same news on meanwhile
 *   (Trickle's suppression); at most NEWS_RELAYS per NEWS_KEEP_MS;
 *   news of a root of pace above NEWS_PACE_LIMIT is taken (deferral) but not passed on;
 * - state: the best root heard of (its score and message) for NEWS_KEEP_MS, one pending relay,
 *   and the relay count.
 * A replay of an old genuine message of a root better than ours (a root since gone) is taken
 * once per node per NEWS_KEEP_MS: it defers other trees' chains for one `verify_round_ms` (never
 * our own tree's) and costs each node at most NEWS_RELAYS broadcasts per NEWS_KEEP_MS. A key
 * ground to a better score already wins the election without pins or root work; with pins its
 * news is refused, with root work it is ranked by its work.
 * Nothing here accepts an address: every link is still verified before an address counts.
 */
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import type { Platform, Signatures } from '../platform/platform.js';
import { bytesEqual, compareBytes, concatBytes, toHex } from '../wire/bytes.js';
import { TreeOp, parseTree } from '../wire/messages/tree.js';
import { NODE_ID_BYTES } from '../wire/constants.js';
import { SIGNED_TREE_BYTES, isRootAddress, messageToSign, unseal } from './tree-seal.js';
import type { ClaimRank } from './claim-rank.js';
import type { ChainFetch } from './chain-fetch.js';
import { SignedOp } from './signed-messages.js';

export const ROOT_NEWS_OP = SignedOp.ROOT_NEWS;
/** Where the claim (the root's id) lies in a sealed tree message: op, ts u64, age. */
const CLAIM_AT = 1 + 8 + 1;
/** The best root heard is kept this long: news of it, or of worse roots, is not taken again meanwhile. */
export const NEWS_KEEP_MS = 600_000;
/** News is passed on after this, plus up to NEWS_JITTER_MS, plus the root's pace × NEWS_PACE_MS. */
const NEWS_BASE_MS = 20;
const NEWS_JITTER_MS = 100;
const NEWS_PACE_MS = 1_000;
/** News of a root this far down the ranks (pace, 0 best … 1 worst) is not passed on: a better one is near. */
export const NEWS_PACE_LIMIT = 0.05;
/** At most this many relays per node per NEWS_KEEP_MS (a tree's formation takes one to three). */
export const NEWS_RELAYS = 4;
/** Copies of the same news heard while ours waits that make ours redundant. */
const NEWS_REDUNDANT = 2;

/** What root news needs of the signed layer (SignedTree). */
export interface RootNewsApp {
  readonly packager: Packager;
  readonly node: { readonly platform: Platform };
  readonly id: Uint8Array;
  readonly idHex: string;
  score(claim: Uint8Array): Uint8Array;
  pace(claim: Uint8Array): number;
  /** The root of the tree we are in now. */
  ownRoot(): Uint8Array | undefined;
}

export class RootNews {
  readonly #app: RootNewsApp;
  readonly #rank: ClaimRank;
  readonly #fetch: ChainFetch;
  /** Verify within `peerKey`'s budget, counted; false when over it or bad. */
  readonly #verify: (peerKey: string, check: (ed: Signatures) => boolean) => boolean;
  /** The best root heard of: its claim, score, sealed message and when. */
  #best: { readonly claim: Uint8Array; readonly score: Uint8Array; readonly sealed: Uint8Array; readonly at: number } | undefined;
  /** Copies of the best root's news heard since ours was scheduled. */
  #copies = 0;
  /** Our relays in the current NEWS_KEEP_MS window: when it opened, and how many. */
  #relaysSince = -Infinity;
  #relays = 0;

  constructor(app: RootNewsApp, rank: ClaimRank, fetch: ChainFetch, verify: (peerKey: string, check: (ed: Signatures) => boolean) => boolean) {
    this.#app = app;
    this.#rank = rank;
    this.#fetch = fetch;
    this.#verify = verify;
  }

  get #eventId(): string {
    return this.#app.idHex + 'h';
  }

  /** A root's own message, from the root itself, its signature verified (signed-tree.ts): news if it is the best heard. */
  fromRoot(sealed: Uint8Array, claim: Uint8Array): void {
    this.#take(sealed, claim, this.#app.score(claim), this.#app.node.platform.now());
  }

  /** A neighbour's ROOT_NEWS. Never throws. */
  onNews(blob: Uint8Array, peer: Peer): void {
    const sealed = blob.subarray(1);
    const counters = this.#app.packager.counters;
    if (sealed.length < SIGNED_TREE_BYTES) return counters.inc('signed_bad_message');
    const claim = sealed.slice(CLAIM_AT, CLAIM_AT + NODE_ID_BYTES);
    const s = unseal(sealed, claim); // a root's message: its sender is its claim
    const m = s ? parseTree(s.inner) : undefined;
    if (!s || !m?.ok || s.link || (m.value.op !== TreeOp.SEND && m.value.op !== TreeOp.RESPOND) || !isRootAddress(m.value.address)) return counters.inc('signed_bad_message');
    if (this.#rank.refused(claim)) return counters.inc('signed_not_pinned');
    const platform = this.#app.node.platform;
    const now = platform.now();
    this.#rank.learn(platform, claim, s.work); // a nonce proves itself: scored with it
    const score = this.#app.score(claim);
    if (!this.#better(score, now)) {
      if (this.#best && bytesEqual(this.#best.claim, claim)) this.#copies++;
      return;
    }
    if (this.#verify(peer.key, (ed) => ed.verify(claim, messageToSign(s.inner, s.epoch), s.signature))) this.#take(sealed, claim, score, now);
  }

  /** The best root heard of lately (hex), if any. */
  bestRoot(now: number): string | undefined {
    return this.#best && now - this.#best.at <= NEWS_KEEP_MS ? toHex(this.#best.claim) : undefined;
  }

  clear(): void {
    this.#best = undefined;
    this.#app.packager.cancel(this.#eventId);
  }

  /** Better than the root of our own tree (news of it is no news: our adverts carry it) and than any heard of lately. */
  #better(score: Uint8Array, now: number): boolean {
    const own = this.#app.ownRoot();
    if (own && compareBytes(score, this.#app.score(own)) >= 0) return false;
    const b = this.#best;
    return !b || now - b.at > NEWS_KEEP_MS || compareBytes(score, b.score) < 0;
  }

  #take(sealed: Uint8Array, claim: Uint8Array, score: Uint8Array, now: number): void {
    if (!this.#better(score, now)) return;
    this.#best = { claim: claim.slice(), score, sealed: sealed.slice(), at: now };
    this.#copies = 0;
    this.#fetch.heardOf(toHex(claim), score, now);
    const pace = this.#app.pace(claim);
    const p = this.#app.packager;
    if (!(pace <= NEWS_PACE_LIMIT)) return void p.cancel(this.#eventId);
    const draw = this.#app.node.platform.randomBytes(new Uint8Array(1))[0] / 256;
    p.schedule(this.#eventId, NEWS_BASE_MS + Math.floor(draw * NEWS_JITTER_MS + pace * NEWS_PACE_MS), () => this.#relay());
  }

  #relay(): void {
    const b = this.#best;
    if (!b || this.#copies >= NEWS_REDUNDANT) return;
    const now = this.#app.node.platform.now();
    if (now - this.#relaysSince > NEWS_KEEP_MS) {
      this.#relaysSince = now;
      this.#relays = 0;
    }
    if (this.#relays >= NEWS_RELAYS) return; // replayed news of roots gone cannot make us flood
    this.#relays++;
    this.#app.packager.counters.inc('signed_root_news');
    this.#app.packager.broadcast(this.#app.id, concatBytes(Uint8Array.of(ROOT_NEWS_OP), b.sealed));
  }
}
