/**
 * SpanningTree (protocol.md §6.3): elects a root (lowest claim score: node id XOR "1234"×8) and
 * hands out tree addresses (a child's coordinates = its parent's + the lowest free 1..135), so
 * greedy routing by dTree/dCPL works. Every 20 s each node broadcasts a SEND advert, asks the best
 * claim heard for an address if it beats its root, and resets to its own root after 60 s unrefreshed.
 *
 * Beyond upstream, both compatible on the air:
 * - a node refreshed by its parent re-advertises at once (after a short jitter), so the root's
 *   freshness reaches the whole tree within one round (with upstream's periodic-only adverts the
 *   age grows up to 20 s per level: nodes deeper than ~3 levels reset a healthy tree each minute).
 * - an ASSIGN for the same root is adopted when it makes the node shallower (upstream asks for
 *   such shortcuts, then refuses the answer: the claim is not strictly better).
 * - a better claim is acted on at once; parents are ranked by depth + link ETX; with Hello, lost
 *   parents and roots are replaced in seconds (tree-repair.ts, docs/routing.md "Fast tree repair").
 */
import { TREE_DEFAULTS, parentHoldMs, type SpanningTreeParams } from './tree-params.js';
import { AddressGossip, type AddressGossipHost } from './address-gossip.js';
import { MeshApp } from './app.js';
import { TreeOp, parseTree, treeAgeSeconds, type TreeMessage } from '../wire/messages/tree.js';
import { Address } from '../wire/address.js';
import { bytesEqual, compareBytes, toHex } from '../wire/bytes.js';
import { treeState } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import type { AppState } from '../node.js';
import type { Peer } from '../packager/peer.js';
import { Hello } from './hello.js';
import { Beacon } from './beacon.js';
import { BeaconOp } from '../wire/messages/beacon.js';
import { ClaimTable, type Claim, isFull, isPrefix, rankOf, refreshedAt, usableVia } from './tree-claims.js';
import { judgeOffer, toldToMove, yieldsTo } from './tree-offer.js';
import { TreeRepair, type TreeControl } from './tree-repair.js';
import { TreeHostBase } from './tree-host.js';
import { TreeCoordinates } from './tree-coordinates.js';
import { TreeReplay, type TreeReplayParams } from './tree-replay.js';
import { hangsFromNothing } from './hanging-address.js';
import { RequestRetry } from './tree-request-retry.js';
import type { TreeLayer } from './tree-layer.js';
import { TreeBorders, type BorderHost } from './tree-borders.js';
import { TreeMessages, type TreeMessageHost } from './tree-messages.js';
import { considerDelay } from './tree-pace.js';
import { treeSender } from './tree-strangers.js';
import { assignChild, roomForChild, tellToMove } from './tree-assign.js';
import { ParentRefresh, quiet, stale } from './parent-refresh.js';
import { TREE_EVENT_SUFFIXES, advertNow, considerNow, exposeTreeCallbacks, maintainNow, watchNow } from './tree-events.js';
export type { SpanningTreeParams } from './tree-params.js';

