/**
 * Routes (protocol.md §4.3): tree address → node id, and per node its last two addresses
 * (one per tree state during transitions). Capped: a new route evicts the oldest-learnt one.
 *
 * Every route expires `routeLifetimeMs` after it was last advertised (issue 19, class 6): a
 * false or stale advert is forgotten even when nobody contradicts it, while an address its
 * holder keeps advertising (every ≤ 160 s by its SEND) stays. Learning order is refresh order
 * and every refresh gives the same lifetime, so the expired routes are always the first ones.
 *
 * Kept on the node's key index (node-slots.ts, issue 21): a node with routes holds a slot, its
 * addresses sit in a column by that slot and their expiry times in 4 B words beside it (whole-words.ts),
 * and the address index (route-index.ts) maps an address to the route holding it, numbered by
 * that slot. A route was an object (64 B on XS), its node a `Map` entry (49 B) and its address
 * another (49 B); the node's slot is shared with its peer's per-neighbour tables.
 * `Route`s are made when asked for (views: equal fields, not the same object each time).
 */
import type { Address } from '../wire/address.js';
import { fromHex } from '../wire/bytes.js';
import type { PackagerContext } from './context.js';
import { grownSlots } from './node-slots.js';
import { RouteIndex, type RouteKeys } from './route-index.js';
import { WholeWords } from './whole-words.js';

export interface Route {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly address: Address;
}

/**
 * A route as asked for. The node id is kept as its key only (shared with the peer and the
 * node's other route): `nodeId` makes the bytes when asked, as a 32-byte Uint8Array costs 152 B
 * on XS (issue 21).
 */
class RouteView implements Route {
  readonly nodeKey: string;
  readonly address: Address;

  constructor(nodeKey: string, address: Address) {
    this.nodeKey = nodeKey;
    this.address = address;
  }

  get nodeId(): Uint8Array {
    return fromHex(this.nodeKey) as Uint8Array;
  }
}

const NONE: readonly Route[] = Object.freeze([]);
const NO_ADDRESSES: readonly Address[] = Object.freeze([]);

/**
 * Two addresses of a node in a tree transition, oldest first. An object of two fields is 48 B on
 * XS, a two-item array ≈ 90 B (issue 21), and after a tree forms most nodes are routed in both
 * tree states until the old routes lapse.
 */
class AddressPair {
  readonly older: Address;
  readonly newer: Address;
  constructor(older: Address, newer: Address) {
    this.older = older;
    this.newer = newer;
  }
}

/** A node's addresses: most nodes have one, held bare; a node in a tree transition has two. */
type Held = Address | AddressPair;

function listOf(held: Held | undefined): readonly Address[] {
  return held === undefined ? NO_ADDRESSES : held instanceof AddressPair ? [held.older, held.newer] : [held];
}

function newestOf(held: Held): Address {
  return held instanceof AddressPair ? held.newer : held;
}

