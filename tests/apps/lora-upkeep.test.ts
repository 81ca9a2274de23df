/**
 * The upkeep options the LoRa defaults turn on (modules/rylr998/timings.ts, docs/lora.md "Airtime
 * -aware upkeep"), each against the upstream behaviour it replaces. All on the virtual clock.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from '../support/apps-mesh.js';
import { TreeOp, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { BeaconOp, parseBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { bytesEqual, compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

const ZERO = new Uint8Array(16);
/** A claim that loses to every test node id (the best claim, '1234'×8, scores 0). */
const WORST = Uint8Array.from(new TextEncoder().encode('1234'.repeat(8))).map((b) => b ^ 0xff);

/** `app`'s messages put on the medium by `from` since the last clearLog: where they went and the blob. */
function sent(mesh: AppMesh, from: AppNode, appId: Uint8Array) {
  const out: { to: string; blob: Uint8Array }[] = [];
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, from.radio.mac)) continue;
    const p = parsePacket(f.frame);
    if (!p.ok || p.value.body.length < 32) continue;
    const pkg = parsePackage(p.value.body);
    if (pkg.ok && bytesEqual(pkg.value.appId, appId)) out.push({ to: f.to ? toHex(f.to) : 'broadcast', blob: pkg.value.blob.slice() });
  }
  return out;
}

/**
 * Every beacon of `sender` lost at `receiver` for `forMs` from now (a hidden terminal at boot;
 * Infinity: the whole run), the other frames delivered.
 */
function loseBeacons(mesh: AppMesh, receiver: AppNode, sender: AppNode, forMs: number): void {
  const start = mesh.clock.now();
  const deliver = receiver.radio.onReceive!;
  receiver.radio.onReceive = (frame, mac) => {
    const p = parsePacket(frame);
    const pkg = p.ok && p.value.body.length >= 32 ? parsePackage(p.value.body) : undefined;
    const beacon = pkg !== undefined && pkg.ok && bytesEqual(pkg.value.appId, sender.beacon.id);
    if (beacon && mesh.clock.now() - start < forMs) return;
    deliver(frame, mac);
  };
}

/** The node of `a`, `b` whose own claim wins (its tree is the one to join), then the other. */
function byClaim(a: AppNode, b: AppNode): [AppNode, AppNode] {
  return compareBytes(claimScore(a.tree.root), claimScore(b.tree.root)) < 0 ? [a, b] : [b, a];
}

/** Node a with `n` started neighbours; tree messages from them are handed to a's tree by hand. */
function star(n: number, options: AppMeshOptions) {
  const mesh = new AppMesh({ ...options, tree: { max_start_delay: 1_000_000, ...options.tree } });
  const [a, ...others] = mesh.addApps(n + 1);
  for (const x of others) mesh.connect(a, x);
  mesh.startAll();
  mesh.run(200);
  mesh.medium.clearLog();
  const from = (x: AppNode, op: number, claim: Uint8Array, address: Uint8Array = ZERO): void => {
    const msg = unwrap(serializeTree({ op, ts: BigInt(mesh.clock.now()), age: 0, claim, address, nodeId: x.node.nodeId }));
    const d: Delivery = { iface: a.packager.interfaceOf(a.radio), mac: x.radio.mac, peer: a.packager.peer(x.node.nodeId), from: undefined };
    a.tree.receive(msg, d);
  };
  return { mesh, a, others, from };
}

