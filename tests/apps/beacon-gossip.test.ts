/** Beacon and Gossip behaviours (upstream test_Beacon, test_Gossip) and the app API. */
import { AppMesh, type AppMeshOptions } from '../support/apps-mesh.js';
import { TEST_APP_ID, RecordingApp } from '../support/mesh.js';
import { Beacon } from '../../modules/mycelium/apps/beacon.js';
import { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { SpanningTree } from '../../modules/mycelium/apps/spanning-tree.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { BeaconOp, parseBeacon, serializeBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { GossipOp, gossipMessageId, parseGossip, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { bytesEqual, concatBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { appId } from '../../modules/mycelium/wire/ids.js';
import { COMPACT_FRAMES_APP } from '../../modules/mycelium/wire/compact-frame.js';

/** Messages of `app` put on the medium since the last clearLog, decoded. */
function sentBy(mesh: AppMesh, appId: Uint8Array) {
  const out: { from: string; to: string; blob: Uint8Array }[] = [];
  for (const f of mesh.medium.log) {
    const p = parsePacket(f.frame);
    if (!p.ok || p.value.body.length < 32) continue;
    const pkg = parsePackage(p.value.body);
    if (pkg.ok && bytesEqual(pkg.value.appId, appId)) out.push({ from: toHex(f.from), to: f.to ? toHex(f.to) : 'broadcast', blob: pkg.value.blob.slice() });
  }
  return out;
}

test('the bundled apps have upstream ids', () => {
  expect([new Beacon(portableHashes), new Gossip(portableHashes), new SpanningTree(portableHashes)].map((a) => a.idHex)).toEqual([
    '366821dafdaf45e9bc5cfecb1c2a065c',
    '849969c1f22797d66f5a94db2afe634a',
    '4564e1533283957094d21ae484da9d6c',
  ]);
});

test('apps expose callbacks: available lists them, invoke calls them and runs the hooks first', () => {
  const g = new Gossip(portableHashes);
  expect(g.available('nope')).toBe(false);
  expect(g.available('subscribe')).toBe(true);
  expect(g.available()).toContain('publish');
  const calls: string[] = [];
  g.addHook('invoke', (name) => calls.push(`invoke ${String(name)}`));
  g.addHook('subscribe', () => calls.push('subscribe hook'));
  g.invoke('subscribe', new Uint8Array(16), TEST_APP_ID);
  expect(calls).toEqual(['invoke subscribe', 'subscribe hook']);
  expect(g.subscriptions()).toEqual({ ['00'.repeat(16)]: [toHex(TEST_APP_ID)] });
  expect(() => g.invoke('missing')).toThrow(/no callback "missing"/);
});

describe('Beacon', () => {
  test('start broadcasts twice 36 ms apart, then once a minute, listing every registered app and the CompactFrames capability', () => {
    const mesh = new AppMesh();
    const [a] = mesh.addApps(1);
    a.node.start();
    mesh.run(100);
    const first = sentBy(mesh, a.beacon.id);
    expect(first).toHaveLength(2);
    const m = unwrap(parseBeacon(first[0].blob));
    expect(m.op).toBe(BeaconOp.BEACON);
    // Every build of ours expands compact frames, whether or not it sends them (beacon.ts).
    const compactCap = unwrap(appId(portableHashes, COMPACT_FRAMES_APP.name, COMPACT_FRAMES_APP.description, COMPACT_FRAMES_APP.version));
    expect(m.apps.map(toHex).sort()).toEqual([a.app.id, a.beacon.id, a.gossip.id, a.tree.id, a.ping.id, compactCap].map(toHex).sort());
    mesh.medium.clearLog();
    mesh.run(60_000);
    expect(sentBy(mesh, a.beacon.id)).toHaveLength(1);
  });

  test('a beacon heard adds its sender as a peer and is answered by unicast', () => {
    const mesh = new AppMesh();
    const [a, b] = mesh.addApps(2);
    mesh.wire(a, b);
    b.node.start();
    a.node.start();
    mesh.run(30);
    expect(b.packager.peer(a.node.nodeId)).toBeDefined();
    const answers = sentBy(mesh, b.beacon.id).filter((m) => m.to === toHex(a.radio.mac));
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(unwrap(parseBeacon(answers[0].blob)).op).toBe(BeaconOp.RESPONSE);
  });

  test('a known neighbour\'s periodic beacon is not answered, its start burst is; answer_every_beacon answers all', () => {
    for (const everyBeacon of [false, true]) {
      const mesh = new AppMesh({ beacon: { answer_every_beacon: everyBeacon } });
      const [a, b] = mesh.addApps(2);
      mesh.wire(a, b);
      mesh.startAll();
      mesh.run(1_000);
      mesh.medium.clearLog();
      mesh.run(61_000); // one periodic beacon each
      const answersTo = (x: typeof a) => sentBy(mesh, b.beacon.id).filter((m) => m.to === toHex(x.radio.mac) && unwrap(parseBeacon(m.blob)).op === BeaconOp.RESPONSE);
      expect(answersTo(a).length > 0).toBe(everyBeacon);
      // a loses power (its goodbye is never heard) and restarts with a fresh start burst (two
      // beacons 36 ms apart): b still knows a, and answers.
      mesh.medium.unlink(a.radio, b.radio);
      a.node.stop();
      mesh.medium.link(a.radio, b.radio);
      expect(b.packager.peer(a.node.nodeId)).toBeDefined();
      mesh.medium.clearLog();
      a.node.start();
      mesh.run(100);
      expect(answersTo(a).length).toBeGreaterThanOrEqual(1);
    }
  });

  test('answer_broadcast_ms: nodes that boot together are answered by one broadcast RESPONSE, not a unicast each', () => {
    const mesh = new AppMesh({ beacon: { answer_broadcast_ms: 5_000 } });
    const [a, b, c, d] = mesh.addApps(4);
    for (const x of [b, c, d]) mesh.wire(a, x);
    a.node.start();
    mesh.run(1_000);
    mesh.medium.clearLog();
    for (const x of [b, c, d]) x.node.start(); // three new neighbours of a at once
    mesh.run(6_000);
    const fromA = sentBy(mesh, a.beacon.id).filter((m) => unwrap(parseBeacon(m.blob)).op === BeaconOp.RESPONSE);
    expect(fromA.map((m) => m.to)).toEqual(['broadcast']);
    for (const x of [b, c, d]) expect(x.packager.peer(a.node.nodeId)).toBeDefined();
    // A RESPONSE is not a start burst: nobody answers it, so the exchange ends there.
    mesh.medium.clearLog();
    mesh.run(20_000);
    expect(sentBy(mesh, a.beacon.id).concat(sentBy(mesh, b.beacon.id))).toEqual([]);
  });

  test('answer_ours_ms: neighbours that speak Hello and boot together are answered by one broadcast; upstream ones by a unicast each', () => {
    for (const hello of [true, false]) {
      const mesh = new AppMesh({ ...(hello ? { hello: true } : {}), beacon: { answer_ours_ms: 1_000 } });
      const [a, b, c, d] = mesh.addApps(4);
      for (const x of [b, c, d]) mesh.wire(a, x);
      a.node.start();
      mesh.run(1_000);
      mesh.medium.clearLog();
      for (const x of [b, c, d]) x.node.start(); // three new neighbours of a at once
      mesh.run(2_000);
      const fromA = sentBy(mesh, a.beacon.id).filter((m) => m.from === toHex(a.radio.mac) && unwrap(parseBeacon(m.blob)).op === BeaconOp.RESPONSE);
      // Upstream's way answers each beacon of a start burst (two each).
      expect([...new Set(fromA.map((m) => m.to))].sort()).toEqual(hello ? ['broadcast'] : [b, c, d].map((x) => toHex(x.radio.mac)).sort());
      expect(fromA.length).toBe(hello ? 1 : 6);
      for (const x of [b, c, d]) expect(x.packager.peer(a.node.nodeId)).toBeDefined();
    }
  });

  test('jitter_ratio spreads the periodic beacons of nodes that booted together', () => {
    const gaps = (ratio: number) => {
      const mesh = new AppMesh({ beacon: { jitter_ratio: ratio } });
      const [a] = mesh.addApps(4);
      mesh.startAll();
      mesh.run(1_000);
      mesh.medium.clearLog();
      // The seconds in which some beacon went out, over five minutes.
      let seconds = 0;
      for (let t = 0; t < 300; t++) {
        mesh.run(1_000);
        if (sentBy(mesh, a.beacon.id).length > 0) seconds++;
        mesh.medium.clearLog();
      }
      return seconds;
    };
    expect(gaps(0)).toBe(5); // every node's beacon in the same second, every minute
    expect(gaps(0.1)).toBeGreaterThan(10);
  });

  test('a node that stops says goodbye only to peers that understand it (Hello speakers)', () => {
    // An upstream node adds a peer on any beacon op, DISCONNECT included, and would keep us
    // for minutes: it must not hear one. Our Hello-speaking peers drop us at once.
    for (const withHello of [true, false]) {
      const mesh = new AppMesh(withHello ? { hello: true } : {});
      const [a, c] = mesh.addApps(2);
      mesh.wire(a, c);
      mesh.startAll();
      mesh.run(5_000);
      mesh.medium.clearLog();
      c.node.stop();
      mesh.run(100);
      const goodbyes = sentBy(mesh, c.beacon.id).filter((m) => m.from === toHex(c.radio.mac) && unwrap(parseBeacon(m.blob)).op === BeaconOp.DISCONNECT);
      expect(goodbyes.length > 0).toBe(withHello);
      expect(a.packager.peer(c.node.nodeId) === undefined).toBe(withHello);
    }
  });

  test('a peer silent for 4 beacon cycles is dropped; one that stops says goodbye and is dropped at once', () => {
    const mesh = new AppMesh({ hello: true });
    const [a, b, c] = mesh.addApps(3);
    mesh.wire(a, b);
    mesh.wire(a, c);
    mesh.startAll();
    mesh.run(5_000); // long enough for a hello each way: c knows a understands DISCONNECT
    expect(a.packager.peers).toHaveLength(2);
    c.node.stop(); // sends DISCONNECT (0xff)
    mesh.run(100);
    expect(a.packager.peer(c.node.nodeId)).toBeUndefined();
    mesh.medium.unlink(a.radio, b.radio);
    mesh.run(4 * 60_000 + 1_000);
    expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
  });

  test('a hostile beacon is counted, not thrown', () => {
    const mesh = new AppMesh();
    const [a] = mesh.addApps(1);
    a.node.start();
    a.beacon.receive(Uint8Array.of(0x42, 1, 2), { iface: undefined, mac: undefined, peer: undefined, from: undefined });
    expect(a.packager.counters.get('beacon_bad_message')).toBe(1);
    const own = unwrap(serializeBeacon({ op: BeaconOp.BEACON, nodeId: a.node.nodeId, apps: [] }));
    a.beacon.receive(own, { iface: a.packager.interfaces[1], mac: Uint8Array.of(1, 2, 3, 4, 5, 6), peer: undefined, from: undefined });
    expect(a.packager.peers).toHaveLength(0); // never a peer of itself
  });
});

describe('Gossip', () => {
  const TOPIC = new Uint8Array(16).fill(0x33);

  function gossipPair(options: AppMeshOptions = {}) {
    const mesh = new AppMesh(options);
    const [a, b] = mesh.addApps(2);
    mesh.connect(a, b);
    a.node.start();
    b.node.start();
    mesh.run(500);
    mesh.medium.clearLog();
    return { mesh, a, b };
  }

  test('publish broadcasts once (plus the 20 ms echo), marks the message seen and caches it', () => {
    const { mesh, a } = gossipPair();
    a.gossip.publish(TOPIC, Uint8Array.of(1, 2, 3));
    const fromA = () => sentBy(mesh, a.gossip.id).filter((m) => m.to === 'broadcast' && m.from === toHex(a.radio.mac));
    mesh.run(15);
    expect(fromA()).toHaveLength(1);
    mesh.run(10);
    expect(fromA()).toHaveLength(2);
    const id = gossipMessageId(portableHashes, unwrap(serializeGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(1, 2, 3) })));
    expect(a.gossip.hasSeen(id)).toBe(true);
    expect(a.gossip.messages(TOPIC)).toHaveLength(1);
  });

  test('subscribers get published data; a small PUBLISH is re-flooded once, a RESPOND is not', () => {
    const mesh = new AppMesh();
    const [a, b, c] = mesh.addApps(3);
    mesh.connect(a, b);
    mesh.connect(b, c);
    const listener = new RecordingApp(new Uint8Array(16).fill(0x44));
    c.node.addApp(listener);
    mesh.startAll();
    c.gossip.subscribe(TOPIC, listener.id);
    mesh.run(500);
    a.gossip.publish(TOPIC, Uint8Array.of(9));
    mesh.run(1_000);
    expect(listener.received.map((r) => [...r.blob])).toEqual([[9]]);
    expect(toHex(listener.received[0].delivery.topic as Uint8Array)).toBe(toHex(TOPIC));
    mesh.medium.clearLog();
    b.gossip.deliverGossip({ op: GossipOp.RESPOND, topic: TOPIC, data: Uint8Array.of(7) });
    mesh.run(100);
    expect(sentBy(mesh, b.gossip.id)).toHaveLength(0);
    c.gossip.unsubscribe(TOPIC, listener.id);
    expect(Object.keys(c.gossip.subscriptions())).not.toContain(toHex(TOPIC)); // the topic goes with its last subscriber
  });

  test('a large message is announced with NOTIFY (data = its id), requested by peers and delivered', () => {
    const { mesh, a, b } = gossipPair();
    const listener = new RecordingApp(new Uint8Array(16).fill(0x45));
    b.node.addApp(listener);
    b.gossip.subscribe(TOPIC, listener.id);
    const big = new Uint8Array(400).fill(5);
    a.gossip.publish(TOPIC, big);
    mesh.run(20);
    const notify = unwrap(parseGossip(sentBy(mesh, a.gossip.id)[0].blob));
    expect(notify.op).toBe(GossipOp.NOTIFY);
    expect(toHex(notify.data)).toBe(toHex(gossipMessageId(portableHashes, unwrap(serializeGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: big })))));
    const request = sentBy(mesh, b.gossip.id).map((m) => unwrap(parseGossip(m.blob))).find((m) => m.op === GossipOp.REQUEST);
    expect(request && toHex(request.data)).toBe(toHex(b.node.nodeId));
    mesh.run(2_000);
    expect(listener.received.map((r) => r.blob.length)).toEqual([400]);
  });

  test('a seen message is not re-sent; a NOTIFY for a cached message is not requested', () => {
    const { mesh, a, b } = gossipPair();
    const m = { op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(1) };
    b.gossip.deliverGossip(m);
    mesh.run(100);
    mesh.medium.clearLog();
    expect(b.gossip.deliverGossip(m)).toBe(false);
    const id = gossipMessageId(portableHashes, unwrap(serializeGossip(m)));
    b.gossip.receive(unwrap(serializeGossip({ op: GossipOp.NOTIFY, topic: TOPIC, data: id })), { iface: undefined, mac: undefined, peer: b.packager.peer(a.node.nodeId), from: undefined });
    mesh.run(100);
    expect(sentBy(mesh, b.gossip.id)).toHaveLength(0);
  });

  test('REQUEST_IDS is answered with the cached ids of the topic; RESPOND_IDS requests only unseen ids', () => {
    const { mesh, a, b } = gossipPair();
    mesh.medium.unlink(a.radio, b.radio); // b hears only what it asks for
    for (const d of [1, 2, 3]) a.gossip.deliverGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(d) });
    b.gossip.deliverGossip({ op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(1) });
    mesh.run(100);
    mesh.medium.link(a.radio, b.radio);
    mesh.medium.clearLog();
    const peerA = b.packager.peer(a.node.nodeId);
    a.gossip.receive(unwrap(serializeGossip({ op: GossipOp.REQUEST_IDS, topic: TOPIC, data: b.node.nodeId })), { iface: undefined, mac: undefined, peer: a.packager.peer(b.node.nodeId), from: undefined });
    mesh.run(5);
    const ids = unwrap(parseGossip(sentBy(mesh, a.gossip.id)[0].blob));
    expect(ids.op).toBe(GossipOp.RESPOND_IDS);
    expect(ids.data.length).toBe(48);
    mesh.medium.clearLog();
    b.gossip.receive(unwrap(serializeGossip({ op: GossipOp.RESPOND_IDS, topic: TOPIC, data: ids.data })), { iface: undefined, mac: undefined, peer: peerA, from: undefined });
    mesh.run(5);
    const requests = sentBy(mesh, b.gossip.id).map((m) => unwrap(parseGossip(m.blob))).filter((m) => m.op === GossipOp.REQUEST);
    expect(requests).toHaveLength(2);
    mesh.run(1_000);
    expect(b.gossip.messages(TOPIC)).toHaveLength(3);
  });

  test('a REQUEST for a cached small message is answered with it relabelled RESPOND', () => {
    const { mesh, a, b } = gossipPair();
    const m = { op: GossipOp.PUBLISH, topic: TOPIC, data: Uint8Array.of(4) };
    a.gossip.deliverGossip(m);
    mesh.run(100);
    mesh.medium.clearLog();
    const id = gossipMessageId(portableHashes, unwrap(serializeGossip(m)));
    a.gossip.receive(unwrap(serializeGossip({ op: GossipOp.REQUEST, topic: id, data: b.node.nodeId })), { iface: undefined, mac: undefined, peer: a.packager.peer(b.node.nodeId), from: undefined });
    mesh.run(5);
    const answer = unwrap(parseGossip(sentBy(mesh, a.gossip.id)[0].blob));
    expect([answer.op, [...answer.data]]).toEqual([GossipOp.RESPOND, [4]]);
  });

  test('a new peer is asked for the ids of every subscribed topic; stop removes the hook and the sync timer', () => {
    const mesh = new AppMesh();
    const [a, b] = mesh.addApps(2);
    mesh.wire(a, b);
    a.node.start();
    a.gossip.subscribe(TOPIC, TEST_APP_ID);
    expect(a.packager.isScheduled(a.gossip.idHex)).toBe(true);
    mesh.run(11_000); // past a's first round
    b.node.start();
    mesh.run(100);
    const asked = sentBy(mesh, a.gossip.id).map((m) => unwrap(parseGossip(m.blob))).filter((m) => m.op === GossipOp.REQUEST_IDS);
    expect(asked.map((m) => toHex(m.topic))).toContain(toHex(TOPIC));
    a.gossip.stop();
    expect(a.packager.isScheduled(a.gossip.idHex)).toBe(false);
  });

  test('peers met before our first round are asked once, by that round, not greeted as well', () => {
    const mesh = new AppMesh();
    const [a, b] = mesh.addApps(2);
    mesh.wire(a, b);
    a.gossip.subscribe(TOPIC, TEST_APP_ID);
    a.node.start();
    b.node.start(); // powered on together: b is a new peer within a's first start_delay
    const asked = () => sentBy(mesh, a.gossip.id).map((m) => unwrap(parseGossip(m.blob))).filter((m) => m.op === GossipOp.REQUEST_IDS && bytesEqual(m.topic, TOPIC)).length;
    mesh.run(9_000);
    expect(asked()).toBe(0);
    mesh.run(2_000);
    expect(asked()).toBe(1);
  });

  test('among Hello speakers a sync round asks all peers by one broadcast REQUEST_IDS, and what they hold still arrives', () => {
    // sync_broadcast off, or neighbours without Hello (upstream): a unicast per peer, as upstream.
    for (const [hello, broadcast] of [[true, true], [true, false], [false, true]]) {
      const mesh = new AppMesh({ ...(hello ? { hello: true } : {}), gossip: { sync_broadcast: broadcast } });
      const [a, b, c] = mesh.addApps(3);
      mesh.wire(a, b);
      mesh.wire(a, c);
      for (const x of [a, b, c]) x.gossip.subscribe(TOPIC, TEST_APP_ID);
      b.node.start();
      mesh.run(100);
      expect(b.gossip.publish(TOPIC, new Uint8Array([1, 2, 3]))).toBe(true); // before a is on: only the sync brings it
      mesh.run(1_000);
      a.node.start();
      c.node.start();
      mesh.run(5_000);
      mesh.medium.clearLog();
      mesh.run(6_000); // a's first round, at start_delay (10 s)
      const asked = sentBy(mesh, a.gossip.id).filter((m) => m.from === toHex(a.radio.mac) && unwrap(parseGossip(m.blob)).op === GossipOp.REQUEST_IDS && bytesEqual(unwrap(parseGossip(m.blob)).topic, TOPIC)).map((m) => m.to);
      expect(asked.sort()).toEqual(hello && broadcast ? ['broadcast'] : [b, c].map((x) => toHex(x.radio.mac)).sort());
      const got = a.app.received.filter((r) => r.delivery.topic !== undefined).map((r) => Array.from(r.blob));
      expect(got).toEqual([[1, 2, 3]]);
    }
  });

  test('a REQUEST_IDS on a topic we hold nothing of goes unanswered, unless respond_empty_ids (upstream) is set', () => {
    for (const respondEmpty of [false, true]) {
      const { mesh, a, b } = gossipPair({ gossip: { respond_empty_ids: respondEmpty } });
      a.gossip.receive(unwrap(serializeGossip({ op: GossipOp.REQUEST_IDS, topic: TOPIC, data: b.node.nodeId })), { iface: undefined, mac: undefined, peer: a.packager.peer(b.node.nodeId), from: undefined });
      mesh.run(5);
      const answers = sentBy(mesh, a.gossip.id).map((m) => unwrap(parseGossip(m.blob))).filter((m) => m.op === GossipOp.RESPOND_IDS);
      expect(answers.map((m) => m.data.length)).toEqual(respondEmpty ? [0] : []);
    }
  });

  test('sync rounds back off from 20 s to sync_max_delay while nothing is new, and return to 20 s on a new message', () => {
    // Upstream's tree gossips an advert every round, which is news every round: turn it off.
    const mesh = new AppMesh({ gossip: { sync_max_delay: 160 }, tree: { pub_each_round: false } });
    const [a, b] = mesh.addApps(2);
    mesh.connect(a, b);
    a.gossip.subscribe(TOPIC, TEST_APP_ID);
    a.node.start();
    b.node.start();
    const startedAt = mesh.clock.now();
    const rounds: number[] = [];
    const sync = a.gossip.sync.bind(a.gossip);
    a.gossip.sync = () => {
      rounds.push(Math.round((mesh.clock.now() - startedAt) / 1000));
      sync();
    };
    const watch = (seconds: number) => mesh.run(seconds * 1000);
    watch(700);
    const gaps = rounds.slice(1).map((t, i) => t - rounds[i]);
    expect(rounds[0]).toBe(10);
    expect(gaps.slice(0, 6)).toEqual([20, 40, 80, 160, 160, 160]);
    // A new message arrives: the next round comes within 20 s, and the one after 20 s later.
    const before = rounds.length;
    const publishedAt = Math.round((mesh.clock.now() - startedAt) / 1000);
    b.gossip.publish(TOPIC, Uint8Array.of(9));
    watch(50);
    const after = rounds.slice(before);
    expect(after[0] - publishedAt).toBeLessThanOrEqual(20);
    expect(after[1] - after[0]).toBe(20);
  });

  test('only news the sync asks about restarts it, at most once per sync_reset_gap', () => {
    const mesh = new AppMesh({ gossip: { sync_max_delay: 160, sync_reset_gap: 600 }, tree: { pub_each_round: false, pub: false } });
    const [a, b] = mesh.addApps(2);
    mesh.connect(a, b);
    const OTHER = new Uint8Array(16).fill(0x44);
    const QUESTIONS = new Uint8Array(16).fill(0x55);
    a.gossip.subscribe(TOPIC, TEST_APP_ID);
    a.gossip.subscribe(QUESTIONS, TEST_APP_ID, false);
    a.node.start();
    b.node.start();
    const startedAt = mesh.clock.now();
    const rounds: number[] = [];
    const sync = a.gossip.sync.bind(a.gossip);
    a.gossip.sync = () => {
      rounds.push(Math.round((mesh.clock.now() - startedAt) / 1000));
      sync();
    };
    const at = () => Math.round((mesh.clock.now() - startedAt) / 1000);
    mesh.run(330_000); // rounds at 10, 30, 70, 150, 310 s: the next is 160 s away
    expect(rounds).toEqual([10, 30, 70, 150, 310]);
    // News on a topic a does not subscribe to, or subscribed without resync: no round before 470 s.
    b.gossip.publish(OTHER, Uint8Array.of(1));
    b.gossip.publish(QUESTIONS, Uint8Array.of(2));
    mesh.run(100_000);
    expect(rounds).toEqual([10, 30, 70, 150, 310]);
    // News on a synced topic: a round within 20 s.
    const news = at();
    b.gossip.publish(TOPIC, Uint8Array.of(3));
    mesh.run(25_000);
    expect(rounds.length).toBe(6);
    expect(rounds[5] - news).toBeLessThanOrEqual(20);
    // Backed off to 160 s again, more news within sync_reset_gap (600 s here) of the restart: none.
    mesh.run(300_000);
    const count = rounds.length;
    const next = rounds[count - 1] + 160;
    b.gossip.publish(TOPIC, Uint8Array.of(4));
    expect(at() - rounds[5]).toBeLessThan(600);
    mesh.run((next - at() - 1) * 1000);
    expect(rounds.length).toBe(count);
  });

  test('a garbled gossip message is counted and dropped', () => {
    const { a } = gossipPair();
    a.gossip.receive(concatBytes(Uint8Array.of(0x77), new Uint8Array(16)), { iface: undefined, mac: undefined, peer: undefined, from: undefined });
    expect(a.packager.counters.get('gossip_bad_message')).toBe(1);
  });
});
