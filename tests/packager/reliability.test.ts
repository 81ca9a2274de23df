/**
 * Delivery machinery (upstream test_Packager 10–13, 17–18, 22, 27–30) and our fixes to it:
 * RTX answered, sequences with their own seq_id, inbound sequences keyed by origin, acks never
 * taken for fragments, duplicates suppressed.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { parsePacket, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { Encoded, encodedValue, hasFlag } from '../../modules/mycelium/wire/flags.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { OutboundSequence } from '../../modules/mycelium/wire/sequence.js';
import { getSchema, type Schema } from '../../modules/mycelium/wire/schemas.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

const frames = (mesh: TestMesh) => mesh.medium.log.map((f) => ({ from: toHex(f.from), to: f.to ? toHex(f.to) : 'broadcast', p: unwrap(parsePacket(f.frame)) }));
const kinds = (mesh: TestMesh) => frames(mesh).map((f) => Object.keys(Encoded)[encodedValue(f.p.flags)]);
const blobOf = (n: number, fill = 7) => new Uint8Array(n).map((_, i) => (i * fill) & 255);

function pair(options = {}) {
  const mesh = new TestMesh(options);
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  return { mesh, a, b };
}

/** Inject a frame into `to` as if `from` had sent it. */
function inject(to: MeshNode, from: MeshNode, frame: Uint8Array) {
  to.packager.receive(frame, from.radio.mac, to.packager.interfaceOf(to.radio)!);
}

describe('broadcast', () => {
  test('a small broadcast is one frame, received by every neighbour, with no ack', () => {
    const mesh = new TestMesh();
    const [a, b, c] = mesh.add(3);
    mesh.connect(a, b);
    mesh.connect(a, c);
    const r = unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(10)));
    expect(r).toEqual({ schemaId: 0, frames: 1, sequence: false });
    mesh.run(100);
    expect([b.app.received.length, c.app.received.length]).toEqual([1, 1]);
    expect(kinds(mesh)).toEqual(['none']);
  });

  test('a 300-byte broadcast is a 2-fragment sequence, reassembled by the neighbour', () => {
    const { mesh, a, b } = pair();
    const r = unwrap(a.packager.broadcast(TEST_APP_ID, blobOf(300)));
    expect([r.schemaId, r.frames]).toEqual([2, 2]);
    mesh.run(100);
    expect(b.app.received[0].blob).toEqual(blobOf(300));
  });

  test('the loopback brings our own broadcast back to our apps, as upstream', () => {
    const mesh = new TestMesh({ loopback: true });
    const [a] = mesh.add(1);
    a.packager.broadcast(TEST_APP_ID, blobOf(5));
    mesh.run(10);
    expect(a.app.received).toHaveLength(1);
    expect(a.app.received[0].delivery.mac).toBeUndefined();
  });
});

