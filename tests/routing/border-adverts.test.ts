/**
 * Border adverts are bounded (docs/routing.md "Any diameter", issue 17): each floods the whole
 * mesh, so a border is announced once it is stable, about once per direction per refresh period
 * however long it is, not again on every move nearby, and a forger's flood is capped at its
 * neighbours. On the virtual clock, with the test knob address_levels making small meshes form
 * several trees.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { claimScore, treeState } from '../../modules/mycelium/wire/ids.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { bytesEqual, compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { BORDER_LIMIT, BorderTable } from '../../modules/mycelium/packager/borders.js';
import { BORDER_REFRESH_MS, TreeBorders, borderTopic, parseBorder, serializeBorder } from '../../modules/mycelium/apps/tree-borders.js';
import { JOIN_MARGIN, type Claim } from '../../modules/mycelium/apps/tree-claims.js';
import type { Gossip } from '../../modules/mycelium/apps/gossip.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';
import { BORDER_RELAY_BURST } from '../../modules/mycelium/apps/border-relay.js';

const topic = borderTopic(portableHashes);

/** Every border advert each node publishes, as "far<near". */
function recordAdverts(nodes: readonly AppNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    const publish = n.gossip.publish.bind(n.gossip);
    n.gossip.publish = (t: Uint8Array, data: Uint8Array) => {
      const a = bytesEqual(t, topic) ? parseBorder(data) : undefined;
      if (a) out.push(`${a.far}<${a.near}`);
      return publish(t, data);
    };
  }
  return out;
}

function sortedByScore(nodes: AppNode[]): AppNode[] {
  return [...nodes].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
}

test('a long border between trees costs about one advert per direction per refresh period', () => {
  // A strip 5 nodes wide whose addresses hold 4 levels: trees joined by borders many nodes long.
  const mesh = new AppMesh({ seed: 5, hello: true, tree: { pub_each_round: false, address_levels: 4 } });
  const nodes = mesh.grid(5, 14);
  const adverts = recordAdverts(nodes);
  mesh.startAll();
  mesh.run(180_000);
  expect(mesh.roots().length).toBeGreaterThan(1);
  const formed = adverts.length;
  mesh.run(2 * BORDER_REFRESH_MS);
  const steady = adverts.slice(formed);
  const directions = new Set(steady);
  expect(directions.size).toBeGreaterThan(1);
  // Each direction: its announcer every 150–300 s (≤ 4 in 600 s), rarely two at once.
  for (const d of directions) expect(steady.filter((x) => x === d).length).toBeLessThanOrEqual(5);
  expect(steady.length).toBeLessThanOrEqual(4 * directions.size);
  // Every node still knows a way into every other tree, as routing looks for one (find-hop.ts
  // viaBorder): a gateway of its tree in its directory, or a tree on the way that it borders
  // itself. A node's own borders are not in its directory (its adverts come back and are
  // dropped), so a gateway whose advert won the race along its border knows the trees beyond
  // through its neighbour there.
  const now = mesh.clock.now();
  for (const n of nodes) {
    const own = n.packager.address as Address;
    const across = (ts: number): boolean => [...n.packager.peers].some((p) => p.usable(now) && p.addrs[p.addrs.length - 1]?.treeState === ts);
    const others = new Set(nodes.map((x) => (x.packager.address as Address).treeState).filter((ts) => ts !== own.treeState));
    for (const ts of others) expect(n.packager.borders.gateway(ts, own, now, undefined, across)).toBeDefined();
  }
});

