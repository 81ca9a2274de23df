/**
 * Ping (protocol.md §6.4): upstream's tests/test_Ping.py behaviours (§10.6), written for our API,
 * plus end-to-end pings over a 3-node line (both metrics, by address and by node id, and
 * through Gossip), the console commands and hostile input.
 */
import { TestMesh, type MeshNode } from '../support/mesh.js';
import { addr, appFrames, gossipOnAir, hashes, macHex, strangerId, withApps, type AppNode } from './support.js';
import { Ping, type PingReport } from '../../modules/mycelium/apps/ping.js';
import { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { PingOp, parsePing, serializePing, type PingMessage } from '../../modules/mycelium/wire/messages/ping.js';
import { GossipOp, nodeTopic } from '../../modules/mycelium/wire/messages/gossip.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { hasFlag } from '../../modules/mycelium/wire/flags.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Address } from '../../modules/mycelium/wire/address.js';
import { MeshConsole } from '../../modules/console/console.js';

const PING_ID_HEX = '8d9c1faf6fb241582199316974f3ec4d';
const GOSSIP_ID_HEX = '849969c1f22797d66f5a94db2afe634a';

/** Upstream's fixture: us at 1-[] (root), a peer at [1], and a remote node known by route at [1,5]. */
function station(options: { gossip?: boolean } = {}) {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const us = withApps(a, { gossip: options.gossip ?? false });
  mesh.place(a, 1, []);
  mesh.place(b, 1, [1]);
  const remoteId = strangerId(7);
  const remoteAddr = addr(1, [1, 5]);
  a.packager.addRoute(remoteId, remoteAddr);
  mesh.medium.clearLog();
  return { mesh, us, peer: b, remoteId, remoteAddr };
}

function pingFrames(mesh: TestMesh, from?: MeshNode) {
  return appFrames(mesh, new Ping(hashes).id)
    .filter((f) => from === undefined || f.from === macHex(from))
    .map((f) => ({ ...f, pm: unwrap(parsePing(f.blob)) }));
}

function message(fields: Partial<PingMessage> & Pick<PingMessage, 'op' | 'nodeId'>, at: Address): PingMessage {
  return { nonce: 42, metric: Metric.dTree, ts1: 1n, ts2: 0n, ts3: 0n, treeState: at.treeState, address: at.bytes, ...fields };
}