describe('unicast', () => {
  test('a small send is one frame with packet id 0 and ask; a 300-byte send is 2 fragments', () => {
    const { mesh, a, b } = pair();
    a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId });
    a.packager.send(TEST_APP_ID, blobOf(300), { nodeId: b.node.nodeId });
    mesh.run(100);
    const data = frames(mesh).filter((f) => f.from === toHex(a.radio.mac));
    expect(data.map((f) => [f.p.schemaId, f.p.packetId, f.p.seqId, hasFlag(f.p.flags, 'ask')])).toEqual([
      [0, 0, undefined, true],
      [2, 0, 0, true],
      [2, 1, 0, true],
    ]);
    expect(b.app.received.map((x) => x.blob.length)).toEqual([10, 300]);
  });

  test('an unacked packet is retried every 2 s, 3 times, under its own packet_id, then reported failed', () => {
    const { mesh, a, b } = pair();
    const failed: [number, string][] = [];
    a.packager.addHook('message_failed', (m, why) => failed.push([m, why]));
    mesh.medium.unlink(a.radio, b.radio);
    const r = unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
    mesh.runAwake(1_999, 1_999);
    expect(frames(mesh)).toHaveLength(1);
    mesh.runAwake(10_000);
    const sent = frames(mesh);
    // Upstream gives each retry a new packet_id; ours keep it, so the receiver knows the message.
    expect(sent.map((f) => f.p.packetId)).toEqual([0, 0, 0, 0]);
    expect(a.packager.counters.get('send_unacked')).toBe(1);
    expect(failed).toEqual([[r.message, 'unacked']]);
  });

  // With retries that back off (retry-backoff.ts) the last copy leaves 14 s after the first.
  test.each([
    ['every 2 s', {}, 10_000],
    ['with sendRetryMaxBackoff 4, the last 14 s after the first', { node: { packager: { timings: { sendRetryMaxBackoff: 4 } } } }, 16_000],
  ])('a retry whose original arrived (the ack was lost) is not delivered twice: copies %s', (_, options, runMs) => {
    const { mesh, a, b } = pair(options);
    mesh.medium.link(b.radio, a.radio, 1, true); // b → a loses everything: acks never arrive
    a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId });
    mesh.runAwake(runMs);
    expect(frames(mesh).filter((f) => hasFlag(f.p.flags, 'ask'))).toHaveLength(4);
    expect(b.app.received).toHaveLength(1);
    expect(b.packager.counters.get('duplicate_packet')).toBe(3);
  });

  describe('with sendRetryMaxBackoff 4 (retry-backoff.ts)', () => {
    const backoff = { node: { packager: { timings: { sendRetryMaxBackoff: 4 } } } };

    test('the waits double (2, 4, 8 s) and the failure is told 2 s after the last copy', () => {
      const { mesh, a, b } = pair(backoff);
      const failed: [number, string][] = [];
      a.packager.addHook('message_failed', (m, why) => failed.push([m, why]));
      mesh.medium.unlink(a.radio, b.radio);
      const start = mesh.clock.now();
      const r = unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
      const at: number[] = [];
      let failedAt = -1;
      for (let t = 0; t < 20_000; t += 10) {
        mesh.runAwake(10, 10);
        if (frames(mesh).length > at.length) at.push(mesh.clock.now() - start);
        if (failedAt < 0 && failed.length > 0) failedAt = mesh.clock.now() - start;
      }
      expect(at).toEqual([10, 2_000, 6_000, 14_000]); // the first frame seen after the first 10 ms step
      expect(failedAt).toBe(16_000);
      expect(frames(mesh).map((f) => f.p.packetId)).toEqual([0, 0, 0, 0]);
      expect(failed).toEqual([[r.message, 'unacked']]);
    });

    test('a message sent into a break that mends within 10 s still arrives (by default all four copies meet the break)', () => {
      for (const [options, arrived] of [[backoff, 1], [{}, 0]] as const) {
        const { mesh, a, b } = pair(options);
        mesh.medium.unlink(a.radio, b.radio);
        unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
        mesh.runAwake(10_000);
        mesh.medium.link(a.radio, b.radio);
        mesh.runAwake(10_000);
        expect(b.app.received).toHaveLength(arrived);
      }
    });

  });

  test('receiving a version-1 frame drops it; version 0 is delivered', () => {
    const { a, b } = pair();
    const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, blobOf(4)));
    const frame = unwrap(serializePacket({ schemaId: 0, flags: 0, packetId: 0, body }));
    inject(b, a, frame);
    const v1 = frame.slice();
    v1[0] = 1;
    inject(b, a, v1);
    expect(b.app.received).toHaveLength(1);
    expect(b.packager.counters.get('drop_bad_version')).toBe(1);
  });

  test('a blob whose half-hash does not match, or for an unknown app, is not delivered', () => {
    const { a, b } = pair();
    const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, blobOf(4)));
    body[33] ^= 1; // a blob byte
    inject(b, a, unwrap(serializePacket({ schemaId: 0, flags: 0, packetId: 0, body })));
    inject(b, a, unwrap(serializePacket({ schemaId: 0, flags: 0, packetId: 0, body: unwrap(buildPackage(nodeHashes, new Uint8Array(16), blobOf(4))) })));
    expect(b.app.received).toHaveLength(0);
    expect([b.packager.counters.get('drop_half_hash'), b.packager.counters.get('drop_unknown_app')]).toEqual([1, 1]);
  });

  test('fix: a checksum schema with a wrong CRC is dropped', () => {
    const { a, b } = pair();
    const body = unwrap(buildPackage(nodeHashes, TEST_APP_ID, blobOf(4)));
    inject(b, a, unwrap(serializePacket({ schemaId: 1, flags: 0, packetId: 0, checksum: Uint8Array.of(1, 2, 3, 4), body })));
    expect(b.app.received).toHaveLength(0);
    expect(b.packager.counters.get('drop_checksum_mismatch')).toBe(1);
  });
});

