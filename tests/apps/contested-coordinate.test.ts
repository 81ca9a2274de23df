/**
 * Two nodes at one address under a parent back from a reboot (docs/routing.md "Mixed meshes with
 * upstream nodes"). The parent's table of coordinates goes with the reboot; its old children keep
 * their addresses and are learned again from their adverts, which a node without Hello
 * (upstream's) sends once a round. Before: a child's refresh REQUEST was answered with a fresh
 * coordinate that the child refused (it keeps the address it holds), and the table kept the
 * refused one; the next joiner got the child's real coordinate, and the two held one address, for
 * minutes (a copy of churn-100 with 10 upstream stand-ins, seed 3: 1,500 node-seconds). Now the
 * table follows a child's advert, and of two nodes at one coordinate the one that speaks Hello is
 * told to take another (tree-coordinates.ts `contested`, tree-assign.ts `tellToMove`).
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { reboot } from '../support/reboot.js';
import { bytesEqual, compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { TreeCoordinates, type LeaseHost } from '../../modules/mycelium/apps/tree-coordinates.js';
import { toldToMove } from '../../modules/mycelium/apps/tree-offer.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { TreeRepair } from '../../modules/mycelium/apps/tree-repair.js';
import { fakeTreeControl, fakeTreeRepair } from '../support/tree-control.js';
import { addressTag, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';
import type { Hello } from '../../modules/mycelium/apps/hello.js';

const x = unwrap(Address.fromCoords(7, [1, 2]));
const under = (c: number) => unwrap(Address.fromCoords(7, [1, 2, c]));

/** A parent's table whose neighbours in `hello` speak Hello (and so can be told to move). */
function table(hello: string[]): TreeCoordinates {
  const host: LeaseHost = { leaseMs: () => 60_000, lastHeard: () => 0, movable: (k) => hello.includes(k) };
  const coords = new TreeCoordinates(host);
  coords.rebase(x);
  return coords;
}

test('a child that refuses the coordinate we gave keeps its own in our table: no joiner gets it', () => {
  const coords = table([]);
  expect(coords.assign('old', 1_000)).toBe(1); // its refresh REQUEST, answered after our reboot
  expect(coords.heard('old', under(3), 1_100)).toBeUndefined(); // its RESPOND: it stays at 3
  const given = ['a', 'b', 'c'].map((k, i) => coords.assign(k, 2_000 + i));
  expect(given).not.toContain(3); // before: b got 3, old's coordinate
  expect(coords.children()).toEqual({ old: 3, a: 1, b: 2, c: 4 });
});

test('of two nodes at one coordinate, the holder that speaks Hello is told to take another', () => {
  const coords = table(['ours']);
  expect(coords.assign('ours', 1_000)).toBe(1); // asked right after our reboot
  const move = coords.heard('upstream', under(1), 5_000); // an old child that sends no hellos
  expect(move).toEqual({ key: 'ours', coord: 2 });
  expect(coords.assign('ours', 5_100)).toBe(2); // its REQUEST, told to move
  expect(coords.heard('upstream', under(1), 25_000)).toBeUndefined(); // its own now
  expect(coords.assign('joiner', 26_000)).toBe(3);
  // A stale advert of ours at the old coordinate tells it again; the upstream node keeps its own.
  expect(coords.heard('ours', under(1), 5_200)).toEqual({ key: 'ours', coord: 2 });
  expect(coords.children()).toEqual({ ours: 2, upstream: 1, joiner: 3 });
});

test('when the holder cannot be told, the newcomer that speaks Hello takes another coordinate', () => {
  const coords = table(['ours']);
  expect(coords.assign('upstream', 1_000)).toBe(1);
  expect(coords.heard('ours', under(1), 2_000)).toEqual({ key: 'ours', coord: 2 });
  expect(coords.assign('ours', 2_100)).toBe(2);
  expect(coords.heard('ours', under(1), 2_200)).toEqual({ key: 'ours', coord: 2 }); // its old advert: told again
  expect(coords.children()).toEqual({ upstream: 1, ours: 2 });
});

test('two upstream nodes at one coordinate both stay (nobody can be told)', () => {
  const coords = table([]);
  expect(coords.assign('u1', 1_000)).toBe(1);
  expect(coords.heard('u2', under(1), 2_000)).toBeUndefined();
  expect(coords.children()).toEqual({ u1: 1 });
});

test('a node of ours told to move asks only for a sibling of its own address', () => {
  expect(toldToMove([1, 2, 3], [1, 2, 4])).toBe(true);
  expect(toldToMove([1, 2, 3], [1, 2, 3])).toBe(false); // a replay of its own ASSIGN
  expect(toldToMove([1, 2, 3], [1, 5, 4])).toBe(false); // under another parent
  expect(toldToMove([1, 2, 3], [1, 2])).toBe(false);
  expect(toldToMove([], [1])).toBe(false); // a root
});

