/**
 * DebugApp (protocol.md §6.5): upstream's tests/test_DebugApp.py behaviours (§10.7) written for
 * our API, remote inspection between two nodes, AUTH_ERROR, and our replay defence (issue 4
 * item 5): stale timestamps and re-used (from_id, nonce, ts) are refused and counted.
 */
import { TestMesh } from '../support/mesh.js';
import { TEST_PASSWORD, TEST_PASS_HASH, addr, gossipOnAir, hashes, strangerId, withApps, type AppNode } from './support.js';
import { DebugApp, type DebugResult } from '../../modules/mycelium/apps/debug.js';
import { DebugOp, DEFAULT_ADMIN_PASS_HASH, parseDebug, serializeDebug } from '../../modules/mycelium/wire/messages/debug.js';
import { GossipOp, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { serializePacket } from '../../modules/mycelium/wire/packet.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { AdminMark } from '../../modules/mycelium/apps/admin-mark.js';
import { MemoryStorage } from '../../simulator/platform/node-platform.js';
import type { Storage } from '../../modules/mycelium/platform/platform.js';

const DEBUG_ID_HEX = '0ee8fd451371ecad090a45cfb0430ca8';

/** One node running Gossip + DebugApp with upstream's test password "test", recording `output`. */
function single(): { mesh: TestMesh; n: AppNode; out: (string | DebugResult)[] } {
  const mesh = new TestMesh();
  const [m] = mesh.add(1);
  const n = withApps(m, { debug: { admin_pass_hash: TEST_PASS_HASH } });
  const out: (string | DebugResult)[] = [];
  n.debug.addHook('output', (x) => out.push(x as string | DebugResult));
  return { mesh, n, out };
}

/** Admin node a and target b, neighbours, both with the test password. */
function pair(debug: Partial<{ clock_offset_s: number; admin_window_s: number }> = {}) {
  const mesh = new TestMesh();
  const [ma, mb] = mesh.add(2);
  mesh.connect(ma, mb);
  const a = withApps(ma, { debug: { admin_pass_hash: TEST_PASS_HASH, ...debug } });
  const b = withApps(mb, { debug: { admin_pass_hash: TEST_PASS_HASH, ...debug } });
  const outA: (string | DebugResult)[] = [];
  const outB: (string | DebugResult)[] = [];
  a.debug.addHook('output', (x) => outA.push(x as string | DebugResult));
  b.debug.addHook('output', (x) => outB.push(x as string | DebugResult));
  return { mesh, a, b, outA, outB };
}

describe('upstream test_DebugApp behaviours', () => {
  test('the app id is upstream\'s and the default admin hash is upstream\'s', () => {
    const d = new DebugApp(hashes);
    expect(d.idHex).toBe(DEBUG_ID_HEX);
    expect(toHex(d.params.admin_pass_hash)).toBe('32549bff6d8404c4d121b589f4d24ac6');
    expect(d.params.admin_pass_hash).not.toBe(DEFAULT_ADMIN_PASS_HASH); // a copy per instance
  });

  test('REQUIRE_BAN e2e: "REQUIRE_BAN received", the node is banned, then an OK result with its id', () => {
    const { n, out } = single();
    const victim = strangerId(4);
    expect(n.debug.require(DebugOp.REQUIRE_BAN, n.node.nodeId, TEST_PASSWORD, victim).ok).toBe(true);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('DebugApp: REQUIRE_BAN received');
    expect(out[1]).toEqual({ op: 'REQUIRE_BAN', from_id: toHex(n.node.nodeId), node_id: toHex(victim) });
    expect(n.packager.isBanned(victim)).toBe(true);
    expect(n.debug.seenResults()).toEqual([out[1]]);
  });

  test('REQUIRE_UNBAN e2e: "REQUIRE_UNBAN received", the ban is lifted, then an OK result with its id', () => {
    const { n, out } = single();
    const victim = strangerId(4);
    n.packager.ban(victim);
    n.debug.require(DebugOp.REQUIRE_UNBAN, n.node.nodeId, TEST_PASSWORD, victim);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('DebugApp: REQUIRE_UNBAN received');
    expect(out[1]).toMatchObject({ op: 'REQUIRE_UNBAN', node_id: toHex(victim) });
    expect(n.packager.isBanned(victim)).toBe(false);
  });

  test('REQUIRE_REFLECT e2e: reflecting a REQUEST_NODE_INFO produces a RESPOND_NODE_INFO result', () => {
    const { mesh, n, out } = single();
    mesh.place(n, 1, [3]);
    const inner = unwrap(serializeDebug({ op: DebugOp.REQUEST_NODE_INFO, ts: n.debug.nowSeconds(), nonce: 123, fromId: n.node.nodeId, data: new Uint8Array(0) }));
    n.debug.require(DebugOp.REQUIRE_REFLECT, n.node.nodeId, TEST_PASSWORD, inner);
    expect(out).toHaveLength(2);
    expect(out[0]).toBe('DebugApp: REQUIRE_REFLECT received');
    const info = out[1] as DebugResult;
    expect(info.op).toBe('RESPOND_NODE_INFO');
    expect(info.node_id).toBe(toHex(n.node.nodeId));
    expect(info.node_addrs).toEqual([addr(1, [3]).toString()]);
    expect(info.apps).toEqual(expect.arrayContaining([DEBUG_ID_HEX, '849969c1f22797d66f5a94db2afe634a', '8d9c1faf6fb241582199316974f3ec4d']));
  });

  test('REQUIRE_RESET e2e: "REQUIRE_RESET received…", an OK result; the reset hook runs 200 ms later, not before', () => {
    const { mesh, n, out } = single();
    let resets = 0;
    n.debug.addHook('reset', () => resets++);
    n.debug.require(DebugOp.REQUIRE_RESET, n.node.nodeId, TEST_PASSWORD);
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('DebugApp: REQUIRE_RESET received');
    expect(out[1]).toMatchObject({ op: 'REQUIRE_RESET' });
    mesh.run(199);
    expect(resets).toBe(0);
    mesh.run(1);
    expect(resets).toBe(1);
  });
});

describe('remote inspection between neighbours', () => {
  test('info, peers, routes and next_hop answers arrive with upstream\'s JSON shapes and the request nonce', () => {
    const { mesh, a, b, outA } = pair();
    mesh.place(a, 1, []);
    mesh.place(b, 1, [1]);
    const far = strangerId(8);
    b.packager.addRoute(far, addr(1, [1, 4]));
    const answerNonces: number[] = [];
    a.debug.addHook('receive', (blob) => {
      const dm = parseDebug(blob as Uint8Array);
      if (dm.ok && bytesEqual(dm.value.fromId, b.node.nodeId)) answerNonces.push(dm.value.nonce);
    });
    const sent = [
      unwrap(a.debug.requestNodeInfo(b.node.nodeId)),
      unwrap(a.debug.requestPeerList(b.node.nodeId)),
      unwrap(a.debug.requestRoutes(b.node.nodeId)),
      unwrap(a.debug.requestNextHop(b.node.nodeId, addr(1, []), Metric.dTree)),
    ];
    mesh.runAwake(3_000);
    const from = toHex(b.node.nodeId);
    expect(outA).toHaveLength(4);
    const byOp = Object.fromEntries(outA.map((r) => [(r as DebugResult).op, r as DebugResult]));
    expect(byOp.RESPOND_NODE_INFO).toMatchObject({ from_id: from, node_id: from, node_addrs: ['1-10::'] });
    expect(byOp.RESPOND_PEER_LIST).toEqual({ op: 'RESPOND_PEER_LIST', from_id: from, node_id: from, peers: { [toHex(a.node.nodeId)]: ['1-::'] } });
    expect(byOp.RESPOND_ROUTES).toEqual({
      op: 'RESPOND_ROUTES',
      from_id: from,
      node_id: from,
      routes: { '1-::': toHex(a.node.nodeId), [addr(1, [1, 4]).toString()]: toHex(far) },
    });
    expect(byOp.RESPOND_NEXT_HOP).toEqual({ op: 'RESPOND_NEXT_HOP', from_id: from, next_hop: [toHex(a.node.nodeId), '1-::'] });
    // the answers echo the nonces of the requests
    expect(new Set(answerNonces)).toEqual(new Set(sent.map((s) => s.nonce)));
  });

  test('an admin op with the right password bans remotely; a wrong password gets AUTH_ERROR and changes nothing', () => {
    const { mesh, a, b, outA, outB } = pair();
    const victim = strangerId(5);
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, new TextEncoder().encode('wrong'), victim);
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(victim)).toBe(false);
    expect(outB).toEqual(['DebugApp: REQUIRE_* received with invalid auth data; ignoring']);
    expect(outA).toEqual([{ op: 'REQUIRE_BAN', from_id: toHex(b.node.nodeId), error: 'AUTH_ERROR' }]);
    expect(b.packager.counters.get('debug_auth_error')).toBe(1);

    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, victim);
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(victim)).toBe(true);
    expect(outA[1]).toEqual({ op: 'REQUIRE_BAN', from_id: toHex(b.node.nodeId), node_id: toHex(victim) });
  });

  test('REQUIRE_SET_PW changes the password: the old one is refused afterwards', () => {
    const { mesh, a, b, outA } = pair();
    const enc = (s: string) => new TextEncoder().encode(s);
    a.debug.require(DebugOp.REQUIRE_SET_PW, b.node.nodeId, TEST_PASSWORD, enc('n3w'));
    mesh.runAwake(2_000);
    expect(outA).toEqual([expect.objectContaining({ op: 'REQUIRE_SET_PW' })]);
    expect(b.debug.params.admin_pass_hash).toEqual(hashes.sha256(enc('n3w')).slice(0, 16));
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, strangerId(1));
    a.debug.require(DebugOp.REQUIRE_UNBAN, b.node.nodeId, enc('n3w'), strangerId(1));
    mesh.runAwake(2_000);
    expect(outA.slice(1).map((r) => [(r as DebugResult).op, (r as DebugResult).error])).toEqual([
      ['REQUIRE_BAN', 'AUTH_ERROR'],
      ['REQUIRE_UNBAN', undefined],
    ]);
  });
});