describe('sleeping peers: RNS / NIA', () => {
  test('a send to a peer not heard for 800 ms is queued, RNS probes go out 36 ms apart, and NIA releases the queue', () => {
    const { mesh, a, b } = pair();
    mesh.medium.unlink(a.radio, b.radio);
    mesh.run(801);
    a.packager.send(TEST_APP_ID, new TextEncoder().encode('test'), { nodeId: b.node.nodeId });
    expect(kinds(mesh)).toEqual(['rns']);
    expect(a.packager.scheduledIds().sort()).toEqual([`RP0`, `rns${toHex(b.node.nodeId)}${a.packager.interfaces[0].key}`].sort());
    mesh.run(36);
    expect(kinds(mesh)).toEqual(['rns', 'rns']);
    mesh.medium.link(a.radio, b.radio);
    mesh.run(36); // third RNS reaches b, which answers NIA; a flushes the queued datagram
    mesh.run(5);
    const k = kinds(mesh);
    expect(k.slice(0, 5)).toEqual(['rns', 'rns', 'rns', 'nia', 'ask']);
    const data = frames(mesh)[4].p;
    expect(data.body.length).toBe(36);
    expect(new TextDecoder().decode(data.body.subarray(32))).toBe('test');
    expect(a.packager.scheduledIds().some((id) => id.startsWith('rns'))).toBe(false);
    mesh.run(10);
    expect(b.app.received).toHaveLength(1);
  });

  test('with no NIA after 4 probes the queue is dropped and counted', () => {
    const { mesh, a, b } = pair();
    mesh.medium.unlink(a.radio, b.radio);
    mesh.run(801);
    a.packager.send(TEST_APP_ID, blobOf(4), { nodeId: b.node.nodeId });
    mesh.run(200);
    expect(kinds(mesh)).toEqual(['rns', 'rns', 'rns', 'rns']);
    expect(a.packager.counters.get('drop_peer_asleep')).toBe(1);
  });

  test('an RNS is answered with NIA to its sender, a known peer or a stranger (a one-way-heard sender would otherwise drop its queue)', () => {
    const { mesh, a, b } = pair();
    const stranger = mesh.add(1)[0];
    mesh.medium.link(stranger.radio, b.radio);
    const rns = Uint8Array.of(0, 0, 0, 0x20, 0);
    inject(b, a, rns);
    inject(b, stranger, rns);
    expect(frames(mesh).map((f) => [f.to, Object.keys(Encoded)[encodedValue(f.p.flags)]])).toEqual([
      [toHex(a.radio.mac), 'nia'],
      [toHex(stranger.radio.mac), 'nia'],
    ]);
    expect(b.packager.counters.get('rns_from_stranger')).toBe(1);
  });
});

