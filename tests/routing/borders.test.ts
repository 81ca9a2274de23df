/**
 * Any diameter (docs/routing.md "Any diameter"): past the 32 levels a 16-byte address holds, the
 * mesh ends as trees joined by border nodes, and packets cross them through the border directory.
 * On the virtual clock: a line whose best-scored node sits at one end, so the tree from it would
 * be 37 levels deep.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { Address, encodeCoords } from '../../modules/mycelium/wire/address.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { BORDER_LIMIT, BORDER_PER_PAIR, BorderTable, foreignSource, isForeignSource } from '../../modules/mycelium/packager/borders.js';
import { ClaimTable, isFull, JOIN_MARGIN, mayCross, type Claim } from '../../modules/mycelium/apps/tree-claims.js';
import { BORDER_LIFETIME_MS, parseBorder, serializeBorder } from '../../modules/mycelium/apps/tree-borders.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));
const ones = (n: number) => new Array<number>(n).fill(1);
/** The claim `peerKey` advertised at `coords` for a root of claim score `score`. */
const claim = (peerKey: string, coords: number[], score: number): Claim => ({
  claim: Uint8Array.of(score),
  score: Uint8Array.of(score),
  refreshed: 0,
  depth: coords.length,
  coords,
  peerKey,
  peerId: Uint8Array.of(score),
  full: isFull(coords),
});

/** `n` nodes of `mesh` wired as a line ordered by claim score: the best (the root) at index 0. */
function sortedLine(mesh: AppMesh, n: number): AppNode[] {
  const line = [...mesh.addApps(n)].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  for (let i = 0; i + 1 < n; i++) mesh.wire(line[i], line[i + 1]);
  return line;
}

/** A line of `n` nodes ordered by claim score: the best (the root) at index 0. */
function scoredLine(n: number, seed: number): { mesh: AppMesh; line: AppNode[] } {
  const mesh = new AppMesh({ seed, hello: true, tree: { pub_each_round: false } });
  return { mesh, line: sortedLine(mesh, n) };
}

describe('capacity', () => {
  test('a full address has no room for a child; one nibble less has', () => {
    expect(isFull(ones(32))).toBe(true);
    expect(isFull(ones(31))).toBe(false);
    expect(isFull([...ones(29), 9])).toBe(false); // 31 nibbles: a 1-nibble child still fits
    expect(isFull([...ones(30), 9])).toBe(true);
    expect(encodeCoords([...ones(32), 1]).ok).toBe(false);
  });

  test('a full neighbour is never chosen as parent, even for a better root', () => {
    const table = new ClaimTable({ claims_limit: 8 });
    table.remember(claim('full', ones(32), 1));
    const own = { rootScore: Uint8Array.of(9), isRoot: true, parentKey: undefined, coords: [], mayReplace: true };
    expect(table.choose(own, () => true, (c) => c.depth)).toBeUndefined();
    table.remember(claim('roomy', ones(31), 1));
    expect(table.choose(own, () => true, (c) => c.depth)?.claim.peerKey).toBe('roomy');
  });
});

