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
 * addresses sit in a column by that slot and their expiry times in a `Float64Array` beside it,
 * and the address index maps an address to the slot. A route was an object (64 B on XS) and
 * its node a `Map` entry (49 B); the node's slot is shared with its peer's per-neighbour tables.
 * `Route`s are made when asked for (views: equal fields, not the same object each time).
 */
import type { Address } from '../wire/address.js';
import { fromHex } from '../wire/bytes.js';
import type { PackagerContext } from './context.js';
import { grownSlots } from './node-slots.js';

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

export class RouteTable {
  // The three below are made on the first route: empty until then they cost nothing (issue 21).
  /**
   * `Address.tableKey` (a number for most addresses: no key string per route) → the slot of the
   * node routed there. Map order is refresh order: the first route lapses and is evicted first.
   */
  declare private byAddress: Map<number | string, number> | undefined;
  /** Slot → the node's addresses (undefined: no route to it). */
  declare private held: (Held | undefined)[] | undefined;
  /** Slot s → when the route to its older (or only) address lapses (2s), to its newer one (2s + 1). */
  declare private expiry: Float64Array | undefined;
  private readonly ctx: PackagerContext;
  private readonly limit: number;

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
    this.limit = Math.max(1, ctx.limits.routes);
  }

  /**
   * Learn (or refresh) a route; returns the routes evicted to make room. A new node's slot takes
   * the key string the key index holds for it, else `sharedKey` (the peer's, which the caller
   * hands in): one key per node, however many tables name it (issue 21).
   */
  add(nodeKey: string, address: Address, sharedKey?: string): readonly Route[] {
    this.expire();
    const expires = this.ctx.platform.now() + this.ctx.timings.routeLifetimeMs;
    const key = address.tableKey;
    const slots = this.ctx.nodeSlots;
    const old = this.byAddress?.get(key);
    if (old !== undefined && slots.keyOf(old) === nodeKey) {
      // The common case (every advert heard again): mark it newest, nothing else changes.
      const held = this.heldBy(old);
      if (held !== undefined && newestOf(held).tableKey === key) {
        this.byAddress?.delete(key);
        (this.expiry as Float64Array)[2 * old + (held instanceof AddressPair ? 1 : 0)] = expires;
        (this.byAddress ??= new Map()).set(key, old);
        return NONE;
      }
    }
    const evicted: Route[] = [];
    if (old !== undefined) this.remove(address);
    while ((this.byAddress?.size ?? 0) >= this.limit) {
      const oldest = (this.byAddress as Map<number | string, number>).entries().next().value as [number | string, number];
      const route = this.viewOf(oldest[1], oldest[0]);
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
    const expiry = this.expiry as Float64Array;
    (this.byAddress ??= new Map()).set(key, s);
    const column = this.held as (Held | undefined)[];
    if (held === undefined) {
      column[s] = address;
      expiry[2 * s] = expires;
    } else if (!(held instanceof AddressPair)) {
      column[s] = new AddressPair(held, address);
      expiry[2 * s + 1] = expires;
    } else {
      // A third address: the oldest goes (one per tree state, two tree states kept).
      const dropped = held.older.tableKey;
      if (this.byAddress.get(dropped) === s) this.byAddress.delete(dropped);
      column[s] = new AddressPair(held.newer, address);
      expiry[2 * s] = expiry[2 * s + 1];
      expiry[2 * s + 1] = expires;
    }
    return evicted;
  }

  remove(address: Address): Route | undefined {
    const key = address.tableKey;
    const s = this.byAddress?.get(key);
    if (s === undefined) return undefined;
    const r = this.viewOf(s, key);
    this.byAddress?.delete(key);
    const held = this.heldBy(s);
    if (held === undefined) return r;
    const column = this.held as (Held | undefined)[];
    const expiry = this.expiry as Float64Array;
    if (!(held instanceof AddressPair)) {
      if (held.equals(address)) {
        column[s] = undefined;
        expiry[2 * s] = 0;
        this.ctx.nodeSlots.release(s);
      }
    } else if (held.older.equals(address)) {
      column[s] = held.newer;
      expiry[2 * s] = expiry[2 * s + 1];
      expiry[2 * s + 1] = 0;
    } else if (held.newer.equals(address)) {
      column[s] = held.older;
      expiry[2 * s + 1] = 0;
    }
    return r;
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
    const key = address.tableKey;
    const s = this.byAddress?.get(key);
    return s === undefined ? undefined : this.viewOf(s, key);
  }

  /**
   * The Address object a route to `address` holds, if any, without expiring routes first (a
   * lookup for sharing must not change which routes lapse when; an expired entry's object is as
   * good a copy as any).
   */
  heldAddress(address: Address): Address | undefined {
    const key = address.tableKey;
    const s = this.byAddress?.get(key);
    return s === undefined ? undefined : this.addressAt(s, key);
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
    return (this.byAddress?.size ?? 0);
  }

  values(): IterableIterator<Route> {
    this.expire();
    const out: Route[] = [];
    for (const [key, s] of this.byAddress ?? []) out.push(this.viewOf(s, key));
    return out.values();
  }

  clear(): void {
    const column = this.held;
    if (column) for (let s = 0; s < column.length; s++) if (column[s] !== undefined) this.ctx.nodeSlots.release(s);
    this.byAddress?.clear();
    if (this.held) this.held = undefined;
    if (this.expiry) this.expiry = undefined;
  }

  /** Forget the routes not advertised again within their lifetime (the first ones: see above). */
  private expire(): void {
    const now = this.ctx.platform.now();
    let n = 0;
    for (const [key, s] of this.byAddress ?? []) {
      if (this.expiresAt(s, key) > now) break;
      this.remove(this.addressAt(s, key) as Address);
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

  /** The address of slot `s`'s route whose table key is `key` (its Address object). */
  private addressAt(s: number, key: number | string): Address | undefined {
    const held = this.heldBy(s);
    if (held === undefined) return undefined;
    if (!(held instanceof AddressPair)) return held;
    return held.newer.tableKey === key ? held.newer : held.older;
  }

  /** When slot `s`'s route whose table key is `key` lapses. */
  private expiresAt(s: number, key: number | string): number {
    const held = this.heldBy(s);
    const newer = held instanceof AddressPair && held.newer.tableKey === key;
    return (this.expiry as Float64Array)[2 * s + (newer ? 1 : 0)];
  }

  private viewOf(s: number, key: number | string): RouteView {
    return new RouteView(this.ctx.nodeSlots.keyOf(s) as string, this.addressAt(s, key) as Address);
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s`. */
  private cover(s: number): void {
    const column = (this.held ??= []);
    while (column.length <= s) column.push(undefined);
    const expiry = this.expiry;
    const have = expiry ? expiry.length / 2 : 0;
    if (s < have) return;
    const grown = new Float64Array(2 * grownSlots(have, s, this.ctx.nodeSlots.expected));
    if (expiry) grown.set(expiry);
    this.expiry = grown;
  }
}
