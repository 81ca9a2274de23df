/**
 * The tree claims a node has heard from its neighbours (protocol.md §6.3 known_claims): one per
 * advertising peer, capped (the oldest heard is dropped first), with the advertiser's address so
 * that a repair can tell which neighbours lie outside its own subtree.
 */
import { bytesEqual, compareBytes, fromHex } from '../wire/bytes.js';
import { encodeCoords, type Address } from '../wire/address.js';
import type { NodeSlots } from '../packager/node-slots.js';

/**
 * A parent of our own tree is replaced only by one this much lower in rank (depth + ETX): on
 * lossy links ETX wanders, and each switch re-addresses our whole subtree.
 */
const RANK_SWITCH = 1.5;

/**
 * A repair aside (`repairParent`) pushes our subtree a level deeper: only where the address has
 * room for us and five levels more below us (27 of a 16-byte address's 32 at most, or of the
 * `address_levels` knob's). Near its
 * last levels the push sent the subtree's deepest nodes past them (strip-300-lossy seed 6:
 * `tree_too_deep` 37 → 159, 85.7 → 69.0 % delivered; with the room kept 83.7 %); there the
 * node waits as before (session 38).
 */
const ASIDE_LEVELS = 5;

/** What choosing a parent needs to know of our own place (SpanningTree#consider). */
export interface OwnPlace {
  readonly rootScore: Uint8Array;
  readonly isRoot: boolean;
  readonly parentKey: string | undefined;
  readonly coords: readonly number[];
  /** Our parent is old enough to be replaced by a better-ranked one. */
  readonly mayReplace: boolean;
  /** Children hold (or lease) coordinates under ours: a move gives each node of our subtree a new address. */
  readonly leads?: boolean;
}

export interface Claim {
  readonly claim: Uint8Array;
  readonly score: Uint8Array;
  /** Platform ms when the advertiser's tree was last refreshed (its SEND, or its hellos). */
  refreshed: number;
  readonly depth: number;
  readonly coords: readonly number[];
  readonly peerKey: string;
  readonly peerId: Uint8Array;
  /**
   * The advertiser's address has no room for a child (docs/routing.md "Any diameter"): asking it
   * for an address is in vain, so it is never chosen as a parent; beyond it the mesh forms
   * another tree, joined to this one by a border.
   */
  readonly full?: boolean;
}

/**
 * No child coordinate fits after `coords` in a 16-byte address (a 1-nibble one is the smallest),
 * or `levels` > 0 (the test knob `address_levels`, tree-params.ts) and `coords` already has that many.
 */
export function isFull(coords: readonly number[], levels = 0): boolean {
  // concat, not a spread: a spread walks an iterator on XS (roomForChild runs every second).
  return (levels > 0 && coords.length >= levels) || !encodeCoords(coords.concat(1)).ok;
}

/**
 * The default of the tree parameter join_margin (tree-params.ts): levels of room a node settled in
 * a tree asks of a better root's advertiser before it crosses to it. Hysteresis at the edge of the
 * address capacity (docs/routing.md "Any diameter", session 43): a node that crossed through an
 * advertiser one level short of full was pushed out again as soon as that advertiser re-parented a
 * level deeper (its parent then full: tree-repair's parentLeft), took its subtree with it both
 * ways, and a root that crossed left its tree to re-form (random-300-borders-lossy: 4-12 trees at
 * the end of runs that settle at about 5).
 */
export const JOIN_MARGIN = 2;
/** Coordinates to test room below an address with isFull (join_margin and ASIDE_LEVELS are at most its length). */
const ONES: readonly number[] = Object.freeze([1, 1, 1, 1, 1, 1, 1, 1]);

/** Whether an address at `coords` leaves `below` levels under a child of its own. */
export function roomBelow(coords: readonly number[], below: number, levels = 0): boolean {
  return !isFull(below > 0 ? coords.concat(ONES.slice(0, below)) : coords, levels);
}

/**
 * Whether a node at `mine` (`leads`: children hold coordinates under it) may cross to a better root
 * through an advertiser at `coords`: always when it is alone (no parent, no children: nothing of
 * ours moves, and a tree must form), else only with `margin` levels of room under the child.
 */
export function mayCross(coords: readonly number[], mine: readonly number[], leads: boolean, levels = 0, margin = JOIN_MARGIN): boolean {
  return (mine.length === 0 && !leads) || roomBelow(coords, margin, levels);
}

