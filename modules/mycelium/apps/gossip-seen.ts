/**
 * The ids of Gossip messages already handled, so none reaches subscribers twice (issue 19,
 * class 9). Upstream keeps the last 100 ids: a neighbour that floods 100 junk messages pushes
 * an id out, and a replay of that message is then delivered again; so is a message still
 * cached by a peer (300 s) when the anti-entropy sync offers it after its id left the list.
 *
 * Here an id is kept for `ttlMs` (an hour by default, far beyond any peer's cache), and each
 * is charged to the neighbour it was first heard from. When the table is full of live ids, the
 * neighbour holding the most loses its own oldest: a flood evicts only the flooder's ids, never
 * those an honest neighbour brought. Unknown senders share one owner. A replay after `ttlMs`
 * is still accepted: messages carry no time, so that needs signed, dated messages (issue 20).
 *
 * Memory: 16 bytes of id, 8 of time and 1 of owner per slot, up to `limit` slots. Slots are
 * taken in order, so the arrays start small and double as they fill (issue 21: a node that has
 * heard little holds little); the slot an id gets, and so every eviction, is the same as with
 * the whole table allocated at once.
 *
 * Lookup is by a chained hash index on the id's first word (ids are hash outputs): every frame
 * of a flood asks whether its message was seen, and a scan of up to `limit` slots had been the
 * largest cost of a node's receive path on XS (issue 21). 8 more bytes per slot; the slot an id
 * gets does not depend on the index, so evictions are unchanged.
 */
const ID_WORDS = 4;
/** Owners tracked by name; more share the last slot. */
const OWNER_LIMIT = 32;
/** Slots allocated at first (a lone node has heard a few ids: 528 B of arrays at 16); the table doubles from there up to its limit. */
const FIRST_SLOTS = 4;

export class SeenIds {
  #ids: Uint32Array;
  #at: Float64Array;
  #owner: Uint8Array;
  /** Index: slot + 1 of the first slot in each bucket (0: none), and of the next one in a slot's bucket. */
  #heads: Uint32Array;
  #next: Uint32Array;
  readonly #limit: number;
  readonly #ttlMs: number;
  /** The app's clock (an object with a method: no closure of its own, issue 21). */
  readonly #clock: { now(): number };
  readonly #owners = new Map<string, number>();
  #used = 0;
  /** Live ids pushed out by a full table. */
  evicted = 0;

