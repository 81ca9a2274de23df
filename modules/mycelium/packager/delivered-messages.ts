/**
 * Unicast single packets delivered recently, so that a retry is acked and not delivered again.
 *
 * A message is named by (origin node, packet_id, body digest). Our senders keep the packet_id
 * across retries and never reuse one while a receiver may remember it (id-leases.ts), so two
 * sends of the same bytes are two messages, and a wrap of the 8-bit counter is never taken for
 * a retry. The origin is a node, not an address: a retry sent after the origin's tree address
 * changed (a tree repair, a new parent) comes from a new from_addr, and is still the same
 * message. The node behind a from_addr is resolved through the route table; when either copy's
 * node is unknown, (packet_id, digest) alone decides within the window: a false match needs
 * another origin to send identical bytes under the same 8-bit id within seconds.
 * An upstream sender gives each retry a new packet_id, so its retries are delivered again,
 * exactly as between upstream nodes.
 *
 * Memory (issue 21): the table is full in a busy neighbourhood (2 records a neighbour in the
 * memory bench's star), and a record as an object with its origin string cost ≈ 190 B on XS,
 * its key (a Map entry and a 68-character string) ≈ 130 B more. Records are four numbers in one
 * Float64Array shared by all (grown by doubling up to the cap, made on first use): when the
 * record lapses, and the origin and node as 52-bit hashes of their strings — they are only ever
 * compared for equality, and only between records of the same key (the same packet_id and body
 * bytes), so a false match needs the same message bytes and a 52-bit collision. Keys are kept
 * exactly, as bytes (byte-keys.ts): a key alone decides when a node is unknown.
 */
import { ByteKeys } from './byte-keys.js';


/** Copies of one (packet_id, digest) from different origins kept at most (a bound, not a need). */
const PER_KEY = 4;

/** Numbers per slot. Slot 0 is the header: slots handed out (header included), first freed slot (0: none), records held. */
const STRIDE = 4;
/** A record's numbers: platform ms it lapses at, origin hash, node hash (−1: unknown), next record of its key (slot; 0: none) or next freed slot. */
const UNTIL = 0;
const ORIGIN = 1;
const NODE = 2;
const NEXT = 3;
const USED = 0;
const FREE = 1;
const COUNT = 2;
/** Slots of the first array, its header included. */
const FIRST_SLOTS = 4;

export class DeliveredMessages {
  /** Key → slot of its oldest live record (its records chain by NEXT, oldest first), oldest key first. */
  // Made on the first record: empty until then costs nothing (issue 21).
  declare private keys: ByteKeys | undefined;
  // Made on the first record (see above); its header keeps the bookkeeping (no fields at rest).
  declare private records: Float64Array | undefined;
  private readonly limit: number;
  /** Records dropped before their window ended (each may let a retry through). */
  evictedEarly = 0;

  constructor(limit: number) {
    this.limit = Math.max(1, limit);
  }

  /**
   * True when this message was delivered within the window (a retry); otherwise records it.
   * `packetId` and `digest` (the body's first 32 bytes: app id and blob digest) name the
   * message; `origin`/`node`: who sent it, as above.
   */
  seen(packetId: number, digest: Uint8Array, origin: string, node: string | undefined, now: number, windowMs: number): boolean {
    this.dropLapsed(now);
    const o = hashOf(origin);
    const n = node === undefined ? -1 : hashOf(node);
    const key = this.keys?.find(packetId, digest) ?? 0;
    // The key's live records, oldest first; its lapsed ones are freed.
    let head = 0;
    let tail = 0;
    let live = 0;
    let held = 0;
    for (let s = key ? (this.keys as ByteKeys).value(key) : 0; s !== 0; ) {
      const r = this.records as Float64Array;
      const next = r[s * STRIDE + NEXT];
      held++;
      if (r[s * STRIDE + UNTIL] > now) {
        if (tail) r[tail * STRIDE + NEXT] = s;
        else head = s;
        tail = s;
        r[s * STRIDE + NEXT] = 0;
        live++;
      } else this.release(s);
      s = next;
    }
    for (let s = head; s !== 0; ) {
      const r = this.records as Float64Array;
      const d = r[s * STRIDE + NODE];
      if (r[s * STRIDE + ORIGIN] === o || d === -1 || n === -1 || d === n) {
        this.place(key, head, live, held);
        return true;
      }
      s = r[s * STRIDE + NEXT];
    }
    if (live >= PER_KEY) {
      const first = head;
      head = (this.records as Float64Array)[first * STRIDE + NEXT];
      this.release(first);
      live--;
      if (!head) tail = 0;
    }
    const s = this.take();
    const r = this.records as Float64Array;
    r[s * STRIDE + UNTIL] = now + windowMs;
    r[s * STRIDE + ORIGIN] = o;
    r[s * STRIDE + NODE] = n;
    r[s * STRIDE + NEXT] = 0;
    if (tail) r[tail * STRIDE + NEXT] = s;
    else head = s;
    if (key) this.place(key, head, live + 1, held);
    else {
      (this.keys ??= new ByteKeys(this.limit + 1)).insert(packetId, digest, head);
      r[COUNT] += 1;
    }
    this.trim(now);
    return false;
  }

