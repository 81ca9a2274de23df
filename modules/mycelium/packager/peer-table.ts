/**
 * A Packager's peers by key, on its key index (node-slots.ts), in the order they were added — as
 * the `Map` it replaces kept them (issue 21): routing's ties and the Beacon's eviction go to the
 * first in that order, so it is part of what a node does. A `Map` entry cost 49 B a peer on XS;
 * here the peer sits in the item of the index that held its key (`NodeSlots.own`; the index
 * answers the peer's key from its bytes, or the peer keeps a key not kept so), and the order is a
 * doubly linked list of slots with an insertion number each, in 2 B cells (6 B a slot; `Order`).
 * Each peer holds its slot on the index while it is here (the table's own count), so a slot is
 * never reused under a peer still listed. Not capped here: Neighbours admits peers.
 *
 * A walk (`values`) sees what a `Map`'s would when peers are added or removed during it: removed
 * ones not yet reached are skipped, added ones come at the end. After a change it finds its place
 * again by the insertion number of the peer it handed out last (a pass from the head: the
 * Packager changes none while it walks; callers outside get a copy, Packager.peers).
 */
import { grownSlots, type KeyOwner, type NodeSlots } from './node-slots.js';

/**
 * What the table holds: an object that knows its key, and keeps the string itself unless the
 * index keeps it as bytes (node-slots.ts `inBytes`).
 */
export interface Keyed extends KeyOwner {
  readonly key: string;
}

/** The cells of a slot in `order`: the next slot, the previous one (0: none), its insertion number. */
const NEXT = 0;
const PREV = 1;
const SEQ = 2;
const CELLS = 3;
/**
 * Insertion numbers stay below this (then the peers are numbered again from 1, in order): in 2 B
 * cells, every device's (fewer than 65,536 slots), 65,535; in 4 B cells 2^31 − 1.
 */
const SEQ_LIMIT_16 = 0xffff;
const SEQ_LIMIT = 0x7fffffff;

/**
 * The order's cells: 2 B while the key index has fewer than 65,536 slots (6 B a slot; 12 B in an
 * `Int32Array` before session 25), else 4 B.
 */
type Order = Uint16Array | Int32Array;

export class PeerTable<P extends Keyed> {
  private readonly slots: NodeSlots;
  // Made with the first peer (issue 21: a node with no neighbour holds none of it).
  /** Per slot its successor and predecessor in insertion order and its insertion number. */
  declare private order: Order | undefined;
  /** The first and the last slot in insertion order (0: empty). */
  private head = 0;
  private tail = 0;
  private count = 0;
  /** The last insertion number handed out. */
  private seq = 0;
  /** Counts adds and removals: a walk that sees it change finds its place again. */
  changes = 0;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  get size(): number {
    return this.count;
  }