describe('upstream test_Ping behaviours', () => {
  test('the app id is upstream\'s', () => {
    expect(new Ping(hashes).idHex).toBe(PING_ID_HEX);
    expect(new Gossip(hashes).idHex).toBe(GOSSIP_ID_HEX);
  });

  test('request sends a routed REQUEST carrying our id, address and tree state', () => {
    const { mesh, us, peer, remoteId, remoteAddr } = station();
    const sent = us.ping.request(remoteId);
    expect(sent.ok).toBe(true);
    const frames = pingFrames(mesh, us);
    expect(frames).toHaveLength(1);
    const [f] = frames;
    expect(f.to).toBe(macHex(peer)); // toward [1,5] the next hop is the peer at [1]
    expect(f.packet.toAddr).toEqual(remoteAddr.bytes);
    expect(f.pm.op).toBe(PingOp.REQUEST);
    expect(f.pm.nodeId).toEqual(us.node.nodeId);
    expect(f.pm.address).toEqual(addr(1, []).bytes);
    expect(f.pm.treeState).toBe(1);
    expect(f.pm.ts1).toBe(BigInt(mesh.clock.now()));
    expect([f.pm.ts2, f.pm.ts3]).toEqual([0n, 0n]);
  });

  test('request fails for a malformed target, with or without an own address', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a, { gossip: false });
    const before = us.ping.request(new Uint8Array(5));
    expect(!before.ok && before.error.code).toBe('bad_argument');
    mesh.place(a, 1, []);
    const bad = us.ping.request(new Uint8Array(5));
    expect(!bad.ok && bad.error.code).toBe('bad_argument');
    expect(mesh.medium.log).toHaveLength(0);
  });

  test('respond sends a RESPOND with the same metric and ts1, ts2 set, ts3 zero, the requester\'s fields', () => {
    const { mesh, us, remoteId, remoteAddr } = station();
    mesh.run(250);
    const req = message({ op: PingOp.REQUEST, nodeId: remoteId, ts1: 999_000n }, remoteAddr);
    expect(us.ping.respond(req).ok).toBe(true);
    const [f, ...more] = pingFrames(mesh, us);
    expect(more).toHaveLength(0);
    expect(f.packet.toAddr).toEqual(remoteAddr.bytes);
    expect(f.pm).toMatchObject({ op: PingOp.RESPOND, metric: Metric.dTree, nonce: 42, ts1: 999_000n, ts2: BigInt(mesh.clock.now()), ts3: 0n, treeState: 1 });
    expect(f.pm.ts2 > 0n).toBe(true);
    expect(f.pm.nodeId).toEqual(remoteId);
    expect(f.pm.address).toEqual(remoteAddr.bytes);
  });

  test('a delivered dCPL REQUEST is answered with a dCPL RESPOND keeping ts1', () => {
    const { mesh, us, peer, remoteId, remoteAddr } = station();
    const req = message({ op: PingOp.REQUEST, nodeId: remoteId, metric: Metric.dCPL, ts1: 123_456n }, remoteAddr);
    peer.packager.send(us.ping.id, unwrap(serializePing(req)), { nodeId: us.node.nodeId });
    mesh.run(50);
    const [f, ...more] = pingFrames(mesh, us);
    expect(more).toHaveLength(0);
    expect(f.pm).toMatchObject({ op: PingOp.RESPOND, metric: Metric.dCPL, ts1: 123_456n, ts3: 0n, treeState: remoteAddr.treeState });
    expect(f.pm.ts2 > 0n).toBe(true);
    expect(f.pm.nodeId).toEqual(remoteId);
    expect(f.pm.address).toEqual(remoteAddr.bytes);
    expect(hasFlag(f.packet.flags, 'mode')).toBe(true); // routed with the requester's metric
  });

  test('a delivered RESPOND is stored with ts3 >= ts2 (now) and its other fields', () => {
    const { mesh, us, peer } = station();
    const now = BigInt(mesh.clock.now());
    const resp = message({ op: PingOp.RESPOND, nodeId: us.node.nodeId, ts1: now - 2000n, ts2: now - 1000n }, addr(1, []));
    expect(us.ping.responses()).toHaveLength(0);
    peer.packager.send(us.ping.id, unwrap(serializePing(resp)), { nodeId: us.node.nodeId });
    mesh.run(50);
    const stored = us.ping.responses();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ op: PingOp.RESPOND, ts1: now - 2000n, ts2: now - 1000n });
    expect(stored[0].ts3 > now && stored[0].ts3 <= BigInt(mesh.clock.now())).toBe(true); // stamped on arrival
    expect(stored[0].ts3 >= stored[0].ts2).toBe(true);
    expect(stored[0].nodeId).toEqual(us.node.nodeId);
    expect(stored[0].address).toEqual(addr(1, []).bytes);
    expect(pingFrames(mesh, us)).toHaveLength(0); // answers are not answered
  });

  test('gossip_request publishes a GOSSIP_REQUEST on SHA-256(Ping id ‖ target)[:16]', () => {
    const { mesh, us, remoteId } = station({ gossip: true });
    expect(us.ping.gossipRequest(remoteId).ok).toBe(true);
    const published = gossipOnAir(mesh, (us.gossip as Gossip).id);
    expect(published).toHaveLength(1); // the echo follows 20 ms later
    const [gm] = published;
    expect(gm.op).toBe(GossipOp.PUBLISH);
    expect(toHex(gm.topic)).toBe(toHex(hashes.sha256(new Uint8Array([...us.ping.id, ...remoteId])).slice(0, 16)));
    const pm = unwrap(parsePing(gm.data));
    expect(pm).toMatchObject({ op: PingOp.GOSSIP_REQUEST, ts1: BigInt(mesh.clock.now()), ts2: 0n, ts3: 0n, treeState: 1 });
    expect(pm.nodeId).toEqual(us.node.nodeId);
    expect(pm.address).toEqual(addr(1, []).bytes);
    mesh.run(30);
    expect(gossipOnAir(mesh, (us.gossip as Gossip).id)).toHaveLength(2);
  });

  test('gossip_respond publishes a GOSSIP_RESPOND on the requester\'s topic', () => {
    const { mesh, us, remoteId, remoteAddr } = station({ gossip: true });
    mesh.run(1000);
    const req = message({ op: PingOp.GOSSIP_REQUEST, nodeId: remoteId, ts1: 500_000n }, remoteAddr);
    expect(us.ping.gossipRespond(req)).toBe(true);
    const [gm] = gossipOnAir(mesh, (us.gossip as Gossip).id);
    expect(gm.op).toBe(GossipOp.PUBLISH);
    expect(gm.topic).toEqual(nodeTopic(hashes, us.ping.id, remoteId));
    const pm = unwrap(parsePing(gm.data));
    expect(pm).toMatchObject({ op: PingOp.GOSSIP_RESPOND, ts1: 500_000n, ts3: 0n, treeState: remoteAddr.treeState });
    expect(pm.ts2 >= pm.ts1).toBe(true);
    expect(pm.nodeId).toEqual(remoteId);
    expect(pm.address).toEqual(remoteAddr.bytes);
  });

  test('a ping test queues count requests and one report carrying the address', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a, { gossip: false });
    mesh.place(a, 1, [1, 2]);
    const remote = addr(1, [2, 1]);
    const before = new Set(a.packager.scheduledIds());
    const reports: PingReport[] = [];
    us.ping.addHook('report', (r) => reports.push(r as PingReport));
    const test = unwrap(us.ping.ping({ target: remote, count: 5 }));
    const added = a.packager.scheduledIds().filter((id) => !before.has(id));
    expect(added).toHaveLength(6);
    expect(test.eventIds).toEqual(added);
    expect(test.remote).toBe(remote);
    expect(test.mode).toBe('routed dTree');
    // upstream's ids: SHA-256(Ping id ‖ address bytes)[:16] ‖ op ‖ u8(i); the report is suffix u8(count), due at (5 + 5) s
    const base = us.ping.idHex + ':' + toHex(nodeTopic(hashes, us.ping.id, remote.bytes)) + '00';
    expect(added).toEqual([0, 1, 2, 3, 4, 5].map((i) => base + i.toString(16).padStart(2, '0')));
    expect(a.packager.dueTime(added[5])).toBe(mesh.clock.now() + 10_000);
    mesh.run(10_000);
    expect(reports).toEqual([{ error: 'no responses', remote: remote.toString(), mode: 'routed dTree', expected_count: 5, success_rate: '0%' }]);
  });

  test('a gossip ping test queues count requests and one report carrying the node id', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a);
    const remoteId = strangerId(3);
    const before = new Set(a.packager.scheduledIds());
    const test = unwrap(us.ping.gossipPing({ nodeId: remoteId, count: 2 }));
    const added = a.packager.scheduledIds().filter((id) => !before.has(id));
    expect(added).toHaveLength(3);
    expect(test.remote).toEqual(remoteId);
    expect(added[0]).toBe(us.ping.idHex + ':' + toHex(nodeTopic(hashes, us.ping.id, remoteId)) + '02' + '00');
    mesh.run(7_000);
    expect(us.ping.reports()).toEqual([{ error: 'no responses', remote: toHex(remoteId), mode: 'gossip', expected_count: 2, success_rate: '0%' }]);
  });

  test('report_ping_test: there 15, back 15, round trip 30 on average, 100 %, matching answers consumed', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a);
    const remote = addr(1, [2, 1]);
    const nonce = 77;
    const receiveAt = (op: number, n: number, there: number, back: number) => {
      mesh.run(1000);
      const now = BigInt(mesh.clock.now());
      const ts2 = now - BigInt(back);
      us.ping.responseReceived(message({ op, nonce: n, nodeId: us.node.nodeId, ts1: ts2 - BigInt(there), ts2 }, remote));
    };
    const there = [10, 20, 14, 16];
    const back = [20, 10, 16, 14];
    for (let i = 0; i < 4; i++) receiveAt(PingOp.RESPOND, nonce, there[i], back[i]);
    receiveAt(PingOp.RESPOND, nonce + 1, 1, 1); // another test's answer stays
    const report = us.ping.reportPingTest(nonce, 'routed dCPL', 4, remote);
    expect(report).toEqual({
      mode: 'routed dCPL',
      remote: remote.toString(),
      count: 4,
      expected_count: 4,
      success_rate: '100%',
      there: { min: 10, max: 20, avg: 15 },
      back: { min: 10, max: 20, avg: 15 },
      round_trip: { min: 30, max: 30, avg: 30 },
    });
    expect(us.ping.responses().map((r) => r.nonce)).toEqual([nonce + 1]);

    // gossip mode: remote is the hex node id; 2 of 4 answers is 50 %
    const remoteId = strangerId(9);
    receiveAt(PingOp.GOSSIP_RESPOND, nonce, 15, 15);
    receiveAt(PingOp.GOSSIP_RESPOND, nonce, 15, 15);
    const g = us.ping.reportPingTest(nonce, 'gossip', 4, remoteId);
    expect(g).toMatchObject({ mode: 'gossip', remote: toHex(remoteId), count: 2, success_rate: '50%', round_trip: { avg: 30 } });
    expect(us.ping.reports()).toEqual([report, g]);
  });

  test('at most 10 answers are kept, oldest dropped', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a, { gossip: false });
    for (let n = 0; n < 12; n++) us.ping.responseReceived(message({ op: PingOp.RESPOND, nonce: n, nodeId: us.node.nodeId }, addr(1, [])));
    expect(us.ping.responses().map((r) => r.nonce)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});

