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
 * Memory: 16 bytes of id, 4 of time and 4 of owner and index link per slot, up to `limit` slots
 * (issue 21, session 20: the time had a `Float64Array` of its own, 8 B a slot; see `#base`). Slots are
 * taken in order, so the arrays start small and grow as they fill (issue 21: a node that has
 * heard little holds little), doubling up to STEP_SLOTS and by STEP_SLOTS after; the slot an id
 * gets, and so every eviction, is the same as with the whole table allocated at once.
 *
 * Lookup is by a chained hash index on the id's first word (ids are hash outputs): every frame
 * of a flood asks whether its message was seen, and a scan of up to `limit` slots had been the
 * largest cost of a node's receive path on XS (issue 21). 8 more bytes per slot; the slot an id
 * gets does not depend on the index, so evictions are unchanged.
 */
import type { NodeSlots } from '../packager/node-slots.js';

/**
 * What the table asks of its app: the time, and the node's key index, where an owner that is a
 * node held there keeps its key (as bytes) instead of a string of its own here (80 B on XS a
 * neighbour: issue 21, session 19).
 */
export interface SeenHost {
  now(): number;
  nodeSlots?(): NodeSlots;
}
const ID_WORDS = 4;
/** Owners tracked by name; more share the last slot. */
const OWNER_LIMIT = 32;
/** Slots allocated at first (a lone node has heard a few ids: 528 B of arrays at 16); the table doubles from there up to its limit. */
const FIRST_SLOTS = 4;
/**
 * Past this many slots the table grows by this many at a time instead of doubling (issue 21):
 * a slot is 32 B on XS, and a doubled table is on average a quarter to a third empty (a 64-peer
 * star's centre held 194 ids in 256 slots after 30 s: 2 KB unused). Growing by 32 slots leaves
 * at most 1 KB unused; at most 15 more regrowths to the default limit of 512, each a copy of the
 * slots in use.
 */
const STEP_SLOTS = 32;

/**
 * Words of a slot's record: the id's four, then the owner (top 8 bits) with the next slot in the
 * id's bucket (+1, 0: none; low 24 bits), then when it was written (`#base`).
 */
const RECORD = ID_WORDS + 2;
const LINK = ID_WORDS;
const AT = ID_WORDS + 1;
const NEXT_BITS = 0xffffff;
/** The largest time word: a time up to 2^32 − 2 ms (49 days) after `#base`. */
const AT_LIMIT = 0xffffffff;

export class SeenIds {
  /**
   * The index's bucket heads (slot + 1 of the first slot in each bucket, 0: none), then one
   * record per slot. One array, not five: each typed array costs ≈ 110 B on XS besides its
   * bytes (issue 21).
   */
  #words: Uint32Array;
  #buckets: number;
  /**
   * A slot's time is kept in its record's AT word as `at − #base + 1` (0: never written) while
   * every time written is a whole number of ms from `#base` (the first one) up to AT_LIMIT: a
   * device's clock counts whole ms, and 4 B a slot is half a `Float64Array`'s 8. The time read
   * back is the one written, exactly, so every expiry and eviction is as with the numbers kept
   * whole. A time that does not fit (a fraction of a ms, as the simulator's clock has; a clock
   * set back before `#base`; 49 days on) moves every slot's time, once and for good, into
   * `#floatAt` (as before session 20).
   */
  #base = NaN;
  /** Slot → when it was written (-Infinity: never), once the times left the records; else undefined. */
  #floatAt: Float64Array | undefined;
  readonly #limit: number;
  readonly #ttlMs: number;
  /** The app's clock and key index (an object with methods: no closure of its own, issue 21). */
  readonly #clock: SeenHost;
  /**
   * Owner → its index: a node's key as its slot on the key index, held there while it is an
   * owner here (so the slot names no other key meanwhile); any other owner ('' for ours, a node
   * not on the index) as its string.
   */
  readonly #owners = new Map<string | number, number>();
  #used = 0;
  /**
   * No slot in use was written before this (a lower bound, -Infinity: unknown). While it is
   * younger than the TTL no slot can have expired, and `freeSlot` skips its scan: with an hour's
   * TTL every add scanned every slot, 6,300 bytecodes an add on XS at a few hundred ids.
   */
  #oldestAt = -Infinity;
  /** Live ids pushed out by a full table. */
  evicted = 0;

