/**
 * When a signed node asks a neighbour for its chain (issue 20, session 10). While a tree forms,
 * a node hears several neighbours of a better tree at once; asking each for its whole chain
 * fetched the same links once per neighbour (at 300 nodes 613 of 1,323 whole chains were a
 * second fetch of a tree's links by the same node). Proving an address needs no fewer links
 * now, only better timing:
 * - one long fetch per tree at a time: while a neighbour's chain of tree T is on its way, other
 *   neighbours' adverts of T wait (held) and are proved from its links when it lands, by their
 *   announced tail or a tail request (one link, usually);
 * - no chain of a root worse than one whose chain we verified lately: the tree will follow the
 *   better one, and then answers the worse one's adverts without proof (signed-tree.ts);
 * - a neighbour's announcement (its new link, broadcast once) that fits no links we hold yet is
 *   kept (the latest per neighbour) and tried again once they come, instead of asked for again;
 * - (session 13) a long request listens first, a random 0–CHAIN_LISTEN_MS, and takes a whole
 *   chain of that tree a neighbour broadcasts meanwhile (Trickle's request suppression); held
 *   adverts are tried shallowest first, so neighbours ask the same holder; a held advert of a
 *   place its sender has left is dropped (`superseded`) instead of asked for until it expires.
 * None of this accepts anything: every link is still verified before an address counts. What a
 * liar gains is delay, bounded: a fetch holds the others for `windowMs` at most (then they are
 * asked as before), a listen window lasts CHAIN_LISTEN_MS once per `windowMs` per tree, and
 * only a *verified* chain's root defers worse ones, for `provedMs`.
 * Every map is capped (`limit`, least recently used out); evicting an honest neighbour's entry
 * costs it a request, as before this file, never an acceptance.
 */
import { bytesEqual, compareBytes, toHex } from '../wire/bytes.js';
import { parseTree } from '../wire/messages/tree.js';
import { decodeAddress } from '../wire/address.js';
import { parseChainMessage } from './signed-messages.js';
import { remember } from './chain-book.js';

/** A neighbour's verified advert whose address is not proved yet. */
export interface HeldAdvert {
  /** The 90-byte tree message (its signature verified). */
  readonly inner: Uint8Array;
  readonly epoch: number;
  readonly accept: (inner: Uint8Array) => void;
  /** When it came: an advert still unproved after `provedMs` is dropped (its sender advertises again). */
  readonly at: number;
}

/**
 * A long chain request listens first for up to this long (a random part of it): about the time a
 * neighbour's answer takes to be gathered (ANSWER_WAIT_MS) and sent, so that the neighbours of one
 * holder hear one answer instead of each asking its own.
 */
export const CHAIN_LISTEN_MS = 400;

/** Why an advert's chain is not asked now. */
export type Deferral = 'fetching' | 'worse';

export class ChainFetch {
  readonly #limit: () => number;
  readonly #windowMs: () => number;
  readonly #provedMs: () => number;
  /** Adverts waiting for their sender's chain: the latest per neighbour. */
  readonly held = new Map<string, HeldAdvert>();
  /** Announcements that fitted no prefix we held: the latest per neighbour. */
  readonly #tails = new Map<string, Uint8Array>();
  /** Our last request to each neighbour: when, and from which depth (its answer carries it back). */
  readonly #asked = new Map<string, { readonly at: number; readonly from: number }>();
  /** Per tree (root hex/epoch), the long fetch on its way. */
  readonly #fetching = new Map<string, { readonly peer: string; readonly at: number }>();
  /** Per tree, the window in which a long request waits to overhear a neighbour's answer. */
  readonly #listens = new Map<string, { readonly at: number; readonly until: number }>();
  /** Neighbours whose last chain tail fitted no prefix we hold: asked for the whole chain next. */
  readonly #askWhole = new Set<string>();
  /** The best root whose chain we verified lately. */
  #best: { readonly root: string; readonly score: Uint8Array; readonly at: number } | undefined;

  /** `windowMs`: a request's answer is awaited this long; `provedMs`: a verified better root defers worse ones this long. */
  constructor(limit: () => number, windowMs: () => number, provedMs: () => number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#provedMs = provedMs;
  }

