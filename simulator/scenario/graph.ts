/**
 * The radio graph as plain adjacency lists, and breadth-first hop counts on it: connectivity
 * checks for random topologies, and the shortest path a route's stretch is measured against.
 * An edge i → j exists when j hears i with loss ≤ `usableLoss` over a link that is not cut
 * (directed: a one-way link is one edge).
 */
import type { LossModel } from '../medium/loss-model.js';
import type { Medium } from '../medium/medium.js';
import { SpatialGrid } from '../medium/spatial-grid.js';
import type { Point } from './types.js';

export type Adjacency = readonly (readonly number[])[];

/** The graph of a medium as it is now (positions, overrides, cuts; down nodes included). */
export function radioGraph(medium: Medium, usableLoss: number): number[][] {
  const adj: number[][] = [];
  for (let i = 0; i < medium.size; i++) adj.push(medium.links(i).filter((l) => !l.cut && l.loss <= usableLoss).map((l) => l.to));
  return adj;
}

/** The graph of bare positions under a loss model (symmetric), found through a spatial grid. */
export function geometricGraph(positions: readonly Point[], model: LossModel, usableLoss: number): number[][] {
  const grid = new SpatialGrid(model.reach);
  positions.forEach(([x, y], i) => grid.insert(i, x, y));
  return positions.map(([x, y], i) => {
    const out: number[] = [];
    grid.around(x, y, (j) => {
      if (j === i) return;
      const d = Math.hypot(positions[j][0] - x, positions[j][1] - y);
      if (d <= model.reach && model.lossAt(d) <= usableLoss) out.push(j);
    });
    return out.sort((a, b) => a - b);
  });
}

/** Hop counts from `source` to every node (-1 = unreachable), skipping nodes `skip` rejects. */
export function bfsHops(adj: Adjacency, source: number, skip?: (node: number) => boolean): Int32Array {
  const hops = new Int32Array(adj.length).fill(-1);
  if (skip?.(source)) return hops;
  const queue = new Int32Array(adj.length);
  let head = 0;
  let tail = 0;
  hops[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const u = queue[head++];
    for (const v of adj[u]) {
      if (hops[v] >= 0 || skip?.(v)) continue;
      hops[v] = hops[u] + 1;
      queue[tail++] = v;
    }
  }
  return hops;
}

/** Shortest hop count from a to b, or undefined when b cannot be reached. */
export function shortestHops(adj: Adjacency, a: number, b: number): number | undefined {
  const h = bfsHops(adj, a)[b];
  return h >= 0 ? h : undefined;
}

/** True when every node reaches every other (for symmetric graphs: one BFS suffices). */
export function isConnected(adj: Adjacency): boolean {
  if (adj.length === 0) return true;
  return bfsHops(adj, 0).every((h) => h >= 0);
}

/**
 * Shortest hops with one BFS per source, cached: stretch over thousands of delivered packets
 * costs one BFS per distinct source, not per packet.
 */
export class ShortestPaths {
  readonly #adj: Adjacency;
  readonly #cache = new Map<number, Int32Array>();
  constructor(adj: Adjacency) {
    this.#adj = adj;
  }
  hops(a: number, b: number): number | undefined {
    let h = this.#cache.get(a);
    if (!h) this.#cache.set(a, (h = bfsHops(this.#adj, a)));
    return h[b] >= 0 ? h[b] : undefined;
  }
}
