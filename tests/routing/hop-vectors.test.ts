/**
 * RouteVector's table (packager/hop-vectors.ts) and hop finding's use of it (find-hop.ts), on a
 * virtual clock: offers learnt and expired, equal next hops drawn per flow, no loop and no count
 * to infinity after a link dies (Babel's feasibility condition), and a flood of made-up
 * destinations that cannot push an honest neighbour's out of the capped table.
 */
import { findHop } from '../../modules/mycelium/packager/find-hop.js';
import { BorderTable } from '../../modules/mycelium/packager/borders.js';
import { HopVectors, flowOf, seqNewer, type VectorLimits } from '../../modules/mycelium/packager/hop-vectors.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { decodeVector, encodeVector } from '../../modules/mycelium/apps/route-vector.js';
import { hopView, plainPeer } from '../support/hop-view.js';

const TS = 9;
const addr = (coords: number[]) => unwrap(Address.fromCoords(TS, coords));
const P = 256_000;
const LIMITS: VectorLimits = { maxDestinations: 16, holdMs: 3.5 * P, forgetMs: 16 * P, perPacket: false, budgetMs: 0 };

function counting() {
  const seen: Record<string, number> = {};
  return { seen, inc: (n: string) => void (seen[n] = (seen[n] ?? 0) + 1) };
}

const table = (limits: Partial<VectorLimits> = {}) => new HopVectors({ ...LIMITS, ...limits }, counting(), () => 0.5);

/** Neighbours by key, each holding an address in tree TS (the table routes only through such). */
function view(peers: Peer[], now: number) {
  return { peerByKey: (k: string) => peers.find((p) => p.key === k), now };
}

describe('hop vectors', () => {
  const dest = addr([1, 2, 3]);
  const a = plainPeer('a', addr([1]));
  const b = plainPeer('b', addr([2]));
  const c = plainPeer('c', addr([3]));

  test('learns a destination: the least hops, through every neighbour that offers them', () => {
    const t = table();
    t.hear('a', dest, 5, 1, 0);
    t.hear('b', dest, 5, 1, 0);
    t.hear('c', dest, 5, 2, 0);
    const r = t.route(dest, view([a, b, c], 1000));
    expect(r?.metric).toBe(2);
    expect(r?.via.map((p) => p.key)).toEqual(['a', 'b']);
  });

  test('a lossy link counts two hops', () => {
    const t = table();
    const lossyA = { ...a, linkCost: () => 3 } as unknown as Peer;
    t.hear('a', dest, 5, 1, 0);
    t.hear('b', dest, 5, 1, 0);
    expect(t.route(dest, view([lossyA, b], 0))?.via.map((p) => p.key)).toEqual(['b']);
  });

  test('equal next hops are drawn per flow: one flow keeps one, flows share both', () => {
    const t = table();
    t.hear('a', dest, 5, 1, 0);
    t.hear('b', dest, 5, 1, 0);
    const v = view([a, b], 0);
    const busy = () => false;
    const flows = Array.from({ length: 40 }, (_, i) => flowOf(addr([4, 1 + (i % 7), 1 + Math.floor(i / 7)])));
    const chosen = flows.map((f) => t.hop(dest, f, new Set(), busy, v)?.key);
    expect(new Set(chosen)).toEqual(new Set(['a', 'b']));
    expect(chosen.filter((k) => k === 'a').length).toBeGreaterThan(8);
    expect(chosen.filter((k) => k === 'b').length).toBeGreaterThan(8);
    for (const f of flows.slice(0, 5)) expect(t.hop(dest, f, new Set(), busy, v)?.key).toBe(t.hop(dest, f, new Set(), busy, v)?.key);
    // An excluded or busy neighbour leaves the flow to the other.
    expect(t.hop(dest, flows[0], new Set(['a']), busy, v)?.key).toBe('b');
    expect(t.hop(dest, flows[0], new Set(), (p) => p.key === 'a', v)?.key).toBe('b');
  });

  test('with a budget, flows go mostly to the equal next hop with room left', () => {
    const t = new HopVectors({ ...LIMITS, budgetMs: 36_000 }, counting(), () => 0);
    t.hear('a', dest, 5, 1, 0, 34_000); // a has spent most of its hour
    t.hear('b', dest, 5, 1, 0, 4_000);
    const v = view([a, b], 0);
    const chosen = Array.from({ length: 200 }, (_, i) => t.hop(dest, flowOf(addr([4, 1 + (i % 15), 1 + Math.floor(i / 15)])), new Set(), () => false, v)?.key);
    const toA = chosen.filter((k) => k === 'a').length;
    expect(toA).toBeGreaterThan(0); // a share still, its figure is minutes old
    expect(toA).toBeLessThan(40); // evenly: ~100
  });

  test('per packet: the draw comes from the random source', () => {
    let r = 0.1;
    const t = new HopVectors({ ...LIMITS, perPacket: true }, counting(), () => r);
    t.hear('a', dest, 5, 1, 0);
    t.hear('b', dest, 5, 1, 0);
    const v = view([a, b], 0);
    expect(t.hop(dest, 1, new Set(), () => false, v)?.key).toBe('a');
    r = 0.9;
    expect(t.hop(dest, 1, new Set(), () => false, v)?.key).toBe('b');
  });

  test('an offer not heard again lapses; a destination nobody offers is forgotten later', () => {
    const t = table();
    t.hear('a', dest, 5, 1, 0);
    t.hear('b', dest, 5, 1, 2 * P);
    expect(t.route(dest, view([a, b], 3 * P))?.via.map((p) => p.key)).toEqual(['a', 'b']);
    expect(t.route(dest, view([a, b], 4 * P))?.via.map((p) => p.key)).toEqual(['b']);
    expect(t.route(dest, view([a, b], 6 * P))).toBeUndefined();
    t.advertise(TS, view([a, b], 6 * P), () => undefined);
    expect(t.size).toBe(1); // kept, with its feasibility distance, until forgetMs
    t.advertise(TS, view([a, b], 19 * P), () => undefined);
    expect(t.size).toBe(0);
  });

  test('4-bit sequence numbers compare by serial arithmetic', () => {
    expect(seqNewer(1, 0)).toBe(true);
    expect(seqNewer(0, 15)).toBe(true);
    expect(seqNewer(15, 0)).toBe(false);
    expect(seqNewer(3, 3)).toBe(false);
  });
});

