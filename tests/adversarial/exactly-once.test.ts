/**
 * Issue 19, class 8 (exactly-once gaps), no attacker needed: a message is delivered once however
 * its acks are lost, two messages with the same bytes are two deliveries, an 8-bit id wrap is
 * never taken for a retry, and a `send` the Packager gives up on is reported (`message_failed`),
 * never silently lost. Virtual clock, seeded loss.
 */
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { Address } from '../../modules/mycelium/wire/address.js';

const blobOf = (n: number, fill = 7) => new Uint8Array(n).map((_, i) => (i * fill + n) & 255);

function line(n: number, options: ConstructorParameters<typeof TestMesh>[0] = {}) {
  const mesh = new TestMesh(options);
  const nodes = mesh.add(n);
  for (let i = 0; i + 1 < n; i++) mesh.connect(nodes[i], nodes[i + 1]);
  const addrs = nodes.map((m, i) => mesh.place(m, 7, new Array<number>(i).fill(1)));
  return { mesh, nodes, addrs };
}

/** Outcomes of `from`'s sends by message number. */
function outcomes(from: MeshNode) {
  const acked = new Set<number>();
  const failed = new Map<number, string>();
  from.packager.addHook('message_acked', (m) => void acked.add(m));
  from.packager.addHook('message_failed', (m, why) => void failed.set(m, why));
  return { acked, failed };
}

test('the same bytes sent twice within the duplicate window are two messages: both delivered', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
  mesh.runAwake(1_000);
  unwrap(a.packager.send(TEST_APP_ID, blobOf(10), { nodeId: b.node.nodeId }));
  mesh.runAwake(10_000);
  expect(b.app.received).toHaveLength(2); // before: 1 (the second taken for a retry, acked, dropped)
});

test('a routed retry after the origin moved in the tree is recognised: delivered once', () => {
  const { mesh, nodes, addrs } = line(3);
  const [a, relay, c] = nodes;
  mesh.medium.link(c.radio, relay.radio, 1, true); // c → relay: every ack lost
  unwrap(a.packager.send(TEST_APP_ID, blobOf(12), { address: addrs[2] }));
  mesh.runAwake(1_000, 100);
  // a gets a new address in the same tree before its retry (a tree repair, a new parent).
  const moved = unwrap(Address.fromCoords(7, [2]));
  a.packager.setAddress(moved);
  relay.packager.addRoute(a.node.nodeId, moved);
  c.packager.addRoute(a.node.nodeId, moved);
  mesh.medium.link(c.radio, relay.radio, 0, true);
  mesh.runAwake(10_000, 100);
  expect(a.packager.counters.get('send_retries')).toBeGreaterThan(0);
  expect(c.app.received).toHaveLength(1); // before: 2 (the retry came from a new from_addr)
});

test('after 256 sends, identical bytes under a wrapped id are still delivered (or refused), never dropped as a retry', () => {
  // A receiver that remembers every delivery of the window (the default cap, 128, forgets sooner).
  const mesh = new TestMesh({ node: { packager: { limits: { duplicates: 512 } } } });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const marked = (k: number) => Uint8Array.of(k & 255, k >> 8, 1, 2, 3);
  let refused = 0;
  // 257 single packets within 10 s: the 8-bit packet_id wraps inside the receiver's window.
  for (let k = 0; k < 257; k++) {
    const blob = k === 256 ? marked(0) : marked(k);
    const r = a.packager.send(TEST_APP_ID, blob, { nodeId: b.node.nodeId });
    if (!r.ok) {
      expect(r.error.code).toBe('busy');
      refused++;
    }
    mesh.runAwake(30, 30);
  }
  mesh.runAwake(10_000);
  expect(b.app.received.length + refused).toBe(257);
  expect(b.packager.counters.get('duplicate_packet')).toBe(0);
});

test('50 sends at once over 30 % loss: every one is delivered, refused or reported failed; none acked and lost', () => {
  const mesh = new TestMesh({ seed: 19 });
  const [a, b] = mesh.add(2);
  mesh.connect(a, b, 0.3);
  const { acked, failed } = outcomes(a);
  const accepted: number[] = [];
  let refused = 0;
  for (let k = 0; k < 50; k++) {
    const r = a.packager.send(TEST_APP_ID, Uint8Array.of(k, 9, 9), { nodeId: b.node.nodeId });
    if (r.ok) accepted.push(r.value.message as number);
    else refused++;
  }
  mesh.runAwake(30_000);
  const got = new Set(b.app.received.map((x) => x.blob[0]));
  // Every accepted message ends acked or failed, and an acked one was delivered.
  expect(accepted.every((m) => acked.has(m) !== failed.has(m))).toBe(true);
  expect(acked.size).toBeLessThanOrEqual(got.size);
  expect(got.size + refused + failed.size).toBeGreaterThanOrEqual(50);
  // Before: 50 accepted, 9 of them evicted from the 10-slot cache and never reported.
  expect(a.packager.counters.get('outbound_packet_evicted')).toBe(0);
});
