/**
 * Greedy routing and forwarding (upstream test_Packager 6–9, 19–21, 31) plus our routing fixes:
 * the mode flag on routed sends, the runner-up next hop, and local-minimum detection.
 */
import { nodeIdOf, macOf, virtualPlatform, RecordingApp, TEST_APP_ID, TestMesh } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium, type MemoryRadio } from '../../simulator/medium/memory-medium.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { parsePacket, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { hasFlag, setFlag } from '../../modules/mycelium/wire/flags.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));

/** A packager with one radio whose neighbours exist only as peer entries (frames go to the log). */
function station(ts: number, own: number[]) {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  const iface = unwrap(p.addInterface(radio));
  p.setAddress(addr(ts, own));
  const app = new RecordingApp();
  p.addApplication(app);
  let n = 0;
  const peer = (coords: number[]) => {
    n++;
    const id = nodeIdOf(n);
    p.addPeer(id, [{ mac: macOf(n), radio }]);
    p.addRoute(id, addr(ts, coords));
    return { id, mac: macOf(n), key: toHex(id) };
  };
  /** MACs the frames went to, with their parsed packets. */
  const sent = () => medium.log.map((f) => ({ to: f.to ? toHex(f.to) : 'broadcast', p: unwrap(parsePacket(f.frame)) }));
  return { clock, medium, radio: radio as MemoryRadio, p, iface, app, peer, sent };
}

function routed(ts: number, to: number[], from: number[], extra: Partial<Packet> = {}): Uint8Array {
  const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, new TextEncoder().encode('routed')));
  return unwrap(
    serializePacket({
      schemaId: 5,
      flags: 0,
      packetId: 1,
      ttl: 200,
      treeState: ts,
      toAddr: addr(ts, to).bytes,
      fromAddr: addr(ts, from).bytes,
      body,
      ...extra,
    }),
  );
}

describe('next hop', () => {
  test('local [2,2,3], peers [2,2,4] and [2,5]: to [2,5,1] via [2,5]; to [2,2,4] directly, under both metrics', () => {
    for (const metric of [Metric.dTree, Metric.dCPL]) {
      const s = station(3, [2, 2, 3]);
      const p224 = s.peer([2, 2, 4]);
      const p25 = s.peer([2, 5]);
      expect(s.p.nextHop(addr(3, [2, 5, 1]), metric)?.peer.key).toBe(p25.key);
      expect(s.p.nextHop(addr(3, [2, 2, 4]), metric)?.peer.key).toBe(p224.key);
    }
  });

  test('VOUTE paper example: s [1] with peers r [] and u [2,1,1,1] reaches e [2] via r by dTree, via u by dCPL', () => {
    const s = station(9, [1]);
    const r = s.peer([]);
    const u = s.peer([2, 1, 1, 1]);
    expect(s.p.nextHop(addr(9, [2]), Metric.dTree)?.peer.key).toBe(r.key);
    expect(s.p.nextHop(addr(9, [2]), Metric.dCPL)?.peer.key).toBe(u.key);
  });

  test('fix: when the best peer is excluded the runner-up is used (upstream gives up)', () => {
    const s = station(9, [1]);
    const r = s.peer([]);
    const u = s.peer([2, 1, 1, 1]);
    expect(s.p.nextHop(addr(9, [2]), Metric.dCPL)?.peer.key).toBe(u.key);
    expect(s.p.nextHop(addr(9, [2]), Metric.dCPL, new Set([u.key]))?.peer.key).toBe(r.key);
  });

  test('fix: a node closer to the target than every neighbour drops the packet as a local minimum', () => {
    const s = station(9, [1, 1]);
    s.peer([1, 1, 1]);
    s.peer([1, 1, 2]); // only children: handing a packet for [2] to either would move it away
    s.p.receive(routed(9, [2], [1, 1, 1]), macOf(1), s.iface);
    expect(s.sent()).toHaveLength(0);
    expect(s.p.counters.get('drop_local_minimum')).toBe(1);
    const refused = s.p.send(TEST_APP_ID, new Uint8Array(4), { address: addr(9, [2]) });
    expect(!refused.ok && refused.error.code).toBe('no_route');
  });

  test('dCPL ties are broken by tree distance, so a node hands a sibling-bound packet to its parent', () => {
    const s = station(9, [1, 2]);
    const parent = s.peer([1]);
    s.peer([1, 2, 1]);
    expect(s.p.nextHop(addr(9, [1, 3]), Metric.dCPL)?.peer.key).toBe(parent.key);
  });
});