describe('SpanningTree answer_broadcast_ms', () => {
  test('worse claims of three neighbours are answered by one broadcast RESPOND, not a unicast each', () => {
    const { mesh, a, others, from } = star(3, { tree: { answer_broadcast_ms: 5_000 } });
    for (const x of others) from(x, TreeOp.SEND, WORST);
    mesh.run(6_000);
    const answers = sent(mesh, a, a.tree.id).filter((m) => unwrap(parseTree(m.blob)).op === TreeOp.RESPOND);
    expect(answers.map((m) => m.to)).toEqual(['broadcast']);
    const m = unwrap(parseTree(answers[0].blob));
    expect(toHex(m.claim)).toBe(toHex(a.tree.root));
    // Every neighbour heard it and now knows a's better claim.
    for (const x of others) expect(x.tree.knownClaims().map((c) => c.claim)).toContain(toHex(a.tree.root));
  });

  test('0 (upstream): one unicast RESPOND per neighbour', () => {
    const { mesh, a, others, from } = star(3, {});
    for (const x of others) from(x, TreeOp.SEND, WORST);
    mesh.run(6_000);
    const answers = sent(mesh, a, a.tree.id).filter((m) => unwrap(parseTree(m.blob)).op === TreeOp.RESPOND);
    expect(answers.map((m) => m.to).sort()).toEqual(others.map((x) => toHex(x.radio.mac)).sort());
  });
});

describe('SpanningTree route_on_assign', () => {
  for (const on of [true, false]) {
    test(`${on ? 'on' : 'off (upstream)'}: the parent ${on ? 'routes' : 'does not route'} to its child's new address before hearing the child's advert`, () => {
      const { mesh, a, others, from } = star(1, { tree: { route_on_assign: on } });
      const [b] = others;
      // b's adverts never reach a (a LoRa collision): a learns b's address only from itself.
      mesh.medium.link(b.radio, a.radio, 1, true);
      from(b, TreeOp.REQUEST_ADDRESS_ASSIGNMENT, a.tree.root);
      mesh.run(2_000);
      const assigned = a.packager.address!.coords.concat([a.tree.children()[toHex(b.node.nodeId)]]);
      const child = unwrap(Address.fromCoords(a.packager.address!.treeState, assigned));
      expect(a.packager.route(child)?.nodeKey === toHex(b.node.nodeId)).toBe(on);
    });
  }
});

describe('Beacon', () => {
  test('any_frame_keeps_peer: a neighbour whose beacons are lost but whose other frames arrive stays a peer', () => {
    const kept = (on: boolean): boolean => {
      const mesh = new AppMesh({ beacon: { any_frame_keeps_peer: on } });
      const [a, b] = mesh.addApps(2);
      mesh.wire(a, b);
      mesh.startAll();
      mesh.run(5_000);
      expect(a.packager.peer(b.node.nodeId)).toBeDefined();
      // From now on a hears none of b's beacons (b sheds them at its duty limit) but b's data.
      const beaconOf = (frame: Uint8Array): boolean => {
        const p = parsePacket(frame);
        const pkg = p.ok && p.value.body.length >= 32 ? parsePackage(p.value.body) : undefined;
        return pkg !== undefined && pkg.ok && bytesEqual(pkg.value.appId, b.beacon.id) && parseBeacon(pkg.value.blob).ok;
      };
      const radio = a.radio;
      const deliver = radio.onReceive!;
      radio.onReceive = (frame, mac) => {
        if (mac && bytesEqual(mac, b.radio.mac) && beaconOf(frame)) return;
        deliver(frame, mac);
      };
      for (let t = 0; t < 6 * 60; t++) {
        mesh.run(1_000);
        if (t % 30 === 0) b.packager.send(b.app.id, Uint8Array.of(1, 2, 3), { nodeId: a.node.nodeId });
      }
      return a.packager.peer(b.node.nodeId) !== undefined;
    };
    expect(kept(false)).toBe(false); // 4 beacon cycles without a beacon: gone (upstream)
    expect(kept(true)).toBe(true);
  });

  test('with jitter_ratio the start burst spacing is drawn per beacon, so bursts of nodes booted together drift apart', () => {
    const offsets = (ratio: number): number[][] => {
      const mesh = new AppMesh({ beacon: { jitter_ratio: ratio, start_count: 3, beacon_period: 1_000 } });
      const nodes = mesh.addApps(3);
      mesh.startAll();
      const at: number[][] = nodes.map(() => []);
      const start = mesh.clock.now();
      for (let t = 0; t < 8_000; t += 10) {
        mesh.run(10);
        nodes.forEach((x, i) => {
          for (const m of sent(mesh, x, x.beacon.id)) if (unwrap(parseBeacon(m.blob)).op === BeaconOp.BEACON) at[i].push(mesh.clock.now() - start);
        });
        mesh.medium.clearLog();
      }
      return at;
    };
    const fixed = offsets(0);
    expect(new Set(fixed.map((o) => o.join())).size).toBe(1); // every node at the same offsets
    const drawn = offsets(0.1);
    expect(drawn.every((o) => o.length === 3)).toBe(true);
    expect(new Set(drawn.map((o) => o.join())).size).toBe(3);
    for (const o of drawn) for (let i = 1; i < o.length; i++) expect(o[i] - o[i - 1]).toBeGreaterThanOrEqual(1_000);
  });
});