describe('crossing to a better root at the edge of the capacity (JOIN_MARGIN)', () => {
  const pick = (table: ClaimTable, own: { coords: number[]; isRoot: boolean; leads?: boolean }) =>
    table.choose({ rootScore: Uint8Array.of(9), parentKey: own.isRoot ? undefined : 'p', mayReplace: true, ...own }, () => true, (c) => c.depth)?.claim.peerKey;

  test('a node settled in its tree crosses only with JOIN_MARGIN levels to spare under it; a lone node takes any room', () => {
    // Without the margin a node crossed through an advertiser one level short of full and was
    // pushed out as soon as that advertiser moved a level deeper, its subtree with it, both ways.
    expect(JOIN_MARGIN).toBe(2);
    const edge = new ClaimTable({ claims_limit: 8 });
    edge.remember(claim('edge', ones(30), 1)); // its child would be at 31 of 32: room for one level
    expect(pick(edge, { coords: [1, 1], isRoot: false })).toBeUndefined(); // settled: stays
    expect(pick(edge, { coords: [], isRoot: true, leads: true })).toBeUndefined(); // a root with children: stays
    expect(pick(edge, { coords: [], isRoot: true })).toBe('edge'); // alone: nothing of ours moves
    edge.remember(claim('roomy', ones(29), 1)); // its child at 30: two levels below it
    expect(pick(edge, { coords: [1, 1], isRoot: false })).toBe('roomy');
    // join_margin 0: any room, as before.
    const before = new ClaimTable({ claims_limit: 8, join_margin: 0 });
    before.remember(claim('edge', ones(30), 1));
    expect(pick(before, { coords: [1, 1], isRoot: false })).toBe('edge');
  });

  test('the margin is asked only of a better root, never within our own tree', () => {
    expect(mayCross(ones(30), [1, 1], false)).toBe(false);
    expect(mayCross(ones(29), [1, 1], false)).toBe(true);
    expect(mayCross(ones(30), [], false)).toBe(true);
    expect(mayCross([1, 1], [1], false, 4)).toBe(false); // address_levels 4: the child at 3 has one level
    expect(mayCross([1], [1], false, 4)).toBe(true);
    const table = new ClaimTable({ claims_limit: 8 });
    table.remember(claim('shallower', ones(30), 9)); // our own root: two levels shallower than us
    expect(table.choose({ rootScore: Uint8Array.of(9), isRoot: false, parentKey: 'p', coords: ones(32), mayReplace: true }, () => true, (c) => c.depth)?.claim.peerKey).toBe('shallower');
  });
});

describe('border directory', () => {
  test('the nearest gateway of our own tree, through other trees when need be', () => {
    const t = new BorderTable();
    const now = 0;
    t.add(7, addr(1, [1, 1, 1, 1]), now, 1000);
    t.add(7, addr(1, [2]), now, 1000);
    t.add(9, addr(7, [3]), now, 1000); // tree 9 is behind tree 7
    const own = addr(1, [2, 1]);
    expect(t.gateway(7, own, now)?.toString()).toBe(addr(1, [2]).toString());
    expect(t.gateway(9, own, now)?.toString()).toBe(addr(1, [2]).toString());
    expect(t.gateway(5, own, now)).toBeUndefined();
    expect(t.gateway(7, own, 1000)).toBeUndefined(); // lapsed
  });

  test('capped: per tree pair and in all, the least recently heard goes first', () => {
    const t = new BorderTable();
    for (let i = 1; i <= 10; i++) t.add(7, addr(1, [i]), i, 10_000);
    expect(t.size).toBe(BORDER_PER_PAIR);
    expect(t.list().map((e) => e.gateway)).not.toContain(addr(1, [1]).toString());
    for (let far = 10; far < 200; far++) t.add(far, addr(1, [far % 7 + 1]), 100 + far, 10_000);
    expect(t.size).toBe(BORDER_LIMIT);
    t.add(7, addr(1, [3]), 1000, 10_000); // an honest border heard again comes back
    expect(t.gateway(7, addr(1, []), 1000)?.toString()).toBe(addr(1, [3]).toString());
  });

  test('gateways of one border heard lately are counted, our own and other borders not (Trickle)', () => {
    const t = new BorderTable();
    const own = addr(1, [2, 1, 2]);
    t.add(7, addr(1, [2, 1, 1]), 1000, 100_000);
    t.add(7, addr(1, [5, 5, 5, 5, 5, 5]), 1500, 100_000); // far away in the tree: counted all the same
    t.add(7, own, 1500, 100_000);
    t.add(8, addr(1, [3]), 1500, 100_000); // another border
    t.add(7, addr(2, [3]), 1500, 100_000); // the same far tree from another tree
    expect(t.heardCount(7, 1, 0, own)).toBe(2);
    expect(t.heardCount(7, 1, 1200, own)).toBe(1); // not heard since
    expect(t.heardCount(7, 2, 0, own)).toBe(1);
  });

  test('bad adverts are refused; the foreign source is recognised', () => {
    const good = serializeBorder({ far: 7, near: 1, seq: 5, address: addr(1, [2]).bytes });
    expect(parseBorder(good)).toEqual({ far: 7, near: 1, seq: 5, address: addr(1, [2]).bytes });
    expect(parseBorder(good.subarray(0, 20))).toBeUndefined();
    const gone = serializeBorder({ far: 7, near: 1, seq: 6, address: addr(1, [2]).bytes, withdrawn: true });
    expect(parseBorder(gone)).toEqual({ far: 7, near: 1, seq: 6, address: addr(1, [2]).bytes, withdrawn: true });
    expect(parseBorder(good)?.withdrawn).toBeUndefined();
    expect(parseBorder(serializeBorder({ far: 1, near: 1, seq: 0, address: new Uint8Array(16) }))).toBeUndefined();
    expect(isForeignSource(foreignSource(3))).toBe(true);
    expect(isForeignSource(addr(3, ones(32)))).toBe(false);
  });
});

