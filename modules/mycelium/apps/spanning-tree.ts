/**
 * SpanningTree (protocol.md §6.3): elects a root (lowest claim score: node id XOR "1234"×8) and
 * hands out tree addresses (a child's coordinates = its parent's + the lowest free 1..135), so
 * greedy routing by dTree/dCPL works. Every 20 s each node broadcasts a SEND advert, asks the
 * best claim it heard for an address when that claim beats its root, and resets to its own root
 * when the tree has not been refreshed for 60 s.
 *
 * Beyond upstream, both compatible on the air:
 * - a node refreshed by its parent re-advertises at once (after a short jitter) instead of at
 *   its next maintenance, so the root's freshness reaches the whole tree within one round. With
 *   upstream's periodic-only adverts the age grows by up to 20 s per level, and nodes deeper than
 *   about three levels reset a healthy tree every minute.
 * - an ASSIGN for the same root is adopted when it makes the node shallower (upstream requests
 *   such shortcuts but then refuses the answer because the claim is not strictly better).
 */
import { SPANNING_TREE_DEFAULTS } from './defaults.js';
import { MeshApp } from './app.js';
import { TreeOp, parseTree, serializeTree, type TreeMessage } from '../wire/messages/tree.js';
import { Address, MAX_COORDINATE, encodeCoords } from '../wire/address.js';
import { bytesEqual, compareBytes, toHex } from '../wire/bytes.js';
import { claimScore, treeState } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import type { AppState } from '../node.js';
import { Gossip } from './gossip.js';

export type SpanningTreeParams = {
  max_start_delay: number;
  tree_maintenance_delay: number;
  max_tree_age: number;
  broadcast_count: number;
  broadcast_interval: number;
  pub: boolean;
  sub: boolean;
  /** Claims remembered (upstream 10; one per advertising peer here). */
  claims_limit: number;
  /** Upper bound of the random delay before re-advertising a parent's refresh, ms. */
  refresh_jitter_ms: number;
  /**
   * Gossip our advert at every maintenance round (upstream) rather than only when our address
   * changes. Every round floods one message per node through the whole mesh: large simulations
   * turn it off.
   */
  pub_each_round: boolean;
};

interface Claim {
  readonly claim: Uint8Array;
  readonly score: Uint8Array;
  /** Platform ms when the advertiser's tree was last refreshed. */
  readonly refreshed: number;
  readonly depth: number;
  readonly peerKey: string;
  readonly peerId: Uint8Array;
}

const ZERO_ADDRESS = new Uint8Array(16);

/**
 * When a tree advertised with `age` (whole seconds, rounded down by its sender) was refreshed,
 * assuming the worst: staleness never shrinks as it passes from node to node, so a tree whose
 * root has died expires everywhere instead of being kept alive by rounding.
 */
function refreshedAt(now: number, age: number): number {
  return now - (age + 1) * 1000;
}

export class SpanningTree extends MeshApp<SpanningTreeParams> {
  readonly #hashes: Hashes;
  #root: Uint8Array = new Uint8Array(32);
  #rootScore: Uint8Array = new Uint8Array(32);
  #parentKey: string | undefined;
  readonly #children = new Map<string, number>();
  #lastRefresh = 0;
  #lastAdvert = -Infinity;
  readonly #claims: Claim[] = [];
  readonly #onRemovePeer = (id: Uint8Array) => this.#forgetPeer(toHex(id));
  readonly #onSetAddr = (a: Address) => this.#gossipAdvert(a);

  constructor(hashes: Hashes, params: Partial<SpanningTreeParams> = {}) {
    super(hashes, 'SpanningTree', 'Dev SpanningTree App', 0, { ...SPANNING_TREE_DEFAULTS, claims_limit: 32, refresh_jitter_ms: 200, pub_each_round: true }, params);
    this.#hashes = hashes;
    this.expose('broadcast', () => this.broadcast());
    this.expose('maintain_tree', () => this.maintain());
    this.expose('claim_score', (claim: Uint8Array) => claimScore(claim));
    this.expose('get_current_best_root_id', () => this.root);
    this.expose('get_current_parent', () => this.parentKey);
    this.expose('get_current_children', () => this.children());
    this.expose('get_known_claims', () => this.knownClaims());
  }

  get root(): Uint8Array {
    return this.#root;
  }

  get parentKey(): string | undefined {
    return this.#parentKey;
  }