describe('SpanningTree introduce_on_retry + request_retry_ms', () => {
  /**
   * Two nodes whose start beacons all collided at each other (dropped here for the first second),
   * with LoRa-like periods: the next beacon is 10 min away, the next advert 200 s. Tree adverts get
   * through, so the node with the worse root asks the other for an address, which ignores a
   * REQUEST from a node it has not taken as a peer (protocol.md §6.3).
   */
  const joinedBy = (on: boolean, ms: number): boolean => {
    const mesh = new AppMesh({
      beacon: { beacon_interval: 600_000 },
      tree: { tree_maintenance_delay: 200_000, max_start_delay: 2_000, ...(on && { introduce_on_retry: true, request_retry_ms: 5_000 }) },
    });
    const [a, b] = mesh.addApps(2);
    mesh.wire(a, b);
    mesh.startAll();
    // The node whose own claim wins (its tree is the one to join) misses the other's beacons.
    const [better, worse] = byClaim(a, b);
    loseBeacons(mesh, better, worse, 1_000);
    mesh.run(ms);
    return mesh.converged([a, b]);
  };

  test('on: the REQUEST is tried again with our beacon first, and the tree forms within a minute', () => {
    expect(joinedBy(true, 60_000)).toBe(true);
  });

  test('off (upstream): the REQUESTs go unanswered until the next beacon', () => {
    expect(joinedBy(false, 60_000)).toBe(false);
    expect(joinedBy(false, 700_000)).toBe(true);
  });
});

describe('SpanningTree expire_at_use', () => {
  /**
   * Node a hears two better roots: x's tree, refreshed 90 s before (max_tree_age 100 s), then,
   * 15 s later, y's fresh one. Maintenance, which expires claims, is far away (LoRa: every P).
   * Returns the neighbours a asked for an address after hearing y.
   */
  const askedAfterFresh = (on: boolean): string[] => {
    const { mesh, a, others } = star(2, { tree: { max_tree_age: 100, tree_maintenance_delay: 1_000_000, expire_at_use: on } });
    const [x, y] = others;
    const best = WORST.map((b) => b ^ 0xff); // scores 0: beats every node id
    const second = best.slice();
    second[31] ^= 1;
    const advert = (n: AppNode, claim: Uint8Array, age: number): void => {
      const msg = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(mesh.clock.now()), age, claim, address: ZERO, nodeId: n.node.nodeId }));
      a.tree.receive(msg, { iface: a.packager.interfaceOf(a.radio), mac: n.radio.mac, peer: a.packager.peer(n.node.nodeId), from: undefined });
    };
    advert(x, best, 90);
    mesh.run(15_000); // a asked x; x, in no such tree, does not answer, and its tree is now 105 s old
    mesh.medium.clearLog();
    advert(y, second, 0);
    mesh.run(5_000);
    const requests = sent(mesh, a, a.tree.id).filter((m) => unwrap(parseTree(m.blob)).op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT);
    return requests.map((m) => (m.to === toHex(x.radio.mac) ? 'x' : m.to === toHex(y.radio.mac) ? 'y' : m.to));
  };

  test('on: a tree that aged out since the last maintenance is not asked for an address; the live one is', () => {
    expect(askedAfterFresh(true)).toEqual(['y']);
  });

  test('off (upstream): the aged-out tree is still chosen until maintenance expires it', () => {
    expect(askedAfterFresh(false)).toEqual(['x']);
  });
});

