/**
 * The peer table peer-table.ts replaced (session 15), kept as the reference its differential test
 * (tests/packager/peer-table-layout.test.ts) drives beside it: Neighbours kept its peers in a
 * `Map` by key string, made on the first peer, in the order they were added.
 */
export class PeerMapBefore<P extends { readonly key: string }> {
  private readonly map = new Map<string, P>();

  get size(): number {
    return this.map.size;
  }

  get(key: string): P | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  add(peer: P): void {
    this.map.set(peer.key, peer);
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  values(): IterableIterator<P> {
    return this.map.values();
  }
}
