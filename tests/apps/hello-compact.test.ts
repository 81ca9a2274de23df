/**
 * Compact hellos (apps/hello.ts header, docs/routing.md "Hello"): between nodes whose Beacons all
 * say they expand compact frames, hellos go on air without the bytes the receiver rebuilds; one
 * neighbour that does not say so (upstream) brings upstream's frame layout back. On the virtual clock.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { parseHello } from '../../modules/mycelium/wire/messages/hello.js';
import { BeaconOp, serializeBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

/** a's hellos on the medium since the last clearLog: on-air length, whether compact, the hello read from them. */
function hellosFrom(mesh: AppMesh, a: AppNode) {
  const helloId = (a.hello as NonNullable<AppNode['hello']>).id;
  const out: { length: number; compact: boolean; seq: number }[] = [];
  for (const f of mesh.medium.log) {
    if (!bytesEqual(f.from, a.radio.mac)) continue;
    const compact = f.frame[0] === COMPACT_MARKER;
    const p = parsePacket(compact ? (expandFrame(portableHashes, f.frame) ?? f.frame) : f.frame);
    if (!p.ok) continue;
    const pkg = parsePackage(p.value.body);
    if (!pkg.ok || !bytesEqual(pkg.value.appId, helloId)) continue;
    out.push({ length: f.frame.length, compact, seq: unwrap(parseHello(pkg.value.blob)).seq });
  }
  return out;
}

function pair(compact?: boolean) {
  const mesh = new AppMesh({ hello: compact === undefined ? true : { compact } });
  const [a, b] = mesh.addApps(2);
  mesh.connect(a, b);
  mesh.startAll();
  mesh.run(10_000);
  mesh.medium.clearLog();
  return { mesh, a, b };
}

test('between our nodes hellos go compact, at least 30 bytes shorter, and the neighbour keeps measuring the link from them', () => {
  const full = pair(false);
  full.mesh.run(30_000);
  const long = hellosFrom(full.mesh, full.a);
  expect(long.length).toBeGreaterThan(5);
  expect(long.every((h) => !h.compact)).toBe(true);

  const { mesh, a, b } = pair();
  mesh.run(30_000);
  const short = hellosFrom(mesh, a);
  expect(short.length).toBe(long.length);
  expect(short.every((h) => h.compact)).toBe(true);
  const mean = (xs: { length: number }[]) => xs.reduce((s, x) => s + x.length, 0) / xs.length;
  expect(mean(long) - mean(short)).toBeGreaterThanOrEqual(30);
  // b took every one of them: it hears all of a's hellos.
  expect(b.packager.peer(a.node.nodeId)?.link?.inbound(mesh.clock.now())).toBe(1);
  expect(a.packager.counters.get('tx_compact')).toBeGreaterThan(0);
});

test('a neighbour whose Beacon does not list CompactFrames (upstream) brings the full layout back at the next hello', () => {
  const { mesh, a } = pair();
  // An upstream node appears next to a: its beacon lists upstream's apps only.
  const upstream = unwrap(serializeBeacon({ op: BeaconOp.BEACON, nodeId: new Uint8Array(32).fill(7), apps: [a.beacon.id, a.gossip.id, a.tree.id] }));
  a.beacon.receive(upstream, { iface: a.packager.interfaceOf(a.radio), mac: Uint8Array.of(2, 9, 9, 9, 9, 9), peer: undefined, from: undefined });
  expect(a.packager.peers).toHaveLength(2);
  mesh.run(10_000);
  const after = hellosFrom(mesh, a);
  expect(after.length).toBeGreaterThan(1);
  expect(after.every((h) => !h.compact)).toBe(true);
});