/**
 * When a tree advertised with `age` (whole seconds, rounded down by its sender) was refreshed,
 * assuming the worst: staleness never shrinks as it passes from node to node, so a tree whose
 * root has died expires everywhere instead of being kept alive by rounding.
 */
export function refreshedAt(now: number, age: number): number {
  return now - (age + 1) * 1000;
}

/** What ranking a claim needs of the Packager: its peers' link judgements. */
interface PeerLinks {
  peerByKey(key: string): { linkCost(now: number): number; usable(now: number): boolean; readonly leaf?: boolean } | undefined;
}

/** A claim's rank as a parent: depth plus link ETX (1 for an unmeasured, upstream, neighbour). */
export function rankOf(peers: PeerLinks, c: Claim, now: number): number {
  const p = peers.peerByKey(c.peerKey);
  return c.depth + (p ? p.linkCost(now) : 1);
}

/**
 * Routing and the tree use only neighbours whose link is good both ways (or unmeasured), and
 * never a sleepy leaf as a parent (it listens one window in eight: docs/sleep.md).
 */
export function usableVia(peers: PeerLinks, peerKey: string, now: number): boolean {
  const p = peers.peerByKey(peerKey);
  return p !== undefined && p.usable(now) && p.leaf !== true;
}

/** `prefix` is a prefix of `coords` (equal counts). */
export function isPrefix(prefix: readonly number[], coords: readonly number[]): boolean {
  if (prefix.length > coords.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== coords[i]) return false;
  return true;
}

/**
 * A claim as heard from a neighbour. The neighbour is kept as its slot on the node's key index
 * while the claim is listed: its key and id are made from there when asked (issue 21: a 32-byte
 * Uint8Array is 152 B on XS; a key string 80 B, once shared with the peer, which keeps none now,
 * session 19). Its depth is its coordinates' count.
 */
class HeardClaim implements Claim {
  readonly claim: Uint8Array;
  readonly score: Uint8Array;
  refreshed: number;
  readonly coords: readonly number[];
  /**
   * The advertiser: its slot on `slots`, held while the claim is listed; its key once let go
   * (`letGo`), or for a table with no key index.
   */
  peer: number | string;
  readonly full: boolean;
  /** The key index holding `peer`'s slot (declared: set only with one). */
  declare private slots: NodeSlots | undefined;

  constructor(claim: Uint8Array, score: Uint8Array, refreshed: number, coords: readonly number[], peer: number | string, full: boolean, slots?: NodeSlots) {
    this.claim = claim;
    this.score = score;
    this.refreshed = refreshed;
    this.coords = coords;
    this.peer = peer;
    this.full = full;
    if (slots !== undefined) this.slots = slots;
  }

  /** The key index `peer`'s slot is on, undefined when none. */
  index(): NodeSlots | undefined {
    return this.slots;
  }

  get peerKey(): string {
    const p = this.peer;
    return typeof p === 'string' ? p : ((this.slots as NodeSlots).keyOf(p) as string);
  }

  /** Listed no more: the key kept as a string (whoever still holds the claim reads it), the slot let go. */
  letGo(): void {
    const p = this.peer;
    if (typeof p === 'string') return;
    this.peer = this.peerKey;
    (this.slots as NodeSlots).release(p);
  }

  /** Its depth: the length of its coordinates (read from them, not a field of its own: 16 B on XS). */
  get depth(): number {
    return this.coords.length;
  }

  get peerId(): Uint8Array {
    return fromHex(this.peerKey) as Uint8Array;
  }
}

export class ClaimTable {
  private readonly claims: Claim[] = [];
  /** The tree's parameters, read when a claim is added (not a closure over them: issue 21). */
  private readonly params: { readonly claims_limit: number; readonly address_levels?: number; readonly join_margin?: number };

  constructor(params: { readonly claims_limit: number; readonly address_levels?: number; readonly join_margin?: number }) {
    this.params = params;
  }

  get list(): readonly Claim[] {
    return this.claims;
  }

  /** Keep `c` as its peer's claim (replacing the previous one). */
  remember(c: Claim): void {
    this.forgetPeer(c.peerKey);
    this.add(c);
  }

  /** List `c` (its peer's claim forgotten already) as the newest, the oldest dropped past the cap. */
  private add(c: Claim): void {
    this.claims.push(c);
    while (this.claims.length > this.params.claims_limit) this.drop(0);
  }