describe('end to end on a 3-node line a – b – c (tree 1: [], [1], [1,1])', () => {
  function line(): { mesh: TestMesh; a: AppNode; b: AppNode; c: AppNode } {
    const mesh = new TestMesh();
    const [na, nb, nc] = mesh.add(3);
    mesh.connect(na, nb);
    mesh.connect(nb, nc);
    const [a, b, c] = [na, nb, nc].map((m) => withApps(m));
    mesh.place(na, 1, []);
    mesh.place(nb, 1, [1]);
    mesh.place(nc, 1, [1, 1]);
    return { mesh, a, b, c };
  }

  test.each([
    ['dTree', Metric.dTree, 'routed dTree'],
    ['dCPL', Metric.dCPL, 'routed dCPL'],
  ])('a pings c by address over %s: 4 of 4 answers, relayed through b', (_name, metric, mode) => {
    const { mesh, a, b, c } = line();
    const reports: PingReport[] = [];
    const progress: string[] = [];
    a.ping.addHook('report', (r) => reports.push(r as PingReport));
    unwrap(a.ping.ping({ target: c.packager.address as Address, count: 4, timeoutS: 2, metric, callback: (e) => typeof e === 'string' && progress.push(e) }));
    mesh.runAwake(7_000);
    expect(reports).toHaveLength(1);
    const r = reports[0] as Extract<PingReport, { count: number }>;
    expect(r).toMatchObject({ mode, remote: (c.packager.address as Address).toString(), count: 4, expected_count: 4, success_rate: '100%' });
    expect(r.round_trip.min).toBeGreaterThan(0);
    expect(r.round_trip.avg).toBe(r.there.avg + r.back.avg);
    expect(progress.filter((p) => p.endsWith(' sent'))).toHaveLength(4);
    // the requests went a → b → c and the answers c → b → a, each carrying the metric in flags.mode
    const pings = pingFrames(mesh);
    const requests = pings.filter((f) => f.pm.op === PingOp.REQUEST);
    const answers = pings.filter((f) => f.pm.op === PingOp.RESPOND);
    expect(requests.map((f) => [f.from, f.to])).toEqual(Array(4).fill([[macHex(a), macHex(b)], [macHex(b), macHex(c)]]).flat());
    expect(answers.map((f) => [f.from, f.to])).toEqual(Array(4).fill([[macHex(c), macHex(b)], [macHex(b), macHex(a)]]).flat());
    expect(pings.every((f) => hasFlag(f.packet.flags, 'mode') === (metric === Metric.dCPL))).toBe(true);
    expect(a.ping.responses()).toHaveLength(0); // consumed by the report
  });

  test('a pings c by node id once a route to c is known', () => {
    const { mesh, a, c } = line();
    a.packager.addRoute(c.node.nodeId, c.packager.address as Address);
    const t = unwrap(a.ping.ping({ target: c.node.nodeId, count: 3, timeoutS: 1 }));
    mesh.runAwake(5_000);
    expect(a.ping.reports()).toEqual([expect.objectContaining({ remote: toHex(c.node.nodeId), count: 3, success_rate: '100%' })]);
    expect(t.reportAt).toBe(1_000_000 + 4_000);
  });

  test('gossip ping from a to c: every request and answer flooded through b', () => {
    const { mesh, a, c } = line();
    const reports: PingReport[] = [];
    unwrap(a.ping.gossipPing({ nodeId: c.node.nodeId, count: 3, timeoutS: 2, callback: (e) => typeof e !== 'string' && reports.push(e) }));
    mesh.runAwake(6_000);
    expect(reports).toEqual([expect.objectContaining({ mode: 'gossip', remote: toHex(c.node.nodeId), count: 3, expected_count: 3, success_rate: '100%' })]);
    expect(pingFrames(mesh)).toHaveLength(0); // nothing was routed: all went as Gossip
  });

  test('without an answer the report says "no responses"', () => {
    const { mesh, a } = line();
    unwrap(a.ping.ping({ target: addr(1, [1, 2]), count: 2, timeoutS: 1 })); // nobody lives at [1,2]
    mesh.runAwake(4_000);
    expect(a.ping.reports()).toEqual([{ error: 'no responses', remote: addr(1, [1, 2]).toString(), mode: 'routed dTree', expected_count: 2, success_rate: '0%' }]);
  });
});

