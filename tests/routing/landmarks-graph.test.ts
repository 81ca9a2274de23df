/**
 * Landmarks on random geometric meshes (packager/landmarks.ts, docs/routing.md "Landmarks"): the
 * lists hellos would carry, exchanged until they settle, give every node its true hop count to
 * the landmarks within the radius; with those views true, the hop bound falls at every hop, no
 * packet visits a node twice, and paths are shorter than with the short-path views alone.
 */
import { Address, dTree } from '../../modules/mycelium/wire/address.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { NeighbourReach } from '../../modules/mycelium/packager/neighbour-reach.js';
import { LearnedPaths } from '../../modules/mycelium/packager/learned-paths.js';
import { shortHop } from '../../modules/mycelium/packager/short-paths.js';
import { bfs, geometricMesh, seededRandom } from '../../bench/geometric-mesh.js';
import { LANDMARK_RADIUS, isLandmark, nearbyLandmarks } from '../../modules/mycelium/packager/landmarks.js';
import { HELLO_LANDMARK_BYTES, landmarkEntriesBytes, packedLandmarkNibbles, type LandmarkDistance } from '../../modules/mycelium/wire/messages/hello-landmarks.js';

const TS = 1;

/** A connected random geometric mesh of mean degree 10, and the generator that drew it (traffic follows). */
function mesh(n: number, seed: number) {
  const rnd = seededRandom(seed);
  return { ...geometricMesh(n, 10, rnd, TS), rnd };
}


/** Every node's peers, with neighbour lists and (with `landmarks`) landmark lists exchanged until settled. */
function views(adj: number[][], addrs: Address[], landmarks: boolean) {
  const lists: LandmarkDistance[][] = adj.map(() => []);
  const build = () => adj.map((near) => {
    const peers = new Map<string, Peer>();
    for (const j of near) {
      const p = new Peer(String(j), 0, 4);
      p.setAddr(addrs[j]);
      p.link = new LinkEstimate(0);
      p.reach = new NeighbourReach(addrs[j], adj[j].map((k) => addrs[k]), 0, 0, 60_000, lists[j]);
      peers.set(String(j), p);
    }
    return { peers, learned: new LearnedPaths(64, 120_000) };
  });
  let v = build();
  // A round of hellos per hop of radius (and one more to see nothing changes).
  for (let round = 0; landmarks && round <= LANDMARK_RADIUS; round++) {
    const next = v.map((me, i) => nearbyLandmarks(addrs[i], me.peers.values(), () => true, 0));
    for (let i = 0; i < next.length; i++) lists[i] = next[i];
    v = build();
  }
  return v;
}

function route(v: ReturnType<typeof views>, addrs: Address[], src: number, dst: number) {
  const visited = new Set<number>();
  const bounds: number[] = [];
  let x = src;
  let prev = -1;
  while (x !== dst) {
    if (visited.has(x)) return { hops: -1, bounds };
    visited.add(x);
    const me = v[x];
    if (prev >= 0) me.learned.learn(addrs[src], String(prev), visited.size - 1, 0);
    const h = shortHop(addrs[dst], { peers: me.peers.values(), exclude: new Set(), own: addrs[x], usable: () => true, cost: () => 1, learned: me.learned, peerByKey: (k) => me.peers.get(k), now: 0 });
    let next: number;
    if (h) {
      bounds.push(h.bound);
      next = Number(h.peer.key);
    } else {
      // Greedy tree routing, the fallback (its descent is its own proof).
      next = -1;
      let best = dTree(addrs[x].coords, addrs[dst].coords);
      for (const p of me.peers.values()) {
        const d = dTree(p.addrs[0].coords, addrs[dst].coords);
        if (d < best) [best, next] = [d, Number(p.key)];
      }
      if (next < 0) return { hops: -1, bounds };
    }
    prev = x;
    x = next;
  }
  if (prev >= 0) v[x].learned.learn(addrs[src], String(prev), visited.size, 0);
  return { hops: visited.size, bounds };
}

test('settled lists give each node its true hop count to the landmarks within the radius, as many as a hello holds', () => {
  const { adj, addrs } = mesh(200, 5);
  const v = views(adj, addrs, true);
  const lm = addrs.map((a, i) => (isLandmark(a) ? i : -1)).filter((i) => i >= 0);
  const dist = new Map(lm.map((l) => [l, bfs(adj, l)]));
  let listedCount = 0;
  let missing = 0;
  for (let x = 0; x < adj.length; x++) {
    for (const p of v[x].peers.values()) {
      const y = Number(p.key);
      const listed = new Map(p.reach!.landmarks.map((l) => [l.address.key, l.hops]));
      expect(landmarkEntriesBytes(packedLandmarkNibbles(addrs[y], p.reach!.landmarks))).toBeLessThanOrEqual(HELLO_LANDMARK_BYTES);
      for (const l of lm) {
        const d = dist.get(l)![y];
        if (d >= LANDMARK_RADIUS) expect(listed.has(addrs[l].key)).toBe(false);
        else if (listed.has(addrs[l].key)) expect(listed.get(addrs[l].key)).toBe(d);
        if (listed.has(addrs[l].key)) listedCount++;
        else if (d < LANDMARK_RADIUS) missing++;
      }
    }
  }
  // Some are left out when nearer ones fill a hello's budget (here or one hop on), not most.
  expect(listedCount).toBeGreaterThan(3 * missing);
});

test.each([1, 2])('with true views the bound falls every hop, no node is visited twice, and landmarks shorten paths (seed %i)', (seed) => {
  const { adj, addrs, rnd } = mesh(400, seed);
  const plain = views(adj, addrs, false);
  const withLandmarks = views(adj, addrs, true);
  let without = 0;
  let withL = 0;
  let shortest = 0;
  for (let i = 0; i < 200; i++) {
    const a = Math.floor(rnd() * 400);
    const b = (a + 1 + Math.floor(rnd() * 399)) % 400;
    // First packets of flows: nothing learnt from traffic yet, where landmarks matter most.
    const p = route(plain, addrs, a, b);
    const r = route(withLandmarks, addrs, a, b);
    expect(r.hops).toBeGreaterThan(0);
    if (r.bounds.length) expect(r.hops).toBeLessThanOrEqual(r.bounds[0]);
    for (let k = 1; k < r.bounds.length; k++) expect(r.bounds[k]).toBeLessThanOrEqual(r.bounds[k - 1] - 1);
    without += p.hops;
    withL += r.hops;
    shortest += bfs(adj, a)[b];
  }
  expect(withL).toBeLessThan(without);
  expect(withL / shortest).toBeLessThan(1.15);
});
