/**
 * Floods on sparse links (apps/gossip-relay.ts, docs/routing.md "Floods on sparse links"): a node
 * with few neighbours, all ours, relays a flood to each but its sender by unicast, which the radio
 * retries until acked. What a user notices: along a line where one relay's broadcasts are lost
 * (hidden terminals colliding with them), a flooded message still reaches the far end; a
 * neighbourhood with an upstream node, or a dense one, keeps the broadcast.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { BROADCAST_MAC } from '../../modules/mycelium/packager/radio.js';
import { SPARSE_PEERS } from '../../modules/mycelium/apps/gossip-relay.js';

const FLOOD = new Uint8Array(16).fill(0xf1);

/** Every broadcast of `n` is lost (unicasts still go). */
function jamBroadcasts(n: AppNode): void {
  const radio = n.radio;
  const send = radio.send.bind(radio);
  radio.broadcast = () => true;
  radio.send = (mac, frame) => (bytesEqual(mac, BROADCAST_MAC) ? true : send(mac, frame));
}

function lineOf(count: number, hello: boolean): AppNode[] {
  const mesh = new AppMesh({ seed: 6, ...(hello ? { hello: true } : {}), tree: { pub_each_round: false } });
  const nodes = mesh.addApps(count);
  for (let i = 0; i + 1 < nodes.length; i++) mesh.wire(nodes[i], nodes[i + 1]);
  mesh.startAll();
  nodes.forEach((n) => n.gossip.subscribeFlood(FLOOD, n.app.id));
  mesh.run(40_000);
  (nodes as AppNode[] & { mesh?: AppMesh }).mesh = mesh;
  return nodes;
}

function meshOf(nodes: AppNode[]): AppMesh {
  return (nodes as AppNode[] & { mesh: AppMesh }).mesh;
}

test('a flood crosses a line whose middle relay loses every broadcast', () => {
  const nodes = lineOf(5, true);
  jamBroadcasts(nodes[2]);
  const before = nodes[2].packager.counters.get('gossip_relay_unicast');
  expect(nodes[0].gossip.publish(FLOOD, Uint8Array.of(1, 2, 3))).toBe(true);
  meshOf(nodes).run(2_000); // well before any sync or repeat: the flood alone
  expect(nodes[4].app.received.map((r) => [...r.blob])).toContainEqual([1, 2, 3]);
  expect(nodes[2].packager.counters.get('gossip_relay_unicast')).toBeGreaterThan(before);
});

test('without Hello (upstream-like neighbours) the relay stays a broadcast, and the jammed one cuts the line', () => {
  const nodes = lineOf(5, false);
  jamBroadcasts(nodes[2]);
  nodes[0].gossip.publish(FLOOD, Uint8Array.of(4));
  meshOf(nodes).run(2_000);
  expect(nodes[4].app.received).toHaveLength(0);
  expect(nodes[2].packager.counters.get('gossip_relay_unicast')).toBe(0);
});

test('a node with more than SPARSE_PEERS neighbours broadcasts', () => {
  const mesh = new AppMesh({ seed: 7, hello: true, tree: { pub_each_round: false } });
  const [hub, ...spokes] = mesh.addApps(SPARSE_PEERS + 2);
  for (const s of spokes) mesh.wire(hub, s);
  mesh.startAll();
  for (const n of [hub, ...spokes]) n.gossip.subscribeFlood(FLOOD, n.app.id);
  mesh.run(40_000);
  expect(hub.packager.peers.length).toBeGreaterThan(SPARSE_PEERS);
  spokes[0].gossip.publish(FLOOD, Uint8Array.of(5));
  mesh.run(2_000);
  expect(hub.packager.counters.get('gossip_relay_unicast')).toBe(0);
  for (const s of spokes) expect(s.app.received.map((r) => [...r.blob])).toContainEqual([5]);
});
