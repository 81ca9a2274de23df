/**
 * Short byte strings (a tag byte and up to 32 bytes) as keys of a table kept in insertion order,
 * without a Map or a key string: on XS a Map entry is 49 B and a 64-digit hex key ≈ 80 B more
 * (issue 21). The bytes sit in one Uint8Array, and the order (a doubly linked list), a hash index
 * (chained buckets) and one number per key in one Int32Array; both grow by doubling up to the
 * cap and are made on first use. Keys compare exactly, byte for byte: a hash collision costs a
 * longer chain, never a false match.
 *
 * Slots are numbered from 1 (0: none). Removing a key frees its slot for the next insert.
 */

/** Bytes per key: its length, its tag, then up to MAX_BYTES bytes. */
export const MAX_BYTES = 32;
const KEY = MAX_BYTES + 2;

/** Int32 header: oldest key, newest key, slots handed out (from 1), first freed slot. */
const OLDEST = 0;
const NEWEST = 1;
const USED = 2;
const FREE = 3;
const HEADER = 4;
/** Ints per slot: its value, older key, newer key, next key in its bucket (or next freed slot). */
const STRIDE = 4;
const VALUE = 0;
const OLDER = 1;
const NEWER = 2;
const NEXT = 3;
/** Slots of the first arrays (a node that delivers little holds little). */
const FIRST_SLOTS = 4;

export class ByteKeys {
  // Declared, made on the first insert: no fields but the cap at rest (issue 21).
  declare private bytes: Uint8Array | undefined;
  /** The header, then STRIDE ints per slot from slot 1, then the buckets (slot of the first key in each). */
  declare private ints: Int32Array | undefined;
  private readonly cap: number;

  /** At most `cap` keys at once. */
  constructor(cap: number) {
    this.cap = Math.max(1, cap);
  }

  /** The slot of the key (`tag`, `key`), 0 when absent. */
  find(tag: number, key: Uint8Array): number {
    const ints = this.ints;
    if (!ints) return 0;
    const n = Math.min(key.length, MAX_BYTES);
    for (let s = ints[this.bucketsAt() + (hashOf(tag, key, n) & (this.bucketCount() - 1))]; s !== 0; s = ints[HEADER + s * STRIDE + NEXT]) {
      if (this.same(s, tag, key, n)) return s;
    }
    return 0;
  }

  /** Add the key (`tag`, `key`: at most MAX_BYTES are kept), absent, as the newest, holding `value`; its slot. */
  insert(tag: number, key: Uint8Array, value: number): number {
    const s = this.take();
    const bytes = this.bytes as Uint8Array;
    const n = Math.min(key.length, MAX_BYTES);
    bytes[s * KEY] = n;
    bytes[s * KEY + 1] = tag;
    bytes.set(key.subarray(0, n), s * KEY + 2);
    const ints = this.ints as Int32Array;
    const b = this.bucketsAt() + (hashOf(tag, key, n) & (this.bucketCount() - 1));
    ints[HEADER + s * STRIDE + NEXT] = ints[b];
    ints[b] = s;
    ints[HEADER + s * STRIDE + VALUE] = value;
    this.append(s);
    return s;
  }

  value(slot: number): number {
    return (this.ints as Int32Array)[HEADER + slot * STRIDE + VALUE];
  }

  setValue(slot: number, value: number): void {
    (this.ints as Int32Array)[HEADER + slot * STRIDE + VALUE] = value;
  }

  /** Make `slot`'s key the newest (as a Map's delete and set would). */
  renew(slot: number): void {
    this.unlink(slot);
    this.append(slot);
  }

  /** Forget `slot`'s key. */
  remove(slot: number): void {
    const ints = this.ints as Int32Array;
    this.unlink(slot);
    const bytes = this.bytes as Uint8Array;
    const b = this.bucketsAt() + (hashOf(bytes[slot * KEY + 1], bytes, bytes[slot * KEY], slot * KEY + 2) & (this.bucketCount() - 1));
    if (ints[b] === slot) ints[b] = ints[HEADER + slot * STRIDE + NEXT];
    else {
      let p = ints[b];
      while (ints[HEADER + p * STRIDE + NEXT] !== slot) p = ints[HEADER + p * STRIDE + NEXT];
      ints[HEADER + p * STRIDE + NEXT] = ints[HEADER + slot * STRIDE + NEXT];
    }
    ints[HEADER + slot * STRIDE + NEXT] = ints[FREE];
    ints[FREE] = slot;
  }

