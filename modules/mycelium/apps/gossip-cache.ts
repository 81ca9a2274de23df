/**
 * Gossip's message cache (protocol.md §6.2: what REQUEST and REQUEST_IDS are answered from),
 * capped in messages *and* bytes. Upstream caps only the count (100 for 300 s), so 100 forged
 * 60 KB publishes held 6 MB on every node (issue 19, class 5). Eviction: expired messages
 * first, then the oldest; a message larger than the whole byte cap is not cached at all (it
 * can be delivered, but not served to others).
 *
 * The byte cap counts what an entry really holds on the device, not only its message: each entry
 * is charged `GOSSIP_ENTRY_OVERHEAD` besides the message's length (issue 21). 100 messages of
 * 107 B held ≈ 43 KB on XS while the old count said 10.7 KB. An entry keeps only the serialized
 * message and its expiry: op, topic and size class are read off the message (op ‖ topic ‖ data),
 * so no topic array or flags are held beside it.
 */
import { GOSSIP_LARGE_THRESHOLD, TOPIC_BYTES } from '../wire/messages/gossip.js';

/**
 * What a cached message costs on XS besides its own bytes (ESP32-equivalent: its entry object,
 * its Map entry and 32-digit id key, the Uint8Array and ArrayBuffer around the message), measured
 * by `node scripts/bench-xs-sizes.mjs` ("Gossip cache entry less its message": 269 B) and
 * rounded up. (Before entries shed their topic array and flags it was 319 B, and a topic of its own
 * added ≈ 136 B.)
 */
export const GOSSIP_ENTRY_OVERHEAD = 272;

/** Op (1) ‖ topic (16): where a serialized message's data starts. */
const HEADER = 1 + TOPIC_BYTES;

interface Entry {
  /** The serialized message as received or published. */
  readonly message: Uint8Array;
  readonly expires: number;
}

/** Whether a serialized message is on `topic` (its bytes 1–16), without a view on them. */
export function onTopic(message: Uint8Array, topic: Uint8Array): boolean {
  if (topic.length !== TOPIC_BYTES || message.length < HEADER) return false;
  for (let i = 0; i < TOPIC_BYTES; i++) if (message[1 + i] !== topic[i]) return false;
  return true;
}

/** Whether a serialized message is large (announced by NOTIFY, answered by a unicast sequence). */
export function isLargeMessage(message: Uint8Array): boolean {
  return message.length - HEADER > GOSSIP_LARGE_THRESHOLD;
}

export class GossipCache {
  /** Insertion order is age order: every entry lives the same ttl, a re-add moves to the end. */
  readonly #entries = new Map<string, Entry>();
  readonly #limit: number;
  readonly #byteLimit: number;
  /** The app's clock (an object with a method: no closure of its own, issue 21). */
  readonly #clock: { now(): number };
  #bytes = 0;
  /**
   * No entry expires before this (a lower bound; deletions only raise the true figure): until
   * then `dropExpired` has nothing to drop and skips its pass over every entry, which had cost
   * XS about 2,600 bytecodes on each add (issue 21).
   */
  #nextExpiry = Infinity;
  /** Messages pushed out by either cap (not by expiry). */
  evicted = 0;

  constructor(limit: number, byteLimit: number, clock: { now(): number }) {
    this.#limit = Math.max(1, limit);
    this.#byteLimit = Math.max(0, byteLimit);
    this.#clock = clock;
  }

  /** Whether a message of `bytes` can be cached at all: alone, with its entry's overhead. */
  fits(bytes: number): boolean {
    return bytes + GOSSIP_ENTRY_OVERHEAD <= this.#byteLimit;
  }

  /** Cache a serialized message under `key` for `ttlMs`; false (nothing cached) when it cannot fit the byte cap. */
  add(key: string, message: Uint8Array, ttlMs: number): boolean {
    this.delete(key);
    if (!this.fits(message.length)) return false;
    const size = message.length + GOSSIP_ENTRY_OVERHEAD;
    this.dropExpired();
    while (this.#entries.size >= this.#limit || this.#bytes + size > this.#byteLimit) {
      this.delete(this.#entries.keys().next().value as string);
      this.evicted++;
    }
    const expires = this.#clock.now() + ttlMs;
    this.#entries.set(key, { message, expires });
    if (expires < this.#nextExpiry) this.#nextExpiry = expires;
    this.#bytes += size;
    return true;
  }

  /** The serialized message held under `key`, unless it has expired. */
  get(key: string): Uint8Array | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.#clock.now()) {
      this.delete(key);
      return undefined;
    }
    return e.message;
  }

  delete(key: string): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    this.#entries.delete(key);
    this.#bytes -= e.message.length + GOSSIP_ENTRY_OVERHEAD;
    return true;
  }

  /** Live messages on `topic`, oldest first. */
  messagesOn(topic: Uint8Array): Uint8Array[] {
    const now = this.#clock.now();
    const out: Uint8Array[] = [];
    this.#entries.forEach((e) => {
      if (e.expires > now && onTopic(e.message, topic)) out.push(e.message);
    });
    return out;
  }

  /** Keys (message ids, hex) of the live messages on `topic`. */
  keysOn(topic: Uint8Array): string[] {
    const now = this.#clock.now();
    const out: string[] = [];
    this.#entries.forEach((e, k) => {
      if (e.expires > now && onTopic(e.message, topic)) out.push(k);
    });
    return out;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bytes the held messages cost, each with its entry's overhead (expired ones until they are dropped). */
  get bytes(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#nextExpiry = Infinity;
    this.#bytes = 0;
  }

  private dropExpired(): void {
    const now = this.#clock.now();
    if (now < this.#nextExpiry) return;
    // forEach, not `for (const [k, e] of …)`: XS makes an entry array per turn, 4× the bytecodes.
    // Deleting the entry being visited is allowed.
    let next = Infinity;
    this.#entries.forEach((e, k) => {
      if (e.expires <= now) this.delete(k);
      else if (e.expires < next) next = e.expires;
    });
    this.#nextExpiry = next;
  }
}