export class SpanningTree extends MeshApp<SpanningTreeParams> {
  /** What the tree's parts see of it (tree-host.ts), with what needs the tree's private state. */
  static readonly #Host = class TreeHost extends TreeHostBase implements TreeControl, TreeMessageHost, AddressGossipHost, BorderHost, TreeReplayParams {
    readonly #t: SpanningTree;
    constructor(t: SpanningTree) {
      super(t);
      this.#t = t;
    }
    get claims(): ClaimTable {
      return this.#t.#claims;
    }
    root(): Uint8Array {
      return this.#t.#root;
    }
    rootScore(): Uint8Array {
      return this.#t.#rootScore;
    }
    scoreOfRoot(prefix: Uint8Array): Uint8Array {
      return this.#t.#claims.scoreOfRoot(prefix) ?? this.score(prefix);
    }
    parentKey(): string | undefined {
      return this.#t.#parentKey;
    }
    leads(): boolean {
      return this.#t.#coords.leads();
    }
    claimOf(k: string): Claim | undefined {
      return this.#t.#claims.of(k);
    }
    refreshed(now: number): void {
      this.#t.#lastRefresh = Math.max(this.#t.#lastRefresh, now);
    }
    request(peerId: Uint8Array, claim: Uint8Array, via: string | undefined): void {
      this.#t.requestAddress(peerId, claim, via);
    }
    advertiseTo(peerId: Uint8Array): void { this.#t.#msgs.send(TreeOp.SEND, peerId); }
    publish(a: Address | undefined): void {
      this.#t.#msgs.gossipAdvert(a);
    }
    restart(): void {
      this.#t.becomeRoot();
      this.#t.scheduleRefreshAdvert();
      this.#t.scheduleConsider();
    }
  };
  readonly #hashes: Hashes;
  /** The TreeHost above; declared first, as the parts built next hold it. */
  readonly #host: TreeHostBase & TreeControl & TreeMessageHost & AddressGossipHost & BorderHost & TreeReplayParams = new SpanningTree.#Host(this);
  #root: Uint8Array = new Uint8Array(32);
  #rootScore: Uint8Array = new Uint8Array(32);
  #parentKey: string | undefined;
  /** Our children's coordinates, and leases on those of children dropped as peers. */
  readonly #coords = new TreeCoordinates(this.#host);
  #lastRefresh = 0;
  readonly #claims = new ClaimTable(this.params);
  /** Replay window per neighbour, and the REQUESTs an ASSIGN may answer (tree-replay.ts). */
  readonly #replay = new TreeReplay(this.#host);
  readonly #repair: TreeRepair;
  /** A repair request is out to this peer: its ASSIGN is taken even if not shallower. */
  #repairVia: string | undefined;
  /** When we last took a parent (platform ms). */
  #adoptedAt = 0;
  /** When the scheduled consideration of claims runs (platform ms). */
  #considerDue = 0;
  readonly #retry = new RequestRetry();
  #refresh: ParentRefresh | undefined; // asks a parent that sends no hellos (parent-refresh.ts); made when first needed
  readonly #pub = new AddressGossip(this.#host, this.idHex + 'g');
  readonly #msgs = new TreeMessages(this.#host);
  /** A layer over the tree's messages (signed/signed-tree.ts); none: upstream's bytes exactly. */
  layer: TreeLayer | undefined;
  readonly #borders: TreeBorders; // with other trees past the 32-level capacity (tree-borders.ts)

  constructor(hashes: Hashes, params: Partial<SpanningTreeParams> = {}) {
    super(hashes, 'SpanningTree', 'Dev SpanningTree App', 0, TREE_DEFAULTS, params);
    this.#hashes = hashes;
    this.#repair = new TreeRepair(this.#host, this.params);
    this.#borders = new TreeBorders(hashes, this.#host, this.#repair);
  }

  protected override exposeCallbacks(): void {
    exposeTreeCallbacks(this, (name, fn) => this.expose(name, fn));
  }