  get isRoot(): boolean {
    return bytesEqual(this.#root, this.packager.nodeId);
  }

  /** Seconds since the tree was last refreshed (what SEND carries; a u8 on the wire). */
  get age(): number {
    return Math.max(0, Math.floor((this.node.platform.now() - this.#lastRefresh) / 1000));
  }

  children(): Record<string, number> {
    return Object.fromEntries(this.#children);
  }

  /** The tree's part of `node.state()`. */
  addState(): AppState {
    return { tree: { root: toHex(this.#root), running: this.started, parent: this.#parentKey, children: [...this.#children.keys()] } };
  }

  knownClaims(): { claim: string; depth: number; peer: string }[] {
    return this.#claims.map((c) => ({ claim: toHex(c.claim), depth: c.depth, peer: c.peerKey }));
  }

  protected override onStart(): void {
    this.packager.addHook('remove_peer', this.#onRemovePeer);
    this.#becomeRoot();
    const gossip = this.#gossip();
    if (gossip && this.params.pub) this.packager.addHook('set_addr', this.#onSetAddr);
    if (gossip && this.params.sub) gossip.subscribe(this.id, this.id);
    const r = this.node.platform.randomBytes(new Uint8Array(4));
    const delay = (((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0) % Math.max(1, this.params.max_start_delay);
    this.packager.schedule(this.idHex + 's', delay, () => this.maintain());
  }

  protected override onStop(): void {
    this.packager.removeHook('remove_peer', this.#onRemovePeer);
    this.packager.removeHook('set_addr', this.#onSetAddr);
    this.packager.cancel(this.idHex + 's');
    this.packager.cancel(this.idHex + 'a');
    this.#gossip()?.unsubscribe(this.id, this.id);
  }

  /** One maintenance round (upstream's maintain_tree), then the next in 20 s. */
  maintain(): void {
    const now = this.node.platform.now();
    const maxAgeMs = this.params.max_tree_age * 1000;
    if (!this.isRoot && now - this.#lastRefresh > maxAgeMs) {
      this.packager.counters.inc('tree_reset');
      this.#becomeRoot();
    }
    for (let i = this.#claims.length - 1; i >= 0; i--) if (now - this.#claims[i].refreshed > maxAgeMs) this.#claims.splice(i, 1);
    const best = this.#bestClaim();
    if (best) {
      const cmp = compareBytes(best.score, this.#rootScore);
      const ourDepth = this.packager.address?.coords.length ?? 0;
      if (cmp < 0 || (cmp === 0 && !this.isRoot && best.depth < ourDepth - 1)) this.#requestAddress(best.peerId, best.claim);
    }
    if (this.isRoot) this.#lastRefresh = now;
    // Skip the periodic advert when a refresh advert went out during the last round.
    if (now - this.#lastAdvert >= this.params.tree_maintenance_delay) this.broadcast();
    this.packager.schedule(this.idHex + 's', this.params.tree_maintenance_delay, () => this.maintain());
    if (this.params.pub_each_round) this.#gossipAdvert(this.packager.address);
  }

  /** Broadcast a SEND advert describing our root and address. */
  broadcast(): void {
    const m = this.#message(TreeOp.SEND);
    if (!m) return;
    this.#lastAdvert = this.node.platform.now();
    for (let i = 0; i < this.params.broadcast_count; i++) this.packager.broadcast(this.id, m);
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    const parsed = parseTree(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('tree_bad_message');
      return;
    }
    const m = parsed.value;
    const own = this.packager.nodeId;
    if (bytesEqual(m.nodeId, own)) return;
    const peer = from.peer;
    const now = this.node.platform.now();
    const direct = peer !== undefined && bytesEqual(peer.id, m.nodeId);
    // Only our parent's word about *our* root refreshes the tree (a parent that has moved to
    // another tree must not keep our old one alive).
    if (direct && peer.key === this.#parentKey && (m.op === TreeOp.SEND || m.op === TreeOp.RESPOND) && bytesEqual(m.claim, this.#root)) {
      const refreshed = refreshedAt(now, m.age);
      if (refreshed > this.#lastRefresh + 500) {
        this.#lastRefresh = refreshed;
        this.#scheduleRefreshAdvert();
      }
    }
    switch (m.op) {
      case TreeOp.SEND: {
        const ts = treeState(this.#hashes, m.claim);
        const addr = Address.fromBytes(ts, m.address);
        if (addr.ok) this.packager.addRoute(m.nodeId, addr.value);
        if (!direct) return; // via Gossip or a relay: a route, not a neighbour's claim
        this.#remember(m, peer.key, peer.id, now);
        if (compareBytes(this.#rootScore, claimScore(m.claim)) < 0) this.#reply(TreeOp.RESPOND, peer.id);
        return;
      }
      case TreeOp.RESPOND:
        if (direct) this.#remember(m, peer.key, peer.id, now);
        return;
      case TreeOp.REQUEST_ADDRESS_ASSIGNMENT:
        if (direct) this.#assign(peer.key, peer.id, m.claim);
        return;
      case TreeOp.ASSIGN_ADDRESS:
        if (direct) this.#adopt(m, peer.key, peer.id);
        return;
    }
  }

  // ------------------------------------------------------------------ tree changes

  #becomeRoot(): void {
    const own = this.packager.nodeId;
    this.#root = own.slice();
    this.#rootScore = claimScore(own);
    this.#parentKey = undefined;
    this.#children.clear();
    this.#lastRefresh = this.node.platform.now();
    this.packager.setAddress(unwrap(Address.fromCoords(treeState(this.#hashes, own), [])));
  }

  #assign(peerKey: string, peerId: Uint8Array, claim: Uint8Array): void {
    if (treeState(this.#hashes, claim) !== treeState(this.#hashes, this.#root)) return;
    const mine = this.packager.address;
    if (!mine) return;
    let coord = this.#children.get(peerKey);
    if (coord === undefined) {
      const used = new Set(this.#children.values());
      for (let c = 1; c <= MAX_COORDINATE; c++) {
        if (!used.has(c)) {
          coord = c;
          break;
        }
      }
      if (coord === undefined) {
        this.packager.counters.inc('tree_children_full');
        return;
      }
    }
    const bytes = encodeCoords([...mine.coords, coord]);
    if (!bytes.ok) {
      this.packager.counters.inc('tree_too_deep');
      return;
    }
    this.#children.set(peerKey, coord);
    this.#send(TreeOp.ASSIGN_ADDRESS, peerId, bytes.value);
  }

  #adopt(m: TreeMessage, peerKey: string, peerId: Uint8Array): void {
    const cmp = compareBytes(claimScore(m.claim), this.#rootScore);
    const ts = treeState(this.#hashes, m.claim);
    const offered = Address.fromBytes(ts, m.address);
    if (!offered.ok) return;
    const ourDepth = this.packager.address?.coords.length ?? 0;
    const shallower = cmp === 0 && !this.isRoot && offered.value.coords.length < ourDepth;
    if ((cmp >= 0 && !shallower) || m.age >= this.params.max_tree_age) {
      this.#reply(TreeOp.RESPOND, peerId);
      return;
    }
    this.#root = m.claim.slice();
    this.#rootScore = claimScore(this.#root);
    this.#parentKey = peerKey;
    this.#children.clear();
    this.#lastRefresh = refreshedAt(this.node.platform.now(), m.age);
    this.packager.setAddress(offered.value);
    this.#scheduleRefreshAdvert();
  }

  #forgetPeer(key: string): void {
    this.#children.delete(key);
    for (let i = this.#claims.length - 1; i >= 0; i--) if (this.#claims[i].peerKey === key) this.#claims.splice(i, 1);
  }

  #remember(m: TreeMessage, peerKey: string, peerId: Uint8Array, now: number): void {
    if (m.age >= this.params.max_tree_age) return;
    const ts = treeState(this.#hashes, m.claim);
    const addr = Address.fromBytes(ts, m.address);
    const depth = addr.ok ? addr.value.coords.length : 0;
    const i = this.#claims.findIndex((c) => c.peerKey === peerKey);
    if (i >= 0) this.#claims.splice(i, 1);
    this.#claims.push({ claim: m.claim.slice(), score: claimScore(m.claim), refreshed: refreshedAt(now, m.age), depth, peerKey, peerId: peerId.slice() });
    while (this.#claims.length > this.params.claims_limit) this.#claims.shift();
  }

  #bestClaim(): Claim | undefined {
    let best: Claim | undefined;
    for (const c of this.#claims) {
      if (!best) best = c;
      else {
        const cmp = compareBytes(c.score, best.score);
        if (cmp < 0 || (cmp === 0 && c.depth < best.depth)) best = c;
      }
    }
    return best;
  }

  #scheduleRefreshAdvert(): void {
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    this.packager.schedule(this.idHex + 'a', Math.floor((r[0] / 256) * this.params.refresh_jitter_ms), () => this.broadcast());
  }

  // ------------------------------------------------------------------ messages

  #message(op: number, claim: Uint8Array = this.#root, address?: Uint8Array): Uint8Array | undefined {
    const own = this.packager.address;
    const m = serializeTree({
      op,
      ts: BigInt(Math.max(0, Math.floor(this.node.platform.now()))),
      age: op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT ? 0 : Math.min(255, this.age),
      claim,
      address: address ?? (op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT ? ZERO_ADDRESS : (own?.bytes ?? ZERO_ADDRESS)),
      nodeId: this.packager.nodeId,
    });
    return m.ok ? m.value : undefined;
  }

  #send(op: number, peerId: Uint8Array, address?: Uint8Array, claim?: Uint8Array): void {
    const m = this.#message(op, claim, address);
    if (m) this.packager.send(this.id, m, { nodeId: peerId });
  }

  #reply(op: number, peerId: Uint8Array): void {
    this.#send(op, peerId);
  }

  #requestAddress(peerId: Uint8Array, claim: Uint8Array): void {
    this.#send(TreeOp.REQUEST_ADDRESS_ASSIGNMENT, peerId, undefined, claim);
  }

  #gossip(): Gossip | undefined {
    return this.node.app(Gossip);
  }

  /** Publish a SEND describing us at `addr` on the SpanningTree topic (upstream's pub option). */
  #gossipAdvert(addr: Address | undefined): void {
    if (!this.params.pub || !addr) return;
    const gossip = this.#gossip();
    const m = this.#message(TreeOp.SEND, this.#root, addr.bytes);
    if (gossip && m) gossip.publish(this.id, m);
  }
}
