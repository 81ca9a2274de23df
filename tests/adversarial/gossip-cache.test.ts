/**
 * Issue 19, class 5 (third bullet): the Gossip cache had a cap on messages (100) but none on
 * bytes, so 100 large publishes, relayed as Gossip relays large messages (NOTIFY, then REQUEST
 * and a unicast sequence), cost every node their whole size (100 × 60 KB: 6 MB). Its bytes are
 * now capped (`cache_bytes`, 32 KB counted with each entry's ≈ 270 B of overhead on XS, issue
 * 21), and a message that cannot fit alone is neither cached nor published.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { GossipOp } from '../../modules/mycelium/wire/messages/gossip.js';

const TOPIC = new Uint8Array(16).fill(0x66);

test('100 large publishes leave every node’s Gossip cache under its byte cap; small messages still flow', () => {
  const mesh = new AppMesh({ seed: 11 });
  const [attacker, relay, far] = mesh.addApps(3);
  mesh.wire(attacker, relay);
  mesh.wire(relay, far);
  mesh.startAll();
  mesh.run(30_000);
  for (let k = 0; k < 100; k++) {
    // As if received from a neighbour (a forged publish), so the local refusal does not apply.
    attacker.gossip.deliverGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: new Uint8Array(6_000).fill(k) });
    mesh.run(1_000);
  }
  mesh.run(10_000);
  // What each node holds on XS: the messages and ≈ 269 B of entry around each (bench-xs-sizes).
  const held = [attacker, relay, far].map((n) => n.gossip.messages(TOPIC).reduce((s, m) => s + m.length + 269, 0));
  console.log(`gossip cache: 100 × 6 KB published; cached bytes per node ${held.join(', ')}`);
  for (const b of held) expect(b).toBeLessThanOrEqual(32 * 1024); // before the byte cap: ≈ 517,000, 385,000 and 385,000
  expect(held[2]).toBeGreaterThan(0); // large messages are still relayed
  expect(attacker.gossip.publish(TOPIC, new Uint8Array(60_000))).toBe(false); // could never be served
  expect(attacker.gossip.publish(TOPIC, new Uint8Array(40_000))).toBe(false); // over the whole cache
  // A small message published afterwards still reaches the far node and is cached there.
  far.gossip.subscribe(TOPIC, far.app.id);
  attacker.gossip.publish(TOPIC, Uint8Array.of(1, 2, 3));
  mesh.run(5_000);
  expect(far.app.received.some((r) => r.blob.length === 3)).toBe(true);
  expect(far.gossip.messages(TOPIC).some((m) => m.length === 17 + 3)).toBe(true);
});