  /** The oldest key's slot (0: none). */
  oldest(): number {
    return this.ints ? this.ints[OLDEST] : 0;
  }

  /** The key after `slot` in age (0: `slot` is the newest). */
  newer(slot: number): number {
    return (this.ints as Int32Array)[HEADER + slot * STRIDE + NEWER];
  }

  clear(): void {
    this.bytes = undefined;
    this.ints = undefined;
  }

  private append(s: number): void {
    const ints = this.ints as Int32Array;
    const last = ints[NEWEST];
    ints[HEADER + s * STRIDE + OLDER] = last;
    ints[HEADER + s * STRIDE + NEWER] = 0;
    if (last) ints[HEADER + last * STRIDE + NEWER] = s;
    else ints[OLDEST] = s;
    ints[NEWEST] = s;
  }

  private unlink(s: number): void {
    const ints = this.ints as Int32Array;
    const older = ints[HEADER + s * STRIDE + OLDER];
    const newer = ints[HEADER + s * STRIDE + NEWER];
    if (older) ints[HEADER + older * STRIDE + NEWER] = newer;
    else ints[OLDEST] = newer;
    if (newer) ints[HEADER + newer * STRIDE + OLDER] = older;
    else ints[NEWEST] = older;
  }

  private same(s: number, tag: number, key: Uint8Array, n: number): boolean {
    const bytes = this.bytes as Uint8Array;
    const at = s * KEY;
    if (bytes[at] !== n || bytes[at + 1] !== tag) return false;
    for (let i = 0; i < n; i++) if (bytes[at + 2 + i] !== key[i]) return false;
    return true;
  }

  /** Slots the arrays have room for (slot 0 included). */
  private capacity(): number {
    return this.bytes ? this.bytes.length / KEY : 0;
  }

  private bucketsAt(): number {
    return HEADER + this.capacity() * STRIDE;
  }

  private bucketCount(): number {
    return (this.ints as Int32Array).length - this.bucketsAt();
  }

  /** A free slot: a freed one, else the next, the arrays grown (doubled, at most to the cap) if full. */
  private take(): number {
    const ints = this.ints;
    if (ints && ints[FREE] !== 0) {
      const s = ints[FREE];
      ints[FREE] = ints[HEADER + s * STRIDE + NEXT];
      return s;
    }
    const used = ints ? ints[USED] : 1;
    if (used >= this.capacity()) this.grow(Math.max(used + 1, Math.min(Math.max(FIRST_SLOTS, 2 * this.capacity()), this.cap + 1)));
    (this.ints as Int32Array)[USED] = used + 1;
    return used;
  }

  /** Room for `slots` (slot 0 included): the bytes copied, the links kept, the index rebuilt. */
  private grow(slots: number): void {
    const oldBytes = this.bytes;
    const oldInts = this.ints;
    let buckets = FIRST_SLOTS;
    while (buckets < slots) buckets *= 2;
    const bytes = new Uint8Array(slots * KEY);
    const ints = new Int32Array(HEADER + slots * STRIDE + buckets);
    if (oldBytes && oldInts) {
      bytes.set(oldBytes);
      ints.set(oldInts.subarray(0, HEADER + (oldBytes.length / KEY) * STRIDE));
    }
    this.bytes = bytes;
    this.ints = ints;
    if (!oldInts) ints[USED] = 1;
    // Every live slot back into its bucket (freed slots are on the free list, linked by NEXT too:
    // walk the order list instead, which holds exactly the live keys).
    const at = HEADER + slots * STRIDE;
    for (let s = ints[OLDEST]; s !== 0; s = ints[HEADER + s * STRIDE + NEWER]) {
      const b = at + (hashOf(bytes[s * KEY + 1], bytes, bytes[s * KEY], s * KEY + 2) & (buckets - 1));
      ints[HEADER + s * STRIDE + NEXT] = ints[b];
      ints[b] = s;
    }
  }
}

/** FNV-1a over the tag and `n` bytes of `key` from `from`: the bucket index's hash. */
function hashOf(tag: number, key: Uint8Array, n: number, from = 0): number {
  let h = Math.imul(0x811c9dc5 ^ tag, 0x01000193);
  for (let i = 0; i < n; i++) h = Math.imul(h ^ key[from + i], 0x01000193);
  return h >>> 0;
}
