/**
 * Upstream's `Cache(limit)` (protocol.md §3.6): key → value with an expiry; adding to a full
 * cache evicts the entry that expires first; an expired entry reads as absent. Upstream's
 * eviction breaks on an emptied cache (§9.2 item 15); this one does not.
 */
/** Who hears of a TtlCache's evictions: an object with a method, told which cache evicted. */
export interface TtlEvictions<V> {
  evicted(cache: TtlCache<V>, key: string, value: V): void;
}

export class TtlCache<V> {
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private entries: Map<string, { expires: number; value: V }> | undefined;
  private readonly limit: number;
  /** The clock (the platform, or any object with `now()`: no closure, issue 21). */
  private readonly clock: { now(): number };
  /** Told of each value pushed out by the limit (not by expiry). */
  evictions: TtlEvictions<V> | undefined;

  constructor(limit: number, clock: { now(): number }) {
    this.limit = Math.max(1, limit);
    this.clock = clock;
  }

  add(key: string, value: V, ttlMs: number): void {
    this.entries?.delete(key);
    while ((this.entries?.size ?? 0) >= this.limit) this.evictEarliest();
    (this.entries ??= new Map()).set(key, { expires: this.clock.now() + ttlMs, value });
  }

  get(key: string): V | undefined {
    const e = this.entries?.get(key);
    if (!e) return undefined;
    if (e.expires <= this.clock.now()) {
      this.entries?.delete(key);
      return undefined;
    }
    return e.value;
  }

  delete(key: string): boolean {
    return this.entries?.delete(key) ?? false;
  }

  get size(): number {
    return (this.entries?.size ?? 0);
  }

  values(): V[] {
    const now = this.clock.now();
    const out: V[] = [];
    for (const e of this.entries?.values() ?? []) if (e.expires > now) out.push(e.value);
    return out;
  }

  keys(): string[] {
    return [...(this.entries?.keys() ?? [])];
  }

  clear(): void {
    this.entries?.clear();
  }

  private evictEarliest(): void {
    let earliest: string | undefined;
    let when = Infinity;
    for (const [k, e] of this.entries ?? []) {
      if (e.expires < when) {
        when = e.expires;
        earliest = k;
      }
    }
    if (earliest === undefined) return;
    const value = (this.entries?.get(earliest) as { value: V }).value;
    this.entries?.delete(earliest);
    this.evictions?.evicted(this, earliest, value);
  }
}