  get(key: string): P | undefined {
    const s = this.slots.slotOf(key);
    return s === undefined ? undefined : (this.slots.ownerOf(s) as unknown as P | undefined);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Add `peer` last (its key must not be here: Neighbours adds a peer only when it has none). */
  add(peer: P): void {
    const s = this.slots.hold(peer.key);
    this.slots.own(s, peer);
    const order = this.cover(s);
    if (this.seq >= (order instanceof Uint16Array ? SEQ_LIMIT_16 : SEQ_LIMIT)) this.renumber();
    order[CELLS * s + NEXT] = 0;
    order[CELLS * s + PREV] = this.tail;
    order[CELLS * s + SEQ] = ++this.seq;
    if (this.tail !== 0) order[CELLS * this.tail + NEXT] = s;
    else this.head = s;
    this.tail = s;
    this.count++;
    this.changes++;
  }

  /** Take `key`'s peer out; false when it is not here. */
  delete(key: string): boolean {
    const s = this.slots.slotOf(key);
    if (s === undefined || this.slots.ownerOf(s) === undefined) return false;
    const order = this.order as Order;
    const next = order[CELLS * s + NEXT];
    const prev = order[CELLS * s + PREV];
    if (prev !== 0) order[CELLS * prev + NEXT] = next;
    else this.head = next;
    if (next !== 0) order[CELLS * next + PREV] = prev;
    else this.tail = prev;
    order[CELLS * s + NEXT] = order[CELLS * s + PREV] = order[CELLS * s + SEQ] = 0;
    this.count--;
    this.changes++;
    this.slots.own(s, undefined);
    this.slots.release(s);
    return true;
  }

  /** Take every peer out. */
  clear(): void {
    const order = this.order;
    let s = this.head;
    this.head = this.tail = this.count = 0;
    this.changes++;
    while (order !== undefined && s !== 0) {
      const next = order[CELLS * s + NEXT];
      order[CELLS * s + NEXT] = order[CELLS * s + PREV] = order[CELLS * s + SEQ] = 0;
      this.slots.own(s, undefined);
      this.slots.release(s);
      s = next;
    }
  }

  /**
   * The peers, oldest first. A walk object rather than a generator: V8 inlines its `next` in the
   * simulator's routing loops.
   */
  values(): IterableIterator<P> {
    return new PeerWalk<P>(this);
  }

  /**
   * The peers, oldest first, in a new array: one pass over the order column. Packager.peers is
   * read 28 K times on telemetry-25; spreading `values()` cost XS a `next()` call and a result
   * object per peer (issue 21).
   */
  toArray(): P[] {
    const out: P[] = [];
    const order = this.order;
    if (order === undefined) return out;
    for (let s = this.head; s !== 0; s = order[CELLS * s + NEXT]) out.push(this.slots.ownerOf(s) as unknown as P);
    return out;
  }

  /** The first slot in insertion order (0: none). */
  first(): number {
    return this.head;
  }

  /** The slot after `s` in insertion order (0: none). */
  after(s: number): number {
    return (this.order as Order)[CELLS * s + NEXT];
  }

  /** Slot `s`'s insertion number. */
  seqOf(s: number): number {
    return (this.order as Order)[CELLS * s + SEQ];
  }

  /** The first slot whose peer came after insertion number `seq` (0: none). */
  firstAfter(seq: number): number {
    let s = this.head;
    while (s !== 0 && this.seqOf(s) <= seq) s = this.after(s);
    return s;
  }

  /** The peer in slot `s`. */
  at(s: number): P {
    return this.slots.ownerOf(s) as unknown as P;
  }

  /** Number the peers 1, 2, … in order again (walks under way may then skip or repeat: once in 2^31 adds). */
  private renumber(): void {
    const order = this.order as Order;
    this.seq = 0;
    for (let s = this.head; s !== 0; s = order[CELLS * s + NEXT]) order[CELLS * s + SEQ] = ++this.seq;
  }

  /** Grow `order` (node-slots.ts `grownSlots`) until it has slot `s`. */
  private cover(s: number): Order {
    const old = this.order;
    if (old && CELLS * s < old.length) return old;
    const n = grownSlots(old ? old.length / CELLS : 0, s, this.slots.expected);
    const grown = n < 0x10000 && !(old instanceof Int32Array) ? new Uint16Array(CELLS * n) : new Int32Array(CELLS * n);
    if (old) grown.set(old);
    return (this.order = grown);
  }
}

/** A walk over a PeerTable's peers (see `values`). */
class PeerWalk<P extends Keyed> implements IterableIterator<P> {
  private readonly table: PeerTable<P>;
  /** The slot handed out last (0: none yet; -1: the walk is over) and its insertion number. */
  private slot = 0;
  private seq = 0;
  /** The table's `changes` when the walk last moved. */
  private changes: number;

  constructor(table: PeerTable<P>) {
    this.table = table;
    this.changes = table.changes;
  }

  next(): IteratorResult<P> {
    const t = this.table;
    if (this.slot < 0) return { value: undefined, done: true };
    let s: number;
    if (t.changes !== this.changes) {
      // Peers came or went since the last step: the next is the first that came after ours.
      s = t.firstAfter(this.seq);
      this.changes = t.changes;
    } else s = this.slot === 0 ? t.first() : t.after(this.slot);
    if (s === 0) {
      this.slot = -1;
      return { value: undefined, done: true };
    }
    this.slot = s;
    this.seq = t.seqOf(s);
    return { value: t.at(s), done: false };
  }

  [Symbol.iterator](): IterableIterator<P> {
    return this;
  }
}
