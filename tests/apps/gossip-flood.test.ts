/**
 * Gossip's flooded-only topics (subscribeFlood; docs/routing.md "Any diameter"): soft state its
 * publishers repeat, so it is flooded but never cached, asked for by the sync or counted as news
 * that restarts the sync; the subscriber's `admit` caps what is re-flooded.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { parseGossip, GossipOp } from '../../modules/mycelium/wire/messages/gossip.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';

const FLOOD = new Uint8Array(16).fill(0xf1);
const SYNCED = new Uint8Array(16).fill(0x5e);

test('a flooded-only topic is delivered along a line but neither cached nor synced', () => {
  const mesh = new AppMesh({ seed: 4 });
  const nodes = mesh.addApps(4);
  for (let i = 0; i + 1 < nodes.length; i++) mesh.wire(nodes[i], nodes[i + 1]);
  const apps = nodes.map((n) => n.app);
  const requested: Uint8Array[] = [];
  for (const n of nodes) {
    const send = n.packager.send.bind(n.packager);
    n.packager.send = (appId, blob, target, options) => {
      const m = parseGossip(blob);
      if (bytesEqual(appId, n.gossip.id) && m.ok && m.value.op === GossipOp.REQUEST_IDS) requested.push(m.value.topic.slice());
      return send(appId, blob, target, options);
    };
  }
  mesh.startAll();
  nodes.forEach((n, i) => {
    n.gossip.subscribeFlood(FLOOD, apps[i].id);
    n.gossip.subscribe(SYNCED, apps[i].id);
  });
  mesh.run(30_000);
  expect(nodes[0].gossip.publish(FLOOD, Uint8Array.of(1, 2, 3))).toBe(true);
  expect(nodes[0].gossip.publish(SYNCED, Uint8Array.of(4, 5, 6))).toBe(true);
  mesh.run(120_000);
  expect(apps[3].received.map((r) => [...r.blob])).toEqual(expect.arrayContaining([[1, 2, 3], [4, 5, 6]]));
  for (const n of nodes) {
    expect(n.gossip.messages(FLOOD)).toHaveLength(0);
    expect(n.gossip.messages(SYNCED)).toHaveLength(1);
  }
  expect(requested.some((t) => bytesEqual(t, SYNCED))).toBe(true);
  expect(requested.some((t) => bytesEqual(t, FLOOD))).toBe(false);
});

test('admit false: delivered at the relay but not passed on, and counted', () => {
  const mesh = new AppMesh({ seed: 5 });
  const [a, b, c] = mesh.addApps(3);
  mesh.wire(a, b);
  mesh.wire(b, c);
  const apps = [a, b, c].map((n) => n.app);
  mesh.startAll();
  a.gossip.subscribeFlood(FLOOD, apps[0].id);
  b.gossip.subscribeFlood(FLOOD, apps[1].id, { admit: () => false });
  c.gossip.subscribeFlood(FLOOD, apps[2].id);
  mesh.run(30_000);
  a.gossip.publish(FLOOD, Uint8Array.of(9));
  mesh.run(10_000);
  expect(apps[1].received).toHaveLength(1);
  expect(apps[2].received).toHaveLength(0);
  expect(b.packager.counters.get('gossip_relay_refused')).toBe(1);
});
