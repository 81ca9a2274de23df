/**
 * Short paths (docs/routing.md "Short paths"): a relay that knows its neighbours' neighbours, or
 * learnt a path from traffic, sends a packet the short way round where greedy tree routing would
 * climb the tree. What a user notices is the neighbour a packet leaves by; everything runs on a
 * virtual clock and fails on greedy routing alone.
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
import { DEFAULT_TIMINGS } from '../../modules/mycelium/packager/options.js';
import { AppMesh } from '../support/apps-mesh.js';

const TS = 9;
const addr = (coords: number[]) => unwrap(Address.fromCoords(TS, coords));
const PERIOD = 3000;

/** A packager at `own` whose neighbours are peer entries that speak Hello (frames go to the log). */
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
  const peers: { key: string; mac: Uint8Array; coords: number[] }[] = [];
  /** Keep every neighbour's link measured and clean at the current time, as its hellos would. */
  const hear = () => {
    for (const x of peers) {
      const peer = p.peerByKey(x.key)!;
      peer.link ??= new LinkEstimate(clock.now());
      peer.link.onHello(seq, PERIOD, clock.now());
      peer.link.onReport(255, clock.now());
    }
    seq++;
  };
  const peer = (coords: number[], neighbours?: number[][]) => {
    n++;
    const id = nodeIdOf(n);
    p.addPeer(id, [{ mac: macOf(n), radio }]);
    p.addRoute(id, addr(coords));
    const x = { key: toHex(id), mac: macOf(n), coords };
    peers.push(x);
    hear();
    if (neighbours) tell(x.key, coords, neighbours);
    return x;
  };
  /** The neighbour `key` (at `coords`) lists `neighbours` in a hello, believed for 36 s. */
  const tell = (key: string, coords: number[], neighbours: number[][]) => {
    const own = addr(coords);
    p.peerByKey(key)!.reach = new NeighbourReach(own, neighbours.map(addr), addressTag(own.bytes), clock.now(), 12 * PERIOD);
  };
  /** The MAC each relayed frame went to. */
  const hops = () => medium.log.filter((f) => f.to).map((f) => toHex(f.to!));
  return { clock, medium, p, peer, tell, hear, hops };
}

let packetId = 0;
function routed(to: number[], from: number[], extra: Partial<Packet> = {}): Uint8Array {
  const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('short')));
  return unwrap(serializePacket({ schemaId: 5, flags: 0, packetId: ++packetId & 0xff, ttl: 200, treeState: TS, toAddr: addr(to).bytes, fromAddr: addr(from).bytes, body, ...extra }));
}

describe('two hops ahead', () => {
  // s at [1,1,1]; target D = [2,1,1], six tree hops away. Greedy climbs to the parent [1,1] (five
  // away); the sibling m [1,1,2] is six away on the tree but has D as a neighbour: two hops.
  const setup = () => {
    const s = station([1, 1, 1]);
    const parent = s.peer([1, 1]);
    const m = s.peer([1, 1, 2], [[1, 1], [2, 1, 1], [2, 1, 2]]);
    const child = s.peer([1, 1, 1, 1]);
    return { s, parent, m, child };
  };

  test('a relay hands the packet to the neighbour whose neighbour holds the target, not up the tree', () => {
    const { s, m, child } = setup();
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(m.mac)]);
    expect(s.p.counters.get('short_hop_two_hop')).toBe(1);
  });

  test('our own sends take the short way too', () => {
    const { s, m } = setup();
    expect(s.p.send(TEST_APP_ID, new Uint8Array(4), { address: addr([2, 1, 1]) }).ok).toBe(true);
    s.clock.advance(5);
    expect(s.hops()[0]).toBe(toHex(m.mac));
  });

  test('a neighbour list not refreshed expires: back to greedy tree routing', () => {
    const { s, parent, child } = setup();
    for (let t = 0; t < 13; t++) {
      s.clock.advance(PERIOD);
      s.hear(); // the links stay good; only the list ages
    }
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(parent.mac)]);
  });

  test('a list from a neighbour that moved in the tree is not believed (its address tag changed)', () => {
    const reach = new NeighbourReach(addr([1, 1, 2]), [addr([2, 1, 1])], addressTag(addr([1, 1, 2]).bytes), 0, 36_000);
    expect(reach.matches(addressTag(addr([1, 1, 2]).bytes))).toBe(true);
    expect(reach.matches(addressTag(addr([3, 1]).bytes))).toBe(false);
  });

  test('an upstream neighbour (no Hello) lends no view: greedy as upstream', () => {
    const { s, parent, m, child } = setup();
    s.p.peerByKey(m.key)!.link = undefined;
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(parent.mac)]);
  });
});

