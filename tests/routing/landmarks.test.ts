/**
 * Landmarks (packager/landmarks.ts, docs/routing.md "Landmarks"): a relay whose neighbour lists a
 * landmark near the target sends the packet that way, where tree routing would climb the tree;
 * a list not refreshed lapses; a packet misled by a stale list comes back and goes on by greedy
 * routing. On a virtual clock; each test fails on routing without landmarks.
 */
import { nodeIdOf, macOf, virtualPlatform, RecordingApp, TEST_APP_ID } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { parsePacket, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { NeighbourReach } from '../../modules/mycelium/packager/neighbour-reach.js';
import { addressTag } from '../../modules/mycelium/wire/messages/hello.js';
import { AppMesh } from '../support/apps-mesh.js';
import { sharedValues } from '../../simulator/platform/shared-values.js';
import type { SharedValues } from '../../modules/mycelium/platform/platform.js';
import { LANDMARK_RADIUS, isLandmark, nearbyLandmarks } from '../../modules/mycelium/packager/landmarks.js';

const TS = 9;
const addr = (coords: number[]) => unwrap(Address.fromCoords(TS, coords));
const PERIOD = 3000;
const LIST_LIFETIME = 12 * PERIOD;

function station(own: number[]) {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  unwrap(p.addInterface(radio));
  p.setAddress(addr(own));
  p.addApplication(new RecordingApp());
  let n = 0;
  let seq = 0;
  const keys: string[] = [];
  const hear = () => {
    for (const key of keys) {
      const peer = p.peerByKey(key)!;
      peer.link ??= new LinkEstimate(clock.now());
      peer.link.onHello(seq, PERIOD, clock.now());
      peer.link.onReport(255, clock.now());
    }
    seq++;
  };
  /** A Hello-speaking neighbour at `coords` that lists no neighbours and `landmarks` ([coords, hops]). */
  const peer = (coords: number[], landmarks: [number[], number][] = []) => {
    n++;
    const id = nodeIdOf(n);
    p.addPeer(id, [{ mac: macOf(n), radio }]);
    p.addRoute(id, addr(coords));
    const key = toHex(id);
    keys.push(key);
    hear();
    const own = addr(coords);
    p.peerByKey(key)!.reach = new NeighbourReach(own, [], addressTag(own.bytes), clock.now(), LIST_LIFETIME, landmarks.map(([c, hops]) => ({ address: addr(c), hops })));
    return { key, mac: macOf(n) };
  };
  const hops = () => medium.log.filter((f) => f.to).map((f) => toHex(f.to!));
  return { clock, p, peer, hear, hops };
}

let packetId = 0;
function routed(to: number[], from: number[], extra: Partial<Packet> = {}): Uint8Array {
  const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('landmark')));
  return unwrap(serializePacket({ schemaId: 5, flags: 0, packetId: ++packetId & 0xff, ttl: 200, treeState: TS, toAddr: addr(to).bytes, fromAddr: addr(from).bytes, body, ...extra }));
}

// s at [1,1,1]; target D = [2,1,1,5,3], eight tree hops away (up three, down five), and so for
// every neighbour but m. m lists the landmark L = [2,1,1,5] (depth 4) at 2 hops, and D is L's
// child: 1 + 2 + 1 = 4 hops through m.
const D = [2, 1, 1, 5, 3];
const setup = () => {
  const s = station([1, 1, 1]);
  const parent = s.peer([1, 1]);
  const m = s.peer([1, 1, 2], [[[2, 1, 1, 5], 2]]);
  const child = s.peer([1, 1, 1, 1]);
  return { s, parent, m, child };
};

