/** Compact peer state (issue 21): links indexed by MAC number, queues shared until used. */
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { macKey, macOf } from '../../modules/mycelium/packager/link-index.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

function packager() {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(1) });
  return { medium, p };
}

test('MACs of different lengths, or that differ in one byte, find different peers', () => {
  const { medium, p } = packager();
  const radio = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  p.addInterface(radio);
  const macs = [Uint8Array.of(1), Uint8Array.of(0, 1), Uint8Array.of(0, 0, 0, 0, 0, 1), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xfe), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), new Uint8Array(8).fill(9)];
  const peers = macs.map((mac, i) => p.addPeer(nodeIdOf(10 + i), [{ mac, radio }]));
  macs.forEach((mac, i) => expect(p.peerAt(mac.slice(), radio)).toBe(peers[i]));
  expect(p.peerAt(Uint8Array.of(0, 0, 1), radio)).toBeUndefined();
  expect(new Set(macs.map(macKey)).size).toBe(macs.length);
  expect(macKey(undefined)).not.toBe(macKey(new Uint8Array(0)));
  // Links hold the MAC as that number: frames still go to the exact bytes, leading zeros kept.
  macs.forEach((mac, i) => expect(peers[i]?.bestLink()?.mac).toEqual(mac));
  for (const mac of [...macs, undefined, new Uint8Array(0)]) expect(macOf(macKey(mac))).toEqual(mac);
});

test('a peer whose interface is removed is no longer found on its MAC', () => {
  const { medium, p } = packager();
  const radio = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  p.addInterface(radio);
  p.addPeer(nodeIdOf(5), [{ mac: Uint8Array.of(2, 0, 0, 0, 0, 5), radio }]);
  p.removeInterface(radio);
  p.addInterface(radio);
  expect(p.peerAt(Uint8Array.of(2, 0, 0, 0, 0, 5), radio)).toBeUndefined();
});

test("one peer's queued datagrams are its own; emptied queues can be filled again", () => {
  const a = new Peer('a', 0, 4);
  const b = new Peer('b', 0, 4);
  const link = { mac: undefined, iface: {} as never };
  const frame = (n: number) => ({ frame: Uint8Array.of(n), link });
  a.enqueue(frame(1));
  a.enqueue(frame(2));
  expect(b.queue).toHaveLength(0);
  expect(a.dequeue()?.frame[0]).toBe(1);
  expect(a.dropQueued((q) => q.frame[0] === 2)).toBe(1);
  expect(a.queue).toHaveLength(0);
  a.enqueue(frame(3));
  b.enqueue(frame(4));
  expect(a.queue.map((q) => q.frame[0])).toEqual([3]);
  expect(b.queue.map((q) => q.frame[0])).toEqual([4]);
  expect(b.dropQueued()).toBe(1);
  expect(b.dequeue()).toBeUndefined();
});

test("a node's routes keep its last two addresses, oldest first, through removals", () => {
  const { p } = packager();
  const id = nodeIdOf(8);
  const a = (ts: number, c: number) => unwrap(Address.fromCoords(ts, [1, c]));
  p.addRoute(id, a(1, 1));
  expect(p.addressesOf(id).map(String)).toEqual([a(1, 1).toString()]);
  p.addRoute(id, a(2, 2));
  p.addRoute(id, a(3, 3)); // a third tree state: the oldest address goes
  expect(p.addressesOf(id).map(String)).toEqual([a(2, 2), a(3, 3)].map(String));
  expect(p.route(a(1, 1))).toBeUndefined();
  p.addRoute(id, a(2, 2)); // heard again: now the newest
  expect(p.addressesOf(id).map(String)).toEqual([a(3, 3), a(2, 2)].map(String));
  p.removeRoute(a(2, 2));
  expect(p.addressesOf(id).map(String)).toEqual([a(3, 3).toString()]);
  p.addRoute(nodeIdOf(9), a(3, 3)); // another node takes the address
  expect(p.addressesOf(id)).toHaveLength(0);
  expect(p.route(a(3, 3))?.nodeKey).toBe(toHex(nodeIdOf(9)));
  expect(p.routes).toHaveLength(1);
});

test("a link estimate keeps what the neighbour said of its sleep through a restart of its history", () => {
  const e = new LinkEstimate(0);
  expect(e.sleeps).toBeUndefined();
  e.onHello(1, 1000, 0);
  e.sleeps = true;
  e.onHello(2, 1000, 1000);
  expect(e.sleeps).toBe(true);
  e.onHello(500, 1000, 600_000); // a gap no hello period explains: the history starts afresh
  expect(e.sleeps).toBe(true);
  expect(e.inbound(600_000)).toBe(1);
  e.sleeps = false;
  expect(e.sleeps).toBe(false);
  for (let seq = 501; seq < 540; seq++) e.onHello(seq, 1000, 600_000 + (seq - 500) * 1000);
  expect(e.sleeps).toBe(false);
  expect(e.good(640_000)).toBe(false); // no report of us yet, past its grace: one-way
  e.onReport(255, 640_000);
  expect(e.good(640_000)).toBe(true);
  expect(e.sleeps).toBe(false);
});