test('a stale gateway (named, but no neighbour across any more) forgets its entry and drops: no loop', () => {
  const mesh = new AppMesh({ seed: 3, hello: true, tree: { pub_each_round: false } });
  const [a, b, c] = mesh.addApps(3);
  mesh.wire(a, b);
  mesh.wire(b, c);
  mesh.startAll();
  mesh.run(60_000);
  const gw = b.packager.address as Address;
  const now = mesh.clock.now();
  // Both believe tree 200 lies behind b (b bordered it once); no node is in tree 200 now.
  for (const n of [a, b, c]) n.packager.borders.add(200, gw, now, now + 360_000);
  const target = addr(200, [1]);
  expect(a.packager.send(a.ping.id, Uint8Array.of(1, 2, 3), { address: target }).ok).toBe(true);
  mesh.run(2_000);
  expect(a.packager.counters.get('border_hop')).toBe(1);
  expect(b.packager.borders.knows(200, mesh.clock.now())).toBe(false);
  expect(b.packager.counters.get('forwarded')).toBe(0);
  expect(c.packager.counters.get('forwarded') + a.packager.counters.get('forwarded')).toBe(0);
});

describe('through a tree in between', () => {
  // A line of 15 whose addresses hold 6 levels, the best-scored node at one end: three trees (of
  // six, six and three since session 43's JOIN_MARGIN: four levels held 2–3 deep trees, six of
  // them; five each before), so a ping end to end crosses two borders, and the gateway of the first crossing must
  // hand it across itself (its own border is not in its directory: its adverts come back through
  // Gossip and are dropped).
  const mesh = new AppMesh({ seed: 21, hello: true, tree: { pub_each_round: false, address_levels: 6 } });
  const line = sortedLine(mesh, 15);
  mesh.startAll();
  mesh.run(240_000);

  test('the line ends as three trees', () => {
    expect(new Set(line.map((n) => (n.packager.address as Address).treeState)).size).toBe(3);
  });

  test('pings cross both borders, both ways, without a loop', () => {
    expect(mesh.pingBothWays(line[0], line[14])).toEqual({ sent: true, ab: 3, ba: 3 });
    expect(line.reduce((n, x) => n + x.packager.counters.get('drop_routing_loop'), 0)).toBe(0);
  });
});

