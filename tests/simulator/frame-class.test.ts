/**
 * What a frame on air is counted as (simulator/runner/frame-class.ts): the end-to-end ack of a
 * routed data packet is the data's cost, so a report's control bytes measure only the mesh
 * keeping itself up — an idle mesh sends no such acks.
 */
import { ACK_SUFFIX, FrameClassifier, SIGNALLING, ackedKind } from '../../simulator/runner/frame-class.js';
import { serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { ackOf } from '../../modules/mycelium/wire/outbound.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { CARRIED_MARKER } from '../../modules/rylr998/carried-acks.js';

const PING = new Uint8Array(16).fill(7);
const apps = [{ id: PING, name: 'Ping' }];
const from = new Uint8Array(16).fill(1);
const to = new Uint8Array(16).fill(2);

function routed(packetId: number): Packet {
  const pkg = buildPackage(portableHashes, PING, new Uint8Array([1, 2, 3]));
  if (!pkg.ok) throw new Error(pkg.error.message);
  return { schemaId: 5, flags: 0, packetId, ttl: 64, treeState: 1, toAddr: to, fromAddr: from, body: pkg.value };
}

function bytes(p: Packet): Uint8Array {
  const r = serializePacket(p);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

test('the ack of a routed Ping is a Ping ack when attributed, signalling otherwise', () => {
  const packet = routed(9);
  const ack = bytes(ackOf(portableHashes, packet));
  const attributing = new FrameClassifier(apps, false, undefined, true);
  expect(attributing.classify(0, bytes(packet))).toBe('Ping');
  expect(attributing.classify(1, ack)).toBe(`Ping${ACK_SUFFIX}`);
  expect(ackedKind(attributing.classify(2, ack))).toBe('Ping'); // every hop back
  const plain = new FrameClassifier(apps);
  plain.classify(0, bytes(packet));
  expect(plain.classify(1, ack)).toBe(SIGNALLING);
});

test('an ack of a packet never seen, or of another packet id, stays signalling', () => {
  const c = new FrameClassifier(apps, false, undefined, true);
  c.classify(0, bytes(routed(9)));
  expect(c.classify(1, bytes(ackOf(portableHashes, routed(10))))).toBe(SIGNALLING);
  // the same ids the other way round are not this packet's ack
  const reversed = { ...routed(9), toAddr: from, fromAddr: to };
  expect(c.classify(1, bytes(ackOf(portableHashes, reversed)))).toBe(SIGNALLING);
});

test('the table of routed packets is capped: the oldest is forgotten', () => {
  const c = new FrameClassifier(apps, false, undefined, true);
  c.classify(0, bytes(routed(0)));
  for (let i = 1; i <= 5000; i++) c.classify(0, bytes({ ...routed(i & 0xff), toAddr: new Uint8Array(16).fill(i & 0xff), fromAddr: new Uint8Array(16).fill(i >> 8) }));
  expect(c.classify(1, bytes(ackOf(portableHashes, routed(0))))).toBe(SIGNALLING);
});

test('a RYLR-998 carried frame counts as the frame it carries; acks alone are signalling', () => {
  const c = new FrameClassifier(apps);
  const frame = bytes(routed(11));
  const carried = new Uint8Array(4 + 2 * 2 + frame.length);
  carried.set([CARRIED_MARKER, 0, 3, 2, 0x12, 0x34, 0x56, 0x78]);
  carried.set(frame, 8);
  expect(c.classify(0, carried)).toBe('Ping');
  expect(c.classify(0, Uint8Array.of(CARRIED_MARKER, 0, 0, 1, 0x12, 0x34))).toBe(SIGNALLING);
});
