/**
 * Every table is capped with an eviction rule, and hostile input never costs memory in
 * proportion to what it claims. Counters name every drop.
 */
import { TestMesh, TEST_APP_ID, nodeIdOf, macOf, type MeshNode } from '../support/mesh.js';
import { bodyChecksum, serializePacket } from '../../modules/mycelium/wire/packet.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

function inject(to: MeshNode, mac: Uint8Array, frame: Uint8Array) {
  to.packager.receive(frame, mac, to.packager.interfaceOf(to.radio)!);
}

const fragment = (schemaId: number, seqId: number, seqSize: number, index: number, size: number) =>
  unwrap(serializePacket({ schemaId, flags: 0, packetId: index, seqId, seqSize, body: new Uint8Array(size).fill(index), ...(schemaId === 4 ? { checksum: new Uint8Array(4) } : {}) }));

test('a fragment claiming a 65,536-packet sequence is refused without reserving its size', () => {
  const mesh = new TestMesh();
  const [a] = mesh.add(1);
  // schema 4 has a 2-byte seq_size: 65,536 × 238 bytes ≈ 15.6 MB claimed by one 23-byte frame
  const body = new Uint8Array(10);
  const frame = unwrap(serializePacket({ schemaId: 4, flags: 0, packetId: 0, seqId: 1, seqSize: 65_535, checksum: bodyChecksum(nodeHashes, body), body }));
  inject(a, macOf(9), frame);
  expect(a.packager.counters.get('drop_sequence_too_large')).toBe(1);
  expect(a.packager.sizes().inboundBytes.size).toBe(0);
});

test('one origin holds at most 2 sequences in flight; a third evicts its stalest', () => {
  const mesh = new TestMesh();
  const [a] = mesh.add(1);
  for (let seq = 0; seq < 3; seq++) {
    inject(a, macOf(9), fragment(2, seq, 3, 0, 243));
    mesh.run(100);
  }
  expect(a.packager.sizes().inbound.size).toBe(2);
  expect(a.packager.counters.get('inbound_evicted')).toBe(1);
});

test('when the total in-flight budget is full, new sequences are refused until one is idle for a sync period', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { inboundTotal: 3 } } } });
  const [a] = mesh.add(1);
  for (let origin = 0; origin < 4; origin++) inject(a, macOf(50 + origin), fragment(2, 0, 3, 0, 243));
  expect(a.packager.sizes().inbound.size).toBe(3);
  expect(a.packager.counters.get('drop_inbound_full')).toBe(1);
  mesh.run(10_000); // the three are now idle for a whole sync period
  inject(a, macOf(60), fragment(2, 0, 3, 0, 243));
  expect(a.packager.counters.get('inbound_evicted')).toBe(1);
  expect(a.packager.sizes().inbound.size).toBe(3);
});

test('reserved inbound bytes never exceed the budget', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { inboundTotalBytes: 20_000, inboundSequenceBytes: 20_000 } } } });
  const [a] = mesh.add(1);
  for (let origin = 0; origin < 5; origin++) inject(a, macOf(50 + origin), fragment(2, 0, 39, 0, 243)); // 40 × 243 = 9,720 each
  const s = a.packager.sizes().inboundBytes;
  expect(s.size).toBeLessThanOrEqual(20_000);
  expect(a.packager.sizes().inbound.size).toBe(2);
});

test('the peer table evicts the peer heard least recently, once it has been silent for peerIdleMs', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { peers: 3 } } } });
  const [a] = mesh.add(1);
  for (let i = 10; i < 14; i++) {
    a.packager.addPeer(nodeIdOf(i), [{ mac: macOf(i), radio: a.radio }]);
    mesh.run(i === 12 ? 90_000 : 10);
  }
  expect(a.packager.peers.map((p) => p.id[0])).toEqual([11, 12, 13]);
  expect(a.packager.counters.get('peer_evicted')).toBe(1);
});

test('the route table evicts the oldest route', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { routes: 2 } } } });
  const [a] = mesh.add(1);
  for (let i = 1; i <= 3; i++) a.packager.addRoute(nodeIdOf(10 + i), unwrap(Address.fromCoords(1, [i])));
  expect(a.packager.routes.map((r) => r.address.toString())).toEqual(['1-20::', '1-30::']);
  expect(a.packager.counters.get('route_evicted')).toBe(1);
});

test('a sleeping peer queue keeps the newest datagrams and counts the dropped', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { peerQueue: 3 } } } });
  const [a, b] = mesh.add(2);
  a.packager.addPeer(b.node.nodeId, [{ mac: b.radio.mac, radio: a.radio }]);
  mesh.run(1_000);
  for (let i = 0; i < 5; i++) a.packager.send(TEST_APP_ID, Uint8Array.of(i), { nodeId: b.node.nodeId });
  expect(a.packager.peers[0].queue).toHaveLength(3);
  expect(a.packager.counters.get('drop_peer_queue_full')).toBe(2);
});

test('the schedule refuses events beyond its cap', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { events: 2 } } } });
  const [a] = mesh.add(1);
  expect([a.packager.schedule('x', 10, () => {}), a.packager.schedule('y', 10, () => {}), a.packager.schedule('z', 10, () => {})]).toEqual([true, true, false]);
  expect(a.packager.schedule('x', 20, () => {})).toBe(true); // replacing a pending id is always allowed
  expect(a.packager.counters.get('schedule_full')).toBe(1);
});

test('outbound sequences kept for RTX are capped and the earliest-expiring is evicted', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { sequenceCache: 2 } } } });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  for (let i = 0; i < 3; i++) a.packager.broadcast(TEST_APP_ID, new Uint8Array(300));
  expect(a.packager.sizes().sequenceCache.size).toBe(2);
  expect(a.packager.counters.get('outbound_sequence_evicted')).toBe(1);
});

test('unicast sequences still being sent are never evicted: the send beyond the cap is refused', () => {
  const mesh = new TestMesh({ node: { packager: { limits: { sequenceCache: 2 } } } });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const codes = [0, 1, 2].map(() => a.packager.send(TEST_APP_ID, new Uint8Array(300), { nodeId: b.node.nodeId })).map((r) => (r.ok ? 'ok' : r.error.code));
  expect(codes).toEqual(['ok', 'ok', 'busy']);
  expect(a.packager.sizes().sequenceCache.size).toBe(2);
  expect(a.packager.counters.get('outbound_sequence_evicted')).toBe(0);
});

test('errors in apps, hooks and event handlers are contained and counted', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  b.app.throwOnReceive = true;
  b.packager.addHook('receive', () => {
    throw new Error('hook');
  });
  a.packager.schedule('boom', 5, () => {
    throw new Error('event');
  });
  a.packager.send(TEST_APP_ID, Uint8Array.of(1), { nodeId: b.node.nodeId });
  expect(() => mesh.run(100)).not.toThrow();
  expect(b.packager.counters.get('app_error')).toBe(1);
  expect(b.packager.counters.get('hook_error')).toBeGreaterThanOrEqual(1);
  expect(a.packager.counters.get('event_error')).toBe(1);
  expect(b.node.state().counters.app_error).toBe(1);
});
