/**
 * Issue 19, class 11 (Gossip amplification): every node re-broadcast every PUBLISH it had not
 * seen, and repeated it 20 ms later, so one publish cost 2 frames per node (51 on a 5×5 grid),
 * and one node publishing at full rate made the whole mesh transmit 50 times its own rate.
 * Now a node does not relay a message it has already heard `relay_redundancy` times (Trickle's
 * suppression, RFC 6206), and relays at most `relay_rate` messages a second from each neighbour.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { GossipOp } from '../../modules/mycelium/wire/messages/gossip.js';

const TOPIC = new Uint8Array(16).fill(0x77);

/** Frames on the air carrying a Gossip PUBLISH on TOPIC (the Package: app id 16 ‖ hash 16 ‖ op ‖ topic ‖ data). */
function publishFrames(mesh: AppMesh, gossipId: Uint8Array, from: number): number {
  let n = 0;
  for (const f of mesh.medium.log.slice(from)) {
    const p = parsePacket(f.frame);
    if (p.ok && p.value.body.length > 32 && bytesEqual(p.value.body.subarray(0, 16), gossipId) && p.value.body[32] === GossipOp.PUBLISH && bytesEqual(p.value.body.subarray(33, 49), TOPIC)) n++;
  }
  return n;
}

function grid(): { mesh: AppMesh; nodes: AppNode[] } {
  const mesh = new AppMesh({ seed: 21 });
  const nodes = mesh.grid(5, 5);
  mesh.startAll();
  mesh.run(60_000);
  for (const n of nodes) n.gossip.subscribe(TOPIC, n.app.id);
  return { mesh, nodes };
}

test('a publish costs far fewer frames than 2 per node, and still reaches every node', () => {
  const { mesh, nodes } = grid();
  const start = mesh.medium.log.length;
  for (let k = 0; k < 20; k++) {
    nodes[0].gossip.publish(TOPIC, Uint8Array.of(1, k));
    mesh.run(2_000);
  }
  const perPublish = publishFrames(mesh, nodes[0].gossip.id, start) / 20;
  const reached = nodes.slice(1).map((n) => new Set(n.app.received.filter((r) => r.blob[0] === 1).map((r) => r.blob[1])).size);
  console.log(`gossip amplification, 1 publish / 2 s on a 5×5 grid: ${perPublish.toFixed(1)} PUBLISH frames per publish (upstream's rule: 50); delivered ${reached.reduce((a, b) => a + b, 0)} of ${20 * 24}`);
  expect(reached.every((r) => r === 20)).toBe(true);
  expect(perPublish).toBeLessThan(35); // before: 50 (each node: a broadcast and its echo)
});

test('one node publishing at full rate: the mesh relays a bounded multiple of it', () => {
  const { mesh, nodes } = grid();
  const start = mesh.medium.log.length;
  const publishes = 500;
  for (let k = 0; k < publishes; k++) {
    nodes[0].gossip.publish(TOPIC, Uint8Array.of(2, k & 255, k >> 8));
    mesh.run(10); // 100 publishes a second
  }
  mesh.run(5_000);
  const factor = publishFrames(mesh, nodes[0].gossip.id, start) / publishes;
  console.log(`gossip amplification, 100 publishes/s for 5 s on a 5×5 grid: ${factor.toFixed(1)} PUBLISH frames on the air per publish`);
  expect(factor).toBeLessThan(10); // before: 50
});

test('a large message is sent once to a neighbour that asks for it, not once per REQUEST copy and echo', () => {
  const mesh = new AppMesh({ seed: 22 });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.run(60_000);
  const before = a.packager.counters.get('tx_frames');
  a.gossip.publish(TOPIC, new Uint8Array(6_000).fill(9)); // 26 fragments
  mesh.run(10_000);
  const frames = a.packager.counters.get('tx_frames') - before;
  console.log(`gossip large answer: a 6,000-byte message to one neighbour cost its publisher ${frames} frames`);
  expect(b.gossip.messages(TOPIC).length).toBe(1);
  expect(frames).toBeLessThan(60); // before: 122 (the REQUEST and its echo, each answered twice)
});
