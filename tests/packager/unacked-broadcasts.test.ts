/**
 * Broadcast sequences without acks (Packager.unackedBroadcasts; SignedTree's broadcast chains,
 * docs/security.md "Session 11"). Upstream's broadcast sequence asks an ack of every fragment
 * from every neighbour, and its sender keeps no state for them: at 1,000 signed nodes those acks
 * were 878 B a node in the first 3 minutes. An app set unacked sends its fragments without the
 * ask; a receiver that misses one still gets it, by asking for it again (rtx).
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { Encoded, encodedValue } from '../../modules/mycelium/wire/flags.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const blobOf = (n: number) => new Uint8Array(n).map((_, i) => (i * 7) & 255);
const kinds = (mesh: TestMesh) => mesh.medium.log.map((f) => Object.keys(Encoded)[encodedValue(unwrap(parsePacket(f.frame)).flags)]);

function star() {
  const mesh = new TestMesh();
  const [a, b, c, d] = mesh.add(4);
  for (const x of [b, c, d]) mesh.connect(a, x);
  return { mesh, a, others: [b, c, d] };
}

test('by default every neighbour acks every fragment of a broadcast sequence (upstream)', () => {
  const { mesh, a, others } = star();
  const r = unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(900)));
  mesh.run(1_000);
  expect(others.map((x) => x.app.received.length)).toEqual([1, 1, 1]);
  expect(kinds(mesh).filter((k) => k === 'ack')).toHaveLength(3 * r.frames);
});

test('an unacked app: the same fragments without asks, no ack on the air, every neighbour has the blob', () => {
  const { mesh, a, others } = star();
  a.packager.unackedBroadcasts(TEST_APP_ID);
  const r = unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(900)));
  expect(r.frames).toBeGreaterThan(3);
  mesh.run(1_000);
  expect(others.map((x) => x.app.received[0]?.blob)).toEqual([blobOf(900), blobOf(900), blobOf(900)]);
  expect(kinds(mesh)).toEqual(Array(r.frames).fill('none'));
  // Cleared: asks again.
  a.packager.unackedBroadcasts(TEST_APP_ID, false);
  unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(900)));
  mesh.run(1_000);
  expect(kinds(mesh).filter((k) => k === 'ack')).toHaveLength(3 * r.frames);
});

test('an unacked broadcast whose fragment was lost still reaches every neighbour (rtx)', () => {
  const { mesh, a, others } = star();
  a.packager.unackedBroadcasts(TEST_APP_ID);
  const inner = a.radio.broadcast.bind(a.radio);
  let n = 0;
  a.radio.broadcast = (frame: Uint8Array) => (n++ === 1 ? true : inner(frame)); // the 2nd fragment never goes out
  unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(900)));
  mesh.run(30_000); // a receiver asks for what it misses after seqSyncDelayMs (10 s), acked or not
  expect(others.map((x) => x.app.received[0]?.blob)).toEqual([blobOf(900), blobOf(900), blobOf(900)]);
  expect(kinds(mesh).filter((k) => k === 'rtx').length).toBeGreaterThan(0);
  expect(kinds(mesh).filter((k) => k === 'ack')).toHaveLength(0);
});

test('other apps keep their asks', () => {
  const { mesh, a } = star();
  a.packager.unackedBroadcasts(Uint8Array.from({ length: 16 }, (_, i) => i + 1));
  const r = unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(900)));
  mesh.run(1_000);
  expect(kinds(mesh).filter((k) => k === 'ack')).toHaveLength(3 * r.frames);
});
