/**
 * Routes (protocol.md §4.3): tree address → node id, and per node its last two addresses
 * (one per tree state during transitions). Capped: a new route evicts the oldest-learnt one.
 */
import type { Address } from '../wire/address.js';

export interface Route {
  readonly nodeId: Uint8Array;
  readonly nodeKey: string;
  readonly address: Address;
}

const NONE: readonly Route[] = Object.freeze([]);

export class RouteTable {
  readonly #byAddress = new Map<string, Route>();
  readonly #byNode = new Map<string, Address[]>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /**
   * Learn (or refresh) a route; returns the routes evicted to make room. `nodeId` is copied
   * only when the route is new.
   */
  add(nodeId: Uint8Array, nodeKey: string, address: Address): readonly Route[] {
    const old = this.#byAddress.get(address.key);
    if (old && old.nodeKey === nodeKey) {
      // The common case (every advert heard again): mark it newest, nothing else changes.
      const list = this.#byNode.get(nodeKey);
      if (list && list[list.length - 1].key === address.key) {
        this.#byAddress.delete(address.key);
        this.#byAddress.set(address.key, old);
        return NONE;
      }
    }
    const evicted: Route[] = [];
    if (old) this.remove(address);
    while (this.#byAddress.size >= this.#limit) {
      const oldest = this.#byAddress.values().next().value as Route;
      this.remove(oldest.address);
      evicted.push(oldest);
    }
    const route: Route = { nodeId: nodeId.slice(), nodeKey, address };
    this.#byAddress.set(address.key, route);
    const list = this.#byNode.get(nodeKey) ?? [];
    list.push(address);
    if (list.length > 2) {
      const dropped = list.shift() as Address;
      const r = this.#byAddress.get(dropped.key);
      if (r && r.nodeKey === nodeKey) this.#byAddress.delete(dropped.key);
    }
    this.#byNode.set(nodeKey, list);
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
    return this.#byAddress.get(address.key);
  }

  /** A node's known addresses, oldest first. */
  addressesOf(nodeKey: string): readonly Address[] {
    return this.#byNode.get(nodeKey) ?? [];
  }

  has(nodeKey: string): boolean {
    return this.#byNode.has(nodeKey);
  }

  get size(): number {
    return this.#byAddress.size;
  }

  values(): IterableIterator<Route> {
    return this.#byAddress.values();
  }

  clear(): void {
    this.#byAddress.clear();
    this.#byNode.clear();
  }
}
