/**
 * The border directory (docs/routing.md "Any diameter"): which tree states can be reached
 * through which gateway addresses of another tree. A mesh deeper than a 16-byte address holds
 * (32 levels) ends as several trees; a node of one tree that borders another (apps/tree-borders.ts)
 * gossips "tree `far` is reached through my address `gateway` in tree `near`". A packet for a
 * tree we hold no address in is carried greedily toward the nearest such gateway of our own tree
 * (neighbours.ts), its to_addr untouched; the gateway's neighbour in the far tree takes it on.
 *
 * Capped at BORDER_LIMIT entries and BORDER_PER_PAIR gateways per (far, near) pair: a new entry
 * takes the place of the least recently heard one, so adverts nobody repeats (a liar's, a moved
 * border's) go first and an honest border, re-advertised every refresh, comes back at its next.
 */
import { Address, dTree } from '../wire/address.js';
import { unwrap } from '../wire/result.js';

/**
 * Entries kept (distinct far/near/gateway triples). A mesh of k trees has about 3k borders, each
 * announced in both directions and usually by one gateway a refresh period: 1,000 nodes in 19
 * trees kept 57 pairs; 32 entries then thrashed, and a node that had just forgotten the way into
 * a tree refused its own sends (`no_address`) and dropped others' (`drop_no_next_hop`).
 */
export const BORDER_LIMIT = 128;
/** Gateways kept per (far, near) pair: the nearest few are all routing needs. */
export const BORDER_PER_PAIR = 4;
/** Trees crossed at most to reach a far tree (T1 → T2 → T3 …); bounds the search. */
const MAX_CROSSINGS = 8;
/** Entries of the first arrays: a node near one border holds a few; doubled up to BORDER_LIMIT. */
const FIRST_ENTRIES = 8;
const ADDRESS_BYTES = 16;

/**
 * Struct of arrays (issue 21): an entry is 34 bytes here (far and near tree states, the gateway's
 * 16 address bytes, two times), where an object with its Address cost about 200 B on XS. Made on
 * the first border heard; a mesh of one tree never pays for it.
 */
export class BorderTable {
  private count = 0;
  declare private far: Uint8Array | undefined;
  declare private near: Uint8Array | undefined;
  declare private gateways: Uint8Array | undefined;
  /** When each entry lapses, and when it was last heard (platform ms). */
  declare private expires: Float64Array | undefined;
  declare private heard: Float64Array | undefined;

  /** Learn (or refresh) "tree `far` through `gateway`" until `expires` (platform ms). */
  add(far: number, gateway: Address, now: number, expires: number): void {
    this.expire(now);
    const near = gateway.treeState;
    if (far === near) return;
    const bytes = gateway.bytes;
    const same = this.find(far, near, bytes);
    if (same >= 0) {
      const x = this.expires as Float64Array;
      x[same] = Math.max(x[same], expires);
      (this.heard as Float64Array)[same] = now;
      return;
    }
    let pair = 0;
    let oldestInPair = -1;
    for (let i = 0; i < this.count; i++) {
      if (this.far?.[i] !== far || this.near?.[i] !== near) continue;
      pair++;
      if (oldestInPair < 0 || this.heardAt(i) < this.heardAt(oldestInPair)) oldestInPair = i;
    }
    if (pair >= BORDER_PER_PAIR) this.remove(oldestInPair);
    if (this.count >= BORDER_LIMIT) this.remove(this.leastRecent());
    this.grow();
    const i = this.count++;
    (this.far as Uint8Array)[i] = far;
    (this.near as Uint8Array)[i] = near;
    (this.gateways as Uint8Array).set(bytes, i * ADDRESS_BYTES);
    (this.expires as Float64Array)[i] = expires;
    (this.heard as Float64Array)[i] = now;
  }

  /** Forget the entry naming `gateway` for `far` (it was found not to lead there). */
  refute(far: number, gateway: Address): void {
    const i = this.find(far, gateway.treeState, gateway.bytes);
    if (i >= 0) this.remove(i);
  }

  /** Some entry leads toward tree `far` (directly or through other trees). */
  knows(far: number, now: number): boolean {
    this.expire(now);
    for (let i = 0; i < this.count; i++) if (this.far?.[i] === far) return true;
    return false;
  }

  /**
   * The next step toward tree `far`, directly or through at most MAX_CROSSINGS trees: the
   * gateway in `own`'s tree nearest to `own` (by dTree), or the tree state of a tree we border
   * ourselves (`across`: a usable neighbour of ours is in it) when that tree is as few crossings
   * from `far` as any gateway — we are then the gateway, at distance 0. Undefined when none is
   * known. `skip`: gateways not to use.
   *
   * Our own borders are never in the table (our adverts come back through Gossip and are
   * dropped): without `across`, a gateway one crossing short chose the best gateway it knew
   * *after* itself, and the relay that sent it the packet (for which it was the nearest gateway)
   * got it back: a loop between the two (1,000 nodes in 19 trees lost two thirds of their pings).
   *
   * `nearest`: the nearest gateway however many crossings lie beyond it (a packet that came
   * back, find-hop.ts). Fewest crossings first is the shorter way when directories agree; when
   * one relay knows a border its neighbours do not, each takes the other for the way to its own
   * choice (random-1000-trees seed 42). By distance alone, relays that know the same gateway
   * agree on it whatever else each knows.
   */
  gateway(far: number, own: Address, now: number, skip?: (a: Address) => boolean, across?: (treeState: number) => boolean, nearest = false): Address | number | undefined {
    this.expire(now);
    // Trees from which `far` is reachable, nearest (fewest crossings) first: breadth-first
    // backwards from `far` until `own`'s tree appears.
    let targets = [far];
    const seen = [far, own.treeState];
    let best: Address | undefined;
    let bestDistance = Infinity;
    for (let crossing = 0; crossing < MAX_CROSSINGS && targets.length; crossing++) {
      if (across) for (const ts of targets) if (across(ts)) return ts;
      const next: number[] = [];
      for (let i = 0; i < this.count; i++) {
        if (targets.indexOf((this.far as Uint8Array)[i]) < 0) continue;
        const ts = (this.near as Uint8Array)[i];
        if (ts === own.treeState) {
          const gw = this.address(i);
          if (!gw || skip?.(gw)) continue;
          const d = dTree(own.coords, gw.coords);
          if (d < bestDistance) {
            best = gw;
            bestDistance = d;
          }
        } else if (seen.indexOf(ts) < 0) {
          seen.push(ts);
          next.push(ts);
        }
      }
      if (best && !nearest) return best;
      targets = next;
    }
    return best;
  }

