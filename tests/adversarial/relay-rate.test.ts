/**
 * Issue 19, per-neighbour forwarding rate limit: a neighbour that pushes relayed traffic at full
 * rate through a relay cannot take all of the relay's airtime and transmit queue; an honest
 * neighbour relayed by the same node still gets its messages through. On the simulator's
 * ESP-NOW medium (airtime, 16-frame transmit queues), virtual clock, seeded.
 *
 *                 flooder (80,80)
 *                      │
 *   honest (0,0) ── relay (80,0) ── dest (160,0)      unit disk, 100 m: only the relay
 *                      │                               hears the others
 *                 flooder (80,-80)
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium } from '../../simulator/medium/medium.js';
import { Node } from '../../modules/mycelium/node.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Limits } from '../../modules/mycelium/packager/options.js';
import { parsePacket, serializePacket, withChecksum } from '../../modules/mycelium/wire/packet.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { nodeIdOf, RecordingApp, TEST_APP_ID, virtualPlatform } from '../support/mesh.js';

function world(limits: Partial<Limits>) {
  const clock = new VirtualClock(1_000_000);
  const medium = new Medium({ clock, random: new SeededRandom(5), kind: 'espnow', loss: { model: 'unit-disk', range: 100 } });
  const at = (i: number, x: number, y: number, coords: number[]) => {
    const radio = medium.addNode({ x, y });
    const node = new Node({ platform: virtualPlatform(clock, 11 + i), nodeId: nodeIdOf(i + 1), radios: [radio], packager: { limits } });
    const app = new RecordingApp();
    node.addApp(app);
    const address = unwrap(Address.fromCoords(7, coords));
    node.packager.setAddress(address);
    return { node, radio, app, address };
  };
  const relay = at(0, 80, 0, []);
  const honest = at(1, 0, 0, [1]);
  const dest = at(2, 160, 0, [2]);
  const flooders = [at(3, 80, 80, [3]), at(4, 80, -80, [4])];
  for (const m of [honest, dest, ...flooders]) {
    for (const [a, b] of [[m, relay], [relay, m]]) {
      a.node.packager.addPeer(b.node.nodeId, [{ mac: b.radio.mac, radio: a.radio }]);
      a.node.packager.addRoute(b.node.nodeId, b.address);
    }
  }
  const awake = () => {
    for (const m of [relay, honest, dest, ...flooders]) for (const p of m.node.packager.peers) p.lastRx = clock.now();
  };
  return { clock, relay, honest, dest, flooders, awake };
}

/**
 * Each flooder puts a new valid routed packet for `dest` on the air every 2 ms (about its
 * airtime; its own stack would pace it, so it writes frames itself: two of them together
 * offer the relay twice what it can send) for 20 s; the honest node
 * sends one message every 500 ms through its Packager.
 */
function run(limits: Partial<Limits>) {
  const w = world(limits);
  const blob = (k: number, tag: number) => Uint8Array.from({ length: 180 }, (_, i) => (k * 7 + i + tag) & 255);
  const captured: Uint8Array[] = [];
  const [f0] = w.flooders;
  const send = f0.radio.send.bind(f0.radio);
  f0.radio.send = (mac, frame) => (captured.push(frame.slice()), send(mac, frame));
  unwrap(f0.node.packager.send(TEST_APP_ID, blob(0, 1), { address: w.dest.address }, { retries: 0 }));
  const template = unwrap(parsePacket(captured[0]));
  const floodFrame = (k: number) => {
    for (const f of w.flooders) {
      const body = template.body.slice();
      body[body.length - 1] = k & 255;
      body[body.length - 2] = (k >> 8) & 255;
      const p = { ...template, flags: 0, packetId: k & 255, fromAddr: f.address.bytes, body };
      f.radio.send(w.relay.radio.mac, unwrap(serializePacket(p.checksum ? unwrap(withChecksum(portableHashes, p)) : p)));
    }
  };
  let sent = 0;
  let acked = 0;
  w.honest.node.packager.addHook('message_acked', () => void acked++);
  for (let t = 0; t < 20_000; t += 2) {
    floodFrame(t / 2);
    if (t % 500 === 0) {
      unwrap(w.honest.node.packager.send(TEST_APP_ID, blob(t, 2).subarray(0, 40), { address: w.dest.address }));
      sent++;
    }
    if (t % 100 === 0) w.awake();
    w.clock.advance(2);
  }
  for (let t = 0; t < 10_000; t += 100) {
    w.awake();
    w.clock.advance(100);
  }
  const honest = w.dest.app.received.filter((r) => r.blob.length === 40).length;
  const c = w.relay.node.packager.counters;
  // What the relay put on the air for the flooders (the destination drops them: made-up blobs).
  const flood = c.get('forwarded') - 2 * honest;
  return { sent, honest, acked, flood, refused: c.get('radio_refused'), limited: c.get('drop_relay_rate') };
}

test('a flooding neighbour and an honest one through the same relay: the honest messages still arrive', () => {
  const before = run({ relayPerSecond: 1e9, relayBurst: 1e9 }); // no limit: today's relay
  const after = run({});
  console.log(
    `relay flood: honest delivered ${before.honest}/${before.sent} (acked ${before.acked}) without the limit (flood relayed ${before.flood}, relay queue refusals ${before.refused}), ` +
      `${after.honest}/${after.sent} (acked ${after.acked}) with it (flood relayed ${after.flood}, dropped by the limit ${after.limited}, refusals ${after.refused})`,
  );
  expect(after.honest).toBe(after.sent);
  expect(after.acked).toBe(after.sent);
  // Per flooder about relayPerSecond × 20 s + the burst, against all the relay could send before.
  expect(after.flood).toBeLessThan(before.flood / 3);
  expect(before.honest).toBeLessThan(before.sent); // the attack works without the limit
});
