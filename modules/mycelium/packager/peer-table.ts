/**
 * A Packager's peers by key, on its key index (node-slots.ts), in the order they were added — as
 * the `Map` it replaces kept them (issue 21): routing's ties and the Beacon's eviction go to the
 * first in that order, so it is part of what a node does. A `Map` entry cost 49 B a peer on XS;
 * here the peer sits in the item of the index that held its key string (`NodeSlots.own`, the key
 * reachable through the peer), and the order is a doubly linked list of slots in an `Int32Array`
 * (8 B a slot). Each peer holds its slot on the index while it is here (the table's own count), so
 * a slot is never reused under a peer still listed. Not capped here: Neighbours admits peers.
 *
 * Walking the peers while one is removed behaves as a `Map` does for the peer just handed out (the
 * walk goes on from its successor, read before it was handed out); the Packager itself removes none
 * while it walks (callers outside get a copy: Packager.peers).
 */
import { grownSlots, type NodeSlots } from './node-slots.js';

/** What the table holds: an object that knows its key. */
export interface Keyed {
  readonly key: string;
}

/** The cells of a slot in `order`: the next slot and the previous one (0: none). */
const NEXT = 0;
const PREV = 1;

export class PeerTable<P extends Keyed> {
  private readonly slots: NodeSlots;
  // Made with the first peer (issue 21: a node with no neighbour holds none of it).
  /** Per slot its successor and predecessor in insertion order (0: none; slot 0 is never used). */
  declare private order: Int32Array | undefined;
  /** The first and the last slot in insertion order (0: empty). */
  private head = 0;
  private tail = 0;
  private count = 0;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  get size(): number {
    return this.count;
  }

  get(key: string): P | undefined {
    const s = this.slots.slotOf(key);
    return s === undefined ? undefined : (this.slots.ownerOf(s) as P | undefined);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Add `peer` last (its key must not be here: Neighbours adds a peer only when it has none). */
  add(peer: P): void {
    const s = this.slots.hold(peer.key);
    this.slots.own(s, peer);
    const order = this.cover(s);
    order[2 * s + NEXT] = 0;
    order[2 * s + PREV] = this.tail;
    if (this.tail !== 0) order[2 * this.tail + NEXT] = s;
    else this.head = s;
    this.tail = s;
    this.count++;
  }

  /** Take `key`'s peer out; false when it is not here. */
  delete(key: string): boolean {
    const s = this.slots.slotOf(key);
    if (s === undefined || this.slots.ownerOf(s) === undefined) return false;
    const order = this.order as Int32Array;
    const next = order[2 * s + NEXT];
    const prev = order[2 * s + PREV];
    if (prev !== 0) order[2 * prev + NEXT] = next;
    else this.head = next;
    if (next !== 0) order[2 * next + PREV] = prev;
    else this.tail = prev;
    // Its own cells stay until the slot is taken again: a walk standing on it goes on from `next`.
    this.count--;
    this.slots.own(s, undefined);
    this.slots.release(s);
    return true;
  }

  /** Take every peer out. */
  clear(): void {
    const order = this.order;
    let s = this.head;
    this.head = this.tail = this.count = 0;
    while (order !== undefined && s !== 0) {
      const next = order[2 * s + NEXT];
      this.slots.own(s, undefined);
      this.slots.release(s);
      s = next;
    }
  }

  /** The peers, oldest first. */
  *values(): IterableIterator<P> {
    if (this.order === undefined) return;
    let s = this.head;
    while (s !== 0) {
      // Read before handing the peer out: removing it meanwhile must not end the walk.
      const next = (this.order as Int32Array)[2 * s + NEXT];
      const peer = this.slots.ownerOf(s) as P | undefined;
      if (peer !== undefined) yield peer;
      s = next;
    }
  }

  /** Grow `order` (node-slots.ts `grownSlots`) until it has slot `s`. */
  private cover(s: number): Int32Array {
    const old = this.order;
    if (old && 2 * s < old.length) return old;
    const grown = new Int32Array(2 * grownSlots(old ? old.length / 2 : 0, s, this.slots.expected));
    if (old) grown.set(old);
    return (this.order = grown);
  }
}