describe('sequences', () => {
  /** Fragments of a 2-fragment unicast sequence from a to b, on schema 2, built by hand. */
  function fragments(seqId: number, blob = blobOf(300)) {
    const schema = getSchema(2) as Schema;
    const seq = unwrap(OutboundSequence.create(schema, seqId, unwrap(buildPackage(nodeHashes, TEST_APP_ID, blob))));
    return [0, 1].map((i) => unwrap(serializePacket(seq.fragment(i, 0, {}, true) as Packet)));
  }

  test('a missing fragment is requested with RTX after 10 s, and arriving completes delivery', () => {
    const { mesh, a, b } = pair();
    const [f0, f1] = fragments(0);
    inject(b, a, f0);
    expect(kinds(mesh)).toEqual(['ack']);
    expect(b.packager.scheduledIds().some((id) => id.startsWith('SS'))).toBe(true);
    mesh.run(10_000); // a has been silent for 10 s, so the request first wakes it with RNS
    mesh.run(50);
    const rtx = frames(mesh).find((f) => encodedValue(f.p.flags) === Encoded.rtx)!.p;
    expect([Object.keys(Encoded)[encodedValue(rtx.flags)], rtx.packetId, rtx.seqId, rtx.seqSize]).toEqual(['rtx', 1, 0, 1]);
    inject(b, a, f1);
    expect(b.app.received).toHaveLength(1);
    expect(b.packager.scheduledIds().some((id) => id.startsWith('SS'))).toBe(false);
  });

  test('with upstream ack sampling, a lost fragment that was not asked for is still served by RTX', () => {
    // Upstream asks acks of fragments 0, middle and last only. Their acks arriving proves nothing
    // about the others, so the sender must keep the frames for the receiver's RTX.
    const { mesh, a, b } = pair({ node: { packager: { askEveryFragment: false } } });
    const send = a.radio.send.bind(a.radio);
    let dropped = 0;
    a.radio.send = (mac, frame) => {
      const p = unwrap(parsePacket(frame));
      if (p.seqId !== undefined && p.packetId === 1 && encodedValue(p.flags) !== Encoded.ack && dropped === 0) {
        dropped++;
        return true; // lost on the air
      }
      return send(mac, frame);
    };
    const blob = blobOf(1000);
    const r = unwrap(a.packager.send(TEST_APP_ID, blob, { nodeId: b.node.nodeId }));
    expect(r.frames).toBeGreaterThanOrEqual(4);
    mesh.run(30_000);
    expect(dropped).toBe(1);
    expect(b.app.received.map((m) => m.blob)).toEqual([blob]);
    expect(a.packager.counters.get('rtx_served')).toBeGreaterThanOrEqual(1);
    expect(a.packager.counters.get('rtx_unknown')).toBe(0);
  });

  test('without answers the receiver asks 3 times, 10 s apart, then abandons the sequence', () => {
    const { mesh, a, b } = pair();
    inject(b, a, fragments(0)[0]);
    mesh.run(45_000);
    expect(kinds(mesh).filter((k) => k === 'rtx')).toHaveLength(3);
    expect(b.packager.counters.get('sequence_abandoned')).toBe(1);
    expect(b.packager.sizes().inbound.size).toBe(0);
  });

  test('fix: the sender answers RTX for a fragment and for a single packet from its caches', () => {
    const { mesh, a, b } = pair();
    mesh.medium.unlink(a.radio, b.radio);
    a.packager.send(TEST_APP_ID, blobOf(300), { nodeId: b.node.nodeId }); // seq 0, lost
    a.packager.send(TEST_APP_ID, blobOf(20), { nodeId: b.node.nodeId }); // packet id 0, lost
    mesh.medium.clearLog();
    inject(a, b, unwrap(serializePacket({ schemaId: 2, flags: 0x18, packetId: 1, seqId: 0, seqSize: 1, body: new Uint8Array(0) })));
    inject(a, b, unwrap(serializePacket({ schemaId: 0, flags: 0x18, packetId: 0, body: new Uint8Array(0) })));
    const resent = frames(mesh);
    expect(resent.map((f) => [f.p.schemaId, f.p.packetId, f.p.body.length > 0])).toEqual([
      [2, 1, true],
      [0, 0, true],
    ]);
    expect(a.packager.counters.get('rtx_served')).toBe(2);
  });

  test('fix: RTX for a seq_id of ours from someone we did not send it to is not answered', () => {
    const mesh = new TestMesh();
    const [a, b, c] = mesh.add(3);
    mesh.connect(a, b);
    mesh.connect(a, c);
    a.packager.send(TEST_APP_ID, blobOf(300), { nodeId: b.node.nodeId });
    mesh.medium.clearLog();
    inject(a, c, unwrap(serializePacket({ schemaId: 2, flags: 0x18, packetId: 1, seqId: 0, seqSize: 1, body: new Uint8Array(0) })));
    expect(frames(mesh)).toHaveLength(0);
    expect(a.packager.counters.get('rtx_unknown')).toBe(1);
  });

  test('fix: every unicast sequence gets its own seq_id and is kept for resends', () => {
    const { mesh, a, b } = pair();
    a.packager.send(TEST_APP_ID, blobOf(300, 1), { nodeId: b.node.nodeId });
    a.packager.send(TEST_APP_ID, blobOf(300, 3), { nodeId: b.node.nodeId });
    expect(a.packager.sizes().sequenceCache.size).toBe(2); // kept until every fragment is acked
    mesh.run(100);
    const seqIds = new Set(frames(mesh).filter((f) => f.from === toHex(a.radio.mac)).map((f) => f.p.seqId));
    expect([...seqIds]).toEqual([0, 1]);
    expect(a.packager.sizes().sequenceCache.size).toBe(0);
    expect(b.app.received.map((x) => x.blob)).toEqual([blobOf(300, 1), blobOf(300, 3)]);
  });

  test('fix: acks of our fragments are never taken for fragments of an inbound sequence', () => {
    const { mesh, a, b } = pair();
    a.packager.send(TEST_APP_ID, blobOf(2_000), { nodeId: b.node.nodeId });
    mesh.run(30_000);
    expect(b.app.received).toHaveLength(1);
    expect(a.packager.sizes().inbound.size).toBe(0);
    expect(kinds(mesh).filter((k) => k === 'rtx')).toHaveLength(0);
    expect(a.packager.counters.get('rx_acks')).toBe(9);
  });

  test('fix: two senders using the same seq_id at once are reassembled separately', () => {
    const mesh = new TestMesh();
    const [a, b, c] = mesh.add(3);
    mesh.connect(a, c);
    mesh.connect(b, c);
    const fromA = fragments(5, blobOf(300, 1));
    const fromB = fragments(5, blobOf(300, 2));
    inject(c, a, fromA[0]);
    inject(c, b, fromB[0]);
    inject(c, a, fromA[1]);
    inject(c, b, fromB[1]);
    expect(c.app.received.map((x) => x.blob)).toEqual([blobOf(300, 1), blobOf(300, 2)]);
  });

  test('a resent fragment after completion is acked but does not start a second delivery', () => {
    const { mesh, a, b } = pair();
    const [f0, f1] = fragments(0);
    inject(b, a, f0);
    inject(b, a, f1);
    inject(b, a, f1);
    mesh.run(60_000);
    expect(b.app.received).toHaveLength(1);
    expect(b.packager.counters.get('duplicate_fragment')).toBe(1);
    expect(kinds(mesh).filter((k) => k === 'rtx')).toHaveLength(0);
  });

  test('a new sequence reusing a seq_id (upstream does for every unicast) is delivered too', () => {
    const { a, b } = pair();
    for (const f of fragments(0, blobOf(300, 1))) inject(b, a, f);
    for (const f of fragments(0, blobOf(300, 5))) inject(b, a, f);
    expect(b.app.received.map((x) => x.blob)).toEqual([blobOf(300, 1), blobOf(300, 5)]);
  });

  test('a fragment body is copied: the radio may reuse its buffer', () => {
    const { a, b } = pair();
    const [f0, f1] = fragments(0);
    const buffer = f0.slice();
    inject(b, a, buffer);
    buffer.fill(0);
    inject(b, a, f1);
    expect(bytesEqual(b.app.received[0].blob, blobOf(300))).toBe(true);
  });
});

