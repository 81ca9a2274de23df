/** Interfaces, peers, routes, bans and own addresses (upstream test_Packager 1–5, components 22–25). */
import { TestMesh, nodeIdOf, macOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { LoopbackRadio } from '../../modules/mycelium/packager/loopback.js';
import { Peer, PeerLink } from '../../modules/mycelium/packager/peer.js';
import { TtlCache } from '../../modules/mycelium/packager/ttl-cache.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { SCHEMA_IDS, ESPNOW_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

function packager() {
  const clock = new VirtualClock(0);
  const platform = virtualPlatform(clock);
  const medium = new MemoryMedium(clock);
  const p = new Packager(platform, { nodeId: nodeIdOf(1) });
  return { clock, platform, medium, p };
}

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));

test('interfaces get upstream ids and can be attached and detached', () => {
  const { clock, medium, p } = packager();
  const espnow = medium.radio(macOf(1), { name: 'espnow', bitrate: 12_000_000, schemaIds: ESPNOW_SCHEMA_IDS });
  const mock1 = medium.radio(macOf(2), { name: 'mock1', bitrate: 1200, schemaIds: SCHEMA_IDS });
  const loop = new LoopbackRadio(clock);
  const ids = [espnow, mock1, loop].map((r) => unwrap(p.addInterface(r)).key);
  expect(ids).toEqual(['26bf5ff6', '7265b137', '09fdee9d']);
  expect(p.interfaces).toHaveLength(3);
  expect(p.removeInterface(mock1)).toBe(true);
  expect(p.interfaces).toHaveLength(2);
  expect(mock1.onReceive).toBeUndefined();
});

test('peers are found by (mac, interface) and removing one drops its links and routes', () => {
  const { medium, p } = packager();
  const r1 = medium.radio(macOf(1));
  const r2 = medium.radio(macOf(2), { name: 'mock2' });
  p.addInterface(r1);
  p.addInterface(r2);
  const peer = p.addPeer(nodeIdOf(9), [{ mac: macOf(50), radio: r1 }, { mac: macOf(51), radio: r2 }]);
  expect(p.peerAt(macOf(50), r1)).toBe(peer);
  expect(p.peerAt(macOf(51), r2)).toBe(peer);
  expect(p.peerAt(macOf(50), r2)).toBeUndefined(); // the same MAC on another interface is someone else
  p.addRoute(nodeIdOf(9), addr(1, [3]));
  expect(p.routes).toHaveLength(1);
  expect(p.removePeer(nodeIdOf(9))).toBe(true);
  expect(p.peers).toHaveLength(0);
  expect(p.peerAt(macOf(50), r1)).toBeUndefined();
  expect(p.routes).toHaveLength(0);
});

test('routes are added and removed', () => {
  const { p } = packager();
  p.addRoute(nodeIdOf(3), addr(5, [1, 2]));
  expect(p.routes).toHaveLength(1);
  expect(p.route(addr(5, [1, 2]))?.nodeKey).toBe(toHex(nodeIdOf(3)));
  p.removeRoute(addr(5, [1, 2]));
  expect(p.routes).toHaveLength(0);
});

test('a node has one key string, however many tables name it; ids read are copies', () => {
  const { medium, p } = packager();
  const r1 = medium.radio(macOf(1));
  p.addInterface(r1);
  const id = nodeIdOf(7);
  p.addRoute(id, addr(1, [4])); // a route first: the table keeps the id's key
  id[0] ^= 0xff; // the caller's array is the caller's
  const restored = nodeIdOf(7);
  const first = p.route(addr(1, [4]));
  expect(first?.nodeId).toEqual(restored);
  const peer = p.addPeer(restored, [{ mac: macOf(60), radio: r1 }]);
  expect(peer?.key).toBe(first?.nodeKey); // the peer takes the route's key, not a new string
  expect(peer?.id).toEqual(restored);
  p.addRoute(restored, addr(2, [4, 1]));
  expect(p.route(addr(2, [4, 1]))?.nodeKey).toBe(peer?.key);
  expect(p.keyOf(restored)).toBe(peer?.key);
  expect(p.keyOf(nodeIdOf(8))).toBe(toHex(nodeIdOf(8))); // an unknown node: its plain hex
  // The bytes a caller reads are its own: writing them changes no table.
  (peer?.id as Uint8Array)[0] ^= 0xff;
  (first?.nodeId as Uint8Array)[1] ^= 0xff;
  expect(p.peer(restored)?.id).toEqual(nodeIdOf(7));
  expect(p.route(addr(1, [4]))?.nodeId).toEqual(nodeIdOf(7));
  // The shared key outlives whichever table let go first.
  p.removeRoute(addr(1, [4]));
  p.removeRoute(addr(2, [4, 1]));
  expect(p.peer(restored)?.id).toEqual(nodeIdOf(7));
  p.addRoute(nodeIdOf(7), addr(1, [5]));
  expect(p.route(addr(1, [5]))?.nodeKey).toBe(peer?.key);
});

