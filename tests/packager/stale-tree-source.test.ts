/**
 * The address we hold in a tree we left is no source address once the tree change is over
 * (packager/own-addresses.ts `sourceIn`). A node keeps its previous tree's address beside the
 * current one for good; a tree state is one byte, so in a mesh of several trees another tree
 * can carry the same state. On a 150-node line (3 trees joined by borders) a node sent from its
 * formation tree's root address, 70:[] — the address of the live root of another tree 70 — and
 * the relay next to that root, taking the root for the sender, sent nothing on (split horizon):
 * one flow lost every packet (docs/routing.md "Routes and loops", item 5).
 */
import { nodeIdOf, macOf, virtualPlatform, RecordingApp, TEST_APP_ID } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { SEND_RETRY_DELAY_MS } from '../../modules/mycelium/wire/constants.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { PREVIOUS_ADDRESS_RESENDS } from '../../modules/mycelium/packager/own-addresses.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { serializePacket } from '../../modules/mycelium/wire/packet.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));
const FRESH_MS = PREVIOUS_ADDRESS_RESENDS * SEND_RETRY_DELAY_MS;
const FOREIGN = new Uint8Array(16).fill(0xff);

/** A node that was the root of tree 70 at boot and joined tree 68; its neighbour is the root of another tree 70. */
function leftTree70() {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  // Our neighbour always listens: each send is its data frame, not first a wake-up probe.
  const iface = unwrap(p.addInterface(radio, { timings: { peerAwakeMs: 1e9 } }));
  const app = new RecordingApp();
  p.addApplication(app);
  const other = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(1) });
  const otherRadio = medium.radio(macOf(1));
  unwrap(other.addInterface(otherRadio));
  other.addApplication(new RecordingApp());
  other.setAddress(addr(70, []));
  other.addPeer(nodeIdOf(100), [{ mac: macOf(0), radio: otherRadio }]);
  p.setAddress(addr(70, []));
  clock.advance(5_000);
  p.setAddress(addr(68, [1, 1]));
  p.addPeer(nodeIdOf(1), [{ mac: macOf(1), radio }]);
  p.addRoute(nodeIdOf(1), addr(70, []));
  const sendTo = (to: Address) => {
    const r = p.send(TEST_APP_ID, new Uint8Array(4), { address: to });
    clock.advance(1_000);
    return r;
  };
  /** The source address of the last packet we sent with one. */
  const lastFrom = () => {
    const ours = medium.log.filter((f) => f.from.every((b, i) => b === macOf(0)[i])).map((f) => unwrap(parsePacket(f.frame)));
    return ours.filter((q) => q.fromAddr !== undefined).pop()?.fromAddr;
  };
  const sentWithAddress = () => medium.log.filter((f) => unwrap(parsePacket(f.frame)).toAddr !== undefined).length;
  /** A routed packet for 70:[] from a node of tree 70 comes in from a third neighbour. */
  const packetForRoot70 = () =>
    p.receive(
      unwrap(serializePacket({ schemaId: 5, flags: 0, packetId: 1, ttl: 200, treeState: 70, toAddr: addr(70, []).bytes, fromAddr: addr(70, [2, 1]).bytes, body: unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('hi'))) })),
      macOf(2),
      iface,
    );
  return { clock, medium, p, app, sendTo, lastFrom, sentWithAddress, packetForRoot70 };
}

test('long after the change, a packet into another tree of that state goes from no address of ours', () => {
  const s = leftTree70();
  s.clock.advance(FRESH_MS);
  expect(s.p.addresses.map((a) => a.treeState)).toEqual([70, 68]); // still kept
  expect(s.sendTo(addr(70, [1, 1, 1])).ok).toBe(true);
  expect(s.lastFrom()).toEqual(FOREIGN);
});

test('while the change is fresh, the tree we left is still ours to send from', () => {
  const s = leftTree70();
  s.clock.advance(FRESH_MS - 1);
  expect(s.sendTo(addr(70, [1, 1, 1])).ok).toBe(true);
  expect(s.lastFrom()).toEqual(addr(70, []).bytes);
});

test('the other tree’s root is sent to, not refused as our own address', () => {
  const s = leftTree70();
  expect(s.sendTo(addr(70, [])).ok).toBe(false); // fresh: still ours
  s.clock.advance(FRESH_MS);
  expect(s.sendTo(addr(70, [])).ok).toBe(true);
  expect(s.sentWithAddress()).toBe(1);
});

test('the current tree is always ours, however long we have been in it', () => {
  const s = leftTree70();
  s.clock.advance(10 * FRESH_MS);
  s.p.addRoute(nodeIdOf(1), addr(68, [1])); // the neighbour moved into our tree
  expect(s.sendTo(addr(68, [1, 2])).ok).toBe(true);
  expect(s.lastFrom()).toEqual(addr(68, [1, 1]).bytes);
});

test('a packet for the other tree’s root is relayed to it, not taken as ours, once the change is over', () => {
  const fresh = leftTree70();
  fresh.packetForRoot70();
  expect(fresh.app.received).toHaveLength(1); // moments after the change: still ours
  const s = leftTree70();
  s.clock.advance(FRESH_MS);
  s.packetForRoot70();
  s.clock.advance(1_000);
  expect(s.app.received).toHaveLength(0);
  expect(s.sentWithAddress()).toBe(1);
});

test('the apps are told the same: the stale address is ours no more (border adverts, route vectors)', () => {
  const s = leftTree70();
  expect(s.p.isOwnAddress(addr(70, []))).toBe(true);
  s.clock.advance(FRESH_MS);
  expect(s.p.isOwnAddress(addr(70, []))).toBe(false);
  expect(s.p.isOwnAddress(addr(68, [1, 1]))).toBe(true);
});
