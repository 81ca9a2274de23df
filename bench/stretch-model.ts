/**
 * An offline model of short-path routing (docs/routing.md "Short paths", "Landmarks"): random
 * geometric meshes (unit disk of 100 m, mean degree `degree`, connected), a shortest-path tree
 * from node 0, Ping-like flows there and back each round, every view true (neighbour lists,
 * landmark lists exchanged until settled). Each hop is decided by the real short-paths.ts,
 * learned-paths.ts and landmarks.ts; greedy tree routing where they offer nothing. It has no
 * radio, no loss and no timing: it tells where stretch comes from and compares choices in
 * seconds, where the simulator (`npm run bench:sim`) takes many minutes.
 */
import { dTree } from '../modules/mycelium/wire/address.js';
import { Peer } from '../modules/mycelium/packager/peer.js';
import { LinkEstimate } from '../modules/mycelium/packager/link-quality.js';
import { NeighbourReach } from '../modules/mycelium/packager/neighbour-reach.js';
import { LearnedPaths } from '../modules/mycelium/packager/learned-paths.js';
import { shortHop } from '../modules/mycelium/packager/short-paths.js';
import { bfs, geometricMesh, seededRandom } from './geometric-mesh.js';
import { LANDMARK_EVERY, LANDMARK_RADIUS, nearbyLandmarks } from '../modules/mycelium/packager/landmarks.js';
import { landmarkEntriesBytes, packedLandmarkNibbles, type LandmarkDistance } from '../modules/mycelium/wire/messages/hello-landmarks.js';

const TS = 1;

export interface ModelOptions {
  readonly n: number;
  readonly seed: number;
  readonly degree: number;
  /** Flows (random pairs); each round sends one packet each way per flow. */
  readonly flows: number;
  readonly rounds: number;
  /** Learnt paths per node (`learnedPaths`) and neighbour addresses per list (HELLO_MAX_NEIGHBOURS). */
  readonly learnedCap: number;
  readonly reachCap: number;
  /** false: greedy tree routing only. */
  readonly short: boolean;
  /** Landmark depths (every this many) and radius; 0: no landmarks. */
  readonly landmarkEvery: number;
  readonly landmarkRadius: number;
}

export const MODEL_DEFAULTS: ModelOptions = Object.freeze({ n: 1000, seed: 1, degree: 10, flows: 200, rounds: 8, learnedCap: 64, reachCap: 16, short: true, landmarkEvery: LANDMARK_EVERY, landmarkRadius: LANDMARK_RADIUS });

export interface ModelResult {
  /** Mean of hops ÷ shortest over every packet, as the simulator's ledger counts it. */
  readonly stretch: number;
  readonly perRound: number[];
  readonly meanShortest: number;
  /** How hops were decided: short-path kinds, or greedy. */
  readonly kinds: Record<string, number>;
  /** Landmark entries and bytes per node list, on average. */
  readonly landmarkEntries: number;
  readonly landmarkBytes: number;
}

export function model(options: Partial<ModelOptions> = {}): ModelResult {
  const o = { ...MODEL_DEFAULTS, ...options };
  const rnd = seededRandom(o.seed);
  const { adj, addrs } = geometricMesh(o.n, o.degree, rnd, TS);
  const lists: LandmarkDistance[][] = adj.map(() => []);
  const build = () => adj.map((near) => {
    const peers = new Map<string, Peer>();
    for (const j of near) {
      const p = new Peer(String(j), 0, 4);
      p.setAddr(addrs[j]);
      p.link = new LinkEstimate(0);
      p.reach = new NeighbourReach(addrs[j], adj[j].slice(0, o.reachCap).map((k) => addrs[k]), 0, 0, 1e12, lists[j]);
      peers.set(String(j), p);
    }
    return peers;
  });
  let peers = build();
  for (let round = 0; o.landmarkEvery > 0 && round <= o.landmarkRadius; round++) {
    const next = peers.map((near, i) => nearbyLandmarks(addrs[i], near.values(), () => true, 0, o.landmarkEvery, o.landmarkRadius));
    next.forEach((l, i) => (lists[i] = l));
    peers = build();
  }
  let landmarkEntries = 0;
  let landmarkBytes = 0;
  lists.forEach((l, i) => {
    landmarkEntries += l.length;
    landmarkBytes += landmarkEntriesBytes(packedLandmarkNibbles(addrs[i], l));
  });
  const learned = adj.map(() => new LearnedPaths(o.learnedCap, 1e9));
  const kinds: Record<string, number> = {};
  const route = (src: number, dst: number): number => {
    const visited = new Set<number>();
    let x = src;
    let prev = -1;
    while (x !== dst) {
      if (visited.has(x)) return -1;
      visited.add(x);
      if (prev >= 0) learned[x].learn(addrs[src], String(prev), visited.size - 1, 0);
      const near = peers[x];
      const h = o.short ? shortHop(addrs[dst], { peers: near.values(), exclude: new Set(), own: addrs[x], usable: () => true, cost: () => 1, learned: learned[x], peerByKey: (k) => near.get(k), now: 0 }) : undefined;
      let next = -1;
      if (h) next = Number(h.peer.key);
      else {
        let best = dTree(addrs[x].coords, addrs[dst].coords);
        for (const p of near.values()) {
          const d = dTree(p.addrs[0].coords, addrs[dst].coords);
          if (d < best) [best, next] = [d, Number(p.key)];
        }
        if (next < 0) return -1;
      }
      const kind = h?.kind ?? 'greedy';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      prev = x;
      x = next;
    }
    if (prev >= 0) learned[x].learn(addrs[src], String(prev), visited.size, 0);
    return visited.size;
  };
  const pairs = Array.from({ length: o.flows }, () => {
    const a = Math.floor(rnd() * o.n);
    return [a, (a + 1 + Math.floor(rnd() * (o.n - 1))) % o.n];
  });
  const shortest = pairs.map(([a, b]) => bfs(adj, a)[b]);
  const perRound: number[] = [];
  let sum = 0;
  let count = 0;
  for (let r = 0; r < o.rounds; r++) {
    let rs = 0;
    let rc = 0;
    pairs.forEach(([a, b], i) => {
      for (const [x, y] of [[a, b], [b, a]]) {
        const h = route(x, y);
        if (h < 0) continue;
        rs += h / shortest[i];
        rc++;
      }
    });
    perRound.push(rs / rc);
    sum += rs;
    count += rc;
  }
  return { stretch: sum / count, perRound, meanShortest: shortest.reduce((t, d) => t + d, 0) / shortest.length, kinds, landmarkEntries: landmarkEntries / o.n, landmarkBytes: landmarkBytes / o.n };
}
