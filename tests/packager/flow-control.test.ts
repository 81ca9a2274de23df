/**
 * Flow control for sequences (issue 16 part 3, docs/routing.md): a send window paced by acks,
 * back-pressure instead of queue overflow, hop recovery among our own nodes, and exactly-once
 * delivery when acks are lost.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { Encoded, encodedValue, hasFlag } from '../../modules/mycelium/wire/flags.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { DEFAULT_LIMITS } from '../../modules/mycelium/packager/options.js';

/** These meshes have no Hello app, so `true` (every neighbour that speaks Hello) would mean none. */
const everyNeighbour = (): boolean => true;

const KB10 = 10 * 1024;
const blobOf = (n: number, fill = 7) => new Uint8Array(n).map((_, i) => (i * fill + n) & 255);

/** Fragment indices `from` has put on the air (data, not acks), distinct. */
function fragmentsSent(mesh: TestMesh, from: MeshNode): Set<number> {
  const sent = new Set<number>();
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, from.radio.mac)) continue;
    const p = parsePacket(f.frame);
    if (p.ok && p.value.seqId !== undefined && encodedValue(p.value.flags) === Encoded.ask) sent.add(p.value.packetId);
  }
  return sent;
}

/** A line of `n` nodes, each a peer of the next, with tree addresses 0, [1], [1,1], … */
function line(n: number, options: ConstructorParameters<typeof TestMesh>[0]) {
  const mesh = new TestMesh(options);
  const nodes = mesh.add(n);
  for (let i = 0; i + 1 < n; i++) mesh.connect(nodes[i], nodes[i + 1]);
  const addrs = nodes.map((m, i) => mesh.place(m, 7, new Array<number>(i).fill(1)));
  return { mesh, nodes, addrs };
}

describe('send window', () => {
  test('a 10 KB blob to a neighbour never has more than the window unacked, and arrives once', () => {
    const mesh = new TestMesh({ latencyMs: 20 });
    const [a, b] = mesh.add(2);
    mesh.connect(a, b);
    const sent = unwrap(a.packager.send(TEST_APP_ID, blobOf(KB10), { nodeId: b.node.nodeId }));
    expect(sent.frames).toBeGreaterThan(40);
    let most = 0;
    for (let t = 0; t < 20_000 && b.app.received.length === 0; t++) {
      const inFlight = fragmentsSent(mesh, a).size - a.packager.counters.get('rx_acks');
      most = Math.max(most, inFlight);
      mesh.runAwake(1, 1);
    }
    expect(most).toBeGreaterThanOrEqual(DEFAULT_LIMITS.flowWindowStart);
    expect(most).toBeLessThanOrEqual(DEFAULT_LIMITS.flowWindowMax);
    mesh.runAwake(5_000);
    expect(b.app.received.map((r) => r.blob)).toEqual([blobOf(KB10)]);
  });

  test('the first burst is the starting window, not the whole blob', () => {
    const mesh = new TestMesh({ latencyMs: 20 });
    const [a, b] = mesh.add(2);
    mesh.connect(a, b);
    a.packager.send(TEST_APP_ID, blobOf(KB10), { nodeId: b.node.nodeId });
    mesh.run(1);
    expect(fragmentsSent(mesh, a).size).toBe(DEFAULT_LIMITS.flowWindowStart);
    expect(a.packager.counters.get('flow_waiting')).toBeGreaterThan(0);
  });

  test('several blobs share the node-wide in-flight budget', () => {
    const mesh = new TestMesh({ latencyMs: 20, node: { packager: { limits: { flowInFlight: 6 } } } });
    const [a, b] = mesh.add(2);
    mesh.connect(a, b);
    for (let k = 0; k < 3; k++) unwrap(a.packager.send(TEST_APP_ID, blobOf(KB10, k + 1), { nodeId: b.node.nodeId }));
    mesh.run(1);
    expect(mesh.medium.log.filter((f) => bytesEqual(f.from, a.radio.mac))).toHaveLength(6);
    mesh.runAwake(30_000);
    expect(b.app.received).toHaveLength(3);
  });
});

describe('back-pressure', () => {
  test('a send that would evict a blob still on its way is refused with busy, nothing is lost', () => {
    const mesh = new TestMesh({ latencyMs: 20, node: { packager: { limits: { sequenceCache: 2 } } } });
    const [a, b] = mesh.add(2);
    mesh.connect(a, b);
    const to = { nodeId: b.node.nodeId };
    expect(a.packager.send(TEST_APP_ID, blobOf(KB10, 1), to).ok).toBe(true);
    expect(a.packager.send(TEST_APP_ID, blobOf(KB10, 2), to).ok).toBe(true);
    const third = a.packager.send(TEST_APP_ID, blobOf(KB10, 3), to);
    expect(third.ok ? 'ok' : third.error.code).toBe('busy');
    expect(a.packager.counters.get('send_refused_busy')).toBe(1);
    mesh.runAwake(30_000);
    expect(a.packager.counters.get('outbound_sequence_evicted')).toBe(0);
    expect(b.app.received.map((r) => r.blob)).toEqual([blobOf(KB10, 1), blobOf(KB10, 2)]);
    // Once they are through, the slot is free again.
    expect(a.packager.send(TEST_APP_ID, blobOf(KB10, 3), to).ok).toBe(true);
  });
});