  constructor(limit: number, ttlMs: number, clock: { now(): number }) {
    this.#limit = Math.max(1, limit);
    const n = Math.min(this.#limit, FIRST_SLOTS);
    this.#ids = new Uint32Array(n * ID_WORDS);
    this.#at = new Float64Array(n).fill(-Infinity);
    this.#owner = new Uint8Array(n);
    this.#heads = new Uint32Array(bucketsFor(n));
    this.#next = new Uint32Array(n);
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  has(id: Uint8Array): boolean {
    return this.find(id, this.#clock.now()) >= 0;
  }

  /** Record `id`, first heard from `owner` (a sender key; undefined: our own). */
  add(id: Uint8Array, owner = ''): void {
    const now = this.#clock.now();
    if (this.find(id, now) >= 0) return;
    const slot = this.freeSlot(now);
    if (slot < this.#used) this.unlink(slot);
    for (let w = 0; w < ID_WORDS; w++) this.#ids[slot * ID_WORDS + w] = word(id, w);
    this.link(slot);
    this.#at[slot] = now;
    this.#owner[slot] = this.ownerIndex(owner);
    if (slot >= this.#used) this.#used = slot + 1;
  }

  /** Live ids (16 bytes each), oldest first. */
  ids(): Uint8Array[] {
    const now = this.#clock.now();
    const slots: number[] = [];
    for (let i = 0; i < this.#used; i++) if (this.live(i, now)) slots.push(i);
    slots.sort((a, b) => this.#at[a] - this.#at[b]);
    return slots.map((i) => {
      const out = new Uint8Array(ID_WORDS * 4);
      for (let w = 0; w < ID_WORDS; w++) {
        const v = this.#ids[i * ID_WORDS + w];
        out.set([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255], w * 4);
      }
      return out;
    });
  }

  clear(): void {
    this.#at.fill(-Infinity);
    this.#heads.fill(0);
    this.#owners.clear();
    this.#used = 0;
  }

  private live(i: number, now: number): boolean {
    return now - this.#at[i] < this.#ttlMs;
  }

  private find(id: Uint8Array, now: number): number {
    const w0 = word(id, 0);
    const ids = this.#ids;
    const next = this.#next;
    for (let s = this.#heads[w0 & (this.#heads.length - 1)]; s !== 0; s = next[s - 1]) {
      const b = (s - 1) * ID_WORDS;
      if (ids[b] !== w0 || !this.live(s - 1, now)) continue;
      if (ids[b + 1] === word(id, 1) && ids[b + 2] === word(id, 2) && ids[b + 3] === word(id, 3)) return s - 1;
    }
    return -1;
  }

  /** Put `slot` (its id words written) first in its bucket. */
  private link(slot: number): void {
    const bucket = this.#ids[slot * ID_WORDS] & (this.#heads.length - 1);
    this.#next[slot] = this.#heads[bucket];
    this.#heads[bucket] = slot + 1;
  }

  /** Take `slot` (its old id words still there) out of its bucket. */
  private unlink(slot: number): void {
    const bucket = this.#ids[slot * ID_WORDS] & (this.#heads.length - 1);
    const next = this.#next;
    let s = this.#heads[bucket];
    if (s === slot + 1) {
      this.#heads[bucket] = next[slot];
      return;
    }
    while (s !== 0 && next[s - 1] !== slot + 1) s = next[s - 1];
    if (s !== 0) next[s - 1] = next[slot];
  }

  /** An expired slot, an unused one, or the oldest slot of the owner holding the most. */
  private freeSlot(now: number): number {
    const at = this.#at;
    const used = this.#used;
    const ttl = this.#ttlMs;
    for (let i = 0; i < used; i++) if (!(now - at[i] < ttl)) return i; // #live, inlined: runs on every add
    if (this.#used < this.#limit) {
      if (this.#used === this.#at.length) this.grow();
      return this.#used;
    }
    const counts = new Uint32Array(OWNER_LIMIT + 1);
    for (let i = 0; i < this.#used; i++) counts[this.#owner[i]]++;
    let heaviest = 0;
    for (let o = 1; o < counts.length; o++) if (counts[o] > counts[heaviest]) heaviest = o;
    let oldest = -1;
    for (let i = 0; i < this.#used; i++) if (this.#owner[i] === heaviest && (oldest < 0 || this.#at[i] < this.#at[oldest])) oldest = i;
    this.evicted++;
    return oldest;
  }

  /** Twice the slots (at most `limit`), the used ones copied. */
  private grow(): void {
    const n = Math.min(this.#limit, this.#at.length * 2);
    const ids = new Uint32Array(n * ID_WORDS);
    ids.set(this.#ids);
    const at = new Float64Array(n).fill(-Infinity);
    at.set(this.#at);
    const owner = new Uint8Array(n);
    owner.set(this.#owner);
    this.#ids = ids;
    this.#at = at;
    this.#owner = owner;
    this.#heads = new Uint32Array(bucketsFor(n));
    this.#next = new Uint32Array(n);
    for (let slot = 0; slot < this.#used; slot++) this.link(slot);
  }

  private ownerIndex(owner: string): number {
    let o = this.#owners.get(owner);
    if (o === undefined) {
      o = Math.min(this.#owners.size, OWNER_LIMIT);
      if (this.#owners.size < OWNER_LIMIT) this.#owners.set(owner, o);
    }
    return o;
  }
}

/** Buckets of the index for `slots` slots: a power of two, at least as many as slots. */
function bucketsFor(slots: number): number {
  let n = 1;
  while (n < slots) n *= 2;
  return n;
}

/** Big-endian 32-bit word `w` of a 16-byte id. */
function word(id: Uint8Array, w: number): number {
  const o = w * 4;
  return ((id[o] << 24) | (id[o + 1] << 16) | (id[o + 2] << 8) | id[o + 3]) >>> 0;
}