  constructor(limit: number, ttlMs: number, clock: SeenHost) {
    this.#limit = Math.min(Math.max(1, limit), NEXT_BITS - 1); // a slot number fits the link's 24 bits
    const n = Math.min(this.#limit, FIRST_SLOTS);
    this.#buckets = bucketsFor(n);
    this.#words = new Uint32Array(this.#buckets + n * RECORD);
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
    const r = this.#buckets + slot * RECORD;
    for (let w = 0; w < ID_WORDS; w++) this.#words[r + w] = word(id, w);
    this.#words[r + LINK] = this.ownerIndex(owner) << 24;
    this.link(slot);
    // setAt's common cases inlined (see `#base`; NaN before the first time): a whole ms in the
    // word's range (d >>> 0 === d: 0 ≤ d < 2^32, no fraction), or the times in `#floatAt`.
    const floatAt = this.#floatAt;
    const d = now - this.#base;
    if (floatAt !== undefined) floatAt[slot] = now;
    else if (d >>> 0 === d && d < AT_LIMIT) this.#words[r + AT] = d + 1;
    else this.setAt(slot, now);
    if (now < this.#oldestAt) this.#oldestAt = now; // a clock set back
    if (slot >= this.#used) this.#used = slot + 1;
  }

  /** Live ids (16 bytes each), oldest first. */
  ids(): Uint8Array[] {
    const now = this.#clock.now();
    const slots: number[] = [];
    for (let i = 0; i < this.#used; i++) if (this.live(i, now)) slots.push(i);
    slots.sort((a, b) => this.atOf(a) - this.atOf(b));
    return slots.map((i) => {
      const out = new Uint8Array(ID_WORDS * 4);
      const r = this.#buckets + i * RECORD;
      for (let w = 0; w < ID_WORDS; w++) {
        const v = this.#words[r + w];
        out.set([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255], w * 4);
      }
      return out;
    });
  }

  clear(): void {
    this.#floatAt?.fill(-Infinity);
    this.#words.fill(0, 0, this.#buckets);
    // Asked for only with an owner on it: a node's apps may be cleared before it starts.
    for (const owner of this.#owners.keys()) if (typeof owner === 'number') this.#clock.nodeSlots?.().release(owner);
    this.#owners.clear();
    this.#used = 0;
    this.#oldestAt = -Infinity;
  }

  private live(i: number, now: number): boolean {
    return now - this.atOf(i) < this.#ttlMs;
  }

  /** Slots the records have room for. */
  private capacity(): number {
    return (this.#words.length - this.#buckets) / RECORD;
  }

  /** When slot `i` was written (-Infinity: never). */
  private atOf(i: number): number {
    const floatAt = this.#floatAt;
    if (floatAt !== undefined) return floatAt[i];
    const v = this.#words[this.#buckets + i * RECORD + AT];
    return v === 0 ? -Infinity : v - 1 + this.#base;
  }

  /**
   * Slot `i` was written at `now`, which `add` could not keep in its record: the first time (then
   * `#base`, when a whole ms from 0 to 2^53), or one that does not fit (then every slot's time
   * goes to `#floatAt`, for good).
   */
  private setAt(i: number, now: number): void {
    if (this.#floatAt === undefined) {
      // A base of at least 0: with now ≥ base ≥ 0, now − base is exact, so a time with a
      // fraction never passes add's test as a whole ms.
      if (this.#base !== this.#base && Number.isSafeInteger(now) && now >= 0) {
        this.#base = now;
        this.#words[this.#buckets + i * RECORD + AT] = 1;
        return;
      }
      const floatAt = new Float64Array(this.capacity()).fill(-Infinity);
      for (let s = 0; s < this.#used; s++) floatAt[s] = this.atOf(s);
      this.#floatAt = floatAt;
    }
    this.#floatAt[i] = now;
  }

  private find(id: Uint8Array, now: number): number {
    const w0 = word(id, 0);
    const words = this.#words;
    const base = this.#buckets;
    for (let s = words[w0 & (base - 1)]; s !== 0; s = words[base + (s - 1) * RECORD + LINK] & NEXT_BITS) {
      const r = base + (s - 1) * RECORD;
      if (words[r] !== w0) continue;
      // live(), inlined: a call cost XS ≈ 180 bytecodes, on every gossip frame (issue 21). A
      // slot in a bucket is in use: its time is written.
      const floatAt = this.#floatAt;
      if (!(now - (floatAt !== undefined ? floatAt[s - 1] : words[r + AT] - 1 + this.#base) < this.#ttlMs)) continue;
      if (words[r + 1] === word(id, 1) && words[r + 2] === word(id, 2) && words[r + 3] === word(id, 3)) return s - 1;
    }
    return -1;
  }

  /** Put `slot` (its id words written) first in its bucket. */
  private link(slot: number): void {
    const words = this.#words;
    const r = this.#buckets + slot * RECORD;
    const bucket = words[r] & (this.#buckets - 1);
    words[r + LINK] = (words[r + LINK] & ~NEXT_BITS) | words[bucket];
    words[bucket] = slot + 1;
  }

  /** Take `slot` (its old id words still there) out of its bucket. */
  private unlink(slot: number): void {
    const words = this.#words;
    const base = this.#buckets;
    const r = base + slot * RECORD;
    const bucket = words[r] & (base - 1);
    const next = words[r + LINK] & NEXT_BITS;
    let s = words[bucket];
    if (s === slot + 1) {
      words[bucket] = next;
      return;
    }
    while (s !== 0 && (words[base + (s - 1) * RECORD + LINK] & NEXT_BITS) !== slot + 1) s = words[base + (s - 1) * RECORD + LINK] & NEXT_BITS;
    if (s !== 0) {
      const at = base + (s - 1) * RECORD + LINK;
      words[at] = (words[at] & ~NEXT_BITS) | next;
    }
  }

  /** An expired slot, an unused one, or the oldest slot of the owner holding the most. */
  private freeSlot(now: number): number {
    const used = this.#used;
    const ttl = this.#ttlMs;
    if (!(now - this.#oldestAt < ttl)) {
      let oldest = Infinity;
      const floatAt = this.#floatAt;
      // live(), inlined, a loop for each place of the times (a call or a test per slot costs XS
      // bytecodes on every add of a full table): the first expired slot, as before. A slot in
      // use has its time written (its word is not 0).
      if (floatAt !== undefined) {
        for (let i = 0; i < used; i++) {
          const t = floatAt[i];
          if (!(now - t < ttl)) return i;
          if (t < oldest) oldest = t;
        }
      } else {
        const words = this.#words;
        const base = this.#base;
        for (let i = 0, r = this.#buckets + AT; i < used; i++, r += RECORD) {
          const t = words[r] - 1 + base;
          if (!(now - t < ttl)) return i;
          if (t < oldest) oldest = t;
        }
      }
      this.#oldestAt = oldest; // every slot in use is live
    }
    if (this.#used < this.#limit) {
      if (this.#used === (this.#words.length - this.#buckets) / RECORD) this.grow();
      return this.#used;
    }
    const words = this.#words;
    const owner = this.#buckets + LINK;
    const counts = new Uint32Array(OWNER_LIMIT + 1);
    for (let i = 0; i < this.#used; i++) counts[words[owner + i * RECORD] >>> 24]++;
    let heaviest = 0;
    for (let o = 1; o < counts.length; o++) if (counts[o] > counts[heaviest]) heaviest = o;
    let oldest = -1;
    const floatAt = this.#floatAt;
    // atOf, inlined as in the scan above (a full table runs this for every id added).
    if (floatAt !== undefined) {
      for (let i = 0; i < this.#used; i++) if (words[owner + i * RECORD] >>> 24 === heaviest && (oldest < 0 || floatAt[i] < floatAt[oldest])) oldest = i;
    } else {
      // Whole ms from one base: the earliest time is the smallest word.
      const at = owner + AT - LINK;
      for (let i = 0; i < this.#used; i++) if (words[owner + i * RECORD] >>> 24 === heaviest && (oldest < 0 || words[at + i * RECORD] < words[at + oldest * RECORD])) oldest = i;
    }
    this.evicted++;
    return oldest;
  }

  /**
   * Twice the slots up to STEP_SLOTS, then STEP_SLOTS more (at most `limit`), the used ones
   * copied whole (typed-array copies: on XS a word-by-word loop cost 84 K bytecodes a regrowth).
   * With as many buckets as before, the heads and chains (slot numbers) are still right; else
   * every used slot is indexed again (`link` overwrites the copied chain links).
   */
  private grow(): void {
    const have = this.capacity();
    const n = Math.min(this.#limit, have < STEP_SLOTS ? have * 2 : have + STEP_SLOTS);
    const floatAt = this.#floatAt;
    if (floatAt !== undefined) {
      const at = new Float64Array(n).fill(-Infinity);
      at.set(floatAt);
      this.#floatAt = at;
    }
    const buckets = bucketsFor(n);
    const words = new Uint32Array(buckets + n * RECORD);
    const old = this.#words;
    const oldBase = this.#buckets;
    this.#words = words;
    this.#buckets = buckets;
    if (buckets === oldBase) {
      words.set(old);
      return;
    }
    words.set(old.subarray(oldBase, oldBase + this.#used * RECORD), buckets);
    for (let slot = 0; slot < this.#used; slot++) this.link(slot);
  }

  private ownerIndex(owner: string): number {
    const owners = this.#owners;
    let o = owners.get(owner);
    if (o !== undefined) return o;
    // A node key (64 digits) held on the key index: owned by its slot (see `#owners`).
    const slots = owner.length === 64 ? this.#clock.nodeSlots?.() : undefined;
    const slot = slots?.slotOf(owner);
    if (slot !== undefined) o = owners.get(slot);
    if (o === undefined) {
      o = Math.min(owners.size, OWNER_LIMIT);
      if (owners.size < OWNER_LIMIT) {
        if (slot !== undefined) owners.set((slots as NodeSlots).hold(owner), o);
        else owners.set(owner, o);
      }
    }
    return o;
  }
}

/**
 * Buckets of the index for `slots` slots: the largest power of two not above it (as many as slots
 * while the table doubles; past STEP_SLOTS up to two slots a bucket, rather than up to half the
 * buckets empty, 4 B each).
 */
function bucketsFor(slots: number): number {
  let n = 1;
  while (2 * n <= slots) n *= 2;
  return n;
}

/** Big-endian 32-bit word `w` of a 16-byte id. */
function word(id: Uint8Array, w: number): number {
  const o = w * 4;
  return ((id[o] << 24) | (id[o + 1] << 16) | (id[o + 2] << 8) | id[o + 3]) >>> 0;
}
