/**
 * Issue 19, class 3 (slow sequence bomb): two fake senders each open a sequence claiming 276
 * fragments (65 KB, the per-sequence limit) and add one fragment every 9 s, just under the 10 s
 * after which a sequence counts as idle. Together they reserve the whole 128 KB inbound budget
 * for as long as they keep trickling; an honest neighbour's multi-fragment unicasts must still
 * be delivered.
 */
import { TestMesh, TEST_APP_ID, macOf } from '../support/mesh.js';
import { bodyChecksum, serializePacket } from '../../modules/mycelium/wire/packet.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const BOMB_FRAGMENTS = 276; // × 237 bytes (schema 4's body) = 65,412 bytes claimed

function bombFragment(seqId: number, index: number): Uint8Array {
  const body = new Uint8Array(237).fill(index & 255);
  return unwrap(serializePacket({ schemaId: 4, flags: 0, packetId: index, seqId, seqSize: BOMB_FRAGMENTS - 1, checksum: bodyChecksum(nodeHashes, body), body }));
}

test('two senders trickling 276-fragment sequences at 0.11 frames/s each do not block honest multi-fragment unicasts', () => {
  const mesh = new TestMesh({ seed: 3 });
  const [victim, honest] = mesh.add(2);
  mesh.connect(victim, honest);
  const iface = victim.packager.interfaceOf(victim.radio)!;
  const attackers = [macOf(901), macOf(902)];
  let sent = 0;
  let fragments = 0;
  for (let t = 0; t < 600_000; t += 1_000) {
    // Each attacker adds one fragment every 9 s (offset by 4 s from the other).
    attackers.forEach((mac, k) => {
      if ((t + k * 4_000) % 9_000 === 0) victim.packager.receive(bombFragment(7, fragments++ % BOMB_FRAGMENTS), mac, iface);
    });
    if (t >= 30_000 && t % 30_000 === 0) {
      const blob = new Uint8Array(2_000).fill(sent & 255);
      if (honest.packager.send(TEST_APP_ID, blob, { nodeId: victim.node.nodeId }).ok) sent++;
    }
    mesh.runAwake(1_000);
  }
  mesh.runAwake(30_000);
  const delivered = victim.app.received.filter((r) => r.blob.length === 2_000).length;
  const evicted = victim.packager.counters.get('inbound_evicted');
  console.log(`sequence bomb: 2 senders × 1 fragment / 9 s; honest 2,000-byte unicasts delivered ${delivered} of ${sent}; bomb sequences evicted ${evicted}`);
  expect(sent).toBe(19);
  expect(delivered).toBe(sent); // before: 0 — every honest sequence was refused (drop_inbound_full)
  expect(victim.packager.sizes().inboundBytes.size).toBeLessThanOrEqual(victim.packager.sizes().inboundBytes.limit);
});

test('a new sequence takes the room of a slow one, never of an honest sequence in progress; one origin holds at most its byte share', () => {
  const mesh = new TestMesh({ seed: 4 });
  const [victim] = mesh.add(1);
  const iface = victim.packager.interfaceOf(victim.radio)!;
  const inject = (mac: Uint8Array, seqId: number, index: number) => victim.packager.receive(bombFragment(seqId, index), mac, iface);
  // One origin opening two 65 KB sequences: its share is 64 KB, and the first is not slow yet.
  inject(macOf(900), 1, 0);
  inject(macOf(900), 2, 0);
  expect(victim.packager.sizes().inbound.size).toBe(1);
  expect(victim.packager.counters.get('drop_inbound_full')).toBe(1);
  // An honest sender (fragment after fragment) next to a stalled bomb: the budget is full.
  for (let i = 0; i < 50; i++) {
    inject(macOf(901), 3, i);
    mesh.run(20);
  }
  mesh.run(5_000); // the bomb (1 fragment in 6 s) is now slow; the honest one is not
  expect(victim.packager.sizes().inbound.size).toBe(2);
  inject(macOf(902), 4, 0); // a third origin: evicts the bomb, not the honest sequence
  inject(macOf(903), 5, 0); // a fourth: nothing is slow or idle, refused
  expect(victim.packager.counters.get('drop_inbound_full')).toBe(2);
  expect(victim.packager.counters.get('inbound_evicted')).toBe(1); // origin 900's bomb
  const completed = victim.packager.sizes().inbound.size;
  for (let i = 50; i < BOMB_FRAGMENTS; i++) inject(macOf(901), 3, i);
  expect([completed, victim.packager.sizes().inbound.size]).toEqual([2, 1]); // the honest sequence completed
});