describe('SpanningTree peers_from_tree', () => {
  /**
   * Two nodes, every beacon of the one whose claim wins lost at the other (a hidden terminal),
   * with LoRa-like periods (next beacon in 10 min, next advert in 200 s): its adverts and answers
   * get through, from a node the other never took as a peer.
   */
  const run = (on: boolean, ms: number) => {
    const mesh = new AppMesh({ beacon: { beacon_interval: 600_000 }, tree: { tree_maintenance_delay: 200_000, max_start_delay: 2_000, peers_from_tree: on } });
    const [a, b] = mesh.addApps(2);
    mesh.wire(a, b);
    mesh.startAll();
    const [better, worse] = byClaim(a, b);
    loseBeacons(mesh, worse, better, Infinity);
    mesh.run(ms);
    return { joined: mesh.converged([a, b]), peer: worse.packager.peer(better.node.nodeId) !== undefined, counted: worse.packager.counters.get('tree_stranger_peer') };
  };

  test('on: the stranger\'s tree message makes it a peer, and the worse node joins its tree within seconds', () => {
    expect(run(true, 20_000)).toEqual({ joined: true, peer: true, counted: 1 });
  });

  test('off (upstream): its tree messages are dropped, and the two stay apart past the next advert', () => {
    expect(run(false, 300_000)).toEqual({ joined: false, peer: false, counted: 0 });
  });

  test("a tree message naming another node from a neighbour's bound link makes no peer of that node", () => {
    const { mesh, a, others } = star(2, { tree: { peers_from_tree: true } });
    const [x, y] = others;
    a.packager.removePeer(y.node.nodeId);
    const forged = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(mesh.clock.now()), age: 0, claim: WORST, address: ZERO, nodeId: y.node.nodeId }));
    a.tree.receive(forged, { iface: a.packager.interfaceOf(a.radio), mac: x.radio.mac, peer: a.packager.peer(x.node.nodeId), from: undefined });
    expect(a.packager.peer(y.node.nodeId)).toBeUndefined();
    expect(a.packager.counters.get('tree_advert_not_own')).toBe(1);
  });

  test('an ASSIGN from a stranger makes no peer (it only ever answers our REQUEST)', () => {
    const { a, others, from } = star(1, { tree: { peers_from_tree: true } });
    const [x] = others;
    a.packager.removePeer(x.node.nodeId);
    from(x, TreeOp.ASSIGN_ADDRESS, WORST);
    expect(a.packager.peer(x.node.nodeId)).toBeUndefined();
    from(x, TreeOp.SEND, WORST);
    expect(a.packager.peer(x.node.nodeId)).toBeDefined();
  });
});

describe('SpanningTree answer_any_claim', () => {
  const answers = (on: boolean, op: number, claim: Uint8Array) => {
    const { mesh, a, others, from } = star(1, { tree: { answer_broadcast_ms: 5_000, answer_any_claim: on } });
    from(others[0], op, claim);
    mesh.run(6_000);
    const responds = sent(mesh, a, a.tree.id).map((m) => unwrap(parseTree(m.blob)).op === TreeOp.RESPOND && { to: m.to, ours: bytesEqual(unwrap(parseTree(m.blob)).claim, a.tree.root) });
    return responds.filter((r) => r !== false); // (an ASSIGN may follow: the neighbour, told, joins us)
  };
  const RESPOND_OURS = [{ to: 'broadcast', ours: true }];

  test('on: a neighbour\'s RESPOND for a worse root is answered by our RESPOND (its SEND may have been lost here)', () => {
    expect(answers(true, TreeOp.RESPOND, WORST)).toEqual(RESPOND_OURS);
  });

  test('on: a REQUEST for a tree we are not in is answered by our RESPOND, not ignored', () => {
    expect(answers(true, TreeOp.REQUEST_ADDRESS_ASSIGNMENT, WORST)).toEqual(RESPOND_OURS);
  });

  test('off (upstream): neither is answered', () => {
    expect(answers(false, TreeOp.RESPOND, WORST)).toEqual([]);
    expect(answers(false, TreeOp.REQUEST_ADDRESS_ASSIGNMENT, WORST)).toEqual([]);
  });
});