test('a border whose link keeps failing costs no advert beyond its refresh, and stays usable', () => {
  // A line of 10 whose addresses hold 6 levels: the best root at one end, one border where its
  // tree ends (at depth 4 to 6: JOIN_MARGIN, tree-claims.ts mayCross).
  const mesh = new AppMesh({ seed: 8, hello: true, tree: { pub_each_round: false, address_levels: 6 } });
  const line = sortedByScore(mesh.addApps(10));
  for (let i = 0; i + 1 < line.length; i++) mesh.wire(line[i], line[i + 1]);
  const adverts = recordAdverts(line);
  mesh.startAll();
  mesh.run(180_000);
  const rootTree = line[0].packager.address?.treeState;
  const edge = line.findIndex((n) => n.packager.address?.treeState !== rootTree) - 1;
  expect(edge).toBeGreaterThanOrEqual(6 - JOIN_MARGIN);
  expect(line[edge].packager.address?.coords.length).toBe(edge);
  expect(new Set(line.map((n) => n.packager.address?.treeState)).size).toBe(2);
  // The stable border was announced, both ways (a tree that stood apart while the line formed
  // may have announced its own first: nodes settled in it no longer cross near the capacity).
  const farTree = line[edge + 1].packager.address?.treeState;
  expect(adverts).toEqual(expect.arrayContaining([`${farTree}<${rootTree}`, `${rootTree}<${farTree}`]));
  const before = adverts.length;
  // The edge across the border goes down for 20 s and up for 40 s, ten times.
  const churn = 10 * 60_000;
  for (let i = 0; i < 10; i++) {
    mesh.medium.unlink(line[edge].radio, line[edge + 1].radio);
    mesh.run(20_000);
    mesh.wire(line[edge], line[edge + 1]);
    mesh.run(40_000);
  }
  // Each direction: its refresh (every 150–300 s: at most 4 in 600 s), not an advert at each
  // return (the rule before: 10 one way, 5 the other).
  expect(BORDER_REFRESH_MS).toBe(300_000);
  const during = adverts.slice(before);
  for (const d of new Set(during)) expect(during.filter((x) => x === d).length).toBeLessThanOrEqual(churn / 150_000);
  // What was announced still stands: packets cross as soon as the link is back.
  mesh.run(5_000);
  expect(line[0].ping.request(line[9].packager.address as Address).ok).toBe(true);
  expect(line[9].ping.request(line[0].packager.address as Address).ok).toBe(true);
  mesh.run(5_000);
  expect(line[0].ping.responses().length).toBe(1);
  expect(line[9].ping.responses().length).toBe(1);
});

describe('a flood of forged border adverts', () => {
  // forger — b — c — d — e, and an honest publisher h beside b.
  const mesh = new AppMesh({ seed: 11, hello: true, tree: { pub_each_round: false } });
  const [forger, b, c, d, e, h] = mesh.addApps(6);
  mesh.wire(forger, b);
  mesh.wire(b, c);
  mesh.wire(c, d);
  mesh.wire(d, e);
  mesh.wire(h, b);
  mesh.startAll();
  mesh.run(60_000);
  const heardAtE: number[] = [];
  const add = e.packager.borders.add.bind(e.packager.borders);
  e.packager.borders.add = (far, gateway, now, expires) => {
    heardAtE.push(far);
    add(far, gateway, now, expires);
  };
  const forged = (i: number) => serializeBorder({ far: 1 + (i % 250), near: 251, seq: i, address: unwrap(Address.fromCoords(251, [1 + (i % 7), 1 + (i % 5)])).bytes });
  for (let i = 0; i < 300; i++) forger.gossip.publish(topic, forged(i));
  const honestTree = (h.packager.address as Address).treeState;
  h.gossip.publish(topic, serializeBorder({ far: honestTree ^ 0x55, near: honestTree, seq: 1, address: (h.packager.address as Address).bytes }));
  mesh.run(60_000);

  test('reaches the rest of the mesh only up to the relay cap of the forger neighbours', () => {
    const forgedAtE = heardAtE.filter((far) => far !== (honestTree ^ 0x55)).length;
    expect(forgedAtE).toBeLessThanOrEqual(BORDER_RELAY_BURST + 10 + 1);
    expect(b.packager.counters.get('gossip_relay_refused')).toBeGreaterThan(250);
    expect(e.packager.borders.size).toBeLessThanOrEqual(BORDER_LIMIT);
  });

  test("does not stop an honest advert from another neighbour, nor fill anyone's Gossip cache", () => {
    expect(heardAtE).toContain(honestTree ^ 0x55);
    for (const n of [b, c, d, e]) expect(n.gossip.messages(topic).length).toBe(0);
  });
});

