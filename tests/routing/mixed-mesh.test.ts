/**
 * Our node beside an upstream micropycelium node (docs/routing.md "Mixed meshes"). The upstream
 * neighbour is played by frames in upstream's own format: the Beacon and SpanningTree blobs of
 * the shared vectors (tests/vectors/upstream-vectors.json), framed as upstream frames a broadcast
 * (the Package and packet layouts are themselves vector-checked). What must hold: our extensions
 * never reach it (no DISCONNECT it would misread, no throttle flag, Hello only under our own app
 * id), we answer what it expects, and a tree it leads is followed by upstream's rules (60 s tree
 * age), not by Hello's silence rules.
 */
import vectors from '../vectors/upstream-vectors.json';
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { frameBlob } from '../../modules/mycelium/wire/outbound.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { FLAG_THROTTLE } from '../../modules/mycelium/wire/flags.js';
import { BeaconOp, parseBeacon, serializeBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { TreeOp, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { bytesEqual, fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

interface TreeCase {
  readonly kind: string;
  readonly op_name: string;
  readonly age: number;
  readonly claim: string;
  readonly node_id: string;
  readonly address: string;
  readonly blob: string;
}

const hex = (s: string) => fromHex(s) as Uint8Array;
const treeCases = (vectors as unknown as { categories: { spanning_tree: { cases: TreeCase[] } } }).categories.spanning_tree.cases;
/** An upstream SEND advert from the vectors whose claim beats our test nodes' own (score byte 0x0b < 0x30). */
const UPSTREAM_SEND = treeCases.find((c) => c.kind === 'tree_message' && c.op_name === 'SEND' && c.claim.startsWith('3a')) as TreeCase;
const UPSTREAM_ID = hex(UPSTREAM_SEND.node_id);
const UPSTREAM_MAC = Uint8Array.of(0x02, 0x55, 0x50, 0x53, 0x54, 0x52);
/** Upstream's five app ids, as its Beacon lists them. */
const upstreamApps = (a: AppNode) => [a.beacon.id, a.gossip.id, a.tree.id, a.ping.id];

let counter = 1;
function fromUpstream(a: AppNode, purpose: 'broadcast' | 'direct', appId: Uint8Array, blob: Uint8Array): void {
  counter++;
  const framed = unwrap(frameBlob(portableHashes, purpose, [0], appId, blob, { packetId: counter & 0xff, seqId: counter & 0xffff }));
  for (const f of framed.frames) a.radio.onReceive?.(f, UPSTREAM_MAC);
}

/** Frames our node put on the air to the upstream MAC (or broadcast), parsed to app + blob. */
function sentBy(mesh: AppMesh, a: AppNode, toUpstreamOnly: boolean) {
  const out: { appId: Uint8Array; blob: Uint8Array; flags: number; to: string }[] = [];
  for (const f of mesh.medium.log) {
    if (f.from !== a.radio.mac && !bytesEqual(f.from, a.radio.mac)) continue;
    const to = f.to ? toHex(f.to) : 'broadcast';
    if (toUpstreamOnly && to !== toHex(UPSTREAM_MAC)) continue;
    const p = parsePacket(f.frame);
    if (!p.ok) continue;
    const pkg = p.value.body.length >= 32 ? parsePackage(p.value.body) : undefined;
    out.push({ appId: pkg?.ok ? pkg.value.appId : new Uint8Array(), blob: pkg?.ok ? pkg.value.blob : new Uint8Array(), flags: p.value.flags, to });
  }
  return out;
}

function ourNodeBesideUpstream(options: ConstructorParameters<typeof AppMesh>[0] = {}) {
  const mesh = new AppMesh({ seed: 1, hello: true, tree: { max_start_delay: 60_000 }, ...options });
  const [a] = mesh.addApps(1);
  a.node.start();
  mesh.run(100);
  fromUpstream(a, 'broadcast', a.beacon.id, unwrap(serializeBeacon({ op: BeaconOp.BEACON, nodeId: UPSTREAM_ID, apps: upstreamApps(a) })));
  mesh.run(100);
  return { mesh, a };
}

test('an upstream neighbour is a peer without a link estimate: usable, never asked for hellos or hop acks', () => {
  const { a } = ourNodeBesideUpstream();
  const peer = a.packager.peer(UPSTREAM_ID);
  expect(peer).toBeDefined();
  expect(peer?.link).toBeUndefined();
  expect(peer?.usable(a.node.platform.now())).toBe(true);
});

test("an upstream SEND with a better claim gets an address request at once, and upstream's ASSIGN is adopted", () => {
  const { mesh, a } = ourNodeBesideUpstream();
  mesh.medium.clearLog();
  fromUpstream(a, 'broadcast', a.tree.id, hex(UPSTREAM_SEND.blob));
  mesh.run(500); // not the next 20 s maintenance round
  const requests = sentBy(mesh, a, true).filter((m) => bytesEqual(m.appId, a.tree.id)).map((m) => unwrap(parseTree(m.blob)));
  expect(requests.map((r) => r.op)).toContain(TreeOp.REQUEST_ADDRESS_ASSIGNMENT);
  expect(toHex(requests.find((r) => r.op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT)?.claim as Uint8Array)).toBe(UPSTREAM_SEND.claim);

  // Upstream answers: our address is its address plus a coordinate (here: its first child).
  const parentAddr = hex(UPSTREAM_SEND.address);
  const child = parentAddr.slice();
  const used = child.findIndex((b) => b === 0);
  child[used] = 0x10; // one more nibble-coded coordinate (1) after the parent's
  const assign = unwrap(serializeTree({ op: TreeOp.ASSIGN_ADDRESS, ts: 0n, age: UPSTREAM_SEND.age, claim: hex(UPSTREAM_SEND.claim), address: child, nodeId: UPSTREAM_ID }));
  fromUpstream(a, 'direct', a.tree.id, assign);
  mesh.run(100);
  expect(toHex(a.tree.root)).toBe(UPSTREAM_SEND.claim);
  expect(a.tree.parentKey).toBe(toHex(UPSTREAM_ID));
  // We acked upstream's ASSIGN (it asked), as upstream expects.
  expect(a.packager.counters.get('tx_acks')).toBeGreaterThan(0);

  // Upstream sends no hellos: silence for 30 s is normal for it. Our node keeps the tree by
  // upstream's 60 s tree age, and never declares the root lost by Hello's silence rule.
  mesh.run(30_000);
  expect(toHex(a.tree.root)).toBe(UPSTREAM_SEND.claim);
  expect(a.packager.counters.get('tree_root_lost')).toBe(0);
  expect(a.packager.counters.get('tree_parent_lost')).toBe(0);
});

test('stopping sends no DISCONNECT toward an upstream neighbour (it would keep us as a peer)', () => {
  const { mesh, a } = ourNodeBesideUpstream();
  mesh.run(5_000);
  mesh.medium.clearLog();
  a.node.stop();
  mesh.run(100);
  const goodbyes = sentBy(mesh, a, false)
    .filter((m) => bytesEqual(m.appId, a.beacon.id))
    .map((m) => unwrap(parseBeacon(m.blob)).op)
    .filter((op) => op === BeaconOp.DISCONNECT);
  expect(goodbyes).toEqual([]);
});

test('hop recovery on: frames to an upstream neighbour never carry the throttle flag', () => {
  const { mesh, a } = ourNodeBesideUpstream({ node: { packager: { hopRecovery: true } } });
  mesh.medium.clearLog();
  expect(a.packager.send(a.ping.id, new Uint8Array(600).fill(7), { nodeId: UPSTREAM_ID }).ok).toBe(true);
  mesh.run(3_000);
  const toUpstream = sentBy(mesh, a, true);
  expect(toUpstream.length).toBeGreaterThan(1);
  expect(toUpstream.every((m) => (m.flags & FLAG_THROTTLE) === 0)).toBe(true);
});

test('our hellos are ordinary broadcast packets under an app id upstream does not run', () => {
  const { mesh, a } = ourNodeBesideUpstream();
  mesh.medium.clearLog();
  mesh.run(10_000);
  const hellos = sentBy(mesh, a, false).filter((m) => bytesEqual(m.appId, (a.hello as NonNullable<AppNode['hello']>).id));
  expect(hellos.length).toBeGreaterThan(1);
  expect(hellos.every((h) => h.to === 'broadcast')).toBe(true);
  for (const upstreamApp of upstreamApps(a)) expect(bytesEqual(upstreamApp, (a.hello as NonNullable<AppNode['hello']>).id)).toBe(false);
});

test('an upstream neighbour at the 32-level capacity is not asked for an address; its SEND is still a route (docs/routing.md "Any diameter")', () => {
  const { mesh, a } = ourNodeBesideUpstream();
  mesh.medium.clearLog();
  // Upstream's own SEND bytes, with its address full: 32 coordinates of 1 (protocol.md §5.2).
  const full = new Uint8Array(16).fill(0x11);
  const send = unwrap(serializeTree({ op: TreeOp.SEND, ts: 1n, age: UPSTREAM_SEND.age, claim: hex(UPSTREAM_SEND.claim), address: full, nodeId: UPSTREAM_ID }));
  fromUpstream(a, 'broadcast', a.tree.id, send);
  mesh.run(10_000); // several consider rounds and hellos
  const ops = sentBy(mesh, a, true)
    .filter((m) => bytesEqual(m.appId, a.tree.id))
    .map((r) => unwrap(parseTree(r.blob)).op);
  expect(ops).not.toContain(TreeOp.REQUEST_ADDRESS_ASSIGNMENT);
  expect(a.packager.counters.get('tree_bad_message')).toBe(0);
  expect(a.packager.addressesOf(UPSTREAM_ID).map((x) => toHex(x.bytes))).toContain(toHex(full));
  // The same neighbour one level up (room for a child) is asked at once, as before.
  const roomy = full.slice();
  roomy[15] = 0x10;
  fromUpstream(a, 'broadcast', a.tree.id, unwrap(serializeTree({ op: TreeOp.SEND, ts: 2n, age: UPSTREAM_SEND.age, claim: hex(UPSTREAM_SEND.claim), address: roomy, nodeId: UPSTREAM_ID })));
  mesh.run(500);
  const after = sentBy(mesh, a, true)
    .filter((m) => bytesEqual(m.appId, a.tree.id))
    .map((r) => unwrap(parseTree(r.blob)).op);
  expect(after).toContain(TreeOp.REQUEST_ADDRESS_ASSIGNMENT);
});