/**
 * A line of nodes, each with its own table, exchanging adverts every period (as RouteVector does):
 * the origin `d` advertises itself at 0. `links` says who hears whom.
 */
class VectorNet {
  readonly tables = new Map<string, HopVectors>();
  readonly links = new Set<string>();
  readonly seq = { value: 0 };
  now = 0;

  constructor(readonly names: string[]) {
    for (const n of names) this.tables.set(n, table());
  }

  link(x: string, y: string, up = true): void {
    for (const k of [`${x}-${y}`, `${y}-${x}`]) {
      if (up) this.links.add(k);
      else this.links.delete(k);
    }
  }

  peersOf(x: string): Peer[] {
    return this.names.filter((y) => this.links.has(`${x}-${y}`)).map((y) => plainPeer(y, addr([this.names.indexOf(y) + 1])));
  }

  /** Next hop of `x` toward `to`, by its table. */
  hop(x: string, to: Address): string | undefined {
    return this.tables.get(x)?.hop(to, 0, new Set(), () => false, view(this.peersOf(x), this.now))?.key;
  }

  metric(x: string, to: Address): number | undefined {
    return this.tables.get(x)?.route(to, view(this.peersOf(x), this.now))?.metric;
  }

  /** One period: every node advertises (the origin itself at 0); neighbours hear it. */
  round(origin: string, to: Address): void {
    this.now += P;
    for (const x of this.names) {
      const entries: [number, number][] = [];
      if (x === origin) entries.push([this.seq.value, 0]);
      else this.tables.get(x)?.advertise(TS, view(this.peersOf(x), this.now), (a, s, m) => a.equals(to) && entries.push([s, m]));
      for (const y of this.names) if (this.links.has(`${x}-${y}`) && y !== origin) for (const [s, m] of entries) this.tables.get(y)?.hear(x, to, s, m, this.now);
    }
  }
}

describe('no loop after a link dies', () => {
  const D = addr([7, 7]);

  test('a ring around a dead link: no next-hop cycle at any round, metrics bounded', () => {
    // d — b — a — c — e — b: the ring b a c e; d hangs off b alone.
    const net = new VectorNet(['d', 'b', 'a', 'c', 'e']);
    for (const [x, y] of [['d', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'e'], ['e', 'b']]) net.link(x, y);
    for (let i = 0; i < 6; i++) net.round('d', D);
    expect(net.hop('b', D)).toBe('d');
    expect(net.metric('a', D)).toBe(2);
    expect(net.metric('c', D)).toBe(3);
    net.link('d', 'b', false);
    let worst = 0;
    for (let i = 0; i < 30; i++) {
      net.round('d', D);
      // Follow next hops from every node: never back to a node already passed.
      for (const start of ['b', 'a', 'c', 'e']) {
        const passed = new Set<string>();
        let x: string | undefined = start;
        while (x !== undefined && x !== 'd') {
          expect(passed.has(x)).toBe(false);
          passed.add(x);
          x = net.hop(x, D);
        }
      }
      for (const x of ['b', 'a', 'c', 'e']) worst = Math.max(worst, net.metric(x, D) ?? 0);
    }
    // Nobody counts up toward infinity: the routes die out instead.
    expect(worst).toBeLessThanOrEqual(4);
    for (const x of ['b', 'a', 'c', 'e']) expect(net.hop(x, D)).toBeUndefined();
  });

  test('the origin’s next seq gives a node without a feasible route one again', () => {
    // d — b — a, and d — c — a: b's link to d dies; b's only other way is a (via c), longer.
    const net = new VectorNet(['d', 'b', 'a', 'c']);
    for (const [x, y] of [['d', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'd']]) net.link(x, y);
    for (let i = 0; i < 4; i++) net.round('d', D);
    net.link('d', 'b', false);
    for (let i = 0; i < 4; i++) net.round('d', D);
    expect(net.hop('b', D)).toBeUndefined(); // a's offer (2) is not below b's FD (1): starved
    net.seq.value = 1;
    for (let i = 0; i < 4; i++) net.round('d', D);
    expect(net.hop('b', D)).toBe('a');
    expect(net.metric('b', D)).toBe(3);
  });
});

