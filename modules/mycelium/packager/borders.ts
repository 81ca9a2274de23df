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

/** Entries kept (distinct far/near/gateway triples). */
export const BORDER_LIMIT = 32;
/** Gateways kept per (far, near) pair: the nearest few are all routing needs. */
export const BORDER_PER_PAIR = 4;
/** Trees crossed at most to reach a far tree (T1 → T2 → T3 …); bounds the search. */
const MAX_CROSSINGS = 4;

interface Entry {
  readonly far: number;
  readonly gateway: Address;
  expires: number;
  heard: number;
}

export class BorderTable {
  private readonly entries: Entry[] = [];

  /** Learn (or refresh) "tree `far` through `gateway`" until `expires` (platform ms). */
  add(far: number, gateway: Address, now: number, expires: number): void {
    this.expire(now);
    if (far === gateway.treeState) return;
    const same = this.entries.find((e) => e.far === far && e.gateway.equals(gateway));
    if (same) {
      same.expires = Math.max(same.expires, expires);
      same.heard = now;
      return;
    }
    const pair = this.entries.filter((e) => e.far === far && e.gateway.treeState === gateway.treeState);
    if (pair.length >= BORDER_PER_PAIR) this.remove(leastRecent(pair));
    if (this.entries.length >= BORDER_LIMIT) this.remove(leastRecent(this.entries));
    this.entries.push({ far, gateway, expires, heard: now });
  }

  /** Forget the entry naming `gateway` for `far` (it was found not to lead there). */
  refute(far: number, gateway: Address): void {
    const e = this.entries.find((x) => x.far === far && x.gateway.equals(gateway));
    if (e) this.remove(e);
  }

  /** Some entry leads toward tree `far` (directly or through other trees). */
  knows(far: number, now: number): boolean {
    this.expire(now);
    return this.entries.some((e) => e.far === far);
  }

  /**
   * The gateway in `own`'s tree nearest to `own` (by dTree) that leads to tree `far`, directly or
   * through at most MAX_CROSSINGS trees; undefined when none is known. `skip`: gateways not to use.
   */
  gateway(far: number, own: Address, now: number, skip?: (a: Address) => boolean): Address | undefined {
    this.expire(now);
    // Trees from which `far` is reachable, nearest (fewest crossings) first: breadth-first
    // backwards from `far` until `own`'s tree appears.
    let targets = [far];
    const seen = [far];
    for (let crossing = 0; crossing < MAX_CROSSINGS && targets.length; crossing++) {
      let best: Address | undefined;
      let bestDistance = Infinity;
      const next: number[] = [];
      for (const e of this.entries) {
        if (targets.indexOf(e.far) < 0) continue;
        const ts = e.gateway.treeState;
        if (ts === own.treeState) {
          if (skip?.(e.gateway)) continue;
          const d = dTree(own.coords, e.gateway.coords);
          if (d < bestDistance) {
            best = e.gateway;
            bestDistance = d;
          }
        } else if (seen.indexOf(ts) < 0) {
          seen.push(ts);
          next.push(ts);
        }
      }
      if (best) return best;
      targets = next;
    }
    return undefined;
  }

  /**
   * Gateways of tree `near` to `far`, other than `own`, heard since `since`: Trickle's counter.
   * Adverts flood the whole mesh, so every gateway of a border hears the same count.
   */
  heardCount(far: number, near: number, since: number, own: Address): number {
    let n = 0;
    for (const e of this.entries) if (e.far === far && e.heard >= since && e.gateway.treeState === near && !e.gateway.equals(own)) n++;
    return n;
  }

  get size(): number {
    return this.entries.length;
  }

  /** Entries as (far tree, gateway text), for state and tests. */
  list(): { far: number; gateway: string }[] {
    return this.entries.map((e) => ({ far: e.far, gateway: e.gateway.toString() }));
  }

  clear(): void {
    this.entries.length = 0;
  }

  expire(now: number): void {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].expires <= now) this.entries.splice(i, 1);
  }

  private remove(e: Entry): void {
    const i = this.entries.indexOf(e);
    if (i >= 0) this.entries.splice(i, 1);
  }
}

function leastRecent(list: readonly Entry[]): Entry {
  let oldest = list[0];
  for (const e of list) if (e.heard < oldest.heard) oldest = e;
  return oldest;
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