describe('hop recovery', () => {
  test('10 KB blobs cross 8 hops at 30 % loss per link, both ways, each delivered exactly once', () => {
    const { mesh, nodes, addrs } = line(9, { seed: 3, loss: 0.3, latencyMs: 2, node: { packager: { hopRecovery: everyNeighbour } } });
    const [first, last] = [nodes[0], nodes[8]];
    for (let k = 0; k < 3; k++) {
      unwrap(first.packager.send(TEST_APP_ID, blobOf(KB10, 2 * k + 1), { address: addrs[8] }));
      unwrap(last.packager.send(TEST_APP_ID, blobOf(KB10, 2 * k + 2), { address: addrs[0] }));
      mesh.runAwake(30_000);
    }
    mesh.runAwake(60_000);
    expect(last.app.received.map((r) => r.blob)).toEqual([1, 3, 5].map((f) => blobOf(KB10, f)));
    expect(first.app.received.map((r) => r.blob)).toEqual([2, 4, 6].map((f) => blobOf(KB10, f)));
    const relayCounters = nodes.slice(1, 8).map((m) => m.packager.counters);
    expect(relayCounters.every((c) => c.get('hop_resent') > 0 && c.get('hop_duplicate') > 0)).toBe(true);
  });

  test('a hop ack lost makes the neighbour send again: acked again, relayed and delivered once', () => {
    const { mesh, nodes, addrs } = line(3, { latencyMs: 2, node: { packager: { hopRecovery: everyNeighbour } } });
    const [a, relay, c] = nodes;
    mesh.medium.link(relay.radio, a.radio, 1, true); // relay → a: every hop ack (and ack) lost
    unwrap(a.packager.send(TEST_APP_ID, blobOf(100), { address: addrs[2] }));
    mesh.runAwake(500, 10);
    mesh.medium.link(relay.radio, a.radio, 0, true);
    mesh.runAwake(10_000);
    expect(relay.packager.counters.get('hop_duplicate')).toBeGreaterThan(0);
    expect(relay.packager.counters.get('forwarded')).toBe(2); // the packet once, its ack once
    expect(c.app.received).toHaveLength(1);
  });

  test('off by default: nothing on the air carries the throttle flag or a hop ack', () => {
    const { mesh, nodes, addrs } = line(3, { latencyMs: 2 });
    unwrap(nodes[0].packager.send(TEST_APP_ID, blobOf(KB10), { address: addrs[2] }));
    mesh.runAwake(10_000);
    expect(nodes[2].app.received).toHaveLength(1);
    const flags = mesh.medium.log.map((f) => unwrap(parsePacket(f.frame)).flags);
    expect(flags.some((f) => hasFlag(f, 'throttle') || encodedValue(f) === Encoded.encoded6)).toBe(false);
  });

  test('a neighbour that does not speak it gets plain frames; one that does gets them flagged, and the flag goes no further', () => {
    const speaks = (key: string) => key.startsWith('02'); // only the relay (node id 2…) speaks hop recovery
    const mesh0 = line(3, { latencyMs: 2, node: { packager: { hopRecovery: (p) => speaks(p.key) } } });
    const [a, relay, c] = mesh0.nodes;
    unwrap(a.packager.send(TEST_APP_ID, blobOf(50), { address: mesh0.addrs[2] }));
    mesh0.mesh.runAwake(2_000);
    expect(c.app.received).toHaveLength(1);
    const log = mesh0.mesh.medium.log.map((f) => ({ from: f.from, to: f.to, p: unwrap(parsePacket(f.frame)) }));
    const toRelay = log.filter((f) => f.to && bytesEqual(f.to, relay.radio.mac) && encodedValue(f.p.flags) !== Encoded.encoded6);
    // (c, which speaks it to the relay, gets hop acks back for its own ack: those are not checked.)
    const toC = log.filter((f) => f.to && bytesEqual(f.to, c.radio.mac) && encodedValue(f.p.flags) !== Encoded.encoded6);
    expect(toRelay.length).toBeGreaterThan(0);
    expect(toRelay.every((f) => hasFlag(f.p.flags, 'throttle'))).toBe(true);
    expect(toC.length).toBeGreaterThan(0);
    expect(toC.some((f) => hasFlag(f.p.flags, 'throttle'))).toBe(false);
  });
});

describe('exactly once', () => {
  test('acks lost for a while: fragments are resent late and the blob is still delivered once', () => {
    const mesh = new TestMesh({ latencyMs: 5 });
    const [a, b] = mesh.add(2);
    mesh.connect(a, b);
    mesh.medium.link(b.radio, a.radio, 1, true); // every ack lost
    unwrap(a.packager.send(TEST_APP_ID, blobOf(KB10), { nodeId: b.node.nodeId }));
    mesh.runAwake(3_000, 100);
    mesh.medium.link(b.radio, a.radio, 0, true);
    mesh.runAwake(60_000);
    expect(a.packager.counters.get('fragment_resent')).toBeGreaterThan(0);
    expect(b.app.received).toHaveLength(1);
  });

  test('every table hop recovery adds stays within its cap', () => {
    const { mesh, nodes, addrs } = line(4, { seed: 5, loss: 0.3, latencyMs: 2, node: { packager: { hopRecovery: everyNeighbour, limits: { hopCustody: 6, hopReceipts: 4 } } } });
    for (let k = 0; k < 2; k++) unwrap(nodes[0].packager.send(TEST_APP_ID, blobOf(KB10, k), { address: addrs[3] }));
    let worst = 0;
    for (let t = 0; t < 60_000; t += 50) {
      for (const m of nodes) {
        const s = m.packager.sizes();
        if (s.hopCustody.size > s.hopCustody.limit || s.hopReceipts.size > s.hopReceipts.limit) worst++;
      }
      mesh.runAwake(50, 50);
    }
    expect(worst).toBe(0);
    expect(nodes[3].app.received).toHaveLength(2);
  });
});