  /**
   * Keep the claim a neighbour's SEND or RESPOND `m` advertised (scored `score`, at `addr`).
   * Neighbours in one tree advertise the same claim: they share its bytes and score, and with
   * `slots` (the Packager's key index) the claim holds its advertiser's slot rather than a key
   * string, so a claim costs little more than its numbers (issue 21).
   */
  rememberAdvert(m: { readonly claim: Uint8Array; readonly age: number }, score: Uint8Array, addr: Address | undefined, peerKey: string, now: number, slots?: NodeSlots): void {
    const coords = addr ? addr.coords : [];
    const same = this.sameClaim(m.claim, score);
    this.forgetPeer(peerKey);
    const peer = slots === undefined ? peerKey : slots.hold(peerKey);
    this.add(new HeardClaim(same ? same.claim : m.claim.slice(), same ? same.score : score, refreshedAt(now, m.age), coords, peer, isFull(coords, this.params.address_levels ?? 0), slots));
  }

  /** The score of a claim held for the root whose id starts with `prefix` (a hello's 8 bytes). */
  scoreOfRoot(prefix: Uint8Array): Uint8Array | undefined {
    return this.claims.find((c) => bytesEqual(c.claim.subarray(0, prefix.length), prefix))?.score;
  }

  /** A claim held with the same bytes and score, whose arrays a new one may share. */
  sameClaim(claim: Uint8Array, score: Uint8Array): Claim | undefined {
    return this.claims.find((c) => bytesEqual(c.claim, claim) && bytesEqual(c.score, score));
  }

  forgetPeer(key: string): void {
    const slot = this.slotOf(key);
    for (let i = this.claims.length - 1; i >= 0; i--) if (isBy(this.claims[i], key, slot)) this.drop(i);
  }

  /** `key`'s slot on the key index, which a claim of its holds (undefined: none, or no index). */
  private slotOf(key: string): number | undefined {
    // The index is the one the claims listed hold their advertisers on (all the same one): the
    // table keeps no field for it, which a node with no neighbour would pay for (issue 21).
    const first = this.claims[0] as HeardClaim | undefined;
    return first instanceof HeardClaim ? first.index()?.slotOf(key) : undefined;
  }

  /** Claim `i` out of the list, its slot let go. */
  private drop(i: number): void {
    const c = this.claims[i];
    this.claims.splice(i, 1);
    if (c instanceof HeardClaim) c.letGo();
  }

  /** Forget every claim for roots whose id starts with `rootPrefix`. */
  forgetRoot(rootPrefix: Uint8Array): void {
    for (let i = this.claims.length - 1; i >= 0; i--) if (bytesEqual(this.claims[i].claim.subarray(0, rootPrefix.length), rootPrefix)) this.drop(i);
  }

  /**
   * A hello from `peerKey` says it still follows `rootPrefix` at `depth`: its claim stays fresh
   * without a SEND (our neighbours advertise less often once the tree is quiet). A claim the hello
   * contradicts is forgotten; the neighbour's next SEND brings the new one.
   */
  touch(peerKey: string, rootPrefix: Uint8Array, depth: number, now: number): void {
    const i = this.indexOf(peerKey);
    if (i < 0) return;
    const c = this.claims[i];
    if (c.depth === depth && bytesEqual(c.claim.subarray(0, rootPrefix.length), rootPrefix)) {
      if (c.refreshed < now) c.refreshed = now;
    } else this.drop(i);
  }

  /** Forget claims refreshed before `oldest`. */
  expire(oldest: number): void {
    for (let i = this.claims.length - 1; i >= 0; i--) if (this.claims[i].refreshed < oldest) this.drop(i);
  }

  /**
   * The best root (lowest score), then the advertiser of lowest rank among usable peers. Rank is
   * depth plus the link's ETX (RPL's rank with an ETX objective): a hop over a clean link costs 1,
   * over a lossy one more, so a shallow parent at the edge of range loses to a deeper one close by.
   */
  best(usable: (peerKey: string) => boolean, rank: (c: Claim) => number, own?: OwnPlace): Claim | undefined {
    let best: Claim | undefined;
    let bestRank = Infinity;
    const levels = this.params.address_levels ?? 0;
    for (const c of this.claims) {
      if (c.full || !usable(c.peerKey)) continue;
      // A better root's advertiser is passed over when crossing to it leaves no margin (mayCross).
      if (own && compareBytes(c.score, own.rootScore) < 0 && !mayCross(c.coords, own.coords, own.leads === true, levels, this.params.join_margin)) continue;
      const cmp = best ? compareBytes(c.score, best.score) : -1;
      if (cmp > 0) continue;
      const r = rank(c);
      if (cmp < 0 || r < bestRank) {
        best = c;
        bestRank = r;
      }
    }
    return best;
  }

