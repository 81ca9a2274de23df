/**
 * The bundles one node holds for store-and-forward (docs/store-forward.md "Storage"): bounded by
 * count and by bytes. When a new bundle does not fit, expired bundles go first, then the oldest
 * bundle of the origin that holds the most, so one node flooding the mesh with held messages
 * evicts its own bundles, not other people's; and a bundle offered for custody is refused once
 * its origin holds more than `originShare` of the store (the custodian stays useful to others).
 */
import type { Address } from '../wire/address.js';
import { BUNDLE_HEADER_BYTES, type Bundle } from '../wire/messages/bundle.js';

/** A bundle as held here: its age is the age it arrived with plus the time held. */
export interface HeldBundle extends Bundle {
  /** `${origin hex}:${counter}`: the bundle's identity. */
  readonly key: string;
  readonly originKey: string;
  readonly destKey: string;
  /** Platform ms when it was stored here. */
  readonly storedAt: number;
  /** Whether this node took it in custody from another (not its origin's own queue). */
  readonly custody: boolean;
  /** The destination's tree address the sender gave (local only, not on the air). */
  readonly hint?: Address;
  /** Peer key of the holder that handed us custody: news for the origin goes back that way when we know no route to it. */
  readonly from?: string;
}

export interface StoreLimits {
  readonly count: number;
  readonly bytes: number;
  /** Share (0–1] of count and bytes one origin's bundles may take when offered for custody. */
  readonly originShare: number;
}

export type StoreAnswer = { readonly stored: true; readonly evicted: readonly HeldBundle[] } | { readonly stored: false; readonly reason: 'full' | 'over_share' };

export function bundleBytes(b: Bundle): number {
  return b.data.length + BUNDLE_HEADER_BYTES;
}

export function ageOf(b: HeldBundle, now: number): number {
  return b.ageMs + (now - b.storedAt);
}

export function expiredAt(b: HeldBundle, now: number): boolean {
  return ageOf(b, now) >= b.lifetimeMs;
}

export class BundleStore {
  readonly limits: StoreLimits;
  /** key → bundle, in the order stored (oldest first). */
  readonly #held = new Map<string, HeldBundle>();
  #bytes = 0;
  #peakCount = 0;
  #peakBytes = 0;

  constructor(limits: StoreLimits) {
    this.limits = limits;
  }

  get count(): number {
    return this.#held.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get peakCount(): number {
    return this.#peakCount;
  }

  get peakBytes(): number {
    return this.#peakBytes;
  }

  has(key: string): boolean {
    return this.#held.has(key);
  }

  get(key: string): HeldBundle | undefined {
    return this.#held.get(key);
  }

  values(): IterableIterator<HeldBundle> {
    return this.#held.values();
  }

  /** The bundles for one destination, oldest first. */
  forDest(destKey: string): HeldBundle[] {
    const out: HeldBundle[] = [];
    for (const b of this.#held.values()) if (b.destKey === destKey) out.push(b);
    return out;
  }

  /**
   * Store `b`, making room as the header says. `expired` removes what has outlived its lifetime
   * and answers it (the caller reports those). A bundle bigger than the whole store is refused.
   */
  add(b: HeldBundle, now: number): StoreAnswer {
    const size = bundleBytes(b);
    const { count, bytes, originShare } = this.limits;
    if (size > bytes) return { stored: false, reason: 'full' };
    if (b.custody) {
      let n = 1;
      let s = size;
      for (const h of this.#held.values()) {
        if (h.originKey !== b.originKey) continue;
        n++;
        s += bundleBytes(h);
      }
      if (n > Math.max(1, Math.floor(count * originShare)) || s > bytes * originShare) return { stored: false, reason: 'over_share' };
    }
    const evicted: HeldBundle[] = [];
    while (this.#held.size + 1 > count || this.#bytes + size > bytes) {
      const victim = this.#victim(now);
      if (!victim) return { stored: false, reason: 'full' };
      this.remove(victim.key);
      evicted.push(victim);
    }
    this.#held.set(b.key, b);
    this.#bytes += size;
    this.#peakCount = Math.max(this.#peakCount, this.#held.size);
    this.#peakBytes = Math.max(this.#peakBytes, this.#bytes);
    return { stored: true, evicted };
  }

  remove(key: string): HeldBundle | undefined {
    const b = this.#held.get(key);
    if (!b) return undefined;
    this.#held.delete(key);
    this.#bytes -= bundleBytes(b);
    return b;
  }

  /** Remove and answer every bundle past its lifetime. */
  takeExpired(now: number): HeldBundle[] {
    const out: HeldBundle[] = [];
    for (const b of this.#held.values()) if (expiredAt(b, now)) out.push(b);
    for (const b of out) this.remove(b.key);
    return out;
  }

  clear(): void {
    this.#held.clear();
    this.#bytes = 0;
  }

  /** Expired first; else the oldest bundle of the origin holding the most. */
  #victim(now: number): HeldBundle | undefined {
    const perOrigin = new Map<string, number>();
    for (const b of this.#held.values()) {
      if (expiredAt(b, now)) return b;
      perOrigin.set(b.originKey, (perOrigin.get(b.originKey) ?? 0) + 1);
    }
    let top: string | undefined;
    let most = 0;
    for (const [k, n] of perOrigin) {
      if (n > most) {
        most = n;
        top = k;
      }
    }
    let oldest: HeldBundle | undefined;
    for (const b of this.#held.values()) if (b.originKey === top && (!oldest || ageOf(b, now) > ageOf(oldest, now))) oldest = b;
    return oldest;
  }
}
