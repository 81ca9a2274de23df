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
 * 10×10 root kill ended with two nodes at one address that way). A neighbour we gave nothing
 * that holds an address under ours (we rebooted, or left the table behind) gets the same lease.
 * A child that refused the coordinate we gave keeps its own in the table, and of two neighbours
 * found at one coordinate, one that speaks Hello is told to move (session 51: `elsewhere`,
 * `contested`; docs/routing.md "Two nodes at one address").
 */
import { Address, MAX_COORDINATE, coordsHead } from '../wire/address.js';
import { addressTag } from '../wire/messages/hello.js';
import { toHex } from '../wire/bytes.js';
import { NodeSlots } from '../packager/node-slots.js';
import { CoordTable } from './coord-table.js';

/** Addresses we left whose coordinates are remembered. */
const LEFT_LIMIT = 4;

/** What the leases ask of the tree (one object, not a closure each: issue 21). */
export interface LeaseHost {
  /** How long a dropped child's coordinate stays its own (the tree timeout), ms. */
  leaseMs(): number;
  /** When a peer was last heard (undefined: not a peer). */
  lastHeard(key: string): number | undefined;
  /**
   * The node's key index, which the holders are kept on (coord-table.ts): the node's other
   * per-neighbour tables share its slots. Absent (a table used alone): one of its own.
   */
  nodeSlots?(): NodeSlots;
  /**
   * `key` is a neighbour that takes another coordinate when told (it speaks Hello: a build of
   * ours, which answers our word with a REQUEST). Absent: none does.
   */
  movable?(key: string): boolean;
}

/** A neighbour to be told which coordinate under ours is its own now (tree-assign.ts `tellToMove`). */
export interface CoordMove {
  readonly key: string;
  readonly coord: number;
}

export class TreeCoordinates {
  // Made on the first set: empty until then costs nothing (issue 21).
  /**
   * Who holds which coordinate under our address, in the order they were first given one (the
   * order children are listed in): held (by a current child) or leased (released, see the top).
   */
  declare private holders: CoordTable | undefined;
  /** Tables of addresses we left, by address (tree state and bytes), oldest first. */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private left: Map<string, CoordTable> | undefined;
  /** The key index of a table whose host has none (tests, a table used alone). */
  declare private ownSlots: NodeSlots | undefined;
  /** Our own address the coordinates extend. */
  private under: Address | undefined;
  private readonly host: LeaseHost;

  constructor(host: LeaseHost) {
    this.host = host;
  }

  /** Our own address is now `mine`: the table of the one we left is put aside, `mine`'s (if we were there before) comes back. */
  rebase(mine: Address | undefined): void {
    if (mine && this.under?.equals(mine)) return;
    const holders = this.holders;
    if (this.under && holders !== undefined && holders.size > 0) {
      const key = addressKey(this.under);
      this.forget(key);
      // Leases now: they are ours again only if we come back and the holder is still heard.
      const left = (this.left ??= new Map());
      left.set(key, holders.released());
      if (left.size > LEFT_LIMIT) this.forget(left.keys().next().value as string);
    }
    holders?.clear();
    this.under = mine;
    const back = mine ? this.left?.get(addressKey(mine)) : undefined;
    if (back && mine) {
      this.left?.delete(addressKey(mine));
      this.holders = back;
    }
  }

  /** Current children (leases left out) and their coordinates. */
  children(): Record<string, number> {
    const out: Record<string, number> = {};
    const h = this.holders;
    if (h !== undefined) for (let i = 0; i < h.size; i++) if (!h.releasedAt(i)) out[h.keyAt(i)] = h.coordAt(i);
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
    const h = (this.holders ??= new CoordTable(this.slots()));
    const own = h.find(key);
    if (own >= 0) {
      // Its entry keeps its place (the order children are listed in).
      h.setAt(own, h.coordAt(own), false, now);
      return h.coordAt(own);
    }
    const c = this.lowestFree(h, now);
    if (c !== undefined) h.add(key, c, false, now);
    return c;
  }

