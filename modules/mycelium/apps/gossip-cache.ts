/**
 * Gossip's message cache (protocol.md §6.2: what REQUEST and REQUEST_IDS are answered from),
 * capped in messages *and* bytes. Upstream caps only the count (100 for 300 s), so 100 forged
 * 60 KB publishes held 6 MB on every node (issue 19, class 5). Eviction: expired messages
 * first, then the oldest; a message larger than the whole byte cap is not cached at all (it
 * can be delivered, but not served to others).
 */
import { bytesEqual } from '../wire/bytes.js';

export interface CachedGossip {
  readonly topic: Uint8Array;
  /** The serialized message as received or published. */
  readonly message: Uint8Array;
  readonly op: number;
  readonly large: boolean;
}

interface Entry extends CachedGossip {
  readonly expires: number;
}

export class GossipCache {
  /** Insertion order is age order: every entry lives the same ttl, a re-add moves to the end. */
  /** One object per message: what was cached and when it lapses (no wrapper, issue 21). */
  readonly #entries = new Map<string, Entry>();
  readonly #limit: number;
  readonly #byteLimit: number;
  readonly #now: () => number;
  #bytes = 0;
  /** Messages pushed out by either cap (not by expiry). */
  evicted = 0;

  constructor(limit: number, byteLimit: number, now: () => number) {
    this.#limit = Math.max(1, limit);
    this.#byteLimit = Math.max(0, byteLimit);
    this.#now = now;
  }

  /** Whether a message of `bytes` can be cached at all. */
  fits(bytes: number): boolean {
    return bytes <= this.#byteLimit;
  }

  /** Cache `value` under `key` for `ttlMs`; false (nothing cached) when it is larger than the byte cap. */
  add(key: string, value: CachedGossip, ttlMs: number): boolean {
    this.delete(key);
    const size = value.message.length;
    if (!this.fits(size)) return false;
    this.#dropExpired();
    while (this.#entries.size >= this.#limit || this.#bytes + size > this.#byteLimit) {
      this.delete(this.#entries.keys().next().value as string);
      this.evicted++;
    }
    this.#entries.set(key, { topic: value.topic, message: value.message, op: value.op, large: value.large, expires: this.#now() + ttlMs });
    this.#bytes += size;
    return true;
  }

  /**
   * The topic array of a held message on `topic`, for a new message to share: most messages go
   * to a few topics, and a copy each would cost more than the numbers around it (issue 21).
   */
  sameTopic(topic: Uint8Array): Uint8Array | undefined {
    for (const e of this.#entries.values()) if (bytesEqual(e.topic, topic)) return e.topic;
    return undefined;
  }

  get(key: string): CachedGossip | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.#now()) {
      this.delete(key);
      return undefined;
    }
    return e;
  }

  delete(key: string): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    this.#entries.delete(key);
    this.#bytes -= e.message.length;
    return true;
  }

  /** Live messages, oldest first. */
  values(): CachedGossip[] {
    const now = this.#now();
    const out: CachedGossip[] = [];
    for (const e of this.#entries.values()) if (e.expires > now) out.push(e);
    return out;
  }

  /** Keys (message ids, hex) of the live messages on `topic`. */
  keysOn(topic: Uint8Array): string[] {
    const now = this.#now();
    const out: string[] = [];
    this.#entries.forEach((e, k) => {
      if (e.expires > now && bytesEqual(e.topic, topic)) out.push(k);
    });
    return out;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bytes of the messages held (expired ones until they are dropped). */
  get bytes(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #dropExpired(): void {
    const now = this.#now();
    // forEach, not `for (const [k, e] of …)`: XS makes an entry array per turn, 4× the bytecodes,
    // and this runs on every add (issue 21). Deleting the entry being visited is allowed.
    this.#entries.forEach((e, k) => {
      if (e.expires <= now) this.delete(k);
    });
  }
}