describe('paths learnt from traffic', () => {
  // s at [1,1,1]; P at [3,1,1] is far on the tree, but a packet from O = [2,1,1,5] arrived through
  // P after 4 hops. D = [2,1,1] is one tree hop from O: 4 + 1 = 5 hops via P, against 6 by the tree.
  const setup = () => {
    const s = station([1, 1, 1]);
    const parent = s.peer([1, 1]);
    const p = s.peer([3, 1, 1]);
    const child = s.peer([1, 1, 1, 1]);
    // From O to our child, through P: ttl 255 at O, 252 on arrival here (4th hop).
    s.p.receive(routed([1, 1, 1, 1], [2, 1, 1, 5], { ttl: 252 }), p.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    s.medium.log.length = 0;
    return { s, parent, p, child };
  };

  test('a packet toward the learnt origin\'s part of the tree follows the learnt path', () => {
    const { s, p, child } = setup();
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(p.mac)]);
    expect(s.p.counters.get('short_hop_learned')).toBe(1);
  });

  test('a learnt path lapses: back to greedy tree routing', () => {
    const { s, parent, child } = setup();
    for (let t = 0; t < DEFAULT_TIMINGS.learnedPathMs / PERIOD; t++) {
      s.clock.advance(PERIOD);
      s.hear();
    }
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(parent.mac)]);
  });

  test('a packet that comes back round goes on by plain greedy, and the learnt path that sent it round is forgotten', () => {
    const { s, parent, p, child } = setup();
    const frame = routed([2, 1, 1], [1, 1, 1, 1], { ttl: 200 });
    s.p.receive(frame, child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    // P's view was stale: it handed the packet back to us through the child, 3 hops later.
    const back = unwrap(parsePacket(frame));
    back.ttl = 197;
    s.p.receive(unwrap(serializePacket(back)), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(p.mac), toHex(parent.mac)]);
    expect(s.p.counters.get('short_path_fallback')).toBe(1);
    // The next packet for D is not sent round again.
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()[2]).toBe(toHex(parent.mac));
  });

  test('nothing is learnt from a packet sent from another tree (its source address is no one\'s)', () => {
    // A sender with no address in our tree puts foreignSource() (all ones) as from_addr (borders.ts).
    // Learnt as a path, it read as a node deep in the tree behind P and drew packets for the root
    // to P, back across the border (line-70-lossy seed 10 lost a whole flow that way).
    const deep = Array.from({ length: 24 }, () => 1);
    const s = station(deep);
    const parent = s.peer(deep.slice(0, -1));
    const p = s.peer([...deep.slice(0, -1), 2]); // a sibling: one hop further from the root than the parent
    const child = s.peer([...deep, 1]);
    s.p.receive(routed(deep.slice(0, 2), [], { ttl: 254, fromAddr: new Uint8Array(16).fill(0xff) }), p.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    s.medium.log.length = 0;
    s.p.receive(routed([], [...deep, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops()).toEqual([toHex(parent.mac)]);
    expect(s.p.counters.get('short_hop_learned')).toBe(0);
  });

  test('nothing is learnt from a neighbour that does not speak Hello', () => {
    const s = station([1, 1, 1]);
    const parent = s.peer([1, 1]);
    const p = s.peer([3, 1, 1]);
    const child = s.peer([1, 1, 1, 1]);
    s.p.peerByKey(p.key)!.link = undefined;
    s.p.receive(routed([1, 1, 1, 1], [2, 1, 1, 5], { ttl: 252 }), p.mac, s.p.interfaces[0]);
    s.p.receive(routed([2, 1, 1], [1, 1, 1, 1]), child.mac, s.p.interfaces[0]);
    s.clock.advance(5);
    expect(s.hops().slice(1)).toEqual([toHex(parent.mac)]);
  });
});

describe('hellos carry neighbours\' addresses', () => {
  test('in a 5×5 grid of our nodes, each node learns from hellos where its neighbours\' neighbours are', () => {
    const mesh = new AppMesh({ seed: 2, hello: true, tree: { pub_each_round: false } });
    const nodes = mesh.grid(5, 5);
    mesh.startAll();
    mesh.run(120_000);
    const at = (i: number) => nodes[i].packager.address?.key;
    const gridNeighbours = (i: number) => [i - 5, i + 5, ...(i % 5 ? [i - 1] : []), ...(i % 5 < 4 ? [i + 1] : [])].filter((j) => j >= 0 && j < 25);
    let lists = 0;
    for (const a of nodes) {
      const now = mesh.clock.now();
      for (const p of a.packager.peers) {
        const b = nodes.findIndex((x) => toHex(x.packager.nodeId) === p.key);
        expect(p.reach?.fresh(now)).toBe(true);
        expect(p.reach?.own.key).toBe(at(b));
        expect(p.reach?.addrs.map((x) => x.key).sort()).toEqual(gridNeighbours(b).map(at).sort());
        lists++;
      }
    }
    expect(lists).toBe(2 * (2 * 5 * 4)); // every link, both ways
  });
});
