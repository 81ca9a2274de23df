/**
 * One small number per node key, shared by the node's per-neighbour tables (issue 21). A table
 * keyed by a node's key paid a `Map` entry per key (49 B on XS, 65 B with its numbers); tables on
 * this index hold their numbers in typed-array columns by slot (slot-pairs.ts) and share one
 * `Map` entry and one key per node, however many tables name it.
 *
 * A slot is held while any table holds the key (`hold` counts, `release` uncounts) and is freed
 * with the last one: a free list hands it to the next key. Key → slot is an open-addressing hash
 * over the slots (session 17): a `Map` entry per key was 49 B on XS, a bucket is 2 B and a
 * slot's hash 4 B. The index is never walked, so nothing depends on an order of its keys. Each table keeps its own membership,
 * so a reused slot brings nothing of the key that had it (a table that held the old key released
 * it and cleared its cells first). The index has no cap of its own: every table on it is capped
 * and evicts its own keys (rule 2), so it holds at most the sum of their caps.
 *
 * A node key (64 lower-case hex digits, a node id's) is kept as its 32 bytes in a column, not as a
 * string (session 19): a 64-digit string is 80 B on XS, and the peer that kept it another 16 B
 * for the field. `keyOf` makes the string when asked (one `String.fromCharCode` of 64 table
 * reads, ≈ 900 XS bytecodes and an 80 B string to collect), and the last key found or made
 * answers again without one. Any other string (tests name nodes 'a', 'b') is kept as it is.
 */
import { copyBytes, hex32At, writeHex32 } from '../wire/bytes.js';

/**
 * How many slots a column of `have` grows to so that it has slot `need`: doubled, except that
 * the doubling stops once at `expected` (the peer cap and the header), which a full
 * neighbourhood fills exactly; past it, doubling again.
 */
export function grownSlots(have: number, need: number, expected: number): number {
  let n = Math.max(4, have);
  while (n <= need) n = n < expected && 2 * n > expected ? expected : 2 * n;
  return n;
}

/**
 * `key`'s slot when a table of columns holds it: `present` is the table's column whose cell is
 * non-zero for a slot it holds (undefined before the table's first entry).
 */
export function heldSlot(slots: NodeSlots, present: ArrayLike<number> | undefined, key: string): number | undefined {
  if (present === undefined) return undefined;
  const s = slots.slotOf(key);
  return s !== undefined && s < present.length && present[s] !== 0 ? s : undefined;
}

/**
 * What a slot can name instead of its key: an object (a `Peer`) that the table keyed by slot
 * finds there. It keeps its key string itself (`keptKey`) only when the index does not keep the
 * key as bytes; undefined otherwise, and the index then answers its key (`keyOf`).
 */
export interface KeyOwner {
  readonly keptKey: string | undefined;
}

/** A slot's entry: its key as a string, its owner, null (the key is in `ids`), undefined (free). */
type Held = string | KeyOwner | null | undefined;

/** Bytes of a node id, and where the count of a slot's holders keeps "the key is in `ids`". */
const ID_BYTES = 32;
const IN_BYTES = 0x80000000;
const HOLDERS = 0x7fffffff;

/** Characters of a key that its hash reads (see `hashOfKey`). */
const HASHED = 8;

/**
 * FNV-1a over the length and the first `HASHED` characters of `key`: where the key's search
 * starts in the buckets. A node key is the hex of a SHA-256 id, so its first 8 digits are 32
 * random bits; hashing all 64 made a lookup 8 times a `Map`'s on V8 (which caches a string's
 * hash), and the simulator looks slots up millions of times a run (4.0 M in bench-sim --case
 * 300:3). Keys alike in their first characters only make longer runs, never a wrong answer,
 * and the runs are bounded by the tables' caps. The first characters, not the last: XS finds
 * a character's offset by walking the string.
 */