  /** The coordinate the next new child would get (nothing changes); undefined when none is free. */
  nextFree(now: number): number | undefined {
    const used = new Set<number>();
    const h = this.holders;
    if (h !== undefined) for (let i = 0; i < h.size; i++) if (!(h.releasedAt(i) && this.expired(h, i, now))) used.add(h.coordAt(i));
    for (let c = 1; c <= MAX_COORDINATE; c++) if (!used.has(c)) return c;
    return undefined;
  }

  /** `key` is no longer our peer: its coordinate stays leased to it. */
  release(key: string, now: number): void {
    const h = this.holders;
    const i = h === undefined ? -1 : h.find(key);
    if (i >= 0) (h as CoordTable).setAt(i, (h as CoordTable).coordAt(i), true, now);
  }

  /**
   * `key` advertised `address`. Leased: at its coordinate it is our child again; anywhere else it
   * re-joined elsewhere and the coordinate is free. A current child at another coordinate under
   * ours: `elsewhere`. A neighbour we gave nothing: `heardUnknown`. Returns who is to be told to
   * move when two hold one coordinate (`contested`).
   */
  heard(key: string, address: Address | undefined, now: number): CoordMove | undefined {
    const h = this.holders;
    const i = h === undefined ? -1 : h.find(key);
    if (i < 0) return this.heardUnknown(key, address, now);
    if (h === undefined) return undefined;
    const coord = h.coordAt(i);
    if (!h.releasedAt(i)) return this.elsewhere(h, key, address, coord, now);
    if (address && this.under && isChildAt(this.under, address, coord)) h.setAt(i, coord, false, now);
    else h.removeAt(i);
    return undefined;
  }

  /**
   * Our child `key`, whose coordinate in our table is `coord`, advertises another one under ours:
   * it did not take the one we gave (a REQUEST that only asked for a refresh, answered after we
   * lost our table in a reboot: the child, upstream's or ours, keeps the address it holds and
   * answers our ASSIGN with a RESPOND), or we told it to move and our word was lost. Its entry
   * follows it when nobody else holds that coordinate; when another does, the two contest it.
   */
  private elsewhere(h: CoordTable, key: string, address: Address | undefined, coord: number, now: number): CoordMove | undefined {
    const under = this.under;
    if (!address || !under || address.treeState !== under.treeState) return undefined;
    const theirs = address.peekCoords()[under.coords.length];
    if (theirs === undefined || theirs === coord || !isChildAt(under, address, theirs)) return undefined;
    for (let j = 0; j < h.size; j++) if (h.coordAt(j) === theirs) return this.contested(h, h.keyAt(j), key, theirs, now);
    h.setAt(h.find(key), theirs, false, now);
    return undefined;
  }

  /**
   * A neighbour we gave nothing holds an address under ours (we rebooted, or came back to an
   * address whose table we no longer keep): its coordinate is leased to it as if we had given it,
   * unless someone else holds or leases that one. Handing it to the next joiner made two nodes
   * share an address for minutes: a parent back from a reboot (churn-100 on a lossy radio, seed
   * 5) gave its child's coordinate to a new child, and the old one's subtree lost every packet
   * sent to it. Only a neighbour without an entry gets one: none holds more than one coordinate.
   */
  private heardUnknown(key: string, address: Address | undefined, now: number): CoordMove | undefined {
    // Every advert of a neighbour that is not our child comes here: another tree's is not decoded.
    const under = this.under;
    if (!address || !under || address.treeState !== under.treeState) return undefined;
    const coord = address.peekCoords()[under.coords.length];
    if (coord === undefined || !isChildAt(under, address, coord)) return undefined;
    const h = (this.holders ??= new CoordTable(this.slots()));
    for (let j = 0; j < h.size; j++) if (h.coordAt(j) === coord) return this.contested(h, h.keyAt(j), key, coord, now);
    h.add(key, coord, true, now);
    return undefined;
  }

