/**
 * Node state in one shape: `node.state()` (NodeState) holds identity, tree, peers, routes, apps
 * and counters, and the status screen, the console's `status`, the mesh API and the
 * simulator's report and dashboard panel read it (each through a small mapping).
 */
import { converge, line } from '../console/support.js';
import { statusFigures, withBattery } from '../../modules/status/input.js';
import { screenPages } from '../../modules/status/pages.js';
import { createMeshApi, type Guard } from '../../modules/mesh-api/mesh-api.js';
import { MeshConsole } from '../../modules/console/console.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const guard: Guard = (fn, ...args) => fn(...args);

function converged() {
  const { mesh, nodes } = line(3);
  converge(mesh);
  return { mesh, nodes, b: nodes[1] };
}

test('node.state(): identity, address, the tree the SpanningTree adds, peers, routes, apps', () => {
  const { nodes, b } = converged();
  const s = b.node.state();
  expect(s.nodeId).toBe(b.idHex);
  expect(s.running).toBe(true);
  expect(s.address).toBe(b.packager.address?.toString());
  expect(s.addresses[s.addresses.length - 1]).toBe(s.address);
  expect(s.tree).toEqual({
    root: toHex(b.tree.root),
    running: true,
    parent: b.tree.parentKey,
    children: Object.keys(b.tree.children()),
    depth: b.packager.address?.coords.length,
  });
  expect(s.peers.map((p) => p.id).sort()).toEqual([nodes[0].idHex, nodes[2].idHex].sort());
  expect(s.routes.length).toBe(b.packager.routes.length);
  expect(s.apps).toEqual(b.node.apps.map((a) => a.name)); // the test mesh's own app, then the standard ones
  expect(s.apps.slice(-5)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'DebugApp']);
  expect(s.counters.tx_frames).toBeGreaterThan(0);
  expect(s.modemSleep).toBe('off');
  // plain data: it survives JSON (the XS runner sends it across)
  expect(JSON.parse(JSON.stringify(s))).toEqual(JSON.parse(JSON.stringify(b.node.state())));
  // the middle of a line of three is nobody's root and has a child or a parent on both sides
  const depths = nodes.map((n) => n.node.state().tree?.depth);
  expect(depths.filter((d) => d === 1)).toHaveLength(1);
  b.node.stop();
  expect(b.node.state().tree?.running).toBe(false);
  expect(b.node.state().tree?.root).toBe(toHex(b.tree.root)); // a stopped tree keeps its last root
});

test('the status screen, the console and the mesh API show the same state', () => {
  const { b } = converged();
  const state = withBattery(b.node.state(), () => 55);
  const f = statusFigures(state);
  const [page] = screenPages(state, []);
  expect(page.lines.find((l) => l.label === 'routes')?.value).toBe(String(state.routes.length));
  expect(page.corner).toBe('55%');
  const out: string[] = [];
  new MeshConsole({ node: b.node, battery: () => 55 }, (l) => out.push(l)).exec('status');
  expect(out).toContain(`Frames: tx ${f.tx}, rx ${f.rx}, dropped ${f.drop}`);
  expect(out).toContain(`Routes: ${state.routes.length}`);
  expect(out).toContain('Battery: 55%');
  const { api } = createMeshApi({ node: b.node, hashes: portableHashes, log: () => {} }, guard);
  expect(api.peers()).toEqual(state.peers.map((p) => ({ id: p.id, addresses: p.addrs, lastHeardMs: p.lastRxAgoMs })));
  expect(api.routes()).toEqual(state.routes.map((r) => ({ id: r.nodeId, address: r.address })));
  expect(api.root()).toBe(state.tree?.root);
  expect(api.address()).toBe(state.address);
});

test('a gauge that fails or reads nonsense adds no battery', () => {
  const { b } = converged();
  const s = b.node.state();
  expect(withBattery(s, undefined)).toBe(s);
  expect(withBattery(s, () => NaN).battery).toBeUndefined();
  expect(withBattery(s, () => 140).battery).toBe(100);
  expect(
    withBattery(s, () => {
      throw new Error('i2c');
    }).battery,
  ).toBeUndefined();
});
