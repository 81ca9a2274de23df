/**
 * Which tables grow with the peers (issue 21): every `Map` and `Set` made while a star runs is
 * noted (a subclass put in place of the globals for the run, held weakly), and after a full
 * collection — the leaves are cut off by then — the big ones still alive, the centre's, are
 * described by their first entry (key and value kinds, an object's field names). Driven by
 * scripts/bench-memory-census.mjs; a guide for shrinking the per-peer figure, not a weight.
 *
 * Pure ECMAScript: runs inside XS (xsnap-worker) and on Node.
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import { memoHashes } from '../simulator/platform/hash-memo.js';
import { buildStar, type Star } from './memory-star.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v;
  const name = (v as object).constructor?.name ?? 'Object';
  return Array.isArray(v) ? `array of ${v.length}` : `${name} {${Object.keys(v as object).join(', ')}}`;
}

type Table = { size: number; entries(): IterableIterator<unknown> };
/** What the census holds between its two turns: the star, and its tables held weakly. */
const kept = globalThis as { censusStar?: Star; censusTables?: WeakRef<Table>[] };

globalThis.handleInput = (input: string) => {
  const req = JSON.parse(input) as { op: 'build'; peers: number; seconds: number } | { op: 'census' };
  if (req.op === 'build') {
    // Weakly held: in the next turn, after a full collection, only the tables still reachable (the
    // centre's; the leaves are cut off) answer. A WeakRef keeps its target for the rest of this turn.
    const made: WeakRef<Table>[] = [];
    const BaseMap = Map;
    const BaseSet = Set;
    class CountedMap<K, V> extends BaseMap<K, V> {
      constructor(entries?: Iterable<readonly [K, V]> | null) {
        super(entries as never);
        made.push(new WeakRef(this as Table));
      }
    }
    class CountedSet<K> extends BaseSet<K> {
      constructor(values?: Iterable<K> | null) {
        super(values as never);
        made.push(new WeakRef(this as Table));
      }
    }
    const g = globalThis as { Map: unknown; Set: unknown };
    g.Map = CountedMap;
    g.Set = CountedSet;
    try {
      kept.censusStar = buildStar(req.peers, req.seconds, portableHashes, memoHashes(portableHashes, 8));
    } finally {
      g.Map = BaseMap;
      g.Set = BaseSet;
    }
    kept.censusTables = made;
    return JSON.stringify({ peers: kept.censusStar.peers, routes: kept.censusStar.routes });
  }
  (globalThis as { gc?: () => void }).gc?.();
  const rows = (kept.censusTables ?? [])
    .map((w) => w.deref())
    .filter((m): m is Table => m !== undefined && m.size >= 8)
    .map((m) => {
      const [k, v] = m.entries().next().value as [unknown, unknown];
      return { kind: m instanceof Map ? 'Map' : 'Set', size: m.size, key: describe(k), value: m instanceof Map ? describe(v) : '' };
    });
  return JSON.stringify({ rows });
};
