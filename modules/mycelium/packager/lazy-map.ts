/**
 * A Map made on its first entry. An empty Map costs 80 B on XS, this object 32 B until it holds
 * something (`node scripts/bench-xs-sizes.mjs`, issue 21). Most tables a lone node keeps empty
 * hold their Map in a field that stays undefined until the first set (no object at all); this is
 * for a table passed around whole (the tree's replay memo). The subset of Map they use, in Map's
 * order and semantics.
 */
export class LazyMap<K, V> implements Iterable<[K, V]> {
  /** The Map, once something was set (kept when emptied again: it was needed once). */
  private map: Map<K, V> | undefined;

  get size(): number {
    return this.map ? this.map.size : 0;
  }

  get(key: K): V | undefined {
    return this.map ? this.map.get(key) : undefined;
  }

  has(key: K): boolean {
    return this.map ? this.map.has(key) : false;
  }

  set(key: K, value: V): this {
    (this.map ??= new Map()).set(key, value);
    return this;
  }

  delete(key: K): boolean {
    return this.map ? this.map.delete(key) : false;
  }

  clear(): void {
    this.map?.clear();
  }

  keys(): IterableIterator<K> {
    return this.map ? this.map.keys() : NONE.values();
  }

  values(): IterableIterator<V> {
    return this.map ? this.map.values() : NONE.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map ? this.map.entries() : NONE.values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K) => void): void {
    this.map?.forEach((v, k) => fn(v, k));
  }
}

/** What an empty LazyMap iterates: a frozen empty array (shared; nothing is ever added). */
const NONE: readonly never[] = Object.freeze([]);