describe('forwarding', () => {
  test('a ttl packet from child [1,1] to e [2] goes to r by dTree, to u with mode set, to a peer owning the address, and straight to r', () => {
    const s = station(9, [1]);
    const r = s.peer([]);
    const u = s.peer([2, 1, 1, 1]);
    s.peer([1, 1]);
    s.p.receive(routed(9, [2], [1, 1]), macOf(3), s.iface);
    s.p.receive(routed(9, [2], [1, 1], { flags: setFlag(0, 'mode', true) }), macOf(3), s.iface);
    s.clock.advance(5);
    const [first, second] = s.sent();
    expect(first.to).toBe(toHex(r.mac));
    expect(first.p.ttl).toBe(199);
    expect(second.to).toBe(toHex(u.mac));
    expect(hasFlag(second.p.flags, 'mode')).toBe(true);
    const v = s.peer([2, 1, 1]);
    s.p.addRoute(v.id, addr(9, [2])); // v now owns the target address itself
    s.p.receive(routed(9, [2], [1, 1]), macOf(3), s.iface);
    s.p.receive(routed(9, [], [1, 1]), macOf(3), s.iface);
    const [, , third, fourth] = s.sent();
    expect(third.to).toBe(toHex(v.mac));
    expect(fourth.to).toBe(toHex(r.mac));
  });

  test('ttl counts down and a packet reaching 0 is dropped with a counter', () => {
    const s = station(9, [1]);
    s.peer([]);
    s.p.receive(routed(9, [2], [1, 1], { ttl: 1 }), macOf(9), s.iface);
    expect(s.sent()).toHaveLength(0);
    expect(s.p.counters.get('drop_ttl_expired')).toBe(1);
  });

  test('relay schema without ttl: forwarded to a peer destination, bounced back with the error flag otherwise', () => {
    const s = station(9, [1]);
    const r = s.peer([]);
    const u = s.peer([2, 1, 1, 1]);
    const relay = (to: number[]) => routed(9, to, [2, 1, 1, 1], { schemaId: 11, ttl: undefined });
    s.p.receive(relay([]), u.mac, s.iface);
    s.p.receive(relay([2]), u.mac, s.iface);
    const [toR, bounced] = s.sent();
    expect(toR.to).toBe(toHex(r.mac));
    expect(hasFlag(toR.p.flags, 'error')).toBe(false);
    expect(bounced.to).toBe(toHex(u.mac));
    expect(hasFlag(bounced.p.flags, 'error')).toBe(true);
  });

  test('a routed packet addressed to us is delivered and acked back toward its origin', () => {
    const s = station(118, [1]);
    const r = s.peer([]);
    s.p.receive(routed(118, [1], [2, 3], { flags: setFlag(0, 'ask', true) }), r.mac, s.iface);
    expect(s.app.received.map((x) => new TextDecoder().decode(x.blob))).toEqual(['routed']);
    expect(s.app.received[0].delivery.from?.toString()).toBe('118-23::');
    const [ack] = s.sent();
    expect(ack.to).toBe(toHex(r.mac));
    expect(hasFlag(ack.p.flags, 'ack')).toBe(true);
    expect(bytesEqual(ack.p.toAddr as Uint8Array, addr(118, [2, 3]).bytes)).toBe(true);
  });
});

describe('routed send', () => {
  test('tree 118, a [1] with peer r []: a send to u [2] goes via r on a routing schema with from = ours, to = u, under both metrics', () => {
    for (const metric of [Metric.dTree, Metric.dCPL]) {
      const s = station(118, [1]);
      const r = s.peer([]);
      const u = addr(118, [2]);
      const report = unwrap(s.p.send(TEST_APP_ID, new Uint8Array(20), { address: u }, { metric }));
      expect(report.schemaId).toBe(5);
      const [f] = s.sent();
      expect(f.to).toBe(toHex(r.mac));
      expect(bytesEqual(f.p.toAddr as Uint8Array, u.bytes)).toBe(true);
      expect(bytesEqual(f.p.fromAddr as Uint8Array, addr(118, [1]).bytes)).toBe(true);
      expect(f.p.ttl).toBe(255);
      // fix: the metric travels in flags.mode so relays use it too
      expect(hasFlag(f.p.flags, 'mode')).toBe(metric === Metric.dCPL);
    }
  });

  test('a node known only by a route is reached by a routed send; large blobs become a routed sequence', () => {
    const mesh = new TestMesh();
    const [a, b, c] = mesh.add(3);
    mesh.connect(a, b);
    mesh.connect(b, c);
    mesh.place(a, 4, []);
    mesh.place(b, 4, [1]);
    mesh.place(c, 4, [1, 1]);
    a.packager.addRoute(c.node.nodeId, c.packager.address as Address);
    const small = unwrap(a.packager.send(TEST_APP_ID, new Uint8Array(30).fill(1), { nodeId: c.node.nodeId }));
    const large = unwrap(a.packager.send(TEST_APP_ID, new Uint8Array(300).fill(2), { nodeId: c.node.nodeId }));
    expect([small.schemaId, small.frames]).toEqual([5, 1]);
    expect([large.schemaId, large.frames]).toEqual([7, 2]);
    mesh.runAwake(5_000);
    expect(c.app.received.map((x) => [x.blob.length, x.blob[0]])).toEqual([
      [30, 1],
      [300, 2],
    ]);
    expect(b.app.received).toHaveLength(0);
    expect(b.packager.counters.get('forwarded')).toBeGreaterThanOrEqual(3);
  });
});
