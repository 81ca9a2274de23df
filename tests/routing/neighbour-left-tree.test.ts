/**
 * A neighbour that left our tree (docs/routing.md "Short paths"): a node keeps a neighbour's
 * address in the tree it held before (at most one other tree's), and a node that was its own
 * root at formation keeps [] there, under the tree state its id gives, which can be the state of
 * the tree we are in. Once its hello says it is in another tree, that old address names no place
 * in ours: short paths, the neighbour lists of our hellos and the landmarks must not bound hops by it (on random-300-borders-lossy
 * seed 5 a stale [] spread as a landmark and sent packets for the root round four relays for
 * 100 s). A packet for that very address still goes to it: the neighbour takes it as its own for
 * a while after the move. And a late tree message from the tree it left, which makes that
 * address its newest in our records, does not take a neighbour whose hello says it is in our tree
 * out of our routing. On a virtual clock; the first three tests fail when a neighbour's old address
 * counts.
 */
import { nodeIdOf, macOf, virtualPlatform, RecordingApp, TEST_APP_ID } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { serializePacket } from '../../modules/mycelium/wire/packet.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { nearbyLandmarks } from '../../modules/mycelium/packager/landmarks.js';
import { neighbourAddresses } from '../../modules/mycelium/apps/hello-neighbour-list.js';
import { NeighbourReach } from '../../modules/mycelium/packager/neighbour-reach.js';
import { addressTag } from '../../modules/mycelium/wire/messages/hello.js';

const TS = 9;
const OTHER = 40;
const addr = (coords: number[], ts = TS) => unwrap(Address.fromCoords(ts, coords));
const PERIOD = 3000;

/**
 * s at [1,1,1] in tree TS, its parent [1,1], its child [1,1,1,1], and `left`: [] in TS before it
 * joined tree OTHER at [3,3], which its hello says (`says`), listing one neighbour there.
 */
function station(says = addr([3, 3], OTHER)) {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  unwrap(p.addInterface(radio));
  p.setAddress(addr([1, 1, 1]));
  p.addApplication(new RecordingApp());
  const peer = (n: number, address: Address) => {
    const id = nodeIdOf(n);
    p.addPeer(id, [{ mac: macOf(n), radio }]);
    p.addRoute(id, address);
    const key = toHex(id);
    const link = (p.peerByKey(key)!.link ??= new LinkEstimate(clock.now()));
    link.onHello(0, PERIOD, clock.now());
    link.onReport(255, clock.now());
    return { key, mac: macOf(n) };
  };
  const parent = peer(1, addr([1, 1]));
  const child = peer(2, addr([1, 1, 1, 1]));
  const left = peer(3, addr([]));
  const l = p.peerByKey(left.key)!;
  l.setAddr(addr([3, 3], OTHER));
  l.reach = new NeighbourReach(says, [addr([3, 3, 1], says.treeState)], addressTag(says.bytes), clock.now(), 12 * PERIOD);
  const hops = () => medium.log.filter((f) => f.to).map((f) => toHex(f.to!));
  return { clock, p, parent, child, left, hops };
}

function routed(to: Address, from: Address): Uint8Array {
  const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('left')));
  return unwrap(serializePacket({ schemaId: 5, flags: 0, packetId: 1, ttl: 200, treeState: TS, toAddr: to.bytes, fromAddr: from.bytes, body }));
}

test('a packet for the root side of our tree goes up to our parent, not to the neighbour that held [] before it left', () => {
  const s = station();
  expect(s.p.peerByKey(s.left.key)!.addrs.map((a) => a.toString())).toEqual(['9-::', '40-33::']);
  s.p.receive(routed(addr([2]), addr([1, 1, 1, 1])), s.child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(s.parent.mac)]);
});

test('our hellos list only the neighbours that are in our tree now', () => {
  const s = station();
  const listed = neighbourAddresses(s.p, false, s.clock.now())!.addrs.map((a) => a.toString());
  expect(listed.sort()).toEqual(['9-1111::', '9-11::']);
});

test('a neighbour that left is no landmark at its old address', () => {
  const s = station();
  const landmarks = nearbyLandmarks(addr([1, 1, 1]), s.p.peers, () => true, s.clock.now(), 1);
  expect(landmarks.map((l) => l.address.toString()).sort()).toEqual(['9-1110::', '9-1111::', '9-11::']);
});

test('a packet for the very address it left still goes to it', () => {
  const s = station();
  s.p.receive(routed(addr([]), addr([1, 1, 1, 1])), s.child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(s.left.mac)]);
});

test('a neighbour whose hello says it is in our tree keeps its place there, whatever message came last', () => {
  // Its record names OTHER newest (a late tree message), but its hello says it holds [] in our tree.
  const s = station(addr([]));
  s.p.receive(routed(addr([2]), addr([1, 1, 1, 1])), s.child.mac, s.p.interfaces[0]);
  s.clock.advance(5);
  expect(s.hops()).toEqual([toHex(s.left.mac)]);
  expect(neighbourAddresses(s.p, false, s.clock.now())!.addrs.map((a) => a.toString())).toContain('9-::');
});
