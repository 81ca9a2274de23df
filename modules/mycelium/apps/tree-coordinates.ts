/**
 * The coordinates a parent has handed out (protocol.md §6.3: a child's address is its parent's
 * plus one coordinate, 1..135), with leases on those of children it no longer has as peers
 * (issue 19, class 2). A child dropped as a peer (beacon timeout, DISCONNECT, table eviction) is
 * not told, and keeps its address while it hears our adverts; giving its coordinate to the next
 * joiner made two nodes share one address, for good. So a dropped child's coordinate stays its
 * own until the child has been silent for the lease (the tree timeout: by then its address has
 * gone stale, or we would have heard it), or until it is heard at another address (it re-joined
 * elsewhere); asking again meanwhile, it gets the same coordinate back. At most one entry per
 * coordinate (135). When our own address changes, the table is put aside under the address we
 * left (the last `LEFT_LIMIT` of them) and a fresh one starts: if we come back to that address
 * — a repair often moves a node away and back — the children that may still use their old
 * coordinates under it keep them as leases, instead of the next joiner getting one of them (a
 * 10×10 root kill ended with two nodes at one address that way).
 */
import { MAX_COORDINATE, type Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';

/** Addresses we left whose coordinates are remembered. */
const LEFT_LIMIT = 4;

/**
 * A coordinate and its holder's standing (keyed by the holder's key in the tables): which
 * coordinate, whether it is released (leased, no longer a peer), and when the holder was last
 * known to use it (assigned, released, or heard at it). A parent keeps one per child, so it is
 * held as one number where that is exact (issue 21: on XS a two-field object beside its Map entry
 * is 48 B, a number in the entry nothing): `(heard × 256 + coord)`, negated while released —
 * a whole `heard` below 2^44 ms and a coordinate below 256 fit a double's 53 bits exactly. Any
 * other time (a host whose clock has fractions) keeps a `Holder` object instead.
 */
type Held = number | Holder;

/** A held coordinate whose time does not fit the number (frozen: replaced, never changed). */
class Holder {
  readonly coord: number;
  readonly released: boolean;
  readonly heard: number;

  constructor(coord: number, released: boolean, heard: number) {
    this.coord = coord;
    this.released = released;
    this.heard = heard;
  }
}

/** Coordinates below this and times below HEARD_LIMIT share one number (see `Held`). */
const COORD_UNIT = 256;
const HEARD_LIMIT = 2 ** 44;

function held(coord: number, released: boolean, heard: number): Held {
  if (!Number.isInteger(heard) || heard < 0 || heard >= HEARD_LIMIT || coord >= COORD_UNIT) return new Holder(coord, released, heard);
  const n = heard * COORD_UNIT + coord;
  return released ? -n : n;
}

function coordOf(h: Held): number {
  return typeof h === 'number' ? Math.abs(h) % COORD_UNIT : h.coord;
}

function isReleased(h: Held): boolean {
  return typeof h === 'number' ? h < 0 : h.released;
}

function heardOf(h: Held): number {
  return typeof h === 'number' ? Math.floor(Math.abs(h) / COORD_UNIT) : h.heard;
}

/** What the leases ask of the tree (one object, not a closure each: issue 21). */
export interface LeaseHost {
  /** How long a dropped child's coordinate stays its own (the tree timeout), ms. */
  leaseMs(): number;
  /** When a peer was last heard (undefined: not a peer). */
  lastHeard(key: string): number | undefined;
}

export class TreeCoordinates {
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private holders: Map<string, Held> | undefined;
  /** Tables of addresses we left, by address (tree state and bytes), oldest first. */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private left: Map<string, Map<string, Held>> | undefined;
  /** Our own address the coordinates extend. */
  private under: Address | undefined;
  private readonly host: LeaseHost;

  constructor(host: LeaseHost) {
    this.host = host;
  }

  /** Our own address is now `mine`: the table of the one we left is put aside, `mine`'s (if we were there before) comes back. */
  rebase(mine: Address | undefined): void {
    if (mine && this.under?.equals(mine)) return;
    if (this.under && (this.holders?.size ?? 0) > 0) {
      const key = addressKey(this.under);
      this.left?.delete(key);
      // Leases now: they are ours again only if we come back and the holder is still heard.
      (this.left ??= new Map()).set(key, new Map([...(this.holders ?? [])].map(([k, h]) => [k, held(coordOf(h), true, heardOf(h))])));
      if ((this.left?.size ?? 0) > LEFT_LIMIT) this.left?.delete((this.left as Map<string, Map<string, Held>>).keys().next().value as string);
    }
    this.holders?.clear();
    this.under = mine;
    const back = mine ? this.left?.get(addressKey(mine)) : undefined;
    if (back && mine) {
      this.left?.delete(addressKey(mine));
      for (const [k, h] of back) (this.holders ??= new Map()).set(k, h);
    }
  }

  /** Current children (leases left out) and their coordinates. */
  children(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, h] of this.holders ?? []) if (!isReleased(h)) out[key] = coordOf(h);
    return out;
  }

  /**
   * Some neighbour holds or leases a coordinate under ours: it may still take us as parent and
   * watch our hellos. Leases count: a child dropped as a peer on a lossy link is often still our
   * child (see the top of this file), and a parent that slowed its hellos then (apps/hello-pace.ts)
   * starved its heartbeat (lossy-50 lost 41 of 960 pings that way).
   */
  leads(): boolean {
    return (this.holders?.size ?? 0) > 0;
  }

  /** The coordinate for `key`: its own (held or leased), else the lowest free one; undefined when none is. */
  assign(key: string, now: number): number | undefined {
    const own = this.holders?.get(key);
    if (own !== undefined) {
      // Set again under the same key: Map order (the order children are listed in) is kept.
      this.holders?.set(key, held(coordOf(own), false, now));
      return coordOf(own);
    }
    const used = new Set<number>();
    for (const [k, h] of [...(this.holders ?? [])]) {
      if (isReleased(h) && this.expired(k, h, now)) this.holders?.delete(k);
      else used.add(coordOf(h));
    }
    for (let c = 1; c <= MAX_COORDINATE; c++) {
      if (used.has(c)) continue;
      (this.holders ??= new Map()).set(key, held(c, false, now));
      return c;
    }
    return undefined;
  }

  /** The coordinate the next new child would get (nothing changes); undefined when none is free. */
  nextFree(now: number): number | undefined {
    const used = new Set<number>();
    if (this.holders) for (const [k, h] of this.holders) if (!(isReleased(h) && this.expired(k, h, now))) used.add(coordOf(h));
    for (let c = 1; c <= MAX_COORDINATE; c++) if (!used.has(c)) return c;
    return undefined;
  }

  /** `key` is no longer our peer: its coordinate stays leased to it. */
  release(key: string, now: number): void {
    const h = this.holders?.get(key);
    if (h === undefined) return;
    this.holders?.set(key, held(coordOf(h), true, now));
  }

  /**
   * `key`, whose coordinate is leased, advertised `address`: at its coordinate it is our child
   * again; anywhere else it re-joined elsewhere and the coordinate is free. (A current child's
   * advert may predate our ASSIGN: it is not taken as a move.)
   */
  heard(key: string, address: Address | undefined, now: number): void {
    const h = this.holders?.get(key);
    if (h === undefined || !isReleased(h)) return;
    if (address && this.under && isChildAt(this.under, address, coordOf(h))) this.holders?.set(key, held(coordOf(h), false, now));
    else this.holders?.delete(key);
  }

  private expired(key: string, h: Held, now: number): boolean {
    const last = Math.max(heardOf(h), this.host.lastHeard(key) ?? -Infinity);
    return now - last >= this.host.leaseMs();
  }
}

function addressKey(a: Address): string {
  return a.treeState + ':' + toHex(a.bytes);
}

/** `address` is `parent`'s plus coordinate `coord`. */
function isChildAt(parent: Address, address: Address, coord: number): boolean {
  const p = parent.coords;
  const a = address.coords;
  if (address.treeState !== parent.treeState || a.length !== p.length + 1 || a[p.length] !== coord) return false;
  for (let i = 0; i < p.length; i++) if (a[i] !== p[i]) return false;
  return true;
}
