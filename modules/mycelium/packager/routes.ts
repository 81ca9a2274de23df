/**
 * Routes (protocol.md §4.3): tree address → node id, and per node its last two addresses
 * (one per tree state during transitions). Capped: a new route evicts the oldest-learnt one.
 *
 * Every route expires `routeLifetimeMs` after it was last advertised (issue 19, class 6): a
 * false or stale advert is forgotten even when nobody contradicts it, while an address its
 * holder keeps advertising (every ≤ 160 s by its SEND) stays. Learning order is refresh order
 * and every refresh gives the same lifetime, so the expired routes are always the first ones.
 */
import type { Address } from '../wire/address.js';
import type { PackagerContext } from './context.js';

export interface Route {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly address: Address;
}

/** A route and when it lapses unless advertised again (platform ms). */
interface Entry extends Route {
  expires: number;
}

const NONE: readonly Route[] = Object.freeze([]);

export class RouteTable {
  readonly #byAddress = new Map<string, Entry>();
  readonly #byNode = new Map<string, Address[]>();
  readonly #ctx: PackagerContext;
  readonly #limit: number;

  constructor(ctx: PackagerContext) {
    this.#ctx = ctx;
    this.#limit = Math.max(1, ctx.limits.routes);
  }

  /**
   * Learn (or refresh) a route; returns the routes evicted to make room. A new route shares the
   * id bytes and key string of the node's other route, else of `shared` (the peer's, which the
   * caller hands in), and copies `nodeId` only when neither is known: one id per node, however
   * many tables name it (issue 21).
   */
  add(nodeId: Uint8Array, nodeKey: string, address: Address, shared?: { readonly id: Uint8Array; readonly key: string }): readonly Route[] {
    this.#expire();
    const expires = this.#ctx.platform.now() + this.#ctx.timings.routeLifetimeMs;
    const old = this.#byAddress.get(address.key);
    if (old && old.nodeKey === nodeKey) {
      // The common case (every advert heard again): mark it newest, nothing else changes.
      const list = this.#byNode.get(nodeKey);
      if (list && list[list.length - 1].key === address.key) {
        this.#byAddress.delete(address.key);
        old.expires = expires;
        this.#byAddress.set(address.key, old);
        return NONE;
      }
    }
    const evicted: Route[] = [];
    if (old) this.remove(address);
    while (this.#byAddress.size >= this.#limit) {
      const oldest = this.#byAddress.values().next().value as Entry;
      this.remove(oldest.address);
      evicted.push(oldest);
    }
    const known = this.identityOf(nodeKey) ?? shared;
    const route: Entry = known ? { nodeId: known.id, nodeKey: known.key, address, expires } : { nodeId: nodeId.slice(), nodeKey, address, expires };
    this.#byAddress.set(address.key, route);
    const list = this.#byNode.get(nodeKey) ?? [];
    list.push(address);
    if (list.length > 2) {
      const dropped = list.shift() as Address;
      const r = this.#byAddress.get(dropped.key);
      if (r && r.nodeKey === nodeKey) this.#byAddress.delete(dropped.key);
    }
    if (!this.#byNode.has(nodeKey)) this.#byNode.set(route.nodeKey, list);
    return evicted;
  }

  remove(address: Address): Route | undefined {
    const r = this.#byAddress.get(address.key);
    if (!r) return undefined;
    this.#byAddress.delete(address.key);
    const list = this.#byNode.get(r.nodeKey);
    if (list) {
      const i = list.findIndex((a) => a.equals(address));
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#byNode.delete(r.nodeKey);
    }
    return r;
  }

  /** Drop every route of a node. */
  removeNode(nodeKey: string): Route[] {
    const out: Route[] = [];
    for (const a of (this.#byNode.get(nodeKey) ?? []).slice()) {
      const r = this.remove(a);
      if (r) out.push(r);
    }
    return out;
  }

  get(address: Address): Route | undefined {
    this.#expire();
    return this.#byAddress.get(address.key);
  }

  /**
   * The Address object a route to `address` holds, if any, without expiring routes first (a
   * lookup for sharing must not change which routes lapse when; an expired entry's object is as
   * good a copy as any).
   */
  heldAddress(address: Address): Address | undefined {
    return this.#byAddress.get(address.key)?.address;
  }

  /** The id bytes and key string the routes of `nodeKey` hold (shared with its peer, if any). */
  identityOf(nodeKey: string): { readonly id: Uint8Array; readonly key: string } | undefined {
    const list = this.#byNode.get(nodeKey);
    const r = list && list.length ? this.#byAddress.get(list[0].key) : undefined;
    return r && r.nodeKey === nodeKey ? { id: r.nodeId, key: r.nodeKey } : undefined;
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeKey: string): readonly Address[] {
    this.#expire();
    return this.#byNode.get(nodeKey) ?? [];
  }

  has(nodeKey: string): boolean {
    this.#expire();
    return this.#byNode.has(nodeKey);
  }

  get size(): number {
    this.#expire();
    return this.#byAddress.size;
  }

  values(): IterableIterator<Route> {
    this.#expire();
    return this.#byAddress.values();
  }

  clear(): void {
    this.#byAddress.clear();
    this.#byNode.clear();
  }

  /** Forget the routes not advertised again within their lifetime (the first ones: see above). */
  #expire(): void {
    const now = this.#ctx.platform.now();
    let n = 0;
    for (const r of this.#byAddress.values()) {
      if (r.expires > now) break;
      this.remove(r.address);
      n++;
    }
    if (n) this.#ctx.counters.inc('route_expired', n);
  }
}