export class RouteTable implements RouteKeys {
  // The three below are made on the first route: empty until then they cost nothing (issue 21).
  /**
   * `Address.tableKey` → the route holding it, in refresh order (route-index.ts): the first
   * route lapses and is evicted first. Route r is slot r >> 1's older (or only) address when r
   * is even, its newer one when odd.
   */
  declare private index: RouteIndex | undefined;
  /** Slot → the node's addresses (undefined: no route to it). */
  declare private held: (Held | undefined)[] | undefined;
  /**
   * Route r (slot s's older or only address 2s, its newer 2s + 1) → when it lapses, in 4 B
   * words while the clock counts whole ms (whole-words.ts; 16 B a slot as a `Float64Array`).
   */
  declare private expiry: WholeWords | undefined;
  private readonly ctx: PackagerContext;
  private readonly limit: number;

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
    this.limit = Math.max(1, ctx.limits.routes);
  }

  /**
   * Learn (or refresh) a route; returns the routes evicted to make room. A new node's slot takes
   * the key the key index holds for it, else `sharedKey` (the peer's, which the caller hands in):
   * one key per node, however many tables name it (issue 21; a node key as its bytes).
   */
  add(nodeKey: string, address: Address, sharedKey?: string): readonly Route[] {
    this.expire();
    const expires = this.ctx.platform.now() + this.ctx.timings.routeLifetimeMs;
    const key = address.tableKey;
    const slots = this.ctx.nodeSlots;
    const index = (this.index ??= new RouteIndex(this));
    const old = index.get(key);
    if (old >= 0 && slots.keyOf(old >> 1) === nodeKey) {
      // The common case (every advert heard again): mark it newest, nothing else changes.
      const held = this.heldBy(old >> 1);
      if (held !== undefined && newestOf(held).tableKey === key) {
        index.refresh(old);
        (this.expiry as WholeWords).put(old, expires);
        return NONE;
      }
    }
    const evicted: Route[] = [];
    if (old >= 0) this.remove(address);
    while (index.size >= this.limit) {
      const route = this.viewOf(index.oldest());
      this.remove(route.address);
      evicted.push(route);
    }
    let s = slots.slotOf(nodeKey);
    const held = s === undefined ? undefined : this.heldBy(s);
    if (held === undefined) {
      s = slots.hold(slots.heldKey(nodeKey) ?? sharedKey ?? nodeKey);
      this.cover(s);
    }
    s = s as number;
    const expiry = this.expiry as WholeWords;
    const column = this.held as (Held | undefined)[];
    if (held === undefined) {
      column[s] = address;
      expiry.put(2 * s, expires);
      index.add(2 * s, key);
    } else if (!(held instanceof AddressPair)) {
      column[s] = new AddressPair(held, address);
      expiry.put(2 * s + 1, expires);
      index.add(2 * s + 1, key);
    } else {
      // A third address: the oldest goes (one per tree state, two tree states kept).
      const dropped = held.older.tableKey;
      if (index.get(dropped) === 2 * s) index.remove(2 * s, dropped);
      index.renumber(2 * s + 1, 2 * s, held.newer.tableKey);
      column[s] = new AddressPair(held.newer, address);
      expiry.put(2 * s, expiry.at(2 * s + 1));
      expiry.put(2 * s + 1, expires);
      index.add(2 * s + 1, key);
    }
    return evicted;
  }

  remove(address: Address): Route | undefined {
    const key = address.tableKey;
    const index = this.index;
    const r = index === undefined ? -1 : index.get(key);
    if (index === undefined || r < 0) return undefined;
    const s = r >> 1;
    const route = this.viewOf(r);
    const held = this.heldBy(s);
    const column = this.held as (Held | undefined)[];
    const expiry = this.expiry as WholeWords;
    // Listed no more first, while every other route is still where the index looks for it.
    index.remove(r, key);
    if (held === undefined) return route;
    if (!(held instanceof AddressPair)) {
      if (held.equals(address)) {
        column[s] = undefined;
        expiry.put(2 * s, 0);
        this.ctx.nodeSlots.release(s);
      }
    } else if (held.older.equals(address)) {
      index.renumber(2 * s + 1, 2 * s, held.newer.tableKey);
      column[s] = held.newer;
      expiry.put(2 * s, expiry.at(2 * s + 1));
      expiry.put(2 * s + 1, 0);
    } else if (held.newer.equals(address)) {
      column[s] = held.older;
      expiry.put(2 * s + 1, 0);
    }
    return route;
  }

  /** Drop every route of a node. */
  removeNode(nodeKey: string): Route[] {
    const out: Route[] = [];
    for (const a of this.addressesHeld(nodeKey)) {
      const r = this.remove(a);
      if (r) out.push(r);
    }
    return out;
  }

  get(address: Address): Route | undefined {
    this.expire();
    const r = this.index === undefined ? -1 : this.index.get(address.tableKey);
    return r < 0 ? undefined : this.viewOf(r);
  }

  /**
   * The Address object a route to `address` holds, if any, without expiring routes first (a
   * lookup for sharing must not change which routes lapse when; an expired entry's object is as
   * good a copy as any).
   */
  heldAddress(address: Address): Address | undefined {
    const r = this.index === undefined ? -1 : this.index.get(address.tableKey);
    return r < 0 ? undefined : this.addressAt(r);
  }

  /** The key string the routes of `nodeKey` hold (shared with its peer, if any). */
  keyOf(nodeKey: string): string | undefined {
    if (!this.held) return undefined; // no route yet: the index is not made for asking
    const slots = this.ctx.nodeSlots;
    const s = slots.slotOf(nodeKey);
    return s !== undefined && this.heldBy(s) !== undefined ? slots.keyOf(s) : undefined;
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeKey: string): readonly Address[] {
    this.expire();
    return this.addressesHeld(nodeKey);
  }

  has(nodeKey: string): boolean {
    this.expire();
    return this.addressesHeld(nodeKey).length > 0;
  }

  get size(): number {
    this.expire();
    return this.index?.size ?? 0;
  }

  values(): IterableIterator<Route> {
    this.expire();
    const out: Route[] = [];
    const index = this.index;
    if (index !== undefined) for (let r = index.oldest(); r >= 0; r = index.newer(r)) out.push(this.viewOf(r));
    return out.values();
  }

  clear(): void {
    const column = this.held;
    if (column) for (let s = 0; s < column.length; s++) if (column[s] !== undefined) this.ctx.nodeSlots.release(s);
    this.index?.clear();
    if (this.held) this.held = undefined;
    if (this.expiry) this.expiry = undefined;
  }

  /** The `tableKey` of route `r`'s address (what the index compares). */
  routeKey(r: number): number | string {
    return (this.addressAt(r) as Address).tableKey;
  }

  /** Forget the routes not advertised again within their lifetime (the first ones: see above). */
  private expire(): void {
    const index = this.index;
    if (index === undefined) return;
    const now = this.ctx.platform.now();
    let n = 0;
    const expiry = this.expiry as WholeWords;
    for (let r = index.oldest(); r >= 0 && expiry.at(r) <= now; r = index.oldest()) {
      this.remove(this.addressAt(r) as Address);
      n++;
    }
    if (n) this.ctx.counters.inc('route_expired', n);
  }

  /** The addresses of `nodeKey`'s routes, oldest first, without expiring any. */
  private addressesHeld(nodeKey: string): readonly Address[] {
    const s = this.held ? this.ctx.nodeSlots.slotOf(nodeKey) : undefined;
    return s === undefined ? NO_ADDRESSES : listOf(this.heldBy(s));
  }

  private heldBy(s: number): Held | undefined {
    return this.held?.[s];
  }

  /** The address route `r` holds: slot r >> 1's older (or only) one when r is even, its newer one when odd. */
  private addressAt(r: number): Address | undefined {
    const held = this.heldBy(r >> 1);
    if (held === undefined || !(held instanceof AddressPair)) return held;
    return r & 1 ? held.newer : held.older;
  }

  private viewOf(r: number): RouteView {
    return new RouteView(this.ctx.nodeSlots.keyOf(r >> 1) as string, this.addressAt(r) as Address);
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s`. */
  private cover(s: number): void {
    const column = (this.held ??= []);
    while (column.length <= s) column.push(undefined);
    const expiry = this.expiry;
    const have = expiry ? expiry.length / 2 : 0;
    if (s < have) return;
    const length = 2 * grownSlots(have, s, this.ctx.nodeSlots.expected);
    const grown = expiry ? expiry.grown(length) : new WholeWords(length);
    this.expiry = grown;
    this.index?.cover(grown.length);
  }
}
