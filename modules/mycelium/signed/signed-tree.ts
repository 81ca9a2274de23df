/**
 * SignedTree (issue 20): the signed layer over SpanningTree, stacked as Ironwood stacks its
 * `signed/` package — the tree stays upstream's protocol, and this app, added to the node,
 * becomes its TreeLayer (apps/tree-layer.ts): it seals what the tree sends and vouches for what
 * it receives. Its app id, listed in our Beacons, is the capability "this neighbour signs".
 *
 * - SEND/RESPOND/REQUEST are signed by their sender (node id = public key) and verified.
 * - A neighbour's SEND or RESPOND reaches the tree only once its address is proved by a chain
 *   from the root (tree-chain.ts). Each link crosses a hop about once: a node announces its new
 *   link, a neighbour asks only for the links below those it verified (ChainBook), and ASSIGN
 *   carries the parent's link but not its chain (the child proved it before asking).
 * - Two proved links giving one coordinate to two children prove their signer's equivocation:
 *   the signer is refused for `rogue_ms`, dropped as a peer (so its children pick another
 *   parent) and the two links are broadcast as evidence, which each node verifies itself.
 * - Each neighbour may make us verify at most `verify_per_round` signatures per round.
 * - Forming: the best root's news goes ahead of its tree (root-news.ts); no own claim before its turn (first-advert.ts).
 * Modes and pinned roots: signed/security.ts. Nothing here throws out of a receive path.
 */
import { MeshApp } from '../apps/app.js';
import { SpanningTree } from '../apps/spanning-tree.js';
import { isFull } from '../apps/tree-claims.js';
import type { TreeLayer } from '../apps/tree-layer.js';
import { Beacon } from '../apps/beacon.js';
import type { Delivery } from '../packager/application.js';
import type { Peer } from '../packager/peer.js';
import type { Hashes, Signatures } from '../platform/platform.js';
import type { SignedCounterName } from '../packager/counter-names.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import { TreeOp, parseTree, TREE_MESSAGE_BYTES } from '../wire/messages/tree.js';
import { Address, decodeAddress } from '../wire/address.js';
import { decodeChain, linkMessage, verifyChain, type Link } from './tree-chain.js';
import { ChainBook, remember, type Equivocation } from './chain-book.js';
import { ChainFetch } from './chain-fetch.js';
import { ANSWER_WAIT_MS, ChainAnswers } from './chain-answers.js';
import { OwnChains, type OwnChain } from './own-chain.js';
import { fanOutMixed, openUpstream } from './mixed-leaves.js';
import { SignedOp, chainRequest, linkAsTail, parseChainMessage } from './signed-messages.js';
import { onEvidence, refuseRogue } from './rogue-signers.js';
import { VerifyBudget } from './verify-budget.js';
import { isRootAddress, messageToSign, seal, unseal } from './tree-seal.js';
import { ClaimRank } from './claim-rank.js';
import { appBeaconProof, type BeaconProof } from './beacon-proof.js';
import { SIGNED_TREE_DESCRIPTION, SIGNED_TREE_NAME, type Signer } from './signer.js';
import { OwnTurn } from './first-advert.js';
import { RootNews } from './root-news.js';
import { SIGNED_TREE_DEFAULTS, type SecurityOptions, type SignedTreeParams } from './security.js';

export type { SignedTreeParams } from './security.js';
export { signedTreeAppId, type Signer } from './signer.js';

const Op = SignedOp;

