/**
 * Gossip hashes a received message as it came and copies it only once it proves new (issue
 * 21): what it caches and serves must not share the received buffer, which the radio may reuse.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { GossipOp, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';

const TOPIC = new Uint8Array(16).fill(0x42);

test('a received message is cached as it came, unchanged when the receive buffer is reused, and a repeat is not delivered twice', () => {
  const mesh = new AppMesh({ seed: 3 });
  const [node] = mesh.addApps(1);
  mesh.startAll();
  node.gossip.subscribe(TOPIC, node.app.id);
  const message = serializeGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(1, 2, 3, 4) });
  if (!message.ok) throw new Error('serialize');
  const original = message.value.slice();
  // The message inside a larger receive buffer, as a frame's view.
  const buffer = new Uint8Array(64);
  buffer.set(message.value, 10);
  const view = buffer.subarray(10, 10 + message.value.length);
  const from = { iface: undefined, mac: Uint8Array.of(2, 0, 0, 0, 0, 9), peer: undefined, from: undefined };
  node.gossip.receive(view, from);
  buffer.fill(0xee); // the radio reuses its buffer
  expect(node.gossip.messages(TOPIC)).toEqual([original]);
  expect(node.app.received.filter((r) => r.blob.length === 4)).toHaveLength(1);
  node.gossip.receive(original.slice(), from); // a neighbour's copy of the same message
  expect(node.app.received.filter((r) => r.blob.length === 4)).toHaveLength(1);
  expect(node.gossip.messages(TOPIC)).toEqual([original]);
});
