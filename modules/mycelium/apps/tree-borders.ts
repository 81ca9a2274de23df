/**
 * Borders between trees (docs/routing.md "Any diameter"). A 16-byte address holds 32 levels; a
 * node whose address is full cannot take children (tree-claims.ts `isFull`), so the nodes beyond
 * it form a tree of their own. The two neighbours across that edge are the border: each gossips
 * "tree `far` is reached through my address in tree `near`" (21 bytes, our own Gossip topic, so
 * upstream nodes only relay it), and every node keeps the nearest few such gateways in its border
 * directory (packager/borders.ts), which routing uses for trees it holds no address in.
 *
 * Every advert floods the whole mesh, so they are bounded like address adverts (issue 17):
 * - a border is announced only when it is structural, not a tree still forming: the neighbour
 *   is in another tree, the node on the better root's side is full (so the two trees cannot
 *   merge), and this, with our own address, has held BORDER_SETTLE_MS (settle);
 * - a gateway whose address moved announces the new one no sooner than a holddown after its
 *   last advert: BORDER_HOLDDOWN_MS, doubling (up to BORDER_HOLDDOWN_MAX_MS) each time an
 *   announced address did not outlast it, back to the start once one did; a lapse and return
 *   at the same address after it was announced costs nothing (what was said still stands); the
 *   advert of the address it left is withdrawn at once (one 21-byte flood per address announced):
 *   its subtree moved with it, and the entry drew packets to a place nobody held until it lapsed;
 * - then it is announced at a random time, again every BORDER_REFRESH_MS/2..BORDER_REFRESH_MS,
 *   unless BORDER_REDUNDANCY other gateways of the same border were heard within a refresh
 *   period (Trickle's suppression: all gateways of a border hear the same floods, so a border
 *   of any length costs about one advert per direction per period);
 * - the topic is flooded only (Gossip `subscribeFlood`): no cache, no sync, no sync restarts;
 *   its RESPOND_IDS, 16 bytes per cached advert to every peer each round and fragmented past a
 *   dozen, were most of the storm at 2,000 nodes;
 * - each node re-floods at most a few adverts a minute per neighbour (border-relay.ts).
 */
import { Address } from '../wire/address.js';
import { bytesEqual, compareBytes, fromHex, toHex } from '../wire/bytes.js';
import { appId, treeState } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import type { Gossip } from './gossip.js';
import { mayCross, roomBelow, type Claim } from './tree-claims.js';
import { BorderRelayCap, newsOnlyOutside } from './border-relay.js';
import { CollisionWatch, ROOT_TAG_BYTES, parseStepAside, serializeStepAside, tagBeats } from './tree-collisions.js';
import type { TreeLayer } from './tree-layer.js';

/** How often a node checks whether it borders another tree. */
export const BORDER_CHECK_MS = 10_000;
/** A border (and our address) must have held this long before it is first announced. */
export const BORDER_SETTLE_MS = 30_000;
/** A gateway's adverts of successive addresses are at least this far apart (doubling while they keep moving). */
export const BORDER_HOLDDOWN_MS = 60_000;
/** The holddown doubles up to this. */
export const BORDER_HOLDDOWN_MAX_MS = 480_000;
/** Longest random delay added to the first announcement, so that a border's gateways spread out. */
export const BORDER_SPREAD_MS = 20_000;
/** A border is announced again at a random time BORDER_REFRESH_MS/2..BORDER_REFRESH_MS after the last. */
export const BORDER_REFRESH_MS = 300_000;
/** A gossiped border lapses unless announced again (three refreshes: two may be lost). */
export const BORDER_LIFETIME_MS = 3 * BORDER_REFRESH_MS;
/** A gateway stays quiet while this many other gateways of its border were heard within a refresh period. */
export const BORDER_REDUNDANCY = 1;
/** Borders one node tracks (distinct far trees, lapsed ones kept for their holddown). */
const TRACKED_LIMIT = 8;
const MAGIC = 0xb0;
/** The same advert saying the border is gone (older builds of ours drop it: unknown magic). */
const WITHDRAWN_MAGIC = 0xb1;
const ADVERT_BYTES = 5 + 16;
/** An advert that names its gateway's root by its first bytes (tree-collisions.ts); older builds of ours drop it. */
const TAGGED_BYTES = ADVERT_BYTES + ROOT_TAG_BYTES;