export class SignedTree extends MeshApp<SignedTreeParams> implements TreeLayer {
  readonly mode: 'signed' | 'mixed';
  readonly #key: Signer;
  /** Pinned roots and root work (claim-rank.ts). */
  readonly #rank: ClaimRank;
  /** Whether `child` holds `address` now, known only for ourselves. */
  readonly #holdsNow = (child: string, address: string) => (child === this.packager.nodeKey ? toHex(this.packager.address?.bytes ?? new Uint8Array(0)) === address : undefined);
  readonly #book = new ChainBook(() => this.params.chains_limit, () => this.params.conflict_ms, () => this.params.rogue_ms, this.#holdsNow);
  readonly #budget = new VerifyBudget(() => this.params.verify_per_round, () => this.params.verify_round_ms, () => this.params.chains_limit);
  /** Adverts waiting for their sender's chain, and when to ask it (chain-fetch.ts). */
  readonly #fetch = new ChainFetch(() => this.params.chains_limit, () => this.params.chain_request_ms, () => this.params.verify_round_ms);
  /** Neighbours' chain requests, answered together (chain-answers.ts). */
  readonly #answers = new ChainAnswers(() => this.params.chains_limit);
  /** An ASSIGN from a parent whose chain we have not proved: retried when its chain comes (capped). */
  readonly #heldAssign = new Map<string, () => void>();
  /** Our own chains, root epoch and announcements (own-chain.ts). */
  readonly #own = new OwnChains();
  #tree: SpanningTree | undefined;
  /** Signed Beacons: our key proofs out, neighbours' in (beacon-proof.ts). */
  readonly beaconProof: BeaconProof;
  /** The best root's own word, passed on ahead of its tree (root-news.ts). */
  readonly #news: RootNews;
  /** Our own claim unspoken before our turn (first-advert.ts). */
  readonly #turn = new OwnTurn();