test('a banned node loses its peer entry and routes and cannot come back until unbanned', () => {
  const { medium, p } = packager();
  const r = medium.radio(macOf(1));
  p.addInterface(r);
  p.addPeer(nodeIdOf(4), [{ mac: macOf(4), radio: r }]);
  p.addRoute(nodeIdOf(4), addr(1, [4]));
  p.ban(nodeIdOf(4));
  expect(p.peers).toHaveLength(0);
  expect(p.routes).toHaveLength(0);
  expect(p.addPeer(nodeIdOf(4), [{ mac: macOf(4), radio: r }])).toBeUndefined();
  expect(p.addRoute(nodeIdOf(4), addr(1, [4]))).toBe(false);
  p.unban(nodeIdOf(4));
  expect(p.addPeer(nodeIdOf(4), [{ mac: macOf(4), radio: r }])).toBeDefined();
  expect(p.addRoute(nodeIdOf(4), addr(1, [4]))).toBe(true);
});

test('a node keeps two own addresses, one per tree state, newest last', () => {
  const { p } = packager();
  p.setAddress(addr(0, [1]));
  p.setAddress(addr(1, [2]));
  p.setAddress(addr(2, [3]));
  expect(p.addresses.map((a) => a.treeState)).toEqual([1, 2]);
  p.setAddress(addr(1, [4]));
  expect(p.addresses.map((a) => a.toString())).toEqual(['2-30::', '1-40::']);
  expect(p.address?.toString()).toBe('1-40::');
});

test("a peer's links keep their order as they come and go, one held or many", () => {
  const peer = new Peer('k', 0, 4);
  const iface = { radio: {}, id: Uint8Array.of(1), key: '01', timings: {}, quietApps: [] } as never;
  const [a, b, c] = [1, 2, 3].map((n) => new PeerLink(macOf(n), iface, n, false));
  expect(peer.links).toEqual([]);
  peer.addLink(a);
  expect(peer.links).toEqual([a]);
  peer.addLink(b);
  peer.addLink(c);
  expect(peer.links).toEqual([a, b, c]);
  expect(peer.dropLink(b)).toBe(true);
  expect(peer.dropLink(b)).toBe(false); // not one of its links any more
  expect(peer.links).toEqual([a, c]);
  expect(peer.linkOf(macOf(3), iface)).toBe(c);
  expect(peer.dropLink(a)).toBe(true);
  expect(peer.links).toEqual([c]);
  expect(peer.linkOf(macOf(3), iface)).toBe(c);
  expect(peer.linkOf(macOf(1), iface)).toBeUndefined();
  expect(peer.dropLink(c)).toBe(true);
  expect(peer.links).toEqual([]);
  expect(peer.bestLink()).toBeUndefined();
});

test('a peer keeps the last two tree states of its addresses', () => {
  const peer = new Peer('k', 0, 4);
  expect(peer.addrs).toEqual([]);
  for (const ts of [0, 1, 2]) peer.setAddr(addr(ts, [1]));
  expect(peer.addrs.map((a) => a.treeState)).toEqual([1, 2]);
  peer.setAddr(addr(1, [3])); // the same tree state: replaced, and now the newest
  expect(peer.addrs.map((a) => a.toString())).toEqual([addr(2, [1]).toString(), addr(1, [3]).toString()]);
});

test('the cache evicts expired entries on read and the earliest-expiring when full', () => {
  let now = 0;
  const c = new TtlCache<string>(2, { now: () => now });
  c.add('gone', 'x', -1);
  expect(c.get('gone')).toBeUndefined();
  c.add('a', 'A', 100);
  c.add('b', 'B', 50);
  c.add('c', 'C', 200);
  expect(c.get('b')).toBeUndefined();
  expect(c.get('a')).toBe('A');
  expect(c.get('c')).toBe('C');
  now = 150;
  expect(c.get('a')).toBeUndefined();
  c.clear();
  expect(c.size).toBe(0);
  const one = new TtlCache<number>(1, { now: () => 0 }); // upstream's eviction breaks at limit 1
  one.add('x', 1, 10);
  one.add('y', 2, 10);
  expect(one.get('y')).toBe(2);
});

test('hooks run with upstream names; add_peer fires before the peer exists', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  const seen: string[] = [];
  a.packager.addHook('add_peer', () => seen.push(`add_peer existed=${a.packager.peers.length}`));
  a.packager.addHook('send', () => seen.push('send'));
  mesh.connect(a, b);
  a.packager.send(new Uint8Array(16), new Uint8Array(1), { nodeId: b.node.nodeId });
  expect(seen).toEqual(['add_peer existed=0', 'send']);
});

test('a peer refreshed by itself (no id given): the add_peer hook still gets its id; nothing without the peer', () => {
  // Hello refreshes its sender on every hello; the id, a 32-byte copy, is made only for a hook.
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const peer = a.packager.peer(b.node.nodeId) as Peer;
  const ids: string[] = [];
  a.packager.addHook('add_peer', (id: Uint8Array) => ids.push(toHex(id)));
  expect(a.packager.addPeer(undefined, [], peer)).toBe(peer);
  expect(ids).toEqual([toHex(b.node.nodeId)]);
  expect(a.packager.addPeer(undefined, [])).toBeUndefined();
});

test('sharedAddress hands back the Address the node holds (own or a route), else the one given', () => {
  const { p } = packager();
  const own = addr(7, [1, 2]);
  p.setAddress(own);
  const routed = addr(7, [1, 2, 3]);
  p.addRoute(nodeIdOf(2), routed);
  // Equal values parsed afresh (as from a neighbour's hello) come back as the objects we hold.
  expect(p.sharedAddress(addr(7, [1, 2]))).toBe(own);
  expect(p.sharedAddress(addr(7, [1, 2, 3]))).toBe(routed);
  const stranger = addr(7, [1, 5]);
  expect(p.sharedAddress(stranger)).toBe(stranger);
});