describe('the next step toward a far tree', () => {
  test('a tree we border ourselves, at as few crossings as any gateway, is crossed into directly', () => {
    const t = new BorderTable();
    const own = addr(1, [2, 1]);
    t.add(9, addr(7, [3]), 0, 1000); // tree 9 is behind tree 7 and behind tree 8
    t.add(9, addr(8, [3]), 0, 1000);
    t.add(7, addr(1, [2]), 0, 1000); // our tree's gateway into tree 7
    expect(t.gateway(9, own, 0)?.toString()).toBe(addr(1, [2]).toString());
    expect(t.gateway(9, own, 0, undefined, (ts) => ts === 8)).toBe(8); // we border tree 8: no gateway needed
    expect(t.gateway(9, own, 0, undefined, (ts) => ts === 9)).toBe(9);
    // A tree we border but farther from tree 9 than a gateway's: the gateway.
    t.add(8, addr(5, [1]), 0, 1000);
    expect(t.gateway(9, own, 0, undefined, (ts) => ts === 5)?.toString()).toBe(addr(1, [2]).toString());
  });
});

describe('a line deeper than 32 levels', () => {
  // 38 nodes, the root at one end: nodes 33–37 are beyond the capacity.
  const { mesh, line } = scoredLine(38, 17);
  const root = line[0];
  const far = line[37];
  mesh.startAll();
  mesh.run(240_000);

  test('ends as two trees joined by a border, every node addressed, none flapping', () => {
    const trees = new Set(line.map((n) => toHex(n.tree.root)));
    expect(trees.size).toBe(2);
    expect(line.every((n) => n.packager.address !== undefined)).toBe(true);
    // The root's tree reaches the capacity, or stops up to JOIN_MARGIN levels short of it where
    // the node beyond had settled in its own tree before the root's reached it (mayCross).
    const edge = line.findIndex((n) => toHex(n.tree.root) !== toHex(root.tree.root)) - 1;
    expect(edge).toBeGreaterThanOrEqual(32 - JOIN_MARGIN);
    expect(line[edge].packager.address?.coords).toEqual(ones(edge));
    const before = line.map((n) => n.packager.address?.toString());
    mesh.run(60_000);
    expect(line.map((n) => n.packager.address?.toString())).toEqual(before);
    expect(line[edge].packager.counters.get('tree_border_advert')).toBeGreaterThan(0);
    expect(line[edge + 1].packager.counters.get('tree_border_advert')).toBeGreaterThan(0);
  });

  test('pings cross the border both ways', () => {
    const farAddr = far.packager.address as Address;
    const rootAddr = root.packager.address as Address;
    expect(farAddr.treeState).not.toBe(rootAddr.treeState);
    for (let i = 0; i < 3; i++) {
      expect(root.ping.request(farAddr).ok).toBe(true);
      expect(far.ping.request(rootAddr).ok).toBe(true);
      mesh.run(5_000);
    }
    expect(root.ping.responses().length).toBe(3);
    expect(far.ping.responses().length).toBe(3);
    expect(line[5].packager.counters.get('border_hop')).toBeGreaterThan(0);
  });

  test('a border that is gone is not used: its entry lapses and packets are dropped, not looped', () => {
    // Cut the line between the two trees: nothing can cross, and nothing may circle.
    const edge = line.findIndex((n) => toHex(n.tree.root) !== toHex(root.tree.root)) - 1;
    mesh.medium.unlink(line[edge].radio, line[edge + 1].radio);
    const farTree = (far.packager.address as Address).treeState;
    // The gateways say so once the lapse outlasts their holddown (60 s): long before the
    // adverts' own lifetime (900 s) runs out.
    mesh.run(120_000);
    expect(root.packager.borders.knows(farTree, mesh.clock.now())).toBe(false);
    mesh.run(BORDER_LIFETIME_MS + 40_000 - 120_000); // longer than an advert's lifetime
    expect(root.packager.borders.knows(farTree, mesh.clock.now())).toBe(false);
    const loops = line.reduce((n, x) => n + x.packager.counters.get('drop_routing_loop'), 0);
    expect(root.ping.request(far.packager.address as Address).ok).toBe(false);
    mesh.run(10_000);
    expect(line.reduce((n, x) => n + x.packager.counters.get('drop_routing_loop'), 0)).toBe(loops);
  });
});