describe('fix: admin replays are refused (issue 4 item 5)', () => {
  /** What an eavesdropper captured: the gossiped REQUIRE_BAN from a to b. */
  function capturedBan(mesh: TestMesh, a: AppNode): Uint8Array {
    const require = gossipOnAir(mesh, (a.gossip as Gossip).id).find((gm) => {
      const dm = parseDebug(gm.data);
      return gm.op === GossipOp.PUBLISH && dm.ok && dm.value.op === DebugOp.REQUIRE_BAN;
    });
    if (!require) throw new Error('no REQUIRE_BAN on the air');
    return require.data;
  }

  /**
   * Re-inject a captured debug message from an attacker node next to b, wrapped in a Gossip
   * RESPOND: a different gossip message id than the original PUBLISH, so Gossip's seen list does
   * not stop it and it reaches b's DebugApp.
   */
  function replay(mesh: TestMesh, b: AppNode, captured: Uint8Array): void {
    const [attacker] = mesh.add(1);
    mesh.connect(attacker, b);
    const gm = unwrap(serializeGossip({ op: GossipOp.RESPOND, topic: b.debug.topic(b.node.nodeId), data: captured }));
    const body = unwrap(buildPackage(hashes, (b.gossip as Gossip).id, gm));
    attacker.radio.broadcast(unwrap(serializePacket({ schemaId: 0, flags: 0, packetId: 200, body })));
  }

  test('a captured REQUIRE_BAN replayed later is refused and counted; nothing is answered', () => {
    const { mesh, a, b, outA, outB } = pair();
    const victim = strangerId(6);
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, victim);
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(victim)).toBe(true);
    const captured = capturedBan(mesh, a);
    b.packager.unban(victim); // the operator lifts the ban locally
    const answered = outA.length;

    replay(mesh, b, captured);
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(victim)).toBe(false);
    expect(b.debug.adminRefusals).toBe(1);
    expect(b.packager.counters.get('debug_admin_replay')).toBe(1);
    expect(outB[outB.length - 1]).toBe('DebugApp: REQUIRE_BAN refused: replayed message');
    expect(outA).toHaveLength(answered);
  });

  test('after a reboot, an op at or before the last one accepted (kept in flash) is a replay', () => {
    // Issue 19 class 9: the replay table is in memory and the clock restarts with the node, so
    // the mark of the newest accepted ts is what survives. Two boots over one flash:
    const flash = new MemoryStorage();
    const first = new AdminMark(flash);
    expect(first.replayed(1_000)).toBe(false);
    first.accepted(1_000);
    first.accepted(900); // an older one accepted within the window does not move the mark back
    expect(first.replayed(1_000)).toBe(false); // the same boot: the table decides, not the mark
    const second = new AdminMark(flash);
    expect([second.replayed(999), second.replayed(1_000), second.replayed(1_001)]).toEqual([true, true, false]);
  });

  test('DebugApp consults the mark its storage holds when it starts', () => {
    const { mesh, a, b } = pair();
    const flash = new MemoryStorage();
    new AdminMark(flash).accepted(b.debug.nowSeconds() + 60); // what a boot that ran later accepted
    (b.node.platform as { storage?: Storage }).storage = flash;
    const node = b.debug.node;
    b.debug.stop();
    b.debug.start(node); // the reboot, as far as DebugApp is concerned
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, strangerId(6));
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(strangerId(6))).toBe(false);
    expect(b.packager.counters.get('debug_admin_replay')).toBe(1);
  });

  test('a captured admin op replayed after the window (300 s) is refused as stale', () => {
    const { mesh, a, b, outB } = pair();
    const victim = strangerId(6);
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, victim);
    mesh.runAwake(2_000);
    const captured = capturedBan(mesh, a);
    b.packager.unban(victim);
    mesh.runAwake(301_000);
    replay(mesh, b, captured);
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(victim)).toBe(false);
    expect(b.packager.counters.get('debug_admin_stale')).toBe(1);
    expect(String(outB[outB.length - 1])).toMatch(/^DebugApp: REQUIRE_BAN refused: timestamp 30\d s away from our clock$/);
  });

  test('the window follows platform.now()/1000 plus clock_offset_s: a requester whose clock is off by 10 min is refused', () => {
    const { mesh, a, b } = pair({ clock_offset_s: 1_700_000_000 });
    expect(a.debug.nowSeconds()).toBe(1_700_000_000 + 1_000); // the virtual clock starts at 1 000 000 ms
    a.debug.params.clock_offset_s -= 600;
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, strangerId(2));
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(strangerId(2))).toBe(false);
    expect(b.packager.counters.get('debug_admin_stale')).toBe(1);
    expect(b.packager.counters.get('debug_auth_error')).toBe(0); // stale ops are not even checked or answered
    a.debug.params.clock_offset_s += 590; // 10 s off: inside the window
    a.debug.require(DebugOp.REQUIRE_BAN, b.node.nodeId, TEST_PASSWORD, strangerId(2));
    mesh.runAwake(2_000);
    expect(b.packager.isBanned(strangerId(2))).toBe(true);
  });

  test('distinct admin ops from one sender are all accepted (only exact repeats are replays)', () => {
    const { n, out } = single();
    for (let i = 1; i <= 5; i++) n.debug.require(DebugOp.REQUIRE_BAN, n.node.nodeId, TEST_PASSWORD, strangerId(i));
    for (let i = 1; i <= 5; i++) expect(n.packager.isBanned(strangerId(i))).toBe(true);
    expect(n.debug.adminRefusals).toBe(0);
    expect(out.filter((x) => typeof x !== 'string')).toHaveLength(5);
  });
});

