/**
 * Inbound sequences in flight, keyed by (origin, seq_id) — upstream keys by seq_id alone, so two
 * senders collide (§9.2 item 5). Memory is reserved up front from the claimed size (fragments ×
 * max body, never more than the per-sequence cap) against a total budget; fragment bodies are
 * only stored as they arrive.
 *
 * Eviction. One origin holds at most a count and a byte share of the budget: a new sequence
 * beyond either evicts that origin's own stalest. When the total is full, a new sequence may take
 * the room of a sequence that is idle for a sync period or *slow* — averaging more than
 * `slowFragmentMs` per fragment since it started — the slowest first; otherwise it is refused.
 * A sequence trickling one fragment just before each sync period (issue 19's slow sequence bomb)
 * is never idle but is slow, while an honest sequence in progress is neither, so it is never
 * evicted to make room for anyone.
 */
import { toHex } from '../wire/bytes.js';
import type { Packet } from '../wire/packet.js';
import type { Reassembly } from '../wire/sequence.js';
import type { AttachedInterface } from './attached.js';
import type { Peer } from './peer.js';

export interface InboundRoute {
  readonly treeState: number;
  /** The origin's address (to_addr of our RTX requests). */
  readonly fromAddr: Uint8Array;
  /** Our address the sequence was sent to (from_addr of our RTX requests). */
  readonly toAddr: Uint8Array;
  readonly dcpl: boolean;
}

export interface InboundSequence {
  readonly key: string;
  readonly origin: string;
  readonly reassembly: Reassembly;
  readonly reserved: number;
  readonly iface: AttachedInterface;
  readonly mac: Uint8Array | undefined;
  readonly peerKey: string | undefined;
  readonly route: InboundRoute | undefined;
  /** RTX rounds left without progress (upstream: reset to 3 by every new fragment). */
  retries: number;
  /** Platform ms of the last new fragment. */
  updated: number;
  /** Platform ms of the first fragment: with the fragments received, its rate of progress. */
  readonly started: number;
}

/** Whether the new sequence got room, and the sequences evicted trying (even when refused). */
export interface Admission {
  readonly admitted: boolean;
  readonly evicted: InboundSequence[];
}

export class InboundTable {
  // Made on the first set: empty until then costs nothing (issue 21).
  #byKey: Map<string, InboundSequence> | undefined;
  #reserved = 0;
  readonly #perOrigin: number;
  readonly #total: number;
  readonly #totalBytes: number;
  readonly #originBytes: number;

  constructor(perOrigin: number, total: number, totalBytes: number, originBytes: number) {
    this.#perOrigin = Math.max(1, perOrigin);
    this.#total = Math.max(1, total);
    this.#totalBytes = totalBytes;
    this.#originBytes = originBytes;
  }

  get(key: string): InboundSequence | undefined {
    return this.#byKey?.get(key);
  }

