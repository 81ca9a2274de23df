/**
 * SpanningTree `answer_ours_ms` (docs/routing.md "Start-up storm"): worse claims of neighbours
 * that speak Hello are answered by one broadcast RESPOND; upstream neighbours keep upstream's
 * unicast. On the virtual clock.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from '../support/apps-mesh.js';
import { TreeOp, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

const ZERO = new Uint8Array(16);
/** A claim that loses to every test node id. */
const WORST = Uint8Array.from(new TextEncoder().encode('1234'.repeat(8))).map((b) => b ^ 0xff);

/** Where a's RESPONDs went since the last clearLog ('broadcast' or a MAC). */
function responds(mesh: AppMesh, a: AppNode): string[] {
  const out: string[] = [];
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, a.radio.mac)) continue;
    const p = parsePacket(f.frame);
    if (!p.ok || p.value.body.length < 32) continue;
    const pkg = parsePackage(p.value.body);
    if (pkg.ok && bytesEqual(pkg.value.appId, a.tree.id) && unwrap(parseTree(pkg.value.blob)).op === TreeOp.RESPOND) out.push(f.to ? toHex(f.to) : 'broadcast');
  }
  return out.sort();
}

/** Node a with three started neighbours, each of which claims a worse root to a at once. */
function worseClaims(options: AppMeshOptions) {
  const mesh = new AppMesh({ ...options, tree: { max_start_delay: 1_000_000, ...options.tree } });
  const [a, ...others] = mesh.addApps(4);
  for (const x of others) mesh.connect(a, x);
  mesh.startAll();
  mesh.run(2_000); // beacons and first hellos: a knows which neighbours speak Hello
  mesh.medium.clearLog();
  for (const x of others) {
    const msg = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(mesh.clock.now()), age: 0, claim: WORST, address: ZERO, nodeId: x.node.nodeId }));
    const d: Delivery = { iface: a.packager.interfaceOf(a.radio), mac: x.radio.mac, peer: a.packager.peer(x.node.nodeId), from: undefined };
    a.tree.receive(msg, d);
  }
  mesh.run(1_000);
  return { mesh, a, others };
}

test('worse claims of three Hello-speaking neighbours are answered by one broadcast RESPOND that all of them take', () => {
  const { mesh, a, others } = worseClaims({ hello: true, tree: { answer_ours_ms: 500 } });
  expect(responds(mesh, a)).toEqual(['broadcast']);
  for (const x of others) expect(x.tree.knownClaims().map((c) => c.claim)).toContain(toHex(a.tree.root));
});

test('answer_ours_ms 0 (the default), or neighbours without Hello (upstream): a unicast RESPOND to each', () => {
  for (const options of [{ hello: true }, { tree: { answer_ours_ms: 500 } }] as AppMeshOptions[]) {
    const { mesh, a, others } = worseClaims(options);
    expect(responds(mesh, a)).toEqual(others.map((x) => toHex(x.radio.mac)).sort());
  }
});