export interface BorderAdvert {
  readonly far: number;
  readonly near: number;
  readonly seq: number;
  readonly address: Uint8Array;
  /** The gateway no longer borders `far`: forget it (set only on a withdrawal). */
  readonly withdrawn?: true;
  /** The first bytes of the gateway's root's id: two trees of one tree state tell themselves apart by it. */
  readonly root?: Uint8Array;
}

/** The Gossip topic of border adverts: an app id nobody runs (so no upstream node delivers them). */
export function borderTopic(hashes: Hashes): Uint8Array {
  return unwrap(appId(hashes, 'TreeBorders', 'Mycelium tree borders', 0));
}

export function serializeBorder(a: BorderAdvert): Uint8Array {
  const out = new Uint8Array(a.root ? TAGGED_BYTES : ADVERT_BYTES);
  out[0] = a.withdrawn ? WITHDRAWN_MAGIC : MAGIC;
  out[1] = a.far & 0xff;
  out[2] = a.near & 0xff;
  out[3] = (a.seq >> 8) & 0xff;
  out[4] = a.seq & 0xff;
  out.set(a.address.subarray(0, 16), 5);
  if (a.root) out.set(a.root.subarray(0, ROOT_TAG_BYTES), ADVERT_BYTES);
  return out;
}

export function parseBorder(blob: Uint8Array): BorderAdvert | undefined {
  if (!(blob instanceof Uint8Array) || (blob.length !== ADVERT_BYTES && blob.length !== TAGGED_BYTES) || (blob[0] !== MAGIC && blob[0] !== WITHDRAWN_MAGIC) || blob[1] === blob[2]) return undefined;
  const address = blob.slice(5, ADVERT_BYTES);
  if (blob[0] === WITHDRAWN_MAGIC) return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address, withdrawn: true };
  if (blob.length === TAGGED_BYTES) return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address, root: blob.slice(ADVERT_BYTES) };
  return { far: blob[1], near: blob[2], seq: (blob[3] << 8) | blob[4], address };
}

/** What TreeBorders sees of the tree. */
export interface BorderHost {
  packager(): Packager;
  now(): number;
  rootScore(): Uint8Array;
  /** The claim `peerKey` last advertised, if any. */
  claimOf(peerKey: string): Claim | undefined;
  gossip(): Gossip | undefined;
  randomByte(): number;
  /** The test knob address_levels: 0, or the levels an address holds (tree-params.ts). */
  addressLevels(): number;
  /** Our root's id. */
  root(): Uint8Array;
  isRoot(): boolean;
  /** We stepped aside as root and are still our own (tree-collisions.ts): we border nothing. */
  silent(): boolean;
  /** The tree's layer (signed mode): roots are then told apart by whole ids only. */
  layer(): TreeLayer | undefined;
  /** Children hold coordinates under ours (tree-coordinates.ts). */
  leads(): boolean;
  /** The tree parameter join_margin (tree-params.ts). */
  joinMargin(): number;
}

/** Who steps aside when root `worse` collides with the better `better` (same tree state), if it is us: true then (tree-repair.ts). */
export interface StepAside {
  stepAside(worse: Uint8Array, better: Uint8Array): boolean;
}

interface Tracked {
  /** Seen at the last check. */
  present: boolean;
  /** When it lapsed (platform ms), while not present: forgotten a holddown later. */
  lapsed: number;
  /** Our address (key) when the border was last (re)found: a move restarts the settle. */
  address: string;
  /** When it held unchanged since (platform ms). */
  since: number;
  /** When we last announced it (platform ms), and the holddown that follows. */
  announcedAt: number;
  holddown: number;
  /** Not announced (nor considered) before this (platform ms). */
  due: number;
  /** Announced from this address already: its adverts still stand wherever they were heard. */
  announced: boolean;
}

export class TreeBorders {
  readonly #host: BorderHost;
  readonly #hashes: Hashes;
  /** The Gossip topic of border adverts: an app id nobody runs, so only our nodes read it. */
  /** The border topic, as hex (its 16 bytes as an array cost ≈ 140 B on XS: made when used, issue 21). */
  readonly #topicKey: string;
  /** far tree state → our border with it. */
  // Made on the first set: empty until then costs nothing (issue 21).
  #tracked: Map<number, Tracked> | undefined;
  readonly #relay = new BorderRelayCap();
  #seq: number;
  /** The periodic check's event id (start's). */
  #eventId = '';
  /** Our root's tree meets another tree of its tree state (made on the first collision seen). */
  #collisions: CollisionWatch | undefined;

  /** The tree's repair: gives our root up when we must step aside. */
  readonly #aside: StepAside;