describe('callbacks, console, hostile input', () => {
  test('upstream\'s callback names are exposed and start subscribes to our own ping topic', () => {
    const mesh = new TestMesh();
    const [a] = mesh.add(1);
    const us = withApps(a);
    expect(us.ping.available()).toEqual(
      expect.arrayContaining(['request', 'respond', 'response_received', 'gossip_request', 'gossip_respond', 'gossip_response_received', 'serialize', 'deserialize', 'start', 'stop', 'list_routes', 'ping', 'gossip_ping', 'report_ping_test', 'get_ping_responses']),
    );
    const topic = toHex(nodeTopic(hashes, us.ping.id, a.node.nodeId));
    expect((us.gossip as Gossip).subscriptions()[topic]).toEqual([us.ping.idHex]);
    a.node.stop();
    expect((us.gossip as Gossip).subscriptions()[topic]).toBeUndefined();
  });

  test('the console\'s ping command runs a test of the app and prints its report', () => {
    const mesh = new TestMesh();
    const [na, nb] = mesh.add(2);
    mesh.connect(na, nb);
    const a = withApps(na);
    const b = withApps(nb);
    mesh.place(na, 1, []);
    mesh.place(nb, 1, [1]);
    const lines: string[] = [];
    const shell = new MeshConsole({ node: a.node }, (l) => lines.push(l));
    shell.exec(`ping ${(b.packager.address as Address).toString()} 2`);
    mesh.runAwake(5_000); // console timeout 2 s: report at (2 + 2) s
    expect(lines[0]).toBe('ping test started');
    expect(lines).toContain('Ping report:');
    expect(lines).toContain('\tsuccess_rate: 100%');
    expect(a.ping.reports()).toHaveLength(1); // the console's test is the app's test
    const bad: string[] = [];
    new MeshConsole({ node: a.node }, (l) => bad.push(l)).exec('ping not-an-address');
    expect(bad).toHaveLength(1);
    // one ping command: the app brings none of its own
    expect(a.ping.commands()).toEqual([]);
  });

  test('malformed ping messages are counted and dropped, never thrown', () => {
    const { mesh, us, peer } = station();
    for (const blob of [new Uint8Array(0), new Uint8Array(75), new Uint8Array(77), Uint8Array.from({ length: 76 }, () => 9)]) {
      peer.packager.send(us.ping.id, blob, { nodeId: us.node.nodeId });
    }
    // a REQUEST from a tree we have no address in cannot be answered: the answer waits for a way
    // as its retries would have (packager/held-sends.ts), and is given up after the last
    const req = unwrap(serializePing(message({ op: PingOp.REQUEST, nodeId: strangerId(1) }, addr(7, [1]))));
    peer.packager.send(us.ping.id, req, { nodeId: us.node.nodeId });
    expect(() => mesh.runAwake(1_000)).not.toThrow();
    expect(us.packager.counters.get('ping_bad_message')).toBe(4);
    expect(us.packager.counters.get('send_held')).toBe(1);
    mesh.runAwake(8_000);
    expect(us.packager.counters.get('send_held_failed')).toBe(1);
    expect(pingFrames(mesh, us)).toHaveLength(0);
  });
});