  /** Whether `peer` may be asked now (one request per window), recording that it is. */
  ask(peer: string, tree: string, from: number, long: boolean, now: number): boolean {
    const last = this.#asked.get(peer);
    if (last !== undefined && now - last.at < this.#windowMs()) return false;
    remember(this.#asked, peer, { at: now, from }, this.#limit());
    if (long) remember(this.#fetching, tree, { peer, at: now }, this.#limit());
    return true;
  }

  /** Forget the request to `peer` (its answer failed: the next may be asked at once). */
  unask(peer: string): void {
    this.#asked.delete(peer);
  }

  /** `peer`'s chain of `tree` did not verify: its fetch no longer holds the others back. */
  failed(peer: string, tree: string): void {
    if (this.#fetching.get(tree)?.peer === peer) this.#fetching.delete(tree);
  }

  /** Whether we asked `peer` for its chain within the window. */
  asking(peer: string, now: number): boolean {
    const a = this.#asked.get(peer);
    return a !== undefined && now - a.at <= this.#windowMs();
  }

  /**
   * Try each held advert again (`pursue`) whose neighbour is still one (`peerOf`); those older
   * than `provedMs` are dropped (their sender advertises again). Whether any is left to retry.
   */
  retry<P>(now: number, peerOf: (key: string) => P | undefined, pursue: (peer: P) => void): boolean {
    // The shallowest first (then by key): its chain is the shortest, and neighbours listening for
    // the same tree rank the same adverts alike, so they ask the same holder (one broadcast).
    const depth = (h: HeldAdvert) => {
      const m = parseTree(h.inner);
      const c = m.ok ? decodeAddress(m.value.address) : undefined;
      return c?.ok ? c.value.length : 99;
    };
    const order = [...this.held].map(([k, h]) => ({ k, h, d: depth(h) })).sort((a, b) => a.d - b.d || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    for (const { k, h } of order) {
      const peer = now - h.at > this.#provedMs() ? undefined : peerOf(k);
      if (peer === undefined) this.held.delete(k);
      else pursue(peer);
    }
    return this.held.size > 0;
  }

  /**
   * `peer` showed that it is at `place` (root hex/epoch/address hex) now: its held advert of
   * another place is stale and dropped (true) — it moved since, and advertises its new place
   * itself. Its own newer advert says so (`answered` false); a chain it sent says so only for an
   * advert held no later than our last request to it (`answered` true): the answer was made
   * after that advert, whereas a chain sent before a move may land after the move's advert.
   * Kept, a stale advert was asked for again every `windowMs` until `provedMs` old, and each
   * answer proved the other place (at 300 nodes 340 of 1,136 requests, most of them whole chains).
   */
  superseded(peer: string, place: string, answered: boolean): boolean {
    const h = this.held.get(peer);
    const m = h ? parseTree(h.inner) : undefined;
    if (!h || !m?.ok || toHex(m.value.claim) + '/' + h.epoch + '/' + toHex(m.value.address) === place) return false;
    const asked = this.#asked.get(peer);
    if (answered && (asked === undefined || h.at > asked.at)) return false;
    this.held.delete(peer);
    return true;
  }

  /** `peer`'s tail fitted no prefix we hold: ask its whole chain next. False when that was asked already (no request loop). */
  askWhole(peer: string): boolean {
    if (this.#askWhole.has(peer)) return false;
    this.#askWhole.add(peer);
    if (this.#askWhole.size > this.#limit()) this.#askWhole.delete(this.#askWhole.values().next().value as string);
    return true;
  }

  wantsWhole(peer: string): boolean {
    return this.#askWhole.has(peer);
  }

  /** `peer`'s chain verified: its next tail may continue what we hold. */
  gotWhole(peer: string): void {
    this.#askWhole.delete(peer);
  }

  /** Whether a tail from depth `from` answers our request to `peer` (else it is an announcement). */
  answers(peer: string, from: number, now: number): boolean {
    const a = this.#asked.get(peer);
    return a !== undefined && a.from === from && now - a.at <= this.#windowMs();
  }

  /**
   * Why the chain of `tree` (root `root`, scored `score` by the layer) should not be asked of
   * `peer` now, if so. `long`: more than its last link is missing; `own`: our tree's root.
   */
  deferral(peer: string, tree: string, root: string, score: Uint8Array, long: boolean, now: number, own?: string): Deferral | undefined {
    if (this.worse(root, score, now, own)) return 'worse';
    const f = this.#fetching.get(tree);
    if (long && f && f.peer !== peer && now - f.at < this.#windowMs()) return 'fetching';
    return undefined;
  }

  /**
   * Whether `root` (scored `score`) is worse than a root heard of lately (its chain verified, or
   * its news: root-news.ts), for `provedMs` from when that was first heard. Never our own tree's
   * (`own`): a neighbour moving within it is proved at once, as news may name a root far away.
   */
  worse(root: string, score: Uint8Array, now: number, own?: string): boolean {
    const best = this.#best;
    return best !== undefined && now - best.at <= this.#provedMs() && best.root !== root && root !== own && compareBytes(score, best.score) > 0;
  }

  /**
   * How long a long request for `tree` waits still (0: ask now). The first opens a window of
   * `draw()` (0–1, random) × CHAIN_LISTEN_MS, once per `windowMs`: a neighbour's answer of the
   * same tree broadcast meanwhile (to nearby askers) gives us its links, and then we ask only for
   * the tail below them. A neighbour cannot extend the window; a chain it sends that fails
   * verification only costs its own budget.
   */
  listen(tree: string, draw: () => number, now: number): number {
    const l = this.#listens.get(tree);
    if (l && now - l.at < this.#windowMs()) return Math.max(0, l.until - now);
    const ms = draw() * CHAIN_LISTEN_MS;
    if (ms > 0) remember(this.#listens, tree, { at: now, until: now + ms }, this.#limit());
    return ms;
  }

  /** Whether we listen (or just listened) for `tree`'s links: a neighbour's whole chain of it is taken unasked. */
  listening(tree: string, now: number): boolean {
    const l = this.#listens.get(tree);
    return l !== undefined && now - l.at < this.#windowMs();
  }

  /** A chain of `tree` from `peer` verified: the fetch is over; its root may defer worse ones. */
  landed(peer: string, tree: string, root: string, score: Uint8Array, now: number): void {
    this.#fetching.delete(tree);
    this.#asked.delete(peer);
    this.heardOf(root, score, now);
  }

  /** A root better than the others is known (its chain verified, or its news: root-news.ts): worse roots' chains wait. */
  heardOf(root: string, score: Uint8Array, now: number): void {
    const best = this.#best;
    // Not refreshed by the same root: a best root defers others for `provedMs` from when it was first proved.
    if (!best || now - best.at > this.#provedMs() || compareBytes(score, best.score) < 0) this.#best = { root, score, at: now };
  }

  /** Keep `peer`'s announcement for when the links above it come. */
  holdTail(peer: string, blob: Uint8Array): void {
    remember(this.#tails, peer, blob.slice(), this.#limit());
  }

  /**
   * `peer`'s kept announcement, taken once, if it announces this very place (`holder` at
   * `address` in root/epoch) from depth `from` (the links above it that we hold); else undefined.
   */
  takeTailFor(peer: string, holder: Uint8Array, root: Uint8Array, epoch: number, address: Uint8Array, from: number): Uint8Array | undefined {
    const tail = this.takeTail(peer);
    const a = tail ? parseChainMessage(tail, holder) : undefined;
    const fits = a !== undefined && a.from === from && a.epoch === epoch && bytesEqual(a.root, root) && bytesEqual(a.links[a.links.length - 1].address, address);
    return fits ? tail : undefined;
  }

  /** `peer`'s kept announcement, once (undefined: none). */
  takeTail(peer: string): Uint8Array | undefined {
    const t = this.#tails.get(peer);
    this.#tails.delete(peer);
    return t;
  }

  clear(): void {
    this.held.clear();
    this.#tails.clear();
    this.#fetching.clear();
    this.#listens.clear();
    this.#askWhole.clear();
    this.#best = undefined;
  }
}