describe('callbacks, console, hostile input', () => {
  test('upstream\'s callback names are exposed; auth_check follows admin_pass_hash', () => {
    const { n } = single();
    expect(n.debug.available()).toEqual(expect.arrayContaining(['request', 'require', 'serialize', 'deserialize', 'start', 'stop', 'get_seen', 'auth_check']));
    const data = new Uint8Array([0, ...TEST_PASSWORD]);
    expect(n.debug.invoke('auth_check', data)).toBe(true);
    n.debug.setPassword(new TextEncoder().encode('other'));
    expect(n.debug.invoke('auth_check', data)).toBe(false);
  });

  test('debug and admin console commands send requests and print the answers', () => {
    const { mesh, a, b } = pair();
    const lines: string[] = [];
    const cmd = (name: string) => a.debug.commands().find((c) => c.name === name);
    cmd('debug')?.run([toHex(b.node.nodeId), 'info'], (l) => lines.push(l));
    cmd('admin')?.run([toHex(b.node.nodeId), 'test', 'ban', toHex(strangerId(3))], (l) => lines.push(l));
    mesh.runAwake(2_000);
    expect(lines[0]).toMatch(/^DebugApp.request sent/);
    expect(lines[1]).toMatch(/^DebugApp.require sent/);
    expect(lines.some((l) => l.includes('"op":"RESPOND_NODE_INFO"'))).toBe(true);
    expect(lines.some((l) => l.includes('"op":"REQUIRE_BAN"'))).toBe(true);
    expect(b.packager.isBanned(strangerId(3))).toBe(true);
    const errors: string[] = [];
    cmd('debug')?.run(['nothex'], (l) => errors.push(l));
    cmd('admin')?.run([toHex(b.node.nodeId), 'test', 'explode'], (l) => errors.push(l));
    cmd('local_admin')?.run(['set_pw', 'secret'], (l) => errors.push(l));
    expect(errors).toEqual(['debug - give a 64-hex-digit node id', 'admin - unknown subcommand explode', 'local_admin - admin password set']);
    expect(a.debug.params.admin_pass_hash).toEqual(hashes.sha256(new TextEncoder().encode('secret')).slice(0, 16));
  });

  test('malformed debug messages are counted and dropped, never thrown', () => {
    const { n, out } = single();
    const topic = n.debug.topic(n.node.nodeId);
    const bad = [
      new Uint8Array(10), // shorter than the 39-byte header
      Uint8Array.of(50, ...new Uint8Array(38)), // unknown op
      unwrap(serializeDebug({ op: DebugOp.REQUEST_NEXT_HOP, ts: 0, nonce: 1, fromId: n.node.nodeId, data: Uint8Array.of(1) })), // short next-hop data
    ];
    for (const data of bad) expect(() => (n.gossip as Gossip).publish(topic, data)).not.toThrow();
    expect(n.packager.counters.get('debug_bad_message')).toBe(3);
    // a response whose JSON is broken still becomes a result
    (n.gossip as Gossip).publish(topic, unwrap(serializeDebug({ op: DebugOp.OK, ts: 0, nonce: 1, fromId: n.node.nodeId, data: Uint8Array.of(123) })));
    expect(out).toEqual([{ op: 'OK', from_id: toHex(n.node.nodeId), error: 'Invalid JSON received', data: '7b' }]);
  });

  test('at most 10 results are kept', () => {
    const { n } = single();
    const topic = n.debug.topic(n.node.nodeId);
    for (let i = 0; i < 12; i++) {
      const json = new TextEncoder().encode(JSON.stringify({ i }));
      (n.gossip as Gossip).publish(topic, unwrap(serializeDebug({ op: DebugOp.OK, ts: 0, nonce: i, fromId: n.node.nodeId, data: json })));
    }
    expect(n.debug.seenResults().map((r) => r.i)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
});