test('a relay sends the packet toward the landmark its neighbour lists near the target, not up the tree', () => {
  const { s, m, child } = setup();
  s.p.receive(routed(D, [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(m.mac)]);
  expect(s.p.counters.get('short_hop_landmark')).toBe(1);
});

test('a landmark list not refreshed lapses: back to greedy tree routing', () => {
  const { s, parent, child } = setup();
  for (let t = 0; t <= LIST_LIFETIME / PERIOD; t++) {
    s.clock.advance(PERIOD);
    s.hear(); // the links stay good; only the list ages
  }
  s.p.receive(routed(D, [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(parent.mac)]);
});

test('a packet misled by a stale landmark list comes back and goes on by greedy routing, not round again', () => {
  const { s, parent, m, child } = setup();
  const frame = routed(D, [1, 1, 1, 1], { ttl: 200 });
  s.p.receive(frame, child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  // m's list was stale (it lost its way to L): the packet came back to us through the child.
  const back = unwrap(parsePacket(frame));
  back.ttl = 197;
  s.p.receive(unwrap(serializePacket(back)), child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(m.mac), toHex(parent.mac)]);
  expect(s.p.counters.get('short_path_fallback')).toBe(1);
  expect(s.p.counters.get('drop_routing_loop') ?? 0).toBe(0);
});

test('our own sends use landmarks too', () => {
  const { s, m } = setup();
  expect(s.p.send(TEST_APP_ID, new Uint8Array(4), { address: addr(D) }).ok).toBe(true);
  s.clock.advance(5);
  expect(s.hops()[0]).toBe(toHex(m.mac));
});

test('in a 6×6 grid of our nodes, hellos teach each node its true hop count to the landmarks around it', () => {
  const mesh = new AppMesh({ seed: 3, hello: true, tree: { pub_each_round: false } });
  const nodes = mesh.grid(6, 6);
  mesh.startAll();
  mesh.run(240_000);
  const now = mesh.clock.now();
  const index = new Map(nodes.map((x, i) => [x.packager.address!.key, i]));
  const grid = (a: number, b: number) => Math.abs((a % 6) - (b % 6)) + Math.abs(Math.floor(a / 6) - Math.floor(b / 6));
  let entries = 0;
  let shared = 0;
  for (const a of nodes) {
    for (const p of a.packager.peers) {
      const reach = p.reach!;
      expect(reach.fresh(now)).toBe(true);
      const b = index.get(reach.own.key)!;
      // Every landmark within the radius (less one: ours come one hop on) is listed, at its true distance.
      const listed = new Map(reach.landmarks.map((l) => [index.get(l.address.key)!, l.hops]));
      for (let c = 0; c < nodes.length; c++) {
        const isOne = isLandmark(nodes[c].packager.address!);
        if (isOne && grid(b, c) < LANDMARK_RADIUS) expect([c, listed.get(c)]).toEqual([c, grid(b, c)]);
        if (!isOne) expect(listed.has(c)).toBe(false);
      }
      entries += listed.size;
      // Held once (issue 21): a landmark that is our own address or a route's is that very object.
      for (const l of reach.landmarks) {
        expect(l.address).toBe(a.packager.sharedAddress(l.address));
        if (l.address.equals(a.packager.address!)) shared++;
      }
    }
  }
  expect(entries).toBeGreaterThan(0);
  expect(shared).toBeGreaterThan(0);
});

/** Every node's view of its neighbours after 4 minutes on a 6×6 grid: [node, own, neighbours, landmarks:hops]. */
function gridViews(shared?: SharedValues) {
  const mesh = new AppMesh({ seed: 3, hello: true, tree: { pub_each_round: false }, shared });
  const nodes = mesh.grid(6, 6);
  mesh.startAll();
  mesh.run(240_000);
  const held: Address[] = [];
  const views = nodes.flatMap((a, i) =>
    a.packager.peers.map((p) => {
      const reach = p.reach!;
      held.push(reach.own, ...reach.addrs, ...reach.landmarks.map((l) => l.address));
      return [i, reach.own.key, reach.addrs.map((x) => x.key), reach.landmarks.map((l) => `${l.address.key}:${l.hops}`)];
    }),
  );
  return { views, held };
}

test('with a table shared by all nodes (the simulator), the receivers of a hello keep the same address objects and the same views', () => {
  const alone = gridViews();
  const together = gridViews(sharedValues(1 << 16));
  expect(together.views).toEqual(alone.views);
  // Objects per distinct address: one each when shared; on their own, every neighbour's copy.
  const objectsPerKey = (held: Address[]) => new Set(held).size / new Set(held.map((a) => a.key)).size;
  expect(objectsPerKey(together.held)).toBe(1);
  expect(objectsPerKey(alone.held)).toBeGreaterThan(1.5);
});

test('the shared table keeps the first value under a key, and forgets a generation at a time', () => {
  const t = sharedValues(2);
  const a = { n: 1 };
  expect(t.share(1, a)).toBe(a);
  expect(t.share(1, { n: 1 })).toBe(a);
  t.share(2, { n: 2 });
  t.share(3, { n: 3 }); // the first generation (1, 2) is now the older one
  expect(t.share(1, { n: 1 })).toBe(a); // still found there, and moved up
  t.share(4, { n: 4 });
  t.share(5, { n: 5 });
  t.share(6, { n: 6 }); // two more generations: 2 is gone
  const two = { n: 2 };
  expect(t.share(2, two)).toBe(two);
});

test('a packet back from a stale path goes on toward its origin when greedy routing has no other way on', () => {
  const { s, parent, m } = setup();
  // The parent sent it (it is the origin, left out by split horizon); m's stale list sent it round.
  const frame = routed(D, [1, 1], { ttl: 200 });
  s.p.receive(frame, parent.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  const back = unwrap(parsePacket(frame));
  back.ttl = 197;
  s.p.receive(unwrap(serializePacket(back)), m.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  // Greedy without split horizon: up to the parent, the only neighbour nearer D on the tree.
  expect(s.hops()).toEqual([toHex(m.mac), toHex(parent.mac)]);
  expect(s.p.counters.get('drop_local_minimum') ?? 0).toBe(0);
});

test('a landmark a neighbour knows at 3 hops is passed on at 4, within the radius of 5', () => {
  const s = station([1, 1, 1]);
  s.peer([1, 1, 2], [[[2, 1, 1, 5], 3], [[3, 1, 1, 1], LANDMARK_RADIUS - 1]]);
  const listed = nearbyLandmarks(addr([1, 1, 1]), s.p.peers, () => true, s.clock.now());
  // 4 hops away: listed (a radius of 4 left it out); at the radius: not listed, the vector stays bounded.
  expect(listed.map((l) => [l.address.coords, l.hops])).toEqual([[[2, 1, 1, 5], 4]]);
  expect(LANDMARK_RADIUS).toBe(5);
});
