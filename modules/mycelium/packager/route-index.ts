/**
 * The route table's address index (routes.ts) without a `Map` (issue 21, session 17): an address
 * (its `tableKey`) → the route that holds it, in refresh order. A route is numbered by where the
 * table keeps it — its node's slot on the key index, twice, plus 1 for a node's newer address —
 * so the order, a doubly linked list, sits in a typed array by route number beside the table's
 * expiry column (`Cells`: 8 B a node slot), and the index is an open-addressing hash of route numbers (linear
 * probing, backward-shift removal) that asks the table for a route's key to compare. A `Map`
 * entry was 49 B a route on XS.
 */

/** What the index asks of its table: the `tableKey` of the address route `r` holds. */
export interface RouteKeys {
  routeKey(r: number): number | string;
}

/** Where a table key's search starts: its words mixed (a number), FNV-1a over it (a string). */
function hashOf(key: number | string): number {
  if (typeof key !== 'number') return textHash(key);
  let h = Math.imul((key >>> 0) ^ Math.imul(Math.floor(key / 0x100000000), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over a string's character codes, unsigned (also hop-vectors.ts `flowOf`). */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Route numbers plus 1 in 2 B cells while they fit (a table of fewer than 65,535 route numbers:
 * every device's), else 4 B (session 25; always 4 B before: the links of a node slot's two route
 * numbers took 16 B, now 8 B).
 */
type Cells = Uint16Array | Uint32Array;

/** Cells for values up to `max`. */
function cellsFor(length: number, max: number): Cells {
  return max < 0x10000 ? new Uint16Array(length) : new Uint32Array(length);
}

/** Per route number: the route before it and after it in refresh order, each plus 1 (0: none). */
const PREV = 0;
const NEXT = 1;

export class RouteIndex {
  private readonly keys: RouteKeys;
  /** Routes listed (read it as `size`). */
  private count = 0;
  /** The oldest and newest route, plus 1 (0: none). */
  private first = 0;
  private last = 0;
  // Made on the first route (issue 21).
  /** Two ints per route number (PREV, NEXT); sized with the table's columns (`cover`). */
  declare private links: Cells | undefined;
  /** Route numbers plus 1 (0: empty), a power of two at least 4/3 of the routes listed. */
  declare private buckets: Cells | undefined;

  constructor(keys: RouteKeys) {
    this.keys = keys;
  }

  get size(): number {
    return this.count;
  }

  /** Room for route numbers below `routes`, what is held kept. */
  cover(routes: number): void {
    const links = this.links;
    if (links !== undefined && links.length >= 2 * routes) return;
    const grown = cellsFor(2 * routes, routes);
    if (links) grown.set(links);
    this.links = grown;
    const buckets = this.buckets;
    if (buckets instanceof Uint16Array && routes >= 0x10000) {
      this.buckets = new Uint32Array(buckets.length);
      this.buckets.set(buckets);
    }
  }

  /** The route holding `key`, -1 when none does. */
  get(key: number | string): number {
    const at = this.find(key);
    return at < 0 ? -1 : (this.buckets as Cells)[at] - 1;
  }

  /** The oldest route, -1 when none. */
  oldest(): number {
    return this.first - 1;
  }

  /** The route after `r` in refresh order, -1 when `r` is the newest. */
  newer(r: number): number {
    return (this.links as Cells)[2 * r + NEXT] - 1;
  }

  /** List route `r` (holding `key`, not listed) as the newest. */
  add(r: number, key: number | string): void {
    if (4 * (this.count + 1) > 3 * (this.buckets?.length ?? 0)) this.rehash(this.count + 1);
    this.place(r + 1, hashOf(key));
    this.append(r);
    this.count++;
  }

  /** Route `r` (listed) is the newest now. */
  refresh(r: number): void {
    this.unlink(r);
    this.append(r);
  }

  /** Route `r` (holding `key`) is listed no more. */
  remove(r: number, key: number | string): void {
    this.unlink(r);
    this.unplace(this.bucketOf(r, key));
    this.count--;
  }

  /** Route `from` (holding `key`) is numbered `to` now (a node's newer address became its only one), its place kept. */
  renumber(from: number, to: number, key: number | string): void {
    const links = this.links as Cells;
    (this.buckets as Cells)[this.bucketOf(from, key)] = to + 1;
    const prev = links[2 * from + PREV];
    const next = links[2 * from + NEXT];
    links[2 * to + PREV] = prev;
    links[2 * to + NEXT] = next;
    if (prev) links[2 * (prev - 1) + NEXT] = to + 1;
    else this.first = to + 1;
    if (next) links[2 * (next - 1) + PREV] = to + 1;
    else this.last = to + 1;
  }

  clear(): void {
    this.count = 0;
    this.first = this.last = 0;
    this.links = undefined;
    this.buckets = undefined;
  }

  private find(key: number | string): number {
    const buckets = this.buckets;
    if (buckets === undefined) return -1;
    const mask = buckets.length - 1;
    for (let at = hashOf(key) & mask; ; at = (at + 1) & mask) {
      const r = buckets[at];
      if (r === 0) return -1;
      if (this.keys.routeKey(r - 1) === key) return at;
    }
  }

  /** The bucket holding route `r`, whose key is `key`. */
  private bucketOf(r: number, key: number | string): number {
    const buckets = this.buckets as Cells;
    const mask = buckets.length - 1;
    let at = hashOf(key) & mask;
    while (buckets[at] !== r + 1) at = (at + 1) & mask;
    return at;
  }

  private place(r1: number, hash: number): void {
    const buckets = this.buckets as Cells;
    const mask = buckets.length - 1;
    let at = hash & mask;
    while (buckets[at] !== 0) at = (at + 1) & mask;
    buckets[at] = r1;
  }

  /** Empty bucket `hole`, the later routes of its run moved back so that every search still finds them. */
  private unplace(hole: number): void {
    const buckets = this.buckets as Cells;
    const mask = buckets.length - 1;
    for (let at = (hole + 1) & mask; buckets[at] !== 0; at = (at + 1) & mask) {
      const home = hashOf(this.keys.routeKey(buckets[at] - 1)) & mask;
      if (hole <= at ? home > hole && home <= at : home > hole || home <= at) continue;
      buckets[hole] = buckets[at];
      hole = at;
    }
    buckets[hole] = 0;
  }

  /** Buckets for `n` routes, every route listed placed anew. */
  private rehash(n: number): void {
    let size = 8;
    while (3 * size < 4 * n) size *= 2;
    this.buckets = cellsFor(size, (this.links?.length ?? 0) / 2);
    for (let r = this.first - 1; r >= 0; r = this.newer(r)) this.place(r + 1, hashOf(this.keys.routeKey(r)));
  }

  private append(r: number): void {
    const links = this.links as Cells;
    links[2 * r + PREV] = this.last;
    links[2 * r + NEXT] = 0;
    if (this.last) links[2 * (this.last - 1) + NEXT] = r + 1;
    else this.first = r + 1;
    this.last = r + 1;
  }

  private unlink(r: number): void {
    const links = this.links as Cells;
    const prev = links[2 * r + PREV];
    const next = links[2 * r + NEXT];
    if (prev) links[2 * (prev - 1) + NEXT] = next;
    else this.first = next;
    if (next) links[2 * (next - 1) + PREV] = prev;
    else this.last = prev;
  }
}