  get size(): number {
    return this.records ? this.records[COUNT] : 0;
  }

  clear(): void {
    this.keys?.clear();
    this.records = undefined;
  }

  /** Key `slot` now holds `count` records from `head` (was `before`); it becomes the newest key, or goes when none. */
  private place(slot: number, head: number, count: number, before: number): void {
    if (this.records) this.records[COUNT] += count - before;
    const keys = this.keys as ByteKeys;
    if (count === 0) return keys.remove(slot);
    keys.setValue(slot, head);
    keys.renew(slot);
  }

  /**
   * Forget the oldest keys whose records have all lapsed: they can no longer match (see `seen`),
   * and an idle node should not hold the last burst's keys for ever (issue 21). Stops at the
   * first key with a live record, so a call costs little.
   */
  private dropLapsed(now: number): void {
    const keys = this.keys;
    if (!keys) return;
    for (let key = keys.oldest(); key !== 0; key = keys.oldest()) {
      const head = keys.value(key);
      const r = this.records as Float64Array;
      let n = 0;
      for (let s = head; s !== 0; s = r[s * STRIDE + NEXT]) {
        if (r[s * STRIDE + UNTIL] > now) return;
        n++;
      }
      for (let s = head; s !== 0; ) {
        const next = r[s * STRIDE + NEXT];
        this.release(s);
        s = next;
      }
      this.place(key, 0, 0, n);
    }
  }

  /** Forget the oldest records beyond the cap (the rest of a key's records go last in the order). */
  private trim(now: number): void {
    while (this.size > this.limit) {
      const keys = this.keys as ByteKeys;
      const key = keys.oldest();
      const head = keys.value(key);
      const r = this.records as Float64Array;
      if (r[head * STRIDE + UNTIL] > now) this.evictedEarly++;
      let n = 0;
      for (let s = head; s !== 0; s = r[s * STRIDE + NEXT]) n++;
      const next = r[head * STRIDE + NEXT];
      this.release(head);
      this.place(key, next, n - 1, n);
    }
  }

  /** A free slot: a freed one, else the next of the array, grown (doubled, at most to the cap) if full. */
  private take(): number {
    let r = this.records;
    if (r && r[FREE] !== 0) {
      const s = r[FREE];
      r[FREE] = r[s * STRIDE + NEXT];
      return s;
    }
    const used = r ? r[USED] : 1;
    const capacity = r ? r.length / STRIDE : 0;
    if (used >= capacity) {
      // At most limit + 1 records live at once (one more before `trim`), plus the header.
      const grown = new Float64Array(STRIDE * Math.max(used + 1, Math.min(Math.max(FIRST_SLOTS, 2 * capacity), this.limit + 2)));
      if (r) grown.set(r);
      this.records = r = grown;
    }
    r = r as Float64Array;
    r[USED] = used + 1;
    return used;
  }

  private release(s: number): void {
    const r = this.records as Float64Array;
    r[s * STRIDE + NEXT] = r[FREE];
    r[FREE] = s;
  }
}

/** A 52-bit hash of `text` (two FNV-1a lanes): exact in a double, for equality only (see above). */
function hashOf(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
}
