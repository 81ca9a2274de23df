/**
 * The layout packager/routes.ts replaced in session 13 (an Entry object per route and a Map of
 * nodes), kept as the reference its differential test (tests/packager/routes-layout.test.ts)
 * drives beside it. Unchanged but for its imports:
 *
 * Routes (protocol.md §4.3): tree address → node id, and per node its last two addresses
 * (one per tree state during transitions). Capped: a new route evicts the oldest-learnt one.
 *
 * Every route expires `routeLifetimeMs` after it was last advertised (issue 19, class 6): a
 * false or stale advert is forgotten even when nobody contradicts it, while an address its
 * holder keeps advertising (every ≤ 160 s by its SEND) stays. Learning order is refresh order
 * and every refresh gives the same lifetime, so the expired routes are always the first ones.
 */
import type { Address } from '../../../modules/mycelium/wire/address.js';
import { fromHex } from '../../../modules/mycelium/wire/bytes.js';
import type { PackagerContext } from '../../../modules/mycelium/packager/context.js';

export interface Route {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly address: Address;
}

/**
 * A route and when it lapses unless advertised again (platform ms). The node id is kept as its
 * key only (shared with the peer and the node's other route): `nodeId` makes the bytes when
 * asked, as a 32-byte Uint8Array costs 152 B on XS (issue 21).
 */
class Entry implements Route {
  readonly nodeKey: string;
  readonly address: Address;
  expires: number;

  constructor(nodeKey: string, address: Address, expires: number) {
    this.nodeKey = nodeKey;
    this.address = address;
    this.expires = expires;
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

export class RouteTableBefore {
  /** Keyed by `Address.tableKey` (a number for most addresses: no key string per route). */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byAddress: Map<number | string, Entry> | undefined;
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byNode: Map<string, Held> | undefined;
  private readonly ctx: PackagerContext;
  private readonly limit: number;

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
    this.limit = Math.max(1, ctx.limits.routes);
  }

  /**
   * Learn (or refresh) a route; returns the routes evicted to make room. A new route shares the
   * key string of the node's other route, else `sharedKey` (the peer's, which the caller hands
   * in): one key per node, however many tables name it (issue 21).
   */
  add(nodeKey: string, address: Address, sharedKey?: string): readonly Route[] {
    this.expire();
    const expires = this.ctx.platform.now() + this.ctx.timings.routeLifetimeMs;
    const key = address.tableKey;
    const old = this.byAddress?.get(key);
    if (old && old.nodeKey === nodeKey) {
      // The common case (every advert heard again): mark it newest, nothing else changes.
      const held = this.byNode?.get(nodeKey);
      if (held !== undefined && newestOf(held).tableKey === key) {
        this.byAddress?.delete(key);
        old.expires = expires;
        (this.byAddress ??= new Map()).set(key, old);
        return NONE;
      }
    }
    const evicted: Route[] = [];
    if (old) this.remove(address);
    while ((this.byAddress?.size ?? 0) >= this.limit) {
      const oldest = (this.byAddress as Map<number | string, Entry>).values().next().value as Entry;
      this.remove(oldest.address);
      evicted.push(oldest);
    }
    const route = new Entry(this.keyOf(nodeKey) ?? sharedKey ?? nodeKey, address, expires);
    (this.byAddress ??= new Map()).set(key, route);
    const held = this.byNode?.get(nodeKey);
    if (held === undefined) (this.byNode ??= new Map()).set(route.nodeKey, address);
    else if (!(held instanceof AddressPair)) (this.byNode ??= new Map()).set(nodeKey, new AddressPair(held, address));
    else {
      // A third address: the oldest goes (one per tree state, two tree states kept).
      const dropped = held.older;
      const r = this.byAddress?.get(dropped.tableKey);
      if (r && r.nodeKey === nodeKey) this.byAddress?.delete(dropped.tableKey);
      (this.byNode ??= new Map()).set(nodeKey, new AddressPair(held.newer, address));
    }
    return evicted;
  }

  remove(address: Address): Route | undefined {
    const key = address.tableKey;
    const r = this.byAddress?.get(key);
    if (!r) return undefined;
    this.byAddress?.delete(key);
    const held = this.byNode?.get(r.nodeKey);
    if (held === undefined) return r;
    if (!(held instanceof AddressPair)) {
      if (held.equals(address)) this.byNode?.delete(r.nodeKey);
    } else {
      if (held.older.equals(address)) (this.byNode ??= new Map()).set(r.nodeKey, held.newer);
      else if (held.newer.equals(address)) (this.byNode ??= new Map()).set(r.nodeKey, held.older);
    }
    return r;
  }

  /** Drop every route of a node. */
  removeNode(nodeKey: string): Route[] {
    const out: Route[] = [];
    for (const a of listOf(this.byNode?.get(nodeKey)).slice()) {
      const r = this.remove(a);
      if (r) out.push(r);
    }
    return out;
  }

  get(address: Address): Route | undefined {
    this.expire();
    return this.byAddress?.get(address.tableKey);
  }

  /**
   * The Address object a route to `address` holds, if any, without expiring routes first (a
   * lookup for sharing must not change which routes lapse when; an expired entry's object is as
   * good a copy as any).
   */
  heldAddress(address: Address): Address | undefined {
    return this.byAddress?.get(address.tableKey)?.address;
  }

  /** The key string the routes of `nodeKey` hold (shared with its peer, if any). */
  keyOf(nodeKey: string): string | undefined {
    const held = this.byNode?.get(nodeKey);
    const oldest = held === undefined ? undefined : held instanceof AddressPair ? held.older : held;
    const r = oldest && this.byAddress?.get(oldest.tableKey);
    return r && r.nodeKey === nodeKey ? r.nodeKey : undefined;
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeKey: string): readonly Address[] {
    this.expire();
    return listOf(this.byNode?.get(nodeKey));
  }

  has(nodeKey: string): boolean {
    this.expire();
    return this.byNode?.has(nodeKey) ?? false;
  }

  get size(): number {
    this.expire();
    return (this.byAddress?.size ?? 0);
  }

  values(): IterableIterator<Route> {
    this.expire();
    return this.byAddress?.values() ?? [].values();
  }

  clear(): void {
    this.byAddress?.clear();
    this.byNode?.clear();
  }

  /** Forget the routes not advertised again within their lifetime (the first ones: see above). */
  private expire(): void {
    const now = this.ctx.platform.now();
    let n = 0;
    for (const r of this.byAddress?.values() ?? []) {
      if (r.expires > now) break;
      this.remove(r.address);
      n++;
    }
    if (n) this.ctx.counters.inc('route_expired', n);
  }
}