describe('capped table', () => {
  test('a flood of made-up destinations never pushes an honest neighbour’s out', () => {
    const counters = counting();
    const t = new HopVectors(LIMITS, counters, () => 0);
    const honest = plainPeer('honest', addr([1]));
    const liar = plainPeer('liar', addr([2]));
    const real = [addr([1, 1]), addr([1, 2]), addr([1, 3])];
    for (const d of real) t.hear('honest', d, 1, 1, 0);
    for (let i = 0; i < 500; i++) t.hear('liar', addr([2, 1 + (i % 100), 1 + Math.floor(i / 100)]), 1, 0, i);
    expect(t.size).toBe(LIMITS.maxDestinations);
    for (const d of real) expect(t.route(d, view([honest, liar], 600))?.via.map((p) => p.key)).toEqual(['honest']);
    // A new honest destination still gets in, at the liar's expense.
    const late = addr([1, 4]);
    t.hear('honest', late, 1, 1, 700);
    expect(t.route(late, view([honest, liar], 700))?.via.map((p) => p.key)).toEqual(['honest']);
    expect(t.size).toBe(LIMITS.maxDestinations);
    expect(counters.seen.vector_full).toBeGreaterThan(0);
  });
});

describe('hop finding with hop vectors', () => {
  const own = addr([1]);
  const target = addr([2, 1, 1]);
  // Two neighbours one hop from the target off the tree, and the parent on it (greedy's choice).
  const root = plainPeer('root', addr([]));
  const x = plainPeer('x', addr([1, 1]));
  const y = plainPeer('y', addr([1, 2]));
  const counters = { inc: () => undefined };

  test('without vectors greedy routing climbs the tree; with them flows spread over the short hops', () => {
    const v = hopView([own], [root, x, y], new BorderTable());
    const greedy = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
    expect('hop' in greedy && greedy.hop.peer.key).toBe('root');
    const t = table();
    t.hear('x', target, 3, 1, 0);
    t.hear('y', target, 3, 1, 0);
    t.hear('root', target, 3, 2, 0);
    const keys = new Set<string>();
    for (let i = 1; i <= 7; i++) {
      const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters, addr([3, i]), t);
      if ('hop' in r) keys.add(r.hop.peer.key);
    }
    expect(keys).toEqual(new Set(['x', 'y']));
    // A packet that came back goes greedily.
    const back = findHop(v, target, Metric.dTree, new Set(), 0, true, counters, addr([3, 1]), t);
    expect('hop' in back && back.hop.peer.key).toBe('root');
  });
});

describe('advert encoding', () => {
  test('round trip; truncated or foreign blobs are refused without throwing', () => {
    const entries = [
      { address: addr([]), seq: 3, metric: 0 },
      { address: addr([1, 2, 3]), seq: 15, metric: 2 },
      { address: addr([9, 1]), seq: 0, metric: 7 },
    ];
    const blob = encodeVector(TS, 1000, entries);
    expect(blob.length).toBe(3 + 2 + 4 + 4);
    const m = decodeVector(blob, 40);
    expect(m?.treeState).toBe(TS);
    expect(m?.loadMs).toBe(1000);
    expect(m?.entries.map((e) => [e.address.toString(), e.seq, e.metric])).toEqual(entries.map((e) => [e.address.toString(), e.seq, e.metric]));
    expect(decodeVector(blob.subarray(0, blob.length - 1), 40)).toBeUndefined();
    expect(decodeVector(Uint8Array.of(2, TS, 0), 40)).toBeUndefined();
    expect(decodeVector(blob, 2)?.entries.length).toBe(2);
    for (let i = 0; i < 200; i++) expect(() => decodeVector(Uint8Array.from({ length: i % 30 }, (_, k) => (k * 37 + i) & 255), 40)).not.toThrow();
  });
});