  /**
   * Make room for `entry` (not yet added) under the caps, or refuse it. `idleMs`: how long a
   * sequence must have been idle, `slowMs`: how many ms per fragment it must average, to be
   * evicted for another origin.
   */
  admit(entry: InboundSequence, now: number, idleMs: number, slowMs: number): Admission {
    if (entry.reserved > this.#originBytes) return { admitted: false, evicted: [] };
    const evicted: InboundSequence[] = [];
    const mine = [...(this.#byKey?.values() ?? [])].filter((s) => s.origin === entry.origin);
    if (mine.length >= this.#perOrigin) {
      const stalest = mine.reduce((a, b) => (b.updated < a.updated ? b : a));
      mine.splice(mine.indexOf(stalest), 1);
      this.delete(stalest.key);
      evicted.push(stalest);
    }
    // Over its byte share, an origin's new sequence waits for its others unless they are idle or
    // slow: evicting one in progress would make two large parallel sequences (a Gossip answer
    // and its echo) evict each other fragment after fragment.
    let mineBytes = mine.reduce((n, s) => n + s.reserved, 0);
    while (mineBytes + entry.reserved > this.#originBytes) {
      const slowest = slowestEvictable(mine, now, idleMs, slowMs);
      if (!slowest) return { admitted: false, evicted };
      mine.splice(mine.indexOf(slowest), 1);
      mineBytes -= slowest.reserved;
      this.delete(slowest.key);
      evicted.push(slowest);
    }
    while ((this.#byKey?.size ?? 0) >= this.#total || this.#reserved + entry.reserved > this.#totalBytes) {
      const slowest = slowestEvictable(this.#byKey?.values() ?? [].values(), now, idleMs, slowMs);
      if (!slowest) return { admitted: false, evicted };
      this.delete(slowest.key);
      evicted.push(slowest);
    }
    (this.#byKey ??= new Map()).set(entry.key, entry);
    this.#reserved += entry.reserved;
    return { admitted: true, evicted };
  }

  delete(key: string): boolean {
    const s = this.#byKey?.get(key);
    if (!s) return false;
    this.#byKey?.delete(key);
    this.#reserved -= s.reserved;
    return true;
  }

  get size(): number {
    return (this.#byKey?.size ?? 0);
  }

  /** Bytes reserved by sequences in flight. */
  get reservedBytes(): number {
    return this.#reserved;
  }

  /** Bytes of fragments actually held. */
  get heldBytes(): number {
    let n = 0;
    for (const s of this.#byKey?.values() ?? []) n += s.reassembly.heldBytes;
    return n;
  }

  values(): IterableIterator<InboundSequence> {
    return this.#byKey?.values() ?? [].values();
  }

  clear(): void {
    this.#byKey?.clear();
    this.#reserved = 0;
  }
}

/**
 * Sequences delivered recently, so a late duplicate fragment (a resend whose ack was lost) is
 * acked and dropped instead of starting a new reassembly that RTX would complete into a second
 * delivery. One check byte per fragment (low byte of its CRC-32) tells a duplicate from a new
 * sequence that reuses the seq_id (upstream reuses it for every unicast sequence); a false match
 * only delays that fragment until RTX. Capped; the oldest record is forgotten.
 */
export class CompletedSequences {
  // Made on the first set: empty until then costs nothing (issue 21).
  #records: Map<string, { count: number; checks: Uint8Array; until: number }> | undefined;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /**
   * Remember a completed sequence until `until`. Records are in the order they were made, and
   * each lasts the same outboundTtlMs, so the expired ones are the first: they go now, where
   * before they stayed until the cap (128) pushed them out, read by nobody.
   */
  remember(key: string, count: number, checks: Uint8Array, until: number, now: number): void {
    this.#records?.delete(key);
    const records = this.#records;
    if (records) {
      for (const [k, r] of records) {
        if (r.until > now) break;
        records.delete(k);
      }
    }
    while ((this.#records?.size ?? 0) >= this.#limit) this.#records?.delete((this.#records as Map<string, { count: number; checks: Uint8Array; until: number }>).keys().next().value as string);
    (this.#records ??= new Map()).set(key, { count, checks, until });
  }

  has(key: string): boolean {
    return this.#records?.has(key) ?? false;
  }

  /** 'duplicate', 'new' (record dropped: the seq_id is being reused), or 'unknown'. */
  classify(key: string, count: number, index: number, check: number, now: number): 'duplicate' | 'new' | 'unknown' {
    const r = this.#records?.get(key);
    if (!r) return 'unknown';
    if (r.until <= now || r.count !== count || r.checks[index] !== check) {
      this.#records?.delete(key);
      return r.until <= now ? 'unknown' : 'new';
    }
    return 'duplicate';
  }

  get size(): number {
    return (this.#records?.size ?? 0);
  }

  clear(): void {
    this.#records?.clear();
  }
}

/** The slowest of `sequences` that is idle (no new fragment for `idleMs`) or slow (over `slowMs` per fragment). */
function slowestEvictable(sequences: Iterable<InboundSequence>, now: number, idleMs: number, slowMs: number): InboundSequence | undefined {
  let slowest: InboundSequence | undefined;
  let slowestMs = 0;
  for (const s of sequences) {
    const ms = msPerFragment(s, now);
    if ((now - s.updated >= idleMs || ms > slowMs) && (!slowest || ms > slowestMs)) {
      slowest = s;
      slowestMs = ms;
    }
  }
  return slowest;
}

/** Average ms per fragment received since the sequence started: how fast it progresses. */
function msPerFragment(s: InboundSequence, now: number): number {
  return (now - s.started) / Math.max(1, s.reassembly.received);
}

/** Who originated a packet, for keying inbound sequences and duplicates. */
export function originKey(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): string {
  if (p.fromAddr && p.treeState !== undefined) return 'a' + p.treeState + ':' + toHex(p.fromAddr);
  if (src) return 'p' + src.key;
  return 'm' + iface.key + ':' + (mac ? toHex(mac) : '-');
}