  constructor(hashes: Hashes, key: Signer, security: SecurityOptions, params: Partial<SignedTreeParams> = {}) {
    super(hashes, SIGNED_TREE_NAME, SIGNED_TREE_DESCRIPTION, 0, { ...SIGNED_TREE_DEFAULTS }, params);
    if (security.mode === 'open') throw new TypeError('SignedTree runs in signed or mixed mode; open mode runs without it');
    this.mode = security.mode;
    this.#key = key;
    this.#rank = new ClaimRank(security, key.publicKey, key.rootWork, () => this.params.chains_limit);
    this.#news = new RootNews(this, this.#rank, this.#fetch, (k, check) => this.#verify(k, 1, this.node.platform.now(), check));
    this.beaconProof = appBeaconProof(this, this.#budget, (m) => key.sign(m));
  }

  protected override onStart(): void {
    this.#tree = this.node.app(SpanningTree);
    if (this.#tree) this.#tree.layer = this;
    const beacon = this.node.app(Beacon);
    beacon?.watch(this.id);
    if (beacon) beacon.layer = this.beaconProof;
    this.#own.seed(this.node.platform.randomBytes(new Uint8Array(4)));
    this.#turn.start(this.node.platform.now());
    // Broadcast chains: every neighbour acked every fragment (878 B a node at 1,000 nodes) for a
    // sender that keeps no state for them; a receiver missing one asks for it (rtx) anyway.
    this.packager.unackedBroadcasts(this.id);
  }

  protected override onStop(): void {
    if (this.#tree?.layer === this) this.#tree.layer = undefined;
    const beacon = this.node.app(Beacon);
    if (beacon?.layer === this.beaconProof) beacon.layer = undefined;
    this.#tree = undefined;
    this.packager.unackedBroadcasts(this.id, false);
    for (const event of 'fnl') this.packager.cancel(this.idHex + event); // held adverts' retry, answers, listening
    this.#fetch.clear();
    this.#answers.clear();
    this.#heldAssign.clear();
    this.#news.clear();
  }

  // ------------------------------------------------------------------ TreeLayer

  /** No address adverts on Gossip: ours take an address only from its holder, with a chain; every node would refuse them. */
  readonly gossipsAdverts = false;

  score(claim: Uint8Array): Uint8Array {
    return this.#rank.score(claim);
  }

  pace(claim: Uint8Array): number {
    return this.#rank.pace(claim);
  }

  /** The root of the tree we are in now (root-news.ts). */
  ownRoot(): Uint8Array | undefined {
    return this.#tree?.root;
  }

  firstAdvert(drawn: number, maxMs: number): number {
    return this.#turn.schedule(this.#rank.startPace(this.#key.publicKey), drawn, maxMs);
  }

  seal(bytes: Uint8Array, to: Uint8Array | undefined): Uint8Array | undefined {
    const m = parseTree(bytes);
    if (!m.ok || !this.started) return undefined;
    if (this.mode === 'mixed') {
      if (to !== undefined && !this.#ours(this.packager.peer(to))) return bytes; // upstream: its own tree
      if (to === undefined && fanOutMixed(this.packager, this.#tree!.id, bytes, (p) => this.#ours(p), (id) => this.seal(bytes, id))) return undefined;
    }
    if (this.#turn.early(m.value, this.#tree?.isRoot === true, this.packager.nodeId, this.node.platform.now())) return this.#drop('signed_claim_early'), undefined;
    const own = this.#ownChain();
    if (m.value.op === TreeOp.ASSIGN_ADDRESS) {
      if (!to || !own) {
        this.packager.counters.inc('signed_no_chain');
        return undefined;
      }
      // Without our chain: the child proved it before following our claim (else it asks for it).
      const link = this.#key.sign(linkMessage({ root: m.value.claim, epoch: own.epoch }, to, m.value.address));
      return seal(bytes, own.epoch, link, this.#rank.nonce(m.value.claim));
    }
    // A broadcast SEND from a new place carries the link that gives it (own-chain.ts, tree-seal.ts).
    const link = m.value.op === TreeOp.SEND && to === undefined && own ? this.#own.announcement(own) : undefined;
    const epoch = own?.epoch ?? 0;
    return seal(bytes, epoch, this.#key.sign(messageToSign(bytes, epoch)), this.#rank.nonce(m.value.claim), link);
  }

  open(blob: Uint8Array, from: Delivery, accept: (inner: Uint8Array) => void): void {
    const peer = from.peer;
    if (blob.length === TREE_MESSAGE_BYTES) return this.#openUnsigned(blob, peer, accept);
    if (from.topic !== undefined) return this.#drop('signed_not_direct'); // relayed by Gossip: not its writer's word
    // The sender's id is left out on the air (tree-seal.ts); no peer: our own, via the loopback.
    const s = unseal(blob, peer?.id ?? this.packager.nodeId);
    const parsed = s ? parseTree(s.inner) : undefined;
    if (!s || !parsed?.ok) return this.#drop('signed_bad_message');
    const m = parsed.value;
    if (bytesEqual(m.nodeId, this.packager.nodeId)) return; // our own, back through the loopback
    if (!peer || !bytesEqual(peer.id, m.nodeId)) return this.#drop('signed_not_direct');
    const now = this.node.platform.now();
    if (this.#book.isRogue(peer.key, now)) return this.#drop('signed_rogue_refused');
    if (m.op !== TreeOp.REQUEST_ADDRESS_ASSIGNMENT && this.#rank.refused(m.claim)) return this.#drop('signed_not_pinned');
    if (m.op === TreeOp.ASSIGN_ADDRESS) return this.#openAssign(s.inner, s, m.claim, m.address, peer, now, accept);
    if (!this.#verify(peer.key, 1, now, (ed) => ed.verify(m.nodeId, messageToSign(s.inner, s.epoch), s.signature))) return;
    this.#rank.learn(this.node.platform, m.claim, s.work); // only after its signature
    if (m.op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT) return accept(s.inner);
    // SEND or RESPOND: routed by and followed only once its address is proved.
    const root = toHex(m.claim);
    const address = toHex(m.address);
    if (this.#fetch.superseded(peer.key, root + '/' + s.epoch + '/' + address, false)) this.#drop('signed_held_superseded');
    // The link a SEND carries for its new place: as the one-link announcement it stands for.
    const tail = s.link && m.op === TreeOp.SEND ? linkAsTail(m.claim, s.epoch, m.address, peer.id, s.link) : undefined;
    if (tail) this.#onChain(tail, peer);
    const both = this.#book.concurrent(peer.key, root, s.epoch, address, now);
    if (both) this.#rogueFound(both, now);
    const rootSays = bytesEqual(m.claim, m.nodeId) && isRootAddress(m.address);
    if (rootSays) this.#news.fromRoot(blob, m.claim);
    const waits = this.#waits(root, m.claim, now);
    if (!waits && this.#book.proved(peer.key, root, s.epoch, address, now)) return accept(s.inner);
    if (!waits && rootSays) return this.#rootProved(peer, m.claim, s.epoch, address, now), accept(s.inner);
    // Held until proved: from links we hold, its announced link, or its chain (#pursue); or a better root's tree came.
    remember(this.#fetch.held, peer.key, { inner: s.inner.slice(), epoch: s.epoch, accept, at: now }, this.params.chains_limit);
    this.#pursue(peer, now, true);
  }

  /**
   * Prove `peer`'s held advert if we can: from links we verified before (our own chain, other
   * neighbours': often the whole chain — our parent, a sibling — else all but its tail), or with
   * the link it announced; else ask for the links below those we hold, unless chain-fetch.ts
   * says to wait, or (a long request) to listen first for a neighbour's answer of that tree (then
   * it is tried again). `fresh`: the advert just came (counted once).
   */
  #pursue(peer: Peer, now: number, fresh: boolean): void {
    const h = this.#fetch.held.get(peer.key);
    const parsed = h ? parseTree(h.inner) : undefined;
    if (!h || !parsed?.ok) return;
    const m = parsed.value;
    const root = toHex(m.claim);
    const done = () => {
      this.#fetch.held.delete(peer.key);
      h.accept(h.inner);
    };
    if (this.#waits(root, m.claim, now)) return fresh && this.#drop('signed_chain_deferred'), this.#retryHeld(this.params.chain_request_ms);
    if (this.#book.proved(peer.key, root, h.epoch, toHex(m.address), now)) return done();
    if (bytesEqual(m.claim, m.nodeId) && isRootAddress(m.address)) return this.#rootProved(peer, m.claim, h.epoch, toHex(m.address), now), done();
    const coords = Address.fromBytes(0, m.address);
    const depth = coords.ok ? coords.value.coords.length : 0;
    const whole = this.#fetch.wantsWhole(peer.key);
    const prefix = coords.ok && !whole ? this.#book.verifiedPrefix(m.claim, h.epoch, coords.value.coords) : [];
    if (depth > 0 && prefix.length === depth && bytesEqual(prefix[depth - 1].child, peer.id) && !this.#book.rogueOnChain(m.claim, prefix, now)) {
      this.packager.counters.inc('signed_chain_local');
      this.#book.record(peer.key, m.claim, h.epoch, prefix, toHex(m.address), now);
      return done();
    }
    // Its announcement of this very place, kept until the links above it came: try it now.
    const tail = whole ? undefined : this.#fetch.takeTailFor(peer.key, peer.id, m.claim, h.epoch, m.address, prefix.length);
    if (tail) {
      this.#onChain(tail, peer);
      if (!this.#fetch.held.has(peer.key)) return;
    }
    // A root worse than ours: its sender is behind the formation's wave and will join a tree with
    // room (ours, or a neighbour's) at a new address; asking for this one's chain (often a whole
    // chain of another tree) buys nothing. It still hears our better root (docs/security.md).
    if (m.op === TreeOp.SEND && this.#tree?.answerWorse(peer.id, m.claim)) {
      this.#fetch.held.delete(peer.key);
      return this.#drop('signed_worse_unproved');
    }
    const from = Math.max(0, Math.min(prefix.length, depth - 1));
    const tree = root + '/' + h.epoch;
    const long = depth - from > 1;
    if (this.#fetch.deferral(peer.key, tree, root, this.score(m.claim), long, now, this.#tree && toHex(this.#tree.root))) {
      if (fresh) this.#drop('signed_chain_deferred');
      return this.#retryHeld(this.params.chain_request_ms);
    }
    const listen = long ? this.#fetch.listen(tree, () => this.node.platform.randomBytes(new Uint8Array(1))[0] / 256, now) : 0;
    if (listen > 0) return fresh && this.#drop('signed_chain_listening'), void this.packager.schedule(this.idHex + 'l', listen, () => this.#retryHeld(0));
    this.#askChain(peer, now, from, tree, long);
  }

  /**
   * While a better root's tree comes (its news, root-news.ts, or its chain verified nearby), an
   * advert of a worse tree waits: one re-join less (security.md, session 12). Not at a border (our
   * address full), where the other side's adverts are what routes into its tree (answerWorse). */
  #waits(root: string, claim: Uint8Array, now: number): boolean {
    const t = this.#tree;
    return t !== undefined && !isFull(this.packager.address?.coords ?? [], t.params.address_levels) && this.#fetch.worse(root, this.score(claim), now, toHex(t.root));
  }

  /** A root neighbour's own advert: its address proved by its signature alone. */
  #rootProved(peer: Peer, claim: Uint8Array, epoch: number, address: string, now: number): void {
    const root = toHex(claim);
    this.#book.record(peer.key, claim, epoch, [], address, now);
    this.#fetch.landed(peer.key, root + '/' + epoch, root, this.score(claim), now);
  }

  /** Try the held adverts again after `ms` (0: at once, replacing a later try). */
  #retryHeld(ms: number): void {
    const id = this.idHex + 'f';
    if (ms > 0 && this.packager.isScheduled(id)) return;
    this.packager.schedule(id, ms, () => {
      const now = this.node.platform.now();
      // Until proved or expired; a neighbour gone takes its advert with it.
      if (this.#fetch.retry(now, (key) => this.packager.peerByKey(key), (peer) => this.#pursue(peer, now, false))) this.#retryHeld(this.params.chain_request_ms);
    });
  }

  // ------------------------------------------------------------------ receiving

  /** Upstream's 90 bytes: refused in signed mode; in mixed mode, an upstream leaf may join us (mixed-leaves.ts). */
  #openUnsigned(blob: Uint8Array, peer: Peer | undefined, accept: (inner: Uint8Array) => void): void {
    const verdict = openUpstream(this.packager, this.mode === 'mixed', this.#ours(peer), blob, peer);
    if (verdict === 'accept') accept(blob);
    else this.#drop(verdict);
  }

  #openAssign(inner: Uint8Array, s: { epoch: number; signature: Uint8Array; chain: Uint8Array; work: Uint8Array | undefined }, root: Uint8Array, address: Uint8Array, peer: Peer, now: number, accept: (inner: Uint8Array) => void): void {
    let parent = decodeChain(s.chain);
    const coords = decodeAddress(address);
    if (!parent || !coords.ok || coords.value.length === 0) return this.#drop('signed_bad_message');
    // No chain attached (our parents send none): the parent's, as we verified it when it advertised.
    const known = parent.length === 0 ? this.#book.verifiedPrefix(root, s.epoch, coords.value.slice(0, -1)) : [];
    if (parent.length === 0 && coords.value.length > 1) {
      parent = known;
      if (known.length !== coords.value.length - 1 || !bytesEqual(known[known.length - 1].child, peer.id)) {
        // Not proved yet (it moved since): hold the answer, ask for its chain, then try again.
        remember(this.#heldAssign, peer.key, () => this.#openAssign(inner, s, root, address, peer, this.node.platform.now(), accept), this.params.chains_limit);
        const from = Math.min(known.length, coords.value.length - 2);
        return this.#askChain(peer, now, from, toHex(root) + '/' + s.epoch, coords.value.length - 1 - from > 1);
      }
    }
    const links = [...parent, { child: this.packager.nodeId.slice(), address: address.slice(), signature: s.signature.slice() }];
    const holderOfParent = parent.length ? parent[parent.length - 1].child : root;
    if (!bytesEqual(holderOfParent, peer.id)) return this.#drop('signed_bad_chain');
    if (this.#book.rogueOnChain(root, links, now)) return this.#drop('signed_rogue_refused');
    const tree = { root, epoch: s.epoch };
    const verified = parent === known ? known.length : 0;
    if (!this.#verify(peer.key, links.length - verified, now, (ed) => verifyChain(ed, tree, links, this.params.max_depth, verified).ok, 'signed_bad_chain')) return;
    this.#rank.learn(this.node.platform, root, s.work);
    this.#own.add({ root: root.slice(), epoch: s.epoch, address: address.slice(), links });
    // Under our own key, as holders are recorded: our next place then releases this one (ChainBook.record).
    const e = this.#book.record(this.packager.nodeKey, root, s.epoch, links, toHex(address), now);
    if (e) this.#rogueFound(e, now);
    accept(inner);
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    if (blob[0] === Op.KEY_PROOF) return this.beaconProof.onProof(blob, from);
    const peer = from.peer;
    if (!peer || blob.length === 0) return;
    if (blob[0] === Op.CHAIN_REQUEST) {
      if (this.#answers.add(peer.key, peer.id, blob.length > 1 ? blob[1] : 0)) this.packager.schedule(this.idHex + 'n', ANSWER_WAIT_MS, () => this.#answerChains());
      return;
    }
    if (blob[0] === Op.CHAIN || blob[0] === Op.CHAIN_TAIL) return this.#onChain(blob, peer);
    if (blob[0] === Op.EVIDENCE) return onEvidence(this, this.#book, blob, peer, (k, n, now, check) => this.#verify(k, n, now, check, 'signed_bad_chain'));
    if (blob[0] === Op.ROOT_NEWS) return this.#news.onNews(blob, peer);
    this.#drop('signed_bad_message');
  }

  /** Ask `peer` for its chain from depth `from` (at most once per `chain_request_ms`); `long`: more than one link, one such fetch per tree at a time. */
  #askChain(peer: Peer, now: number, from: number, tree: string, long: boolean): void {
    if (!this.#fetch.ask(peer.key, tree, from, long, now)) return;
    this.packager.counters.inc('signed_chain_requested');
    this.packager.send(this.id, chainRequest(from), { nodeId: peer.id });
    this.#retryHeld(2 * this.params.chain_request_ms); // its answer lost (a broadcast is not acknowledged): asked again
  }

  /** The requests gathered since the first: one broadcast, or a unicast of a one-link tail to a lone asker (chain-answers.ts). */
  #answerChains(): void {
    const own = this.#ownChain();
    const a = this.#answers.take(own);
    if (a === 'no_chain') return this.#drop('signed_no_chain');
    if (a?.to) this.packager.send(this.id, a.blob, { nodeId: a.to });
    else if (a) this.packager.broadcast(this.id, a.blob);
  }

  #onChain(blob: Uint8Array, peer: Peer): void {
    const c = parseChainMessage(blob, peer.id);
    if (!c) return this.#drop('signed_bad_message');
    const { root, epoch, from, links: sent } = c;
    const now = this.node.platform.now();
    // Beyond one link (an announcement of depth 1), a whole chain is an answer, maybe broadcast to
    // other askers: for us only if we wait on its sender (no verification for nothing).
    const waiting = this.#fetch.held.has(peer.key) || this.#heldAssign.has(peer.key) || this.#fetch.asking(peer.key, now) || this.#fetch.listening(toHex(root) + '/' + epoch, now);
    if (from === 0 && sent.length > 1 && !waiting) return this.#drop('signed_chain_unasked');
    if (this.#book.proved(peer.key, toHex(root), epoch, toHex(sent[sent.length - 1].address), now)) return; // nothing new
    // A tail continues links we verified before: those above its first link's coordinate.
    let prefix: Link[] = [];
    if (from > 0) {
      const first = decodeAddress(sent[0].address);
      prefix = first.ok && first.value.length === from + 1 ? this.#book.verifiedPrefix(root, epoch, first.value.slice(0, from)) : [];
      if (prefix.length !== from) {
        // An announcement whose links above we do not hold (yet): kept for when they come.
        if (!this.#fetch.answers(peer.key, from, now)) return this.#fetch.holdTail(peer.key, blob), this.#drop('signed_tail_held');
        return this.#wholeNext(peer, 'signed_chain_stale');
      }
    }
    const links = prefix.length > 0 ? [...prefix, ...sent] : sent;
    if (!bytesEqual(links[links.length - 1].child, peer.id)) return this.#drop('signed_bad_chain');
    if (this.#rank.refused(root)) return this.#drop('signed_not_pinned');
    if (this.#book.rogueOnChain(root, links, now)) return this.#drop('signed_rogue_refused');
    // Links identical to links we verified (a broadcast answer from above what we hold) are not verified again.
    const known = prefix.length > 0 ? prefix.length : this.#book.knownLeading(root, epoch, links);
    const ok = this.#verify(peer.key, links.length - known, now, (ed) => verifyChain(ed, { root, epoch }, links, this.params.max_depth, known).ok, 'signed_bad_chain');
    const tree = toHex(root) + '/' + epoch;
    if (!ok) {
      this.#fetch.failed(peer.key, tree);
      this.#retryHeld(0);
      return from > 0 ? this.#wholeNext(peer) : undefined;
    }
    this.#fetch.gotWhole(peer.key);
    if (this.#fetch.superseded(peer.key, tree + '/' + toHex(links[links.length - 1].address), true)) this.#drop('signed_held_superseded');
    this.#fetch.landed(peer.key, tree, toHex(root), this.score(root), now);
    const e = this.#book.record(peer.key, root, epoch, links, toHex(links[links.length - 1].address), now);
    if (e) this.#rogueFound(e, now);
    const assign = this.#heldAssign.get(peer.key);
    this.#heldAssign.delete(peer.key);
    assign?.();
    const held = this.#fetch.held.get(peer.key);
    const m = held ? parseTree(held.inner) : undefined;
    if (held && m?.ok && this.#book.proved(peer.key, toHex(m.value.claim), held.epoch, toHex(m.value.address), now)) {
      this.#fetch.held.delete(peer.key);
      held.accept(held.inner);
    }
    // Others' adverts of this tree waited for these links (chain-fetch.ts).
    if (this.#fetch.held.size > 0) this.#retryHeld(0);
  }

  /** A tail that did not fit (a link we held went stale): ask `peer`'s whole chain, at once only the first time (no request loop). */
  #wholeNext(peer: Peer, counter?: 'signed_chain_stale'): void {
    if (counter) this.#drop(counter);
    if (!this.#fetch.askWhole(peer.key) || !this.#fetch.held.has(peer.key)) return;
    this.#fetch.unask(peer.key);
    this.#pursue(peer, this.node.platform.now(), false);
  }

  #rogueFound(e: Equivocation, now: number): void {
    refuseRogue(this, this.#book, e, now);
  }

  // ------------------------------------------------------------------ helpers

  /** Our chain for the tree we are in now: [] at the root; undefined before one is proved (or through a rogue). */
  #ownChain(): OwnChain | undefined {
    const tree = this.#tree;
    const addr = this.packager.address;
    const c = tree && addr ? this.#own.current(tree.isRoot, this.packager.nodeId, tree.root, addr) : undefined;
    return c && (c.links.length === 0 || !this.#book.rogueOnChain(c.root, c.links, this.node.platform.now())) ? c : undefined;
  }

  /** Run `check` if `peerKey`'s budget allows `n` verifications; count what happened. */
  #verify(peerKey: string, n: number, now: number, check: (ed: Signatures) => boolean, bad: 'signed_bad_signature' | 'signed_bad_chain' = 'signed_bad_signature'): boolean {
    const ed = this.node.platform.signatures;
    if (!ed) return this.#drop('signed_no_signatures'), false;
    if (!this.#budget.take(peerKey, n, now)) return this.#drop('signed_budget_exceeded'), false;
    this.packager.counters.inc('signed_verify', n);
    if (check(ed)) return true;
    this.#drop(bad);
    return false;
  }

  #drop(counter: SignedCounter): void {
    this.packager.counters.inc(counter);
  }

  /** Whether `peer` signs (signed mode: every neighbour; mixed: those listing this app). */
  #ours(peer: Peer | undefined): boolean {
    if (this.mode === 'signed') return true;
    return peer !== undefined && (this.node.app(Beacon)?.lists(peer.key, this.id) ?? false);
  }
}

type SignedCounter = Exclude<SignedCounterName, 'signed_verify' | 'signed_chain_requested' | 'signed_equivocation'>;
