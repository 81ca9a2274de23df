/**
 * Quiet leaves (apps/hello-pace.ts, docs/routing.md "Quiet leaves"): a node nobody takes as parent
 * slows its hellos down to `quiet_interval_ms` while nothing changes; parents and the root keep
 * their pace, so children still notice a dead parent in seconds and the heartbeat still flows.
 * What a user notices: fewer frames on air in a quiet mesh, every link still trusted both ways, a
 * dead leaf still noticed, and a leaf that becomes a parent back at the normal pace at once.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { nextPace, pacedPeriod, treeSignature } from '../../modules/mycelium/apps/hello-pace.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { hellosOnAir } from '../support/hellos-on-air.js';

/** Hellos each node sent while `ms` ran, read off the air. */
function hellosSent(mesh: AppMesh, nodes: readonly AppNode[], ms: number): number[] {
  mesh.medium.clearLog();
  mesh.run(ms);
  const hellos = hellosOnAir(mesh, (nodes[0].hello as NonNullable<AppNode['hello']>).id);
  return nodes.map((n) => hellos.get(Array.from(n.radio.mac, (b) => b.toString(16)).join(':'))?.length ?? 0);
}

function line(quiet?: number): { mesh: AppMesh; nodes: AppNode[] } {
  const mesh = new AppMesh({ seed: 3, tree: { pub_each_round: false }, hello: quiet === undefined ? true : { quiet_interval_ms: quiet } });
  const nodes = mesh.addApps(5);
  expect(mesh.startLine(nodes)).toBe(true);
  mesh.run(60_000); // links measured both ways
  return { mesh, nodes };
}

/** The line's leaf: the end that is nobody's parent (the root is at one end or inside). */
function leafOf(nodes: readonly AppNode[]): AppNode {
  const leaf = nodes.find((n) => !n.tree.isRoot && Object.keys(n.tree.children()).length === 0);
  if (!leaf) throw new Error('a line of 5 has a leaf');
  return leaf;
}

describe('a quiet line of 5', () => {
  const paced = line();
  const steady = line(0);
  const pacedSent = hellosSent(paced.mesh, paced.nodes, 240_000);
  const steadySent = hellosSent(steady.mesh, steady.nodes, 240_000);

  test('its leaf sends about a quarter of the frames it sent at the normal pace; parents as many as before', () => {
    const i = paced.nodes.indexOf(leafOf(paced.nodes));
    const j = steady.nodes.indexOf(leafOf(steady.nodes));
    expect(pacedSent[i]).toBeLessThan(steadySent[j] * 0.4);
    paced.nodes.forEach((n, k) => {
      if (Object.keys(n.tree.children()).length > 0 && !n.tree.isRoot) expect(pacedSent[k]).toBeGreaterThan(240_000 / 3_300 - 5);
    });
  });

  test('every link stays trusted both ways, the leaf’s included', () => {
    const now = paced.mesh.clock.now();
    for (const n of paced.nodes) {
      for (const p of n.packager.peers) {
        const f = p.link?.figures(now);
        expect(f?.good).toBe(true);
        expect(f?.outbound).toBeGreaterThan(0.9);
      }
    }
    expect(paced.mesh.converged(paced.nodes)).toBe(true);
  });

  test('its neighbour hears the leaf announce the slow period, so a missed hello is counted in it', () => {
    const leaf = leafOf(paced.nodes);
    const next = paced.nodes.find((n) => n.packager.peers.some((p) => p.key === toHex(leaf.node.nodeId)));
    const link = next?.packager.peers.find((p) => p.key === toHex(leaf.node.nodeId))?.link;
    expect(link?.intervalMs).toBe(12_000);
  });
});

test('a leaf over a lossy link keeps the normal pace: each hello is a measurement its neighbour needs', () => {
  const mesh = new AppMesh({ seed: 3, tree: { pub_each_round: false }, hello: true });
  const nodes = mesh.addApps(3);
  // Both ends lossy, whichever is the leaf. 35 %: at 20 % a 16-hello window reads ≥ 88 % (clean
  // enough to slow down) one time in seven, so whether the leaf ever slowed hung on the draws.
  mesh.wire(nodes[0], nodes[1], 0.35);
  mesh.wire(nodes[1], nodes[2], 0.35);
  mesh.startAll();
  mesh.run(240_000);
  const leaf = leafOf(nodes);
  const sent = hellosSent(mesh, [leaf], 120_000)[0];
  expect(sent).toBeGreaterThan(120_000 / 3_300 - 3);
});

test('a dead leaf is still noticed: its neighbour stops using the link within three minutes (12 of its periods)', () => {
  const { mesh, nodes } = line();
  const leaf = leafOf(nodes);
  const key = toHex(leaf.node.nodeId);
  const next = nodes.find((n) => n !== leaf && n.packager.peers.some((p) => p.key === key)) as AppNode;
  leaf.radio.on = false;
  mesh.run(40_000); // two of its 12 s periods missed, and some
  expect(next.packager.peers.find((p) => p.key === key)?.usable(mesh.clock.now())).toBe(false);
  mesh.run(140_000);
  const link = next.packager.peers.find((p) => p.key === key)?.link;
  expect(link === undefined || !link.good(mesh.clock.now())).toBe(true);
});

test('a leaf that becomes a parent goes back to the normal pace at once', () => {
  const { mesh, nodes } = line();
  const leaf = leafOf(nodes);
  const [late] = mesh.addApps(1);
  mesh.wire(leaf, late); // only the leaf hears it: it must become its parent
  late.node.start();
  mesh.run(30_000);
  expect(late.packager.address?.coords.slice(0, -1)).toEqual(leaf.packager.address?.coords);
  const link = late.packager.peers.find((p) => p.key === toHex(leaf.node.nodeId))?.link;
  expect(link?.intervalMs).toBe(3_000);
  expect(link?.good(mesh.clock.now())).toBe(true);
});

describe('the pace', () => {
  const sig = treeSignature(Uint8Array.of(1, 2, 3, 4), 3, 0, 0x1234);
  test('doubles per calm hello up to the quiet period, and a change of tree starts it over', () => {
    let pace = nextPace(0, true, sig); // a new signature: no doubling yet
    const periods = [pacedPeriod(pace, 3000, 12_000)];
    for (let i = 0; i < 4; i++) {
      pace = nextPace(pace, true, sig);
      periods.push(pacedPeriod(pace, 3000, 12_000));
    }
    expect(periods).toEqual([3000, 6000, 12_000, 12_000, 12_000]);
    const moved = treeSignature(Uint8Array.of(1, 2, 3, 4), 4, 0, 0x1234);
    expect(pacedPeriod(nextPace(pace, true, moved), 3000, 12_000)).toBe(3000);
    expect(pacedPeriod(nextPace(pace, false, sig), 3000, 12_000)).toBe(3000);
    expect(pacedPeriod(pace, 3000, 0)).toBe(3000); // off
  });
  test('a node that relayed a packet for others since its last hello starts over: it is on a path', () => {
    let pace = nextPace(nextPace(nextPace(0, true, sig, 5), true, sig, 5), true, sig, 5);
    expect(pacedPeriod(pace, 3000, 12_000)).toBe(12_000);
    pace = nextPace(pace, true, sig, 6);
    expect(pacedPeriod(pace, 3000, 12_000)).toBe(3000);
  });
});
