/**
 * The address a node gave up last in its tree stays its own for a while (packager/own-addresses.ts):
 * resends and answers still carry it after a move, and the node's old parent hands them to the
 * node by its direct route. Found by scripts/route-losses.mjs on lossy-50 seed 16: the node
 * relayed them on as a stranger's until the loop guard dropped them (26 pings lost).
 */
import { nodeIdOf, macOf, virtualPlatform, RecordingApp, TEST_APP_ID } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { SEND_RETRY_DELAY_MS } from '../../modules/mycelium/wire/constants.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { serializePacket } from '../../modules/mycelium/wire/packet.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { PREVIOUS_ADDRESS_RESENDS } from '../../modules/mycelium/packager/own-addresses.js';

const TS = 9;
const addr = (coords: number[], ts = TS) => unwrap(Address.fromCoords(ts, coords));
const OLD = [1, 2];
const NEW = [3, 1];

/** A node that held `OLD` and now holds `NEW`, with one neighbour (a relay) at [1]. */
function moved() {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  const iface = unwrap(p.addInterface(radio));
  const app = new RecordingApp();
  p.addApplication(app);
  p.setAddress(addr(OLD));
  p.addPeer(nodeIdOf(1), [{ mac: macOf(1), radio }]);
  p.addRoute(nodeIdOf(1), addr([1]));
  clock.advance(5_000);
  p.setAddress(addr(NEW));
  const packetTo = (coords: number[], ts = TS) =>
    unwrap(serializePacket({ schemaId: 5, flags: 0, packetId: 1, ttl: 200, treeState: ts, toAddr: addr(coords, ts).bytes, fromAddr: addr([4, 4], ts).bytes, body: unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('hi'))) }));
  const deliver = (coords: number[], ts = TS) => p.receive(packetTo(coords, ts), macOf(1), iface);
  return { clock, medium, p, app, deliver, radio };
}

test('a packet for the address we just gave up is ours, not relayed on', () => {
  const s = moved();
  s.deliver(OLD);
  expect(s.app.received).toHaveLength(1);
  expect(s.medium.log).toHaveLength(0);
  expect(s.p.counters.get('to_previous_address')).toBe(1);
});

test('only for a while: after the senders’ resends are over it is a stranger’s again', () => {
  const s = moved();
  s.clock.advance(PREVIOUS_ADDRESS_RESENDS * SEND_RETRY_DELAY_MS);
  s.deliver(OLD);
  expect(s.app.received).toHaveLength(0);
});

test('not when a neighbour holds it now: the packet goes to the new holder', () => {
  const s = moved();
  s.p.addPeer(nodeIdOf(2), [{ mac: macOf(2), radio: s.radio }]);
  s.p.addRoute(nodeIdOf(2), addr(OLD));
  s.deliver(OLD);
  expect(s.app.received).toHaveLength(0);
  expect(s.medium.log).toHaveLength(1);
});

test('only the address given up last, in its own tree', () => {
  const s = moved();
  s.p.setAddress(addr([3, 2]));
  s.deliver(OLD);
  s.deliver(OLD, 10);
  expect(s.app.received).toHaveLength(0);
  s.deliver(NEW);
  expect(s.app.received).toHaveLength(1);
});

test('not after a tree collision, where our old addresses are another tree’s', () => {
  const s = moved();
  s.p.setAddress(addr([2]), true);
  s.deliver(NEW);
  expect(s.app.received).toHaveLength(0);
});
