/**
 * Random geometric meshes for the short-path model (stretch-model.ts) and the routing graph tests:
 * n nodes in a square sized for a mean degree, linked within 100 m, redrawn until connected, with
 * tree addresses from a shortest-path tree rooted at node 0 (as the spanning tree is).
 */
import { Address } from '../modules/mycelium/wire/address.js';
import { unwrap } from '../modules/mycelium/wire/result.js';

/** A seeded generator (LCG); the same seed draws the same meshes and traffic. */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) >>> 0) / 4294967296;
}

export function geometricMesh(n: number, degree: number, rnd: () => number, treeState = 1): { adj: number[][]; addrs: Address[] } {
  const side = Math.sqrt((n * Math.PI * 1e4) / degree);
  for (;;) {
    const xy = Array.from({ length: n }, () => [rnd() * side, rnd() * side]);
    const adj: number[][] = xy.map(() => []);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if ((xy[i][0] - xy[j][0]) ** 2 + (xy[i][1] - xy[j][1]) ** 2 > 1e4) continue;
        adj[i].push(j);
        adj[j].push(i);
      }
    }
    const coords: number[][] = [[]];
    const order = [0];
    const seen = new Set([0]);
    for (let h = 0; h < order.length; h++) {
      let child = 0;
      for (const v of adj[order[h]]) {
        if (seen.has(v)) continue;
        seen.add(v);
        coords[v] = [...coords[order[h]], ++child];
        order.push(v);
      }
    }
    if (order.length === n) return { adj, addrs: coords.map((c) => unwrap(Address.fromCoords(treeState, c))) };
  }
}

/** Hop counts from `from` to every node (−1: unreachable). */
export function bfs(adj: number[][], from: number): number[] {
  const d = adj.map(() => -1);
  d[from] = 0;
  const q = [from];
  for (let h = 0; h < q.length; h++) {
    for (const v of adj[q[h]]) {
      if (d[v] >= 0) continue;
      d[v] = d[q[h]] + 1;
      q.push(v);
    }
  }
  return d;
}
