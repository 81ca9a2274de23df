/**
 * The simulator's SharedValues (modules/mycelium/platform/platform.ts): one table for every node
 * of a run, so that equal immutable values the nodes parse (a hello's listed addresses, reach
 * by each of its receivers) are one object in the heap. Bounded by generations: when the newer
 * map is full the older one is dropped, and a value still used there moves up on its next
 * lookup; a forgotten value stays alive as long as a node holds it, only shared no more.
 */
import type { SharedValues } from '../../modules/mycelium/platform/platform.js';

export function sharedValues(generation: number): SharedValues {
  let newer = new Map<number | string, object>();
  let older = new Map<number | string, object>();
  return {
    share<T extends object>(key: number | string, value: T): T {
      const held = newer.get(key);
      if (held !== undefined) return held as T;
      const kept = (older.get(key) ?? value) as T;
      if (newer.size >= generation) {
        older = newer;
        newer = new Map();
      }
      newer.set(key, kept);
      return kept;
    },
  };
}
