/**
 * RouteVector (apps/route-vector.ts) on running nodes, on the virtual clock: adverts teach a node
 * both equally short ways to a node two hops off, routed packets take them, and a node is only in
 * the LoRa node defaults' app set, never in a standard (ESP-NOW) one.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { RouteVector } from '../../modules/mycelium/apps/route-vector.js';
import { standardApps } from '../../modules/mycelium/apps/standard.js';
import { flowOf } from '../../modules/mycelium/packager/hop-vectors.js';
import { loraNodeDefaults } from '../../modules/rylr998/timings.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { Address } from '../../modules/mycelium/wire/address.js';

const PERIOD = 20_000;

/** s — x — d and s — y — d (s and d out of each other's range), every node running RouteVector. */
function diamond() {
  const mesh = new AppMesh();
  const [s, x, y, d] = mesh.addApps(4);
  const vectors = new Map<AppNode, RouteVector>();
  for (const n of [s, x, y, d]) {
    const v = new RouteVector(portableHashes, { interval_ms: PERIOD });
    n.node.addApp(v);
    vectors.set(n, v);
  }
  for (const [a, b] of [[s, x], [s, y], [x, d], [y, d]] as const) mesh.wire(a, b);
  mesh.startAll();
  return { mesh, s, x, y, d, vectors };
}

test('a node learns both equally short ways to a node two hops off, and flows take both', () => {
  const { mesh, s, x, y, d, vectors } = diamond();
  mesh.run(12 * PERIOD);
  expect(mesh.converged()).toBe(true);
  const to = d.packager.address as Address;
  const table = vectors.get(s)?.vectors;
  const route = table?.route(to, { peerByKey: (k) => s.packager.peerByKey(k), now: mesh.clock.now() });
  expect(route?.metric).toBe(2);
  expect(new Set(route?.via.map((p) => p.key))).toEqual(new Set([x.packager.nodeKey, y.packager.nodeKey]));
  // The Packager's next hop draws from them per flow (the source address decides).
  const used = new Set<string>();
  for (let i = 0; i < 16; i++) {
    const source = unwrap(Address.fromCoords(to.treeState, [9, 1 + i]));
    const hop = table?.hop(to, flowOf(source), new Set(), () => false, { peerByKey: (k) => s.packager.peerByKey(k), now: mesh.clock.now() });
    if (hop) used.add(hop.key);
  }
  expect(used).toEqual(new Set([x.packager.nodeKey, y.packager.nodeKey]));
  // A ping across gets there and back.
  const r = mesh.pingBothWays(s, d, 2);
  expect(r.sent).toBe(true);
  expect(r.ab).toBeGreaterThan(0);
  expect(s.packager.counters.get('vector_hop')).toBeGreaterThan(0);
});

test('a stopped RouteVector leaves hop finding to the tree', () => {
  const { mesh, s, d, vectors } = diamond();
  mesh.run(12 * PERIOD);
  vectors.get(s)?.stop();
  const before = s.packager.counters.get('vector_hop');
  mesh.pingBothWays(s, d, 1);
  expect(s.packager.counters.get('vector_hop')).toBe(before);
});

test('on in the LoRa node defaults only: a standard node has no RouteVector', () => {
  expect(standardApps(portableHashes).list.map((a) => a.name)).not.toContain('RouteVector');
  const lora = loraNodeDefaults({ sf: 7, bw: 7, cr: 1, preamble: 12 }, 0.01);
  expect(lora.routeVector.interval_ms).toBe(2 * (lora.spanningTree.tree_maintenance_delay as number));
  expect(lora.routeVector.budget_ms).toBe(36_000);
  expect(standardApps(portableHashes, { routeVector: lora.routeVector }).list.map((a) => a.name)).toContain('RouteVector');
});

test('an advert tells the sender’s airtime in its duty hour: its neighbours hold that figure', () => {
  const { mesh, s, x, y, d, vectors } = diamond();
  (x.radio as unknown as { dutyUsedMs: () => number }).dutyUsedMs = () => 30_000;
  mesh.run(12 * PERIOD);
  const route = vectors.get(s)?.vectors?.route(d.packager.address as Address, { peerByKey: (k) => s.packager.peerByKey(k), now: mesh.clock.now() });
  const load = (n: AppNode) => route?.loads[route.via.findIndex((p) => p.key === n.packager.nodeKey)];
  expect(load(x)).toBe(30_000);
  expect(load(y)).toBe(0); // the test medium's radios meter nothing
});
