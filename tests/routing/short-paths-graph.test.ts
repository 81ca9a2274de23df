/**
 * Short paths on random geometric meshes (packager/short-paths.ts, docs/routing.md "Short paths"):
 * with every node's view true, the hop bound falls at every hop, so no packet visits a node
 * twice and none takes more hops than its source's bound; and paths are shorter than greedy
 * tree routing's. Learnt paths come from the traffic itself, as relays learn them.
 */
import { Address, dTree } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { NeighbourReach } from '../../modules/mycelium/packager/neighbour-reach.js';
import { LearnedPaths } from '../../modules/mycelium/packager/learned-paths.js';
import { shortHop } from '../../modules/mycelium/packager/short-paths.js';
import { bfs, geometricMesh, seededRandom } from '../../bench/geometric-mesh.js';

const TS = 1;

/** A connected random geometric mesh of mean degree 9, and the generator that drew it (traffic follows). */
function mesh(n: number, seed: number) {
  const rnd = seededRandom(seed);
  return { ...geometricMesh(n, 9, rnd, TS), rnd };
}


/** Every node's view: its neighbours as Hello-speaking peers with their neighbour lists. */
function views(adj: number[][], addrs: Address[]) {
  return adj.map((near) => {
    const peers = new Map<string, Peer>();
    for (const j of near) {
      const p = new Peer(String(j), 0, 4);
      p.setAddr(addrs[j]);
      p.link = new LinkEstimate(0);
      p.reach = new NeighbourReach(addrs[j], adj[j].map((k) => addrs[k]), 0, 0, 60_000);
      peers.set(String(j), p);
    }
    // Room for every origin: an entry evicted early is a stale view (the fallback's case, not this one's).
    return { peers, learned: new LearnedPaths(1024, 120_000) };
  });
}

function route(v: ReturnType<typeof views>, addrs: Address[], src: number, dst: number, short: boolean) {
  const visited = new Set<number>();
  const bounds: number[] = [];
  let x = src;
  let prev = -1;
  while (x !== dst) {
    if (visited.has(x)) return { hops: -1, bounds };
    visited.add(x);
    const me = v[x];
    if (prev >= 0) me.learned.learn(addrs[src], String(prev), visited.size - 1, 0);
    let next: number;
    if (short) {
      const h = shortHop(addrs[dst], { peers: me.peers.values(), exclude: new Set(), own: addrs[x], usable: () => true, cost: () => 1, learned: me.learned, peerByKey: (k) => me.peers.get(k), now: 0 });
      if (!h) return { hops: -1, bounds };
      bounds.push(h.bound);
      next = Number(h.peer.key);
    } else {
      next = -1;
      let best = dTree(addrs[x].coords, addrs[dst].coords);
      for (const p of me.peers.values()) {
        const d = dTree(p.addrs[0].coords, addrs[dst].coords);
        if (d < best) {
          best = d;
          next = Number(p.key);
        }
      }
      if (next < 0) return { hops: -1, bounds };
    }
    prev = x;
    x = next;
  }
  if (prev >= 0) v[x].learned.learn(addrs[src], String(prev), visited.size, 0);
  return { hops: visited.size, bounds };
}

test.each([1, 2, 3])('with true views the bound falls every hop, no node is visited twice, and paths are shorter than greedy (seed %i)', (seed) => {
  const { adj, addrs, rnd } = mesh(150, seed);
  const v = views(adj, addrs);
  let greedy = 0;
  let short = 0;
  let shortest = 0;
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 150; i++) {
      const a = Math.floor(rnd() * 150);
      const b = (a + 1 + Math.floor(rnd() * 149)) % 150;
      const g = route(v, addrs, a, b, false);
      const there = route(v, addrs, a, b, true);
      const back = route(v, addrs, b, a, true); // the answer: relays learn both ways
      for (const r of [there, back]) {
        expect(r.hops).toBeGreaterThan(0);
        expect(r.hops).toBeLessThanOrEqual(r.bounds[0]);
        for (let k = 1; k < r.bounds.length; k++) expect(r.bounds[k]).toBeLessThanOrEqual(r.bounds[k - 1] - 1);
      }
      if (round === 1) {
        greedy += g.hops;
        short += there.hops;
        shortest += bfs(adj, a)[b];
      }
    }
  }
  expect(short).toBeLessThan(greedy);
  expect(short / shortest).toBeLessThan(1.15);
});

test('a full table of learnt paths: a neighbour writing made-up origins evicts only its own', () => {
  const t = new LearnedPaths(16, 120_000);
  const a = (i: number) => unwrap(Address.fromCoords(TS, [1, 1 + (i % 7), 1 + Math.floor(i / 7)]));
  for (let i = 0; i < 4; i++) t.learn(a(i), 'honest', 3, 0);
  for (let i = 4; i < 200; i++) t.learn(a(i), 'liar', 1, i);
  const alive = [...t.alive(1000)];
  expect(alive).toHaveLength(16);
  expect(alive.filter((e) => e.viaKey === 'honest')).toHaveLength(4);
  // Lapsed entries go; a longer path never replaces a live shorter one.
  t.learn(a(0), 'liar', 9, 1000);
  expect([...t.alive(1000)].find((e) => e.origin.equals(a(0)))?.viaKey).toBe('honest');
  expect([...t.alive(200_000)]).toHaveLength(0);
});
