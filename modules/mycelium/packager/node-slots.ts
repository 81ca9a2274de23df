/**
 * One small number per node key, shared by the node's per-neighbour tables (issue 21). A table
 * keyed by a node's key paid a `Map` entry per key (49 B on XS, 65 B with its numbers); tables on
 * this index hold their numbers in typed-array columns by slot (slot-pairs.ts) and share one
 * `Map` entry and one key per node, however many tables name it.
 *
 * A slot is held while any table holds the key (`hold` counts, `release` uncounts) and is freed
 * with the last one: a free list hands it to the next key. Each table keeps its own membership,
 * so a reused slot brings nothing of the key that had it (a table that held the old key released
 * it and cleared its cells first). The index has no cap of its own: every table on it is capped
 * and evicts its own keys (rule 2), so it holds at most the sum of their caps.
 */
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
 * A table's number columns (`width` cells a slot) and its presence column made `n` slots long,
 * what they held kept (made anew: typed arrays do not grow).
 */
export function grownColumns(cells: Float64Array | undefined, present: Uint8Array | undefined, width: number, n: number): { cells: Float64Array; present: Uint8Array } {
  const grown = { cells: new Float64Array(width * n), present: new Uint8Array(n) };
  if (cells) grown.cells.set(cells);
  if (present) grown.present.set(present);
  return grown;
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

/** What a slot can name instead of its key string: an object holding that string (a `Peer`). */
export interface KeyOwner {
  readonly key: string;
}

/** The key that `held` (a slot's entry: the key, or its owner) stands for. */
function keyIn(held: string | KeyOwner | undefined): string | undefined {
  return held === undefined || typeof held === 'string' ? held : held.key;
}

export class NodeSlots {
  /** Slots a full neighbourhood takes, the header included: where the columns' doubling pauses. */
  readonly expected: number;
  // Made on the first hold: a node with no neighbour holds none of them (issue 21).
  /** Key → slot. */
  declare private bySlot: Map<string, number> | undefined;
  /**
   * Slot → key (undefined: free), or the object that owns the slot and holds its key (`own`): the
   * peer table keeps its peers here, in the item the key took, rather than in a `Map` entry of
   * its own (49 B on XS, issue 21). Slot 0 is never handed out: it is the header of `counts`.
   */
  declare private keys: (string | KeyOwner | undefined)[] | undefined;
  /**
   * Per slot the tables holding it; a free slot's entry links the next free one (0: none), and
   * entry 0 is the first free slot. Grown by doubling.
   */
  declare private counts: Uint32Array | undefined;

  /** `peers`: the peer cap (most keys on the index are neighbours'). */
  constructor(peers: number) {
    this.expected = Math.max(1, peers) + 1;
  }

  /** Keys held. */
  get size(): number {
    return this.bySlot ? this.bySlot.size : 0;
  }

  /** Slots handed out so far, slot 0 included: every slot is below it (what tables size their columns by). */
  get span(): number {
    return this.keys ? this.keys.length : 1;
  }

  /** `key`'s slot, undefined when no table holds it. */
  slotOf(key: string): number | undefined {
    return this.bySlot?.get(key);
  }

  /**
   * The string the index holds for `key` (equal to it), undefined when none: a peer or route made
   * for a node the apps already hold shares it rather than keep a copy (80 B on XS, issue 21).
   */
  heldKey(key: string): string | undefined {
    const slot = this.bySlot?.get(key);
    return slot === undefined ? undefined : keyIn(this.keys?.[slot]);
  }

  /** The key holding `slot` (undefined: free). */
  keyOf(slot: number): string | undefined {
    return keyIn(this.keys?.[slot]);
  }

  /** The object that owns `slot` (see `keys`), undefined when none does or the slot is free. */
  ownerOf(slot: number): KeyOwner | undefined {
    const held = this.keys?.[slot];
    return typeof held === 'object' ? held : undefined;
  }

  /**
   * `owner` (whose key holds `slot`) owns the slot now; undefined: nothing does, the slot names
   * its key again. The index keeps the owner's string as the key (the same string).
   */
  own(slot: number, owner: KeyOwner | undefined): void {
    const keys = this.keys;
    const held = keys?.[slot];
    if (keys === undefined || held === undefined) return;
    keys[slot] = owner ?? keyIn(held);
  }

  /** One more table holds `key`: its slot (a free one, or a new one, when it had none). */
  hold(key: string): number {
    const map = (this.bySlot ??= new Map());
    let slot = map.get(key);
    if (slot === undefined) {
      slot = this.take();
      (this.keys as (string | KeyOwner | undefined)[])[slot] = key;
      map.set(key, slot);
    }
    (this.counts as Uint32Array)[slot]++;
    return slot;
  }

  /** A table no longer holds `slot`'s key: the slot is freed with the last. */
  release(slot: number): void {
    const counts = this.counts;
    const keys = this.keys;
    if (!counts || !keys || keys[slot] === undefined || counts[slot] === 0) return;
    if (--counts[slot] > 0) return;
    this.bySlot?.delete(keyIn(keys[slot]) as string);
    keys[slot] = undefined;
    counts[slot] = counts[0];
    counts[0] = slot;
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
      const grown = new Uint32Array(grownSlots(counts ? counts.length : 0, slot, this.expected));
      if (counts) grown.set(counts);
      this.counts = counts = grown;
    }
    return slot;
  }
}