describe('sendRetryJitterMs', () => {
  /** When a's attempts at one unacked packet to b began (b's acks never reach a; each attempt wakes b with RNS probes first). */
  function attempts(jitter: number, seed: number, sendRetryMaxBackoff = 1): number[] {
    const mesh = new TestMesh({ seed, node: { packager: { timings: { sendRetryDelayMs: 2_000, sendRetryCount: 3, sendRetryJitterMs: jitter, sendRetryMaxBackoff } } } });
    const [a, b] = mesh.add(2);
    mesh.medium.link(a.radio, b.radio, 0, true);
    mesh.befriend(a, b);
    unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
    const start = mesh.clock.now();
    const at: number[] = [];
    for (let t = 0; t < 20_000; t += 10) {
      mesh.run(10);
      const now = mesh.clock.now() - start;
      if (frames(mesh).some((f) => f.from === toHex(a.radio.mac)) && !(now - at[at.length - 1] < 500)) at.push(now);
      mesh.medium.clearLog();
    }
    return at;
  }

  test('0 (upstream): retries every sendRetryDelayMs exactly, so two senders that collided once stay in step', () => {
    expect(attempts(0, 1)).toEqual(attempts(0, 2));
    const at = attempts(0, 1);
    expect(at).toHaveLength(4);
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual([1_990, 2_000, 2_000]); // the first frame left 10 ms in
  });

  test('with sendRetryMaxBackoff 4 the waits double, the jitter on top of each', () => {
    const at = attempts(0, 1, 4);
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual([1_990, 4_000, 8_000]);
    const jittered = attempts(1_000, 1, 4);
    for (let i = 1; i < jittered.length; i++) {
      const wait = 2_000 * 2 ** (i - 1);
      expect(jittered[i] - jittered[i - 1]).toBeGreaterThanOrEqual(wait - 10);
      expect(jittered[i] - jittered[i - 1]).toBeLessThan(wait + 1_010);
    }
  });

  test('> 0: each retry waits an extra random share of the jitter, different per node', () => {
    const one = attempts(1_000, 1);
    const two = attempts(1_000, 2);
    expect(one).toHaveLength(4);
    for (const at of [one, two]) {
      for (let i = 1; i < at.length; i++) {
        expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(1_990);
        expect(at[i] - at[i - 1]).toBeLessThan(3_010);
      }
    }
    expect(one).not.toEqual(two);
  });
});
