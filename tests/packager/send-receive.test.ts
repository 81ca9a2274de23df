import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { utf8Encode, utf8Decode } from '../../modules/mycelium/wire/bytes.js';

test('a small unicast reaches the peer once, is acked, and is not retried', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const r = a.packager.send(TEST_APP_ID, utf8Encode('hello'), { nodeId: b.node.nodeId });
  expect(r.ok && r.value).toEqual({ schemaId: 0, frames: 1, sequence: false, message: 1 });
  mesh.run(10_000);
  expect(b.app.received.map((x) => utf8Decode(x.blob))).toEqual(['hello']);
  expect(a.packager.counters.get('send_retries')).toBe(0);
  const frames = mesh.medium.log.map((f) => unwrap(parsePacket(f.frame)));
  expect(frames.map((p) => p.flags)).toEqual([0x08, 0x10]); // ask, then ack
});

test('a 10 KB unicast is split, reassembled and delivered once', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const blob = new Uint8Array(10_000).map((_, i) => i * 7);
  const r = unwrap(a.packager.send(TEST_APP_ID, blob, { nodeId: b.node.nodeId }));
  expect(r.sequence).toBe(true);
  mesh.runAwake(30_000);
  expect(b.app.received).toHaveLength(1);
  expect(b.app.received[0].blob).toEqual(blob);
  expect(a.packager.counters.get('fragment_resent')).toBe(0);
});
