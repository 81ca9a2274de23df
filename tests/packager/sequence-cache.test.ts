/**
 * The outbound sequence cache's byte cap (`sequenceCacheBytes`) counts only the sequences it
 * still holds: one that outlived `outboundTtlMs` no longer weighs on it, so it cannot push a
 * live blob out. (The soak of issue 19 showed 1 MB "held" by a node holding one sequence.)
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const blobOf = (n: number, fill: number) => new Uint8Array(n).map((_, i) => (i * fill + n) & 255);

test('expired sequences leave the byte count; two blobs after twenty expired broadcasts both arrive', () => {
  const mesh = new TestMesh({ latencyMs: 20 });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  for (let k = 0; k < 20; k++) {
    unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(8 * 1024, k + 1)));
    mesh.runAwake(65_000); // past outboundTtlMs: kept for RTX no longer
  }
  expect(a.packager.sizes().sequenceCacheBytes.size).toBe(0);
  const before = b.app.received.length;
  for (let k = 0; k < 2; k++) unwrap(a.packager.send(TEST_APP_ID, blobOf(60 * 1024, 50 + k), { nodeId: b.node.nodeId }));
  mesh.runAwake(60_000);
  expect(b.app.received.slice(before).map((r) => r.blob.length)).toEqual([60 * 1024, 60 * 1024]);
  expect(a.packager.counters.get('outbound_sequence_evicted')).toBe(0);
});