function byScore(nodes: AppNode[]): AppNode[] {
  return [...nodes].sort((a, b) => compareBytes(claimScore(a.node.nodeId), claimScore(b.node.nodeId)));
}

test('after the parent reboots, a child of ours that asks first and an upstream child do not share an address', () => {
  const mesh = new AppMesh({ seed: 9, tree: { pub_each_round: true, pub_refresh_ms: 0 }, hello: true });
  const ours = mesh.addApps(2);
  const [u] = mesh.addApps(1, false);
  const [r, c] = byScore(ours);
  expect(compareBytes(claimScore(r.node.nodeId), claimScore(u.node.nodeId))).toBeLessThan(0); // r is the root
  mesh.wirePairs([[r, u], [r, c]]);
  mesh.startAll();
  mesh.run(120_000);
  expect(bytesEqual(u.tree.root, r.node.nodeId) && bytesEqual(c.tree.root, r.node.nodeId)).toBe(true);
  const upstreamAddress = u.packager.address?.toString();
  // r and c reboot together; u, which keeps r as its parent, keeps its address.
  mesh.medium.unlink(r.radio, u.radio);
  mesh.medium.unlink(r.radio, c.radio);
  mesh.run(1);
  const fresh = reboot(mesh, r, 71);
  const child = reboot(mesh, c, 72);
  mesh.medium.link(r.radio, u.radio);
  mesh.medium.link(r.radio, c.radio);
  let shared = 0;
  for (let s = 0; s < 120; s++) {
    mesh.run(1_000);
    if (child.node.packager.address?.toString() === u.packager.address?.toString()) shared++;
  }
  console.log(`parent back from a reboot: upstream child ${upstreamAddress} -> ${u.packager.address}, ours ${child.node.packager.address}; shared for ${shared} of 120 s; contested ${fresh.node.packager.counters.get('tree_address_contested')}`);
  expect(u.packager.address?.toString()).toBe(upstreamAddress);
  expect(child.node.packager.address?.toString()).not.toBe(upstreamAddress);
  expect(shared).toBeLessThan(40);
});

test('a child of ours sends its parent back from a reboot its advert once the parent is at its address again', () => {
  // A parent that reboots is its own root for a moment, then takes its old address back with an
  // empty table (docs/routing.md "Fast tree repair" item 9). Our advert then tells it our
  // coordinate; before, it learned it at our next round, up to 20 s on (churn-100 seed 5: a
  // newcomer got our coordinate meanwhile, two nodes at one address for 26 s).
  const R = new Uint8Array(32).fill(0x42);
  const mine = unwrap(Address.fromCoords(7, [1, 2, 3]));
  const parentTag = addressTag(unwrap(Address.fromCoords(7, [1, 2])).bytes);
  const adverts: Uint8Array[] = [];
  const link = { lost: () => false, good: () => true, silentPeriods: () => 0, silenceLimit: () => 10, intervalMs: 3_000, lastHeard: 0 };
  const parent = { key: 'parent', id: new Uint8Array(32).fill(7), leaf: false, link, usable: () => true, addressIn: () => undefined } as unknown as Parameters<TreeRepair['onHello']>[0];
  const hello = { params: { interval_ms: 3_000, root_interval_ms: 1_000 }, idHex: 'hello', probe: () => false, send: () => undefined, soon: () => undefined } as unknown as Hello;
  const repair = fakeTreeRepair(
    fakeTreeControl(R, {
      hello: () => hello,
      packager: () => ({ address: mine, interfaces: [], peerByKey: (k: string) => (k === 'parent' ? parent : undefined), counters: { inc: () => undefined } }) as unknown as Packager,
      advertiseTo: (id) => void adverts.push(id),
    }),
  );
  repair.newRoot(0);
  const from = (root: Uint8Array, depth: number, tag: number): HelloMessage => ({ seq: 1, intervalMs: 3_000, flags: 0, rootSeq: 0, depth, root: root.subarray(0, 8), addressTag: tag, heard: [] });
  repair.onHello(parent, from(R, 2, parentTag), 1_000); // no reboot: nothing owed
  expect(adverts).toHaveLength(0);
  repair.onHello(parent, from(new Uint8Array(32).fill(0x99), 0, 0), 2_000, true); // rebooted: its own root, a worse one
  expect(adverts).toHaveLength(0);
  repair.onHello(parent, from(R, 2, parentTag ^ 1), 3_000); // in our tree, elsewhere
  expect(adverts).toHaveLength(0);
  repair.onHello(parent, from(R, 2, parentTag), 4_000); // back at its address
  expect(adverts).toEqual([parent.id]);
  repair.onHello(parent, from(R, 2, parentTag), 7_000);
  expect(adverts).toHaveLength(1); // once
});