export function hashOfKey(key: string): number {
  const length = key.length;
  let h = imul(0x811c9dc5 ^ length, FNV_PRIME);
  if (length >= HASHED) {
    // Unrolled (every node and MAC key takes this path): the loop's own test and increment
    // were a fifth of a lookup's bytecodes on XS, where the index is looked up 36,000 times a
    // simulated minute on telemetry-25 (issue 21). The same value as the loop below.
    h = imul(h ^ key.charCodeAt(0), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(1), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(2), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(3), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(4), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(5), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(6), FNV_PRIME);
    h = imul(h ^ key.charCodeAt(7), FNV_PRIME);
    return h >>> 0;
  }
  for (let i = 0; i < length; i++) h = imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

const FNV_PRIME = 0x01000193;
/** Read once: `Math.imul` is a global and a property lookup on XS at each use. */
const imul = Math.imul;

export class NodeSlots {
  /** Slots a full neighbourhood takes, the header included: where the columns' doubling pauses. */
  readonly expected: number;
  /** Keys held (read it as `size`). */
  private held = 0;
  // Made on the first hold: a node with no neighbour holds none of them (issue 21).
  /**
   * Slot → its key as a string, or the object that owns the slot (`own`): the peer table keeps
   * its peers here, in the item the key took, rather than in a `Map` entry of its own (49 B on
   * XS, issue 21); null: the key is in `ids`, nothing owns the slot; undefined: free. Slot 0 is
   * never handed out: it is the header of `counts`.
   */
  declare private keys: Held[] | undefined;
  /**
   * Per slot the tables holding it, with IN_BYTES set when its key is in `ids`; a free slot's
   * entry links the next free one (0: none), and entry 0 is the first free slot. Grown by doubling.
   */
  declare private counts: Uint32Array | undefined;
  /** Per slot its key's hash (`hashOfKey`): compared before the keys, and where it sits in `buckets`. */
  declare private hashes: Uint32Array | undefined;
  /** Per slot the 32 bytes of its key, when it is a node key (IN_BYTES); grown with `counts`. */
  declare private ids: Uint8Array | undefined;
  /**
   * The hash index: the slots of the keys held, each in the first bucket free from its hash's
   * (linear probing; 0: empty). At least 4/3 of `counts`' length, a power of two, so it never
   * fills; a removal moves later keys of its run back (no tombstones to clean up).
   */
  declare private buckets: Uint16Array | Uint32Array | undefined;
  /**
   * The key found or made last and its slot, while the slot holds it (`release` forgets it): set
   * by the first find, so a node with no neighbour has neither.
   */
  declare private lastKey: string | undefined;
  declare private lastSlot: number;

  /** `peers`: the peer cap (most keys on the index are neighbours'). */
  constructor(peers: number) {
    this.expected = Math.max(1, peers) + 1;
  }

  /** Keys held. */
  get size(): number {
    return this.held;
  }

  /** Slots handed out so far, slot 0 included: every slot is below it (what tables size their columns by). */
  get span(): number {
    return this.keys ? this.keys.length : 1;
  }

  /** `key`'s slot, undefined when no table holds it. */
  slotOf(key: string): number | undefined {
    // The key found last: a frame looks its sender up three to four times in a row (link index,
    // peer, link, heard time), and the hash and probe cost XS about 400 bytecodes each time
    // (issue 21). `release` forgets it, so it is still its slot's.
    if (key === this.lastKey) return this.lastSlot;
    const at = this.find(key);
    if (at < 0) return undefined;
    const slot = (this.buckets as Uint16Array | Uint32Array)[at];
    this.lastKey = key;
    this.lastSlot = slot;
    return slot;
  }

  /**
   * The string the index holds for `key` (equal to it), undefined when none: a peer or route made
   * for a node the apps already hold shares it rather than keep a copy (80 B on XS, issue 21).
   * A key kept as bytes gives a string made for the asking (or the one found last).
   */
  heldKey(key: string): string | undefined {
    const slot = this.slotOf(key);
    return slot === undefined ? undefined : this.keyOf(slot);
  }

  /** The key holding `slot` (undefined: free), made from its bytes when kept so (see the class). */
  keyOf(slot: number): string | undefined {
    if (slot === this.lastSlot && this.lastKey !== undefined) return this.lastKey;
    const held = this.keys?.[slot];
    if (held === undefined) return undefined;
    // keyAt's expression inlined: a call more on every key made cost the XS runner 2 M bytecodes.
    const key = typeof held === 'string' ? held : (held?.keptKey ?? hex32At(this.ids as Uint8Array, ID_BYTES * slot));
    this.lastKey = key;
    this.lastSlot = slot;
    return key;
  }

  /** A copy of `slot`'s key bytes when kept so (see the class), else undefined. */
  idOf(slot: number): Uint8Array | undefined {
    if (!this.inBytes(slot)) return undefined;
    return copyBytes((this.ids as Uint8Array).subarray(ID_BYTES * slot, ID_BYTES * (slot + 1)));
  }

  /** Whether `slot`'s key is kept as bytes (so its owner need not keep the string). */
  inBytes(slot: number): boolean {
    return this.counts !== undefined && slot < this.counts.length && (this.counts[slot] & IN_BYTES) !== 0;
  }

  /** The object that owns `slot` (see `keys`), undefined when none does or the slot is free. */
  ownerOf(slot: number): KeyOwner | undefined {
    const held = this.keys?.[slot];
    return typeof held === 'object' && held !== null ? held : undefined;
  }

  /**
   * `owner` owns `slot` now (its key is the slot's: it keeps the string itself unless `inBytes`);
   * undefined: nothing does, the slot names its key again.
   */
  own(slot: number, owner: KeyOwner | undefined): void {
    const keys = this.keys;
    const held = keys?.[slot];
    if (keys === undefined || held === undefined) return;
    if (owner !== undefined) keys[slot] = owner;
    else if (typeof held === 'object' && held !== null) keys[slot] = this.inBytes(slot) ? null : (held.keptKey as string);
  }

  /** One more table holds `key`: its slot (a free one, or a new one, when it had none). */
  hold(key: string): number {
    let slot = this.slotOf(key);
    if (slot === undefined) {
      slot = this.take();
      const inBytes = writeHex32(key, this.ids as Uint8Array, ID_BYTES * slot);
      (this.keys as Held[])[slot] = inBytes ? null : key;
      if (inBytes) (this.counts as Uint32Array)[slot] = IN_BYTES;
      const hash = hashOfKey(key);
      (this.hashes as Uint32Array)[slot] = hash;
      this.place(slot, hash);
      this.held++;
    }
    (this.counts as Uint32Array)[slot]++;
    return slot;
  }

  /** A table no longer holds `slot`'s key: the slot is freed with the last. */
  release(slot: number): void {
    const counts = this.counts;
    const keys = this.keys;
    if (!counts || !keys || keys[slot] === undefined || (counts[slot] & HOLDERS) === 0) return;
    if ((--counts[slot] & HOLDERS) > 0) return;
    this.unplace(slot);
    this.held--;
    keys[slot] = undefined;
    counts[slot] = counts[0];
    counts[0] = slot;
    if (slot === this.lastSlot) this.lastKey = undefined;
  }

  /** The bucket holding `key`'s slot, -1 when none does. */
  private find(key: string): number {
    const buckets = this.buckets;
    if (buckets === undefined) return -1;
    const hashes = this.hashes as Uint32Array;
    const hash = hashOfKey(key);
    const mask = buckets.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const s = buckets[at];
      if (s === 0) return -1;
      if (hashes[s] === hash && this.keyAt(s) === key) return at;
    }
  }

  /** The key of `slot` (held), made from its bytes when kept so; `lastKey` left as it is. */
  private keyAt(slot: number): string {
    const held = (this.keys as Held[])[slot];
    return typeof held === 'string' ? held : (held?.keptKey ?? hex32At(this.ids as Uint8Array, ID_BYTES * slot));
  }
  /** `slot` (whose key hashes to `hash`) into the first free bucket from its hash's. */
  private place(slot: number, hash: number): void {
    const buckets = this.buckets as Uint16Array | Uint32Array;
    const mask = buckets.length - 1;
    let at = hash & mask;
    while (buckets[at] !== 0) at = (at + 1) & mask;
    buckets[at] = slot;
  }

  /** `slot` out of the buckets, the later keys of its run moved back so that every search still finds them. */
  private unplace(slot: number): void {
    const buckets = this.buckets as Uint16Array | Uint32Array;
    const hashes = this.hashes as Uint32Array;
    const mask = buckets.length - 1;
    let hole = hashes[slot] & mask;
    while (buckets[hole] !== slot) hole = (hole + 1) & mask;
    for (let at = (hole + 1) & mask; buckets[at] !== 0; at = (at + 1) & mask) {
      // A key may fill the hole when its home bucket is not in (hole, at]: the search from its home reaches the hole first.
      const home = hashes[buckets[at]] & mask;
      if (hole <= at ? home > hole && home <= at : home > hole || home <= at) continue;
      buckets[hole] = buckets[at];
      hole = at;
    }
    buckets[hole] = 0;
  }

  private take(): number {
    const keys = (this.keys ??= [undefined]);
    let counts = this.counts;
    if (counts && counts[0] !== 0) {
      const slot = counts[0];
      counts[0] = counts[slot];
      counts[slot] = 0;
      return slot;
    }
    const slot = keys.length;
    keys.push(undefined);
    if (!counts || slot >= counts.length) {
      const n = grownSlots(counts ? counts.length : 0, slot, this.expected);
      const grown = new Uint32Array(n);
      const hashes = new Uint32Array(n);
      const ids = new Uint8Array(ID_BYTES * n);
      if (counts) grown.set(counts);
      if (this.hashes) hashes.set(this.hashes);
      if (this.ids) ids.set(this.ids);
      this.counts = counts = grown;
      this.hashes = hashes;
      this.ids = ids;
      this.rehash(n);
    }
    return slot;
  }

  /** Buckets for `n` slots (at least 4/3 of them, a power of two), every key held placed anew. */
  private rehash(n: number): void {
    let size = 8;
    while (3 * size < 4 * n) size *= 2;
    this.buckets = n < 0x10000 ? new Uint16Array(size) : new Uint32Array(size);
    const keys = this.keys as Held[];
    const hashes = this.hashes as Uint32Array;
    for (let s = 1; s < keys.length; s++) if (keys[s] !== undefined) this.place(s, hashes[s]);
  }
}