  /**
   * Gateways of tree `near` to `far`, other than `own`, heard since `since`: Trickle's counter.
   * Adverts flood the whole mesh, so every gateway of a border hears the same count.
   */
  heardCount(far: number, near: number, since: number, own: Address): number {
    const bytes = own.bytes;
    let n = 0;
    for (let i = 0; i < this.count; i++) {
      if (this.far?.[i] === far && this.near?.[i] === near && this.heardAt(i) >= since && !this.holds(i, bytes)) n++;
    }
    return n;
  }

  get size(): number {
    return this.count;
  }

  /** Entries as (far tree, gateway text), for state and tests. */
  list(): { far: number; gateway: string }[] {
    const out: { far: number; gateway: string }[] = [];
    for (let i = 0; i < this.count; i++) out.push({ far: (this.far as Uint8Array)[i], gateway: this.address(i)?.toString() ?? '?' });
    return out;
  }

  clear(): void {
    this.count = 0;
  }

  expire(now: number): void {
    for (let i = this.count - 1; i >= 0; i--) if ((this.expires as Float64Array)[i] <= now) this.remove(i);
  }

  /** Entry `i`'s gateway (made afresh: the table holds bytes, not objects). */
  private address(i: number): Address | undefined {
    const at = i * ADDRESS_BYTES;
    const a = Address.fromBytes((this.near as Uint8Array)[i], (this.gateways as Uint8Array).slice(at, at + ADDRESS_BYTES));
    return a.ok ? a.value : undefined;
  }

  private find(far: number, near: number, bytes: Uint8Array): number {
    for (let i = 0; i < this.count; i++) if (this.far?.[i] === far && this.near?.[i] === near && this.holds(i, bytes)) return i;
    return -1;
  }

  private holds(i: number, bytes: Uint8Array): boolean {
    const g = this.gateways as Uint8Array;
    const at = i * ADDRESS_BYTES;
    for (let k = 0; k < ADDRESS_BYTES; k++) if (g[at + k] !== bytes[k]) return false;
    return true;
  }

  private heardAt(i: number): number {
    return (this.heard as Float64Array)[i];
  }

  private leastRecent(): number {
    let oldest = 0;
    for (let i = 1; i < this.count; i++) if (this.heardAt(i) < this.heardAt(oldest)) oldest = i;
    return oldest;
  }

  /** Remove entry `i`: the last one takes its place (the order carries no meaning). */
  private remove(i: number): void {
    const last = --this.count;
    if (i === last) return;
    const far = this.far as Uint8Array;
    const near = this.near as Uint8Array;
    const x = this.expires as Float64Array;
    const h = this.heard as Float64Array;
    far[i] = far[last];
    near[i] = near[last];
    x[i] = x[last];
    h[i] = h[last];
    const g = this.gateways as Uint8Array;
    g.copyWithin(i * ADDRESS_BYTES, last * ADDRESS_BYTES, (last + 1) * ADDRESS_BYTES);
  }

  /** Room for one more entry: the arrays made on first use, doubled when full. */
  private grow(): void {
    const have = this.far?.length ?? 0;
    if (this.count < have) return;
    const size = Math.min(BORDER_LIMIT, have === 0 ? FIRST_ENTRIES : have * 2);
    const far = new Uint8Array(size);
    const near = new Uint8Array(size);
    const gateways = new Uint8Array(size * ADDRESS_BYTES);
    const expires = new Float64Array(size);
    const heard = new Float64Array(size);
    if (have > 0) {
      far.set(this.far as Uint8Array);
      near.set(this.near as Uint8Array);
      gateways.set(this.gateways as Uint8Array);
      expires.set(this.expires as Float64Array);
      heard.set(this.heard as Float64Array);
    }
    this.far = far;
    this.near = near;
    this.gateways = gateways;
    this.expires = expires;
    this.heard = heard;
  }
}

/**
 * The from_addr of a packet sent into a tree we hold no address in: sixteen 0xff bytes, which
 * decode to coordinate 135 sixteen times — a node with 135 children on each of 16 levels, which
 * no tree has. Our real address would be misread in the target's tree state and could name one of
 * its nodes, which relays would then exclude as the sender.
 */
export function foreignSource(treeState: number): Address {
  return unwrap(Address.fromBytes(treeState, new Uint8Array(16).fill(0xff)));
}

/** `a` is a foreignSource(): sent from another tree, with no address to answer to. */
export function isForeignSource(a: Address | undefined): boolean {
  if (!a) return false;
  const bytes = a.bytes; // made afresh on each read (wire/address.ts): once
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0xff) return false;
  return true;
}