  /**
   * A new parent in `root`'s tree for a node at `mine` whose parent `lost` is gone: shallower
   * than us and outside our own subtree, so no loop can form (RPL's rank rule), of lowest rank.
   * `aside`: when none is shallower, one at our own depth (outside our subtree by its last
   * advert; an offer from inside it is refused, tree-offer.ts) with ASIDE_LEVELS levels to spare
   * below us: we and our subtree go a level deeper but stay attached. Waiting instead kept a
   * node on a dead parent while the root's heartbeat came round through such neighbours, until
   * its tree aged out (a dense strip: 8 usable neighbours at its depth, none shallower;
   * tree-repair.ts waits two hello periods first).
   */
  repairParent(root: Uint8Array, mine: readonly number[], lost: string, usable: (peerKey: string) => boolean, rank: (c: Claim) => number, aside = false): Claim | undefined {
    return this.repairAt(root, mine, false, lost, usable, rank) ?? (aside ? this.repairAt(root, mine, true, lost, usable, rank) : undefined);
  }

  private repairAt(root: Uint8Array, mine: readonly number[], aside: boolean, lost: string, usable: (peerKey: string) => boolean, rank: (c: Claim) => number): Claim | undefined {
    let best: Claim | undefined;
    const lostSlot = this.slotOf(lost);
    for (const c of this.claims) {
      if (c.full || isBy(c, lost, lostSlot) || !bytesEqual(c.claim, root) || !usable(c.peerKey)) continue;
      if (c.depth > mine.length - (aside ? 0 : 1) || isPrefix(mine, c.coords) || (aside && !roomBelow(c.coords, ASIDE_LEVELS, this.params.address_levels ?? 0))) continue;
      if (!best || rank(c) < rank(best)) best = c;
    }
    return best;
  }

  /**
   * The claim to ask for an address: the best one when it beats our root; or, in our tree, when
   * it is two levels shallower (upstream's rule) or, if we may replace our parent, 1.5 hops
   * cheaper in rank than it (a better link; with children only when nobody else could take us
   * in) — never a node of our own subtree. `deeper`: its answer must be taken although it may
   * not make us shallower.
   */
  choose(own: OwnPlace, usable: (peerKey: string) => boolean, rank: (c: Claim) => number): { claim: Claim; deeper: boolean } | undefined {
    const best = this.best(usable, rank, own);
    if (!best) return undefined;
    const cmp = compareBytes(best.score, own.rootScore);
    if (cmp < 0) return { claim: best, deeper: false };
    if (cmp !== 0 || own.isRoot || best.peerKey === own.parentKey || isPrefix(own.coords, best.coords)) return undefined;
    if (best.depth < own.coords.length - 1) return { claim: best, deeper: false };
    const parent = own.parentKey === undefined ? undefined : this.of(own.parentKey);
    const current = parent ? rank(parent) : own.coords.length;
    if (!own.mayReplace || rank(best) + RANK_SWITCH > current) return undefined;
    // With children, a better link is taken only while our parent is our only way back (a repair
    // would find nobody shallower: make before break). Otherwise we stay: a move renumbers our
    // subtree, and on a deep mesh the cascades never settle (strip-300-lossy, session 37). Looked
    // for last: most rounds end above, and the link figures it reads were read by best() at `now`.
    return own.leads && this.repairParent(best.claim, own.coords, own.parentKey ?? '', usable, rank) ? undefined : { claim: best, deeper: true };
  }

  /** The claim `peerKey` last advertised. */
  of(peerKey: string): Claim | undefined {
    const i = this.indexOf(peerKey);
    return i < 0 ? undefined : this.claims[i];
  }

  /** Where `peerKey`'s claim is listed, -1 when none is. */
  private indexOf(peerKey: string): number {
    const slot = this.slotOf(peerKey);
    const claims = this.claims;
    for (let i = 0; i < claims.length; i++) if (isBy(claims[i], peerKey, slot)) return i;
    return -1;
  }
}

/**
 * Whether `c` is the claim of `key` (whose slot is `slot`, undefined when not on the index): by
 * its slot for a claim heard (no key made for each claim compared), by its key for any other.
 */
function isBy(c: Claim, key: string, slot: number | undefined): boolean {
  const p = (c as { readonly peer?: number | string }).peer;
  return typeof p === 'number' ? p === slot : c.peerKey === key;
}
