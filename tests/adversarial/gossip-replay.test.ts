/**
 * Issue 19, class 9 (second bullet): Gossip de-duplicates by the ids of the last 100 messages,
 * so a neighbour that floods 100 junk publishes pushes an id out, and a replay of that message
 * then reaches every subscriber again. Seen ids are now kept for `seen_ttl_s` (an hour), and
 * when the table is full the neighbour holding the most entries loses its own oldest: a flood
 * pushes out only the flooder's ids.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { GossipOp, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const TOPIC = new Uint8Array(16).fill(0x99);

test('a PUBLISH replayed after 1,000 junk publishes (or 10 minutes later) does not reach subscribers again', () => {
  const mesh = new AppMesh({ seed: 31 });
  const [honest, victim, attacker] = mesh.addApps(3);
  mesh.wire(honest, victim);
  mesh.wire(victim, attacker);
  mesh.startAll();
  mesh.run(30_000);
  victim.gossip.subscribe(TOPIC, victim.app.id);
  const order = Uint8Array.of(0x0d, 0x00, 0x0e); // "open the door"
  honest.gossip.publish(TOPIC, order);
  mesh.run(1_000);
  const orders = () => victim.app.received.filter((r) => r.blob.length === 3 && r.blob[0] === 0x0d).length;
  expect(orders()).toBe(1);
  const recorded = unwrap(serializeGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: order }));
  for (let k = 0; k < 1_000; k++) {
    attacker.packager.broadcast(attacker.gossip.id, unwrap(serializeGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(1, k & 255, k >> 8) })));
    mesh.run(20);
  }
  attacker.packager.broadcast(attacker.gossip.id, recorded);
  mesh.run(1_000);
  const afterFlood = orders();
  mesh.run(600_000);
  attacker.packager.broadcast(attacker.gossip.id, recorded);
  mesh.run(1_000);
  console.log(`gossip replay: delivered ${afterFlood} time(s) after a 1,000-message flood, ${orders()} after 10 more minutes`);
  expect(afterFlood).toBe(1); // before: 2 (the flood pushed its id out of the 100-entry seen list)
  expect(orders()).toBe(1);
});