  get root(): Uint8Array { return this.#root; }
  get parentKey(): string | undefined { return this.#parentKey; }
  get isRoot(): boolean { return bytesEqual(this.#root, this.packager.nodeId); }
  /** Our root's claim score (lowest wins); the simulator orders trees by it. */
  get rootScore(): Uint8Array { return this.#rootScore; }

  /** A new child could get an address under ours (tree-assign.ts). */
  roomForChild(now: number): boolean {
    return roomForChild(this.packager, this.#coords, this.params, now);
  }

  /** Seconds since the tree was last refreshed (what SEND carries; a u8 on the wire). */
  get age(): number {
    return Math.max(0, Math.floor((this.node.platform.now() - this.#lastRefresh) / 1000));
  }

  children(): Record<string, number> { return this.#coords.children(); }

  /** Children hold (or lease) coordinates under ours: a node settled in its tree (tree-claims.ts mayCross). */
  get leads(): boolean { return this.#coords.leads(); }

  /** The tree's part of `node.state()`. */
  addState(): AppState {
    return { tree: { root: toHex(this.#root), running: this.started, parent: this.#parentKey, children: Object.keys(this.#coords.children()) } };
  }

  /** Heartbeat figures: the highest root heartbeat heard, whether the root beats, when it last did. */
  get heartbeat(): { readonly seq: number; readonly beats: boolean; readonly lastBeat: number } {
    return this.#repair.watch.figures();
  }

  knownClaims(): { claim: string; depth: number; peer: string }[] {
    return this.#claims.list.map((c) => ({ claim: toHex(c.claim), depth: c.depth, peer: c.peerKey }));
  }

  protected override onStart(): void {
    this.packager.addHook('remove_peer', this.peerRemoved, this); // methods and the app: no closures (issue 21)
    if (this.params.advert_priority) this.packager.prioritizeBroadcasts(this.id);
    this.becomeRoot();
    const gossip = this.#host.gossip();
    if (gossip && this.params.pub) this.packager.addHook('set_addr', this.#pub.changed, this.#pub);
    if (gossip && this.params.sub) gossip.subscribe(this.id, this.id);
    this.node.app(Hello)?.listen(this.#repair);
    if (this.node.app(Hello)) this.#borders.start(this.id, this.idHex + 'b', this.node.platform.randomBytes(new Uint8Array(2))); // ours: among nodes that speak Hello
    this.packager.schedule(this.idHex + 'w', this.params.watch_ms, watchNow, this);
    const r = this.node.platform.randomBytes(new Uint8Array(4));
    const delay = (((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0) % Math.max(1, this.params.max_start_delay);
    this.packager.schedule(this.idHex + 's', this.layer?.firstAdvert?.(delay, this.params.max_start_delay) ?? delay, maintainNow, this);
  }

  protected override onStop(): void {
    this.packager.removeHook('remove_peer', this.peerRemoved, this);
    this.packager.removeHook('set_addr', this.#pub.changed, this.#pub);
    this.packager.prioritizeBroadcasts(this.id, false);
    // Maintenance, advert, watch, consider, refresh and request-retry events ('q' ran on after a stop).
    for (const e of TREE_EVENT_SUFFIXES) this.packager.cancel(this.idHex + e);
    this.#borders.stop(this.id, this.idHex + 'b');
    this.#pub.stop();
    this.node.app(Hello)?.listen(undefined);
    this.#host.gossip()?.unsubscribe(this.id, this.id);
  }

  /** One maintenance round (upstream's maintain_tree), then the next in 20 s. */
  maintain(): void {
    const now = this.node.platform.now();
    this.expireAged(now);
    this.consider();
    if (this.isRoot) this.#lastRefresh = now;
    if (this.#host.asideOver(now)) this.becomeRoot(); // stepped aside, and alone since: our own claim counts again
    this.#msgs.periodic(this.params.broadcast_count, this.params.tree_maintenance_delay, this.params.advert_max_ms);
    this.packager.schedule(this.idHex + 's', this.params.tree_maintenance_delay, maintainNow, this);
    if (this.params.pub_each_round) this.#msgs.gossipAdvert(this.packager.address);
    else if (this.params.pub) this.#pub.refresh(this.params.pub_refresh_ms);
  }

  /**
   * A layer that does not prove a neighbour's SEND for a root worse than ours (signed-tree.ts)
   * lets it learn our better root all the same: a RESPOND, as #onTree would send. False (the
   * layer goes on as before) when the root is not worse, or our address has no room for it
   * (a border: its claim and address are what routes into its tree).
   */
  answerWorse(peerId: Uint8Array, claim: Uint8Array): boolean {
    if (!this.started || compareBytes(this.#rootScore, this.#host.score(claim)) >= 0 || isFull(this.packager.address?.coords ?? [], this.params.address_levels)) return false;
    this.#msgs.answerWorseClaim(peerId, this.packager.peer(peerId)?.link !== undefined);
    return true;
  }

  /** Broadcast a SEND advert describing our root and address. */
  broadcast(): void {
    this.#msgs.broadcast(this.params.broadcast_count);
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    if (this.#borders.isTopic(from.topic)) return this.#borders.receive(blob);
    if (this.layer) this.layer.open(blob, from, (inner) => this.started && this.onTree(inner, from));
    else this.onTree(blob, from);
  }

  private onTree(blob: Uint8Array, from: Delivery): void {
    const parsed = parseTree(blob);
    if (!parsed.ok) return this.packager.counters.inc('tree_bad_message');
    const m = { ...parsed.value, age: treeAgeSeconds(parsed.value.age) }; // seconds from here on, on the old side
    if (bytesEqual(m.nodeId, this.packager.nodeId)) return;
    const peer = treeSender(this.packager, m, from, this.params.peers_from_tree);
    const now = this.node.platform.now();
    const direct = peer !== undefined && bytesEqual(peer.id, m.nodeId);
    if (direct && this.#replay.stale(peer.key, Number(m.ts), now)) return this.packager.counters.inc('tree_replay'); // older than what it already said
    // Only our parent's word about *our* root refreshes the tree (a parent that has moved to
    // another tree must not keep our old one alive); from a parent we ask (parent-refresh.ts), an ASSIGN too.
    if (direct && peer.key === this.#parentKey && (m.op === TreeOp.SEND || m.op === TreeOp.RESPOND || (m.op === TreeOp.ASSIGN_ADDRESS && quiet(peer, !this.#repair.far()))) && bytesEqual(m.claim, this.#root)) {
      const refreshed = refreshedAt(now, m.age);
      this.#repair.parentSpoke(refreshed);
      if (refreshed > this.#lastRefresh + 500) {
        this.#lastRefresh = refreshed;
        this.scheduleRefreshAdvert();
      }
    }
    switch (m.op) {
      case TreeOp.SEND: {
        // A one-hop advert speaks for its sender only; others' adverts travel in Gossip
        // (`pub`). A neighbour's SEND naming someone else is a forged route (issue 19).
        if (!direct && from.topic === undefined) return this.packager.counters.inc('tree_advert_not_own');
        if (!direct) return void this.routeTo(m); // via Gossip: a route, not a neighbour's claim
        const addr = this.heard(m, peer, now);
        if (compareBytes(this.#rootScore, this.#host.score(m.claim)) < 0) this.#msgs.answerWorseClaim(peer.id, peer.link !== undefined);
        else this.afterClaim(m, peer, addr);
        return;
      }
      case TreeOp.RESPOND:
        // fix: a RESPOND carries its sender's address too; upstream learns routes only from SEND,
        // so a node that joined through a RESPOND could not route to its parent until its next advert.
        if (!direct) return;
        this.heard(m, peer, now);
        // With answer_any_claim a worse root's RESPOND is answered as its SEND is: its SEND may never have reached us.
        if (this.params.answer_any_claim && compareBytes(this.#rootScore, this.#host.score(m.claim)) < 0) this.#msgs.answerWorseClaim(peer.id, peer.link !== undefined);
        else this.afterClaim(m, peer, undefined);
        return;
      case TreeOp.REQUEST_ADDRESS_ASSIGNMENT:
        if (direct) this.assign(peer.key, peer.id, m.claim);
        return;
      case TreeOp.ASSIGN_ADDRESS:
        if (direct) this.adopt(m, peer.key, peer.id);
        return;
    }
  }

  // ------------------------------------------------------------------ tree changes

  private becomeRoot(reset = false): void {
    if (reset) this.packager.counters.inc('tree_reset');
    this.#msgs.changed(this.params.tree_maintenance_delay);
    const own = this.packager.nodeId;
    this.#root = own; // the Packager's copy, never written: no 152 B copy (issue 21)
    this.#rootScore = this.#host.score(own);
    this.#parentKey = undefined;
    this.#repairVia = undefined;
    this.#lastRefresh = this.node.platform.now();
    // Our heartbeat goes on from a random number, so that a mark a neighbour may hold against an
    // earlier life of ours is lifted by our next beats rather than refused for its whole term.
    const r = this.node.platform.randomBytes(new Uint8Array(2));
    this.#repair.newRoot(this.#lastRefresh, (r[0] << 8) | r[1]);
    const mine = unwrap(Address.fromCoords(treeState(this.#hashes, own), []));
    this.#coords.rebase(mine);
    this.packager.setAddress(mine);
  }

  /** Our tree (a counted reset: becomeRoot's `reset`) and the claims heard, older than max_tree_age, given up: at maintenance; with expire_at_use, whenever used. */
  private expireAged(now: number): void {
    const maxAgeMs = this.params.max_tree_age * 1000;
    if (!this.isRoot && now - this.#lastRefresh > maxAgeMs) this.becomeRoot(true);
    this.#claims.expire(now - maxAgeMs);
  }

  private assign(peerKey: string, peerId: Uint8Array, claim: Uint8Array): void {
    if (this.params.expire_at_use) this.expireAged(this.node.platform.now()); // no address in a tree aged out since maintenance
    // A REQUEST for a tree we left (its ASSIGN would be refused): with answer_any_claim, our root goes to it instead.
    if (treeState(this.#hashes, claim) !== treeState(this.#hashes, this.#root)) return void (this.params.answer_any_claim && this.#msgs.answerWorseClaim(peerId));
    if (yieldsTo(this.packager.nodeId, peerId, this.#repairVia === peerKey && this.#replay.pending(peerKey, this.#root))) return this.packager.counters.inc('tree_assign_crossed');
    if (this.#repair.refusesAncestor(peerKey, this.node.platform.now())) return; // it rebooted: an address under ours would be a loop (tree-repair.ts)
    assignChild(this.packager, this.#coords, this.#msgs, this.params, peerKey, peerId, this.node.platform.now(), this.node.modemSleep?.leaf === true);
    if (this.#coords.leads()) this.node.app(Hello)?.hurry(); // a child watches our hellos from now
  }

  private adopt(m: TreeMessage, peerKey: string, peerId: Uint8Array): void {
    const offered = Address.fromBytes(treeState(this.#hashes, m.claim), m.address);
    if (!offered.ok) return;
    // Our parent telling us to move (no REQUEST of ours waits: we ask it and take its answer), or no answer to one: a replay.
    const told = peerKey === this.#parentKey && !this.#replay.pending(peerKey, m.claim) && bytesEqual(m.claim, this.#root) && toldToMove(this.packager.address?.coords ?? [], offered.value.coords);
    if (told) return this.requestAddress(peerId, this.#root, peerKey);
    if (!this.#replay.answers(peerKey, m.claim, this.node.platform.now())) return this.packager.counters.inc('tree_assign_unsolicited');
    const cmp = compareBytes(this.#host.score(m.claim), this.#rootScore);
    const verdict = judgeOffer({ cmp, isRoot: this.isRoot, mine: this.packager.address?.coords ?? [], offered: offered.value.coords, asked: this.#repairVia === peerKey });
    if (verdict === 'inside') this.packager.counters.inc('tree_assign_inside');
    const dead = this.#repair.isDead(m.claim, this.node.platform.now());
    if (verdict !== 'take' || m.age >= this.params.max_tree_age || dead) {
      if (this.params.expire_at_use && (m.age >= this.params.max_tree_age || dead)) this.#claims.forgetPeer(peerKey); // not asked again for it
      return void this.#msgs.send(TreeOp.RESPOND, peerId);
    }
    this.#repairVia = undefined;
    this.#msgs.changed(this.params.tree_maintenance_delay);
    this.#adoptedAt = this.node.platform.now();
    this.#repair.parentTaken(refreshedAt(this.node.platform.now(), m.age));
    if (cmp !== 0) this.#repair.joined(this.node.platform.now(), m.claim);
    if (cmp !== 0) this.packager.counters.inc('tree_rejoin'); // a better root: one round of the formation storm
    this.#root = m.claim.slice();
    this.#rootScore = this.#host.score(this.#root);
    this.#parentKey = peerKey;
    this.#coords.rebase(offered.value);
    this.#lastRefresh = refreshedAt(this.node.platform.now(), m.age);
    this.packager.setAddress(offered.value);
    // Our parent's address is ours minus the last coordinate: a route to it at once.
    const parentAddr = Address.fromCoords(offered.value.treeState, offered.value.coords.slice(0, -1));
    if (parentAddr.ok) this.packager.addRoute(peerId, parentAddr.value);
    this.scheduleRefreshAdvert();
  }

  // Packager hook 'remove_peer' (called with the tree as `this`; event handlers: tree-events.ts).
  private peerRemoved(id: Uint8Array): void {
    const key = toHex(id);
    this.#repair.forgetPeer(key);
    this.#coords.release(key, this.node.platform.now());
    this.#claims.forgetPeer(key);
  }

  /** A route to the sender of `m` at the address it states; that address, if it parses. */
  private routeTo(m: TreeMessage): Address | undefined {
    const addr = Address.fromBytes(treeState(this.#hashes, m.claim), m.address);
    if (!addr.ok) return undefined;
    this.packager.addRoute(m.nodeId, addr.value);
    return addr.value;
  }

  /** A neighbour's SEND or RESPOND: a route to it, its coordinate's lease, its claim; parsed once. */
  private heard(m: TreeMessage, peer: Peer, now: number): Address | undefined {
    const addr = this.routeTo(m);
    if (addr) peer.holdsNow(addr);
    const move = this.#coords.heard(peer.key, addr, now); // two at one address under ours: one is told (on a SEND: a RESPOND answers our word)
    if (m.op === TreeOp.SEND) tellToMove(this.packager, this.#msgs, move);
    this.remember(m, addr, peer.key, now);
    return addr;
  }

  private remember(m: TreeMessage, addr: Address | undefined, peerKey: string, now: number): void {
    if (m.age < this.params.max_tree_age && !this.#repair.isDead(m.claim, now)) this.#claims.rememberAdvert(m, this.#host.score(m.claim), addr, peerKey, now, this.packager.nodeSlots);
  }

  private scheduleRefreshAdvert(): void {
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    this.packager.schedule(this.idHex + 'a', Math.floor((r[0] / 256) * this.params.refresh_jitter_ms), advertNow, this);
  }

  // ------------------------------------------------------------------ acting on claims

  /** A neighbour's SEND or RESPOND was remembered: act now if it beats our place in the tree. */
  private afterClaim(m: TreeMessage, peer: Peer, addr: Address | undefined): void {
    const cmp = compareBytes(this.#host.score(m.claim), this.#rootScore);
    const ourDepth = this.packager.address?.coords.length ?? 0;
    if (cmp < 0 && peer.key === this.#parentKey && addr && isFull(addr.coords, this.params.address_levels)) this.#repair.parentLeft(this.node.platform.now());
    else if (cmp < 0) this.scheduleConsider(this.#host.pace(m.claim));
    else if (cmp === 0 && peer.key === this.#parentKey && addr && !this.isRoot) {
      // Our parent moved within the tree (a repair above us): ask it for an address under its new one.
      const mine = this.packager.address?.coords ?? [];
      // Its answer is taken even though it makes us deeper.
      if (!isPrefix(addr.coords, mine) || addr.coords.length !== mine.length - 1) this.requestAddress(peer.id, this.#root, peer.key);
    } else if (cmp === 0 && !this.isRoot && addr && addr.coords.length < ourDepth) this.scheduleConsider();
  }

  /** Consider the claims after the jitter plus a better root's pace (tree-pace.ts), or `at`; a better claim heard meanwhile brings it forward. */
  private scheduleConsider(pace = 0, at?: number): void {
    if (this.params.claim_pace_ms === 0 && this.packager.isScheduled(this.idHex + 'c')) return; // unpaced: as before, no draw
    const now = this.node.platform.now();
    const due = at ?? now + considerDelay(pace, this.params.consider_jitter_ms, this.params.claim_pace_ms, this.node.platform.randomBytes(new Uint8Array(1))[0] / 256);
    if (this.packager.isScheduled(this.idHex + 'c') && this.#considerDue <= due) return;
    this.#considerDue = due;
    this.packager.schedule(this.idHex + 'c', due - now, considerNow, this);
  }

  /** Ask the claim tree-claims.ts chooses for an address, if any (`retry`: after an unanswered one). */
  consider(retry = false): void {
    const now = this.node.platform.now();
    if (this.params.expire_at_use) this.expireAged(now);
    const leads = this.#coords.leads();
    const own = { rootScore: this.#rootScore, isRoot: this.isRoot, parentKey: this.#parentKey, coords: this.packager.address?.coords ?? [], mayReplace: now - this.#adoptedAt >= parentHoldMs(this.params, leads), leads };
    const c = this.#claims.choose(own, (k) => usableVia(this.packager, k, now) && !this.#replay.passOver(this.packager, k, now), (x) => rankOf(this.packager, x, now));
    const wait = c ? this.#repair.newsWait(c.claim.claim, c.claim.score, now) : 0; // news of a better root is on its way (tree-news.ts)
    if (wait > 0) this.scheduleConsider(0, now + wait);
    else if (c) this.requestAddress(c.claim.peerId, c.claim.claim, c.deeper ? c.claim.peerKey : undefined, retry);
  }

  // ------------------------------------------------------------------ repair (tree-repair.ts); claims and requests (messages: tree-messages.ts)
  /** The watch event: the parent's hellos and the root's heartbeat (tree-repair.ts), every watch_ms. */
  watchTick(): void {
    this.packager.schedule(this.idHex + 'w', this.params.watch_ms, watchNow, this);
    const now = this.node.platform.now();
    this.#repair.tick(now);
    // The age first: the parent's lookup only for a tree going stale, not every tick.
    const parent = this.#parentKey === undefined || !stale(this.#lastRefresh, now, this.params.max_tree_age * 1000) ? undefined : this.packager.peerByKey(this.#parentKey);
    if (!parent || !quiet(parent, !this.#repair.far()) || !(this.#refresh ??= new ParentRefresh()).due(now)) return;
    this.packager.counters.inc('tree_refresh_asked');
    this.#replay.asked(parent.key, this.#root, now); // its ASSIGN answers this REQUEST
    this.#msgs.send(TreeOp.REQUEST_ADDRESS_ASSIGNMENT, parent.id, undefined, this.#root);
  }

  /** Ask `peerId` for an address; `via` (its key): take its answer even if it makes us deeper. */
  private requestAddress(peerId: Uint8Array, claim: Uint8Array, via?: string, retry = false): void {
    const key = this.packager.keyOf(peerId);
    const now = this.node.platform.now();
    if (key === this.#parentKey && hangsFromNothing(this.packager, key, this.#replay.ignoring(key, now))) return this.#repair.parentLeft(now);
    if (via !== undefined) this.#repairVia = via;
    const unanswered = this.#replay.asked(key, claim, now);
    if (!retry) this.#retry.fresh();
    const wait = this.params.request_retry_ms > 0 ? this.#retry.next(this.params.request_retry_ms, this.node.platform.randomBytes(new Uint8Array(1))[0] / 256) : undefined; // no draw when off: same runs as before
    // Unanswered by then: choose again (the same claim, or a better one heard meanwhile).
    if (wait !== undefined) this.packager.schedule(this.idHex + 'q', wait, () => this.#replay.pending(key, claim) && this.consider(true));
    // It may not know us (our beacons lost): our beacon first, then the REQUEST it can now take.
    if (unanswered && this.params.introduce_on_retry) this.node.app(Beacon)?.send(peerId, BeaconOp.RESPONSE);
    this.#msgs.send(TreeOp.REQUEST_ADDRESS_ASSIGNMENT, peerId, undefined, claim);
  }
}
