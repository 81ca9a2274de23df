/**
 * Routed messages without end-to-end acks (Timings `endToEndAcks` 0, the LoRa defaults under a
 * duty limit; docs/lora.md "Routed messages without end-to-end acks"). Upstream's rule, the
 * default: a routed single packet asks the destination for an ack, which comes back over every
 * hop, and is retried without one. With `endToEndAcks` 0 it goes once without asking; a direct
 * send to a neighbour keeps its ack (its one hop's retry), and so do sequences.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { Encoded, encodedValue } from '../../modules/mycelium/wire/flags.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const blobOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) & 255);

/** a — b — c in a line, tree addresses 0, [1], [1, 1]; `endToEndAcks` for every node. */
function line(endToEndAcks: number, loss = 0) {
  const mesh = new TestMesh({ loss, node: { packager: { timings: { endToEndAcks } } } });
  const [a, b, c] = mesh.add(3);
  mesh.connect(a, b);
  mesh.connect(b, c);
  const [, , cAddr] = [a, b, c].map((m, i) => mesh.place(m, 7, new Array<number>(i).fill(1)));
  return { mesh, a, b, c, cAddr };
}

/** Frames `from` put on the air, by kind (none, ask, ack, …). */
function sentKinds(mesh: TestMesh, from: MeshNode): string[] {
  return mesh.medium.log.filter((f) => bytesEqual(f.from, from.radio.mac)).map((f) => Object.keys(Encoded)[encodedValue(unwrap(parsePacket(f.frame)).flags)]);
}

test("upstream's rule: a routed message asks for an ack, which crosses both hops back", () => {
  const { mesh, a, b, c, cAddr } = line(1);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  mesh.runAwake(1_000);
  expect(c.app.received).toHaveLength(1);
  expect(sentKinds(mesh, a)).toEqual(['ask']);
  expect(sentKinds(mesh, c)).toEqual(['ack']);
  expect(sentKinds(mesh, b)).toEqual(['ask', 'ack']); // the message on, the ack back
  expect(a.packager.counters.get('rx_acks')).toBe(1);
});

test('endToEndAcks 0: the routed message goes once, asks nothing, and no ack comes back', () => {
  const { mesh, a, b, c, cAddr } = line(0);
  const acked: number[] = [];
  a.packager.addHook('message_acked', (m) => acked.push(m));
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  mesh.runAwake(30_000); // well past every retry delay
  expect(c.app.received.map((r) => r.blob)).toEqual([blobOf(16)]);
  expect(sentKinds(mesh, a)).toEqual(['none']);
  expect(sentKinds(mesh, b)).toEqual(['none']);
  expect(sentKinds(mesh, c)).toEqual([]);
  expect(a.packager.counters.get('tx_unicast_unacked')).toBe(1);
  expect(a.packager.counters.get('send_retries')).toBe(0);
  expect(acked).toEqual([]);
});

test('endToEndAckDutyMs: acked while the radio has room in its hour, unacked once it has spent more', () => {
  const mesh = new TestMesh({ node: { packager: { timings: { endToEndAcks: 1, endToEndAckDutyMs: 18_000 } } } });
  const [a, b, c] = mesh.add(3);
  mesh.connect(a, b);
  mesh.connect(b, c);
  const [, , cAddr] = [a, b, c].map((m, i) => mesh.place(m, 7, new Array<number>(i).fill(1)));
  let usedMs = 0;
  (a.radio as unknown as { dutyUsedMs: () => number }).dutyUsedMs = () => usedMs;
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  mesh.runAwake(1_000);
  usedMs = 18_001; // past its share of the hour: the next goes without an ack
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  mesh.runAwake(30_000);
  expect(c.app.received).toHaveLength(2);
  expect(sentKinds(mesh, a)).toEqual(['ask', 'none']);
  expect(a.packager.counters.get('tx_unacked_duty')).toBe(1);
  expect(a.packager.counters.get('tx_unicast_unacked')).toBe(1);
  // A radio that says nothing of its hour, or no limit set (0): upstream's ack.
  const { mesh: m2, a: a2, cAddr: c2 } = line(1);
  unwrap(a2.packager.send(TEST_APP_ID, blobOf(16), { address: c2 }));
  m2.runAwake(1_000);
  expect(sentKinds(m2, a2)).toEqual(['ask']);
});

test('endToEndAcks 0: a lost routed message is not resent (what the ack and its retry cost is saved)', () => {
  const { mesh, a, c, cAddr } = line(0, 1); // every frame lost
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { address: cAddr }));
  mesh.runAwake(30_000);
  expect(c.app.received).toHaveLength(0);
  expect(sentKinds(mesh, a)).toEqual(['none']);
});

test('endToEndAcks 0: a direct send to a neighbour keeps its ack and its retry', () => {
  const { mesh, a, b } = line(0);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(16), { nodeId: b.node.nodeId }));
  mesh.runAwake(1_000);
  expect(b.app.received).toHaveLength(1);
  expect(sentKinds(mesh, a)).toEqual(['ask']);
  expect(sentKinds(mesh, b)).toEqual(['ack']);
});

test('endToEndAcks 0: a routed sequence still asks for its acks (its window and resends need them)', () => {
  const { mesh, a, c, cAddr } = line(0);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(600), { address: cAddr }));
  mesh.runAwake(5_000);
  expect(c.app.received.map((r) => r.blob.length)).toEqual([600]);
  expect(sentKinds(mesh, c).length).toBeGreaterThan(0);
  expect(sentKinds(mesh, c).every((k) => k === 'ack')).toBe(true);
});