describe('a gateway whose address keeps moving (TreeBorders on a stub host)', () => {
  /** One neighbour across a border (its side full), our address moved by `move()`. */
  function gateway(claimCoords = [1, 1, 1, 1]) {
    let now = 0;
    let coords = [1, 2];
    const claim = Uint8Array.of(7, 7, 7);
    const farTree = treeState(portableHashes, claim);
    const nearTree = (farTree + 1) & 0xff;
    const published: number[] = [];
    /** Withdrawals: when, and the address withdrawn. */
    const withdrawn: { at: number; coords: readonly number[] }[] = [];
    const borders = new BorderTable();
    const packager = {
      get address() {
        return unwrap(Address.fromCoords(nearTree, coords));
      },
      peers: [{ key: 'n', usable: () => true }],
      borders,
      counters: { inc: () => undefined },
    };
    const host = {
      packager: () => packager as unknown as Packager,
      now: () => now,
      rootScore: () => Uint8Array.of(9),
      claimOf: (): Claim => ({ claim, score: Uint8Array.of(1), refreshed: 0, depth: claimCoords.length, coords: claimCoords, peerKey: 'n', peerId: Uint8Array.of(1), full: claimCoords.length >= 4 }),
      gossip: () =>
        ({
          publish: (_topic: Uint8Array, blob: Uint8Array) => {
            const a = parseBorder(blob);
            if (a?.withdrawn) withdrawn.push({ at: now, coords: unwrap(Address.fromBytes(nearTree, a.address)).coords });
            else published.push(now);
            return true;
          },
        }) as unknown as Gossip,
      randomByte: () => 128,
      addressLevels: () => 4,
      root: () => new Uint8Array(32),
      isRoot: () => false,
      silent: () => false,
      layer: () => undefined,
      leads: () => false,
      joinMargin: () => JOIN_MARGIN,
    };
    const b = new TreeBorders(portableHashes, host, { stepAside: () => false });
    return {
      published,
      withdrawn,
      coords: () => coords,
      run(ms: number, moveEveryMs = 0) {
        for (let t = 0; t < ms; t += 10_000) {
          now += 10_000;
          if (moveEveryMs && now % moveEveryMs === 0) coords = [1 + ((coords[0] + 1) % 7), 2];
          b.check();
        }
      },
    };
  }

  test('beside a better tree too near full for us to cross (JOIN_MARGIN), a border; with room, none', () => {
    // address_levels 4: a neighbour at [1, 1] could take us at [1, 1, c] with one level below,
    // fewer than JOIN_MARGIN, so we (settled at [1, 2]) stay and the edge is a border.
    const near = gateway([1, 1]);
    near.run(120_000);
    expect(near.published).toHaveLength(1);
    const roomy = gateway([1]); // we would cross: not a border
    roomy.run(120_000);
    expect(roomy.published).toHaveLength(0);
  });

  test('moves before it settles: nothing announced; then once, after it holds', () => {
    const g = gateway();
    g.run(300_000, 20_000);
    expect(g.published).toHaveLength(0);
    expect(g.withdrawn).toHaveLength(0); // nothing said, nothing to take back
    g.run(60_000);
    expect(g.published).toHaveLength(1);
  });

  test('moves after its advert: the old address is withdrawn at once, the new one announced once it holds', () => {
    // Its subtree moved with it, so nobody may hold the old address: relays kept steering packets
    // for the far tree to it until the entry lapsed (900 s), where they died at a local minimum
    // or went round (a 300-node strip, session 36).
    const g = gateway();
    g.run(120_000);
    expect(g.published).toHaveLength(1);
    const before = [...g.coords()];
    g.run(10_000, 10_000); // one move
    expect(g.withdrawn).toEqual([{ at: 130_000, coords: before }]);
    g.run(120_000);
    expect(g.published).toHaveLength(2);
    expect(g.withdrawn).toHaveLength(1);
  });

  test('moves after each advert: the adverts space out (holddown doubling), not one per move', () => {
    const g = gateway();
    g.run(30 * 60_000, 60_000); // 30 moves in 30 min, each held long enough to settle; the rule before: one advert per move
    expect(g.published.length).toBeGreaterThanOrEqual(2);
    expect(g.published.length).toBeLessThanOrEqual(8);
    expect(g.withdrawn.length).toBeLessThanOrEqual(g.published.length); // one per address announced, at most
    for (let i = 2; i < g.published.length; i++) expect(g.published[i] - g.published[i - 1]).toBeGreaterThanOrEqual(g.published[i - 1] - g.published[i - 2]);
  });
});