  /**
   * `other` holds `coord` under ours, which `holder` holds or leases in our table: two nodes at one
   * address. A parent back from a reboot learns its old children by their adverts, and one that
   * sends no hellos (upstream's) advertises once a round, 20 s: a REQUEST answered before that
   * gave its coordinate again (a copy of churn-100 with upstream stand-ins held 1,500 node-seconds
   * of such addresses on seed 3, whole subtrees twice). One of the two is told to take another
   * coordinate (tree-assign.ts `tellToMove`); only a node that speaks Hello can be. `other`, if it
   * has a coordinate of its own in our table already (it was told, or refused ours); else the
   * holder, if it holds (it asked us lately, so its subtree is young); else `other`, given a fresh
   * one. When neither can be told (upstream's), both stay, as upstream's own parents leave them.
   */
  private contested(h: CoordTable, holder: string, other: string, coord: number, now: number): CoordMove | undefined {
    const fresh = this.lowestFree(h, now, coord); // expired leases go, the holder's among them
    const i = h.find(holder);
    const o = h.find(other);
    const otherMoves = this.host.movable?.(other) === true;
    if (i < 0) {
      if (o >= 0) h.setAt(o, coord, false, now);
      else h.add(other, coord, true, now);
      return undefined;
    }
    if (o >= 0 && otherMoves) return { key: other, coord: h.coordAt(o) };
    if (!h.releasedAt(i) && this.host.movable?.(holder) === true && fresh !== undefined) {
      h.setAt(i, fresh, false, now);
      if (o >= 0) h.setAt(o, coord, false, now);
      else h.add(other, coord, true, now);
      return { key: holder, coord: fresh };
    }
    if (o >= 0 || !otherMoves || fresh === undefined) return undefined;
    h.add(other, fresh, true, now); // a lease until it asks for it
    return { key: other, coord: fresh };
  }

  /** The lowest coordinate nobody holds (nor `taken`), expired leases dropped on the way; undefined when none is free. */
  private lowestFree(h: CoordTable, now: number, taken = 0): number | undefined {
    const used = new Set<number>();
    for (let i = 0; i < h.size; ) {
      if (h.releasedAt(i) && this.expired(h, i, now)) h.removeAt(i);
      else used.add(h.coordAt(i++));
    }
    for (let c = 1; c <= MAX_COORDINATE; c++) if (!used.has(c) && c !== taken) return c;
    return undefined;
  }

  private expired(h: CoordTable, i: number, now: number): boolean {
    const last = Math.max(h.heardAt(i), this.host.lastHeard(h.keyAt(i)) ?? -Infinity);
    return now - last >= this.host.leaseMs();
  }

  /** The table left under `key` goes (its slots let go). */
  private forget(key: string): void {
    const left = this.left;
    const t = left?.get(key);
    if (t === undefined) return;
    t.clear();
    left?.delete(key);
  }

  private slots(): NodeSlots {
    return this.host.nodeSlots?.() ?? (this.ownSlots ??= new NodeSlots(0));
  }
}

function addressKey(a: Address): string {
  return a.treeState + ':' + toHex(a.bytes);
}

/** `address` is `parent`'s plus coordinate `coord`. */
function isChildAt(parent: Address, address: Address, coord: number): boolean {
  const p = parent.coords;
  const a = address.peekCoords(); // a neighbour's: no decoded copy kept on it
  if (address.treeState !== parent.treeState || a.length !== p.length + 1 || a[p.length] !== coord) return false;
  for (let i = 0; i < p.length; i++) if (a[i] !== p[i]) return false;
  return true;
}

/** A parent's hello (its depth, its address tag) shows it is not where our address (`mine`, `depth` deep) says it is. */
export function parentMoved(m: { readonly depth: number; readonly addressTag: number }, mine: Address | undefined, depth: number): boolean {
  if (m.depth + 1 !== depth) return true;
  if (!mine) return false;
  const parent = Address.fromCoords(mine.treeState, coordsHead(mine.coords, mine.coords.length - 1)); // every hello from the parent
  return parent.ok && addressTag(parent.value.bytes) !== m.addressTag;
}