  constructor(hashes: Hashes, host: BorderHost, aside: StepAside) {
    this.#host = host;
    this.#aside = aside;
    this.#hashes = hashes;
    this.#topicKey = toHex(borderTopic(hashes));
    this.#seq = 0;
  }

  /**
   * Listen on the topic (delivered to the app `appId`) and check every BORDER_CHECK_MS under
   * `eventId`. `seq`: two random bytes to start our advert numbers from, so that after a reboot at the same
   * address our adverts are not taken for copies already seen (Gossip remembers ids for an hour).
   */
  start(appId: Uint8Array, eventId: string, seq: Uint8Array): void {
    this.#seq = ((seq[0] << 8) | seq[1]) & 0xffff;
    this.#host.gossip()?.subscribeFlood(fromHex(this.#topicKey) as Uint8Array, appId, this); // its relay cap: admit() below
    this.#eventId = eventId;
    this.#host.packager().schedule(eventId, BORDER_CHECK_MS, TreeBorders.#tick, this);
  }

  /** The periodic check's handler: shared, given the borders (no closure per pending event, issue 21). */
  static #tick(b: TreeBorders): void {
    b.#host.packager().schedule(b.#eventId, BORDER_CHECK_MS, TreeBorders.#tick, b);
    b.check();
  }

  /** Flooded border adverts' scope and relay cap (Gossip's FloodGate): false, and one is not re-flooded. */
  admit(data: Uint8Array, sender: string): boolean {
    const p = this.#host.packager();
    const a = parseBorder(data);
    if (a && newsOnlyOutside(a.far, a.root !== undefined, p.address?.treeState)) {
      p.counters.inc('tree_border_kept_in');
      return false;
    }
    return this.#relay.admit(sender, this.#host.now(), p.nodeSlots);
  }

  stop(appId: Uint8Array, eventId: string): void {
    this.#host.packager().cancel(eventId);
    this.#host.gossip()?.unsubscribe(fromHex(this.#topicKey) as Uint8Array, appId);
    this.#relay.clear();
  }

  isTopic(topic: Uint8Array | undefined): boolean {
    return topic !== undefined && toHex(topic) === this.#topicKey;
  }

  /** A border advert (or a step-aside notice) arrived through Gossip. */
  receive(blob: Uint8Array): void {
    const h = this.#host;
    const p = h.packager();
    const notice = parseStepAside(blob);
    if (notice) {
      // Two roots of one tree state, the named one the worse (tree-collisions.ts); anything else is
      // not a collision. A root that stepped aside for a root known by its tag names only that.
      const collided = treeState(this.#hashes, notice.worse);
      if (notice.better.length === 32 && collided !== treeState(this.#hashes, notice.better)) return p.counters.inc('tree_border_bad');
      const w = (this.#collisions ??= new CollisionWatch());
      if (bytesEqual(notice.worse, h.root())) w.heard(notice.worse, h.now());
      // What we hold in that tree state from the worse tree names nodes of the better one too: it goes.
      w.leave(notice.worse, collided);
      this.#aside.stepAside(notice.worse, notice.better);
      return;
    }
    const a = parseBorder(blob);
    const gw = a && Address.fromBytes(a.near, a.address);
    if (!a || !gw || !gw.ok) {
      p.counters.inc('tree_border_bad');
      return;
    }
    if (p.isOwnAddress(gw.value)) return; // our own, back through Gossip
    const now = h.now();
    if (a.withdrawn) p.borders.refute(a.far, gw.value);
    else p.borders.add(a.far, gw.value, now, now + BORDER_LIFETIME_MS);
    if (a.root && !a.withdrawn) this.rootTag(a.near, a.root);
  }

  /** Every BORDER_CHECK_MS: which other trees do we border, and announce the lasting ones. */
  check(): void {
    const h = this.#host;
    const p = h.packager();
    const own = p.address;
    const now = h.now();
    const far = new Set<number>();
    let collides: Uint8Array | undefined; // a better root with our tree state, beside us
    if (own && !h.silent()) {
      const levels = h.addressLevels();
      const margin = h.joinMargin();
      // The same test as the neighbour's choice of parent (tree-claims.ts mayCross): a settled node
      // of the worse tree crosses to ours only with join_margin levels to spare under it.
      const ownFull = !roomBelow(own.coords, margin, levels);
      const leads = h.leads();
      for (const peer of p.peers) {
        if (!peer.usable(now)) continue;
        const c = h.claimOf(peer.key);
        if (!c) continue;
        const ts = treeState(this.#hashes, c.claim);
        const cmp = compareBytes(c.score, h.rootScore());
        if (ts === own.treeState) {
          if (cmp < 0 && !bytesEqual(c.claim, h.root())) collides = c.claim;
          continue;
        }
        // The side of the better root is full, or too near full for a settled node to cross
        // (mayCross): the trees do not merge across this edge.
        if ((cmp > 0 && ownFull) || (cmp < 0 && (c.full === true || !mayCross(c.coords, own.coords, leads, levels, margin)))) far.add(ts);
      }
    }
    for (const [ts, t] of this.#tracked ?? []) {
      if (far.has(ts)) continue;
      if (t.present) {
        t.present = false;
        t.lapsed = now;
      } else if (now - t.lapsed >= t.holddown) {
        this.#tracked?.delete(ts);
        if (t.announced) this.withdraw(ts, t.address);
      }
    }
    if (!own) return;
    this.collision(collides, now);
    const drop = this.#collisions?.dropNow(h.root(), own, now);
    if (drop) this.forgetCollided(drop.treeState, drop.root, own);
    for (const ts of far) {
      const t = this.track(ts, own.key, now);
      if (!t || now < t.due) continue;
      t.due = now + this.refreshDelay();
      // Trickle's suppression: another gateway of this border spoke within a period, since we
      // found it here (one heard before may be where the border was before the trees moved).
      if (p.borders.heardCount(ts, own.treeState, Math.max(t.since, now - BORDER_REFRESH_MS), own) >= BORDER_REDUNDANCY) continue;
      this.#seq = (this.#seq + 1) & 0xffff;
      const gossip = h.gossip();
      if (!gossip?.publish(fromHex(this.#topicKey) as Uint8Array, serializeBorder({ far: ts, near: own.treeState, seq: this.#seq, address: own.bytes, root: h.layer() ? undefined : h.root() }))) continue; // signed mode judges roots by whole ids: no tag
      t.announced = true;
      t.announcedAt = now;
      p.counters.inc('tree_border_advert');
    }
  }

  /**
   * An advert's gateway is in a tree of `near`, rooted at an id starting with `tag`. Our tree state
   * and another root: two trees of one tree state, not beside each other (those are found by
   * check()). If ours is the worse root, it steps aside; its tree's nodes forget their addresses
   * in this tree state once they are elsewhere. Signed mode tells roots apart by whole ids only.
   */
  private rootTag(near: number, tag: Uint8Array): void {
    const h = this.#host;
    const own = h.packager().address;
    const root = h.root();
    if (!own || own.treeState !== near || h.silent() || h.layer() || bytesEqual(root.subarray(0, ROOT_TAG_BYTES), tag)) return;
    const w = (this.#collisions ??= new CollisionWatch());
    if (!tagBeats(tag, root)) return w.leave(tag, near); // ours is the better: what we hold of theirs goes
    w.leave(root, near);
    // Stepped aside: our tree hears the poison, and the notice tells everyone what to forget.
    if (h.isRoot() && this.#aside.stepAside(root, tag)) h.gossip()?.publish(fromHex(this.#topicKey) as Uint8Array, serializeStepAside({ worse: root, better: tag }));
  }

  /**
   * Tree state `ts` was two trees', and we are not in the worse one (rooted at an id whose first
   * bytes are `worse`, hex) any more: its addresses name nodes of the better one too. Ours goes
   * if we are elsewhere; so do those we hold for a neighbour that follows the worse root or whose
   * claim is in another tree now (a leftover: one drew packets for the better tree's root to it,
   * and back, a loop); and, when we are not in `ts` ourselves, every route there (we cannot tell
   * whose).
   * Addresses of neighbours in the better tree stay: neither a forged notice nor a late one
   * takes a tree's addresses from its own nodes.
   */
  private forgetCollided(ts: number, worse: string, own: Address): void {
    const h = this.#host;
    const p = h.packager();
    const inTs = own.treeState === ts;
    const stale = (peer: Peer | undefined): boolean => {
      if (!peer) return !inTs;
      const c = h.claimOf(peer.key); // its tree now, if it advertised one
      if (c) return toHex(c.claim.subarray(0, ROOT_TAG_BYTES)) === worse || treeState(this.#hashes, c.claim) !== ts;
      const addrs = peer.addrs;
      return addrs.length === 0 || addrs[addrs.length - 1].treeState !== ts;
    };
    if (!inTs && p.addresses.some((a) => a.treeState === ts)) p.setAddress(own, true);
    for (const r of p.routes) if (r.address.treeState === ts && stale(p.peerByKey(r.nodeKey))) p.removeRoute(r.address);
    for (const peer of p.peers) if (stale(peer)) peer.dropAddr(ts);
  }

  /** A collision of our root's tree, held long enough: step aside if we are its root, else tell the root. */
  private collision(better: Uint8Array | undefined, now: number): void {
    if (!better && !this.#collisions) return;
    const h = this.#host;
    this.#collisions ??= new CollisionWatch();
    const notice = this.#collisions.check(h.root(), better, now, h);
    if (!notice) return;
    const p = h.packager();
    p.counters.inc('tree_collision_notice');
    if (p.address) this.#collisions.leave(notice.worse, p.address.treeState);
    // Flooded even by the root itself: its tree's nodes drop their addresses in this tree state.
    h.gossip()?.publish(fromHex(this.#topicKey) as Uint8Array, serializeStepAside(notice));
    if (h.isRoot()) this.#aside.stepAside(notice.worse, notice.better);
  }

  /**
   * Say that our border with tree `far`, announced from address `key`, is gone. Without this the
   * advert stood everywhere for its lifetime (900 s) and packets for `far` kept coming to a
   * gateway with no way across, which could only hand them back (random-1000-trees seed 7's loops
   * into tree 106). Sent once a lapse has outlasted the holddown, so a flapping link costs nothing.
   */
  private withdraw(far: number, key: string): void {
    const dash = key.indexOf('-');
    const address = fromHex(key.slice(dash + 1));
    const near = Number(key.slice(0, dash));
    if (!address || address.length !== 16 || !(near >= 0 && near <= 255)) return;
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#host.gossip()?.publish(fromHex(this.#topicKey) as Uint8Array, serializeBorder({ far, near, seq: this.#seq, address, withdrawn: true }));
  }

  /** The far trees this node currently borders (for state and tests). */
  bordered(): number[] {
    const out: number[] = [];
    for (const [ts, t] of this.#tracked ?? []) if (t.present) out.push(ts);
    return out;
  }

  /** The entry of a border found at this check, its settle restarted if it lapsed or our address moved; undefined when the table is full. */
  private track(ts: number, address: string, now: number): Tracked | undefined {
    let t = this.#tracked?.get(ts);
    if (!t) {
      if ((this.#tracked?.size ?? 0) >= TRACKED_LIMIT && !this.evictLapsed()) return undefined;
      t = { present: true, lapsed: 0, address, since: now, announcedAt: -Infinity, holddown: BORDER_HOLDDOWN_MS, due: now + BORDER_SETTLE_MS + this.spread(), announced: false };
      (this.#tracked ??= new Map()).set(ts, t);
      return t;
    }
    if (t.present && t.address === address) return t;
    t.present = true;
    // Back after a lapse at the same address, once announced: what we said still stands, so the
    // refresh goes on as planned; a flapping link costs no advert.
    if (t.address === address && t.announced) return t;
    // Across from another address of ours now: the old advert names a place we left, which nobody
    // may hold (our subtree moved with us) or another node holds, with no border there. In another
    // tree (our root stepped aside, tree-collisions.ts, or we left a tree that cannot reach us) it
    // names a gateway in a tree we are not in.
    if (t.address !== address && t.announced) {
      this.withdraw(ts, t.address);
      // The announced address did not outlast the holddown: the tree here is still moving.
      t.holddown = now - t.announcedAt < t.holddown ? Math.min(BORDER_HOLDDOWN_MAX_MS, t.holddown * 2) : BORDER_HOLDDOWN_MS;
    }
    // Back before it was announced, or across from a new address of ours: settle again.
    t.address = address;
    t.announced = false;
    t.since = now;
    t.due = Math.max(now + BORDER_SETTLE_MS + this.spread(), t.announcedAt + t.holddown);
    return t;
  }

  /** Forget the border that lapsed longest ago, if any. */
  private evictLapsed(): boolean {
    let oldest: number | undefined;
    let at = Infinity;
    for (const [ts, t] of this.#tracked ?? []) {
      if (!t.present && t.lapsed < at) {
        oldest = ts;
        at = t.lapsed;
      }
    }
    if (oldest === undefined) return false;
    this.#tracked?.delete(oldest);
    return true;
  }

  private spread(): number {
    return Math.floor((this.#host.randomByte() / 256) * BORDER_SPREAD_MS);
  }

  private refreshDelay(): number {
    return BORDER_REFRESH_MS / 2 + Math.floor((this.#host.randomByte() / 256) * (BORDER_REFRESH_MS / 2));
  }
}
