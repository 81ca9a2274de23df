/**
 * A Packager with its engine to itself (a device: no `platform.shared`) makes its peers of a
 * class of its own whose prototype holds its columns, so a peer has no `cols` slot (16 B a peer
 * on XS, issue 21, session 25); a simulator's Packagers, sharing one heap and one V8, keep
 * `Peer` and the field. Either way a peer is a `Peer` and reads the same, also once dropped while
 * another node takes its slot.
 */
import { Peer, PeerLink } from '../../modules/mycelium/packager/peer.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';
import { sharedValues } from '../../simulator/platform/shared-values.js';
import { TestMesh, nodeIdOf } from '../support/mesh.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/** Node 0 with peers 1 and 2, heard for a second. */
function star(shared: boolean): { readonly centre: Packager; readonly peers: readonly Peer[] } {
  const mesh = new TestMesh(shared ? { shared: sharedValues(16) } : {});
  const [a, b, c] = mesh.add(3);
  mesh.connect(a, b);
  mesh.connect(a, c);
  mesh.run(1000);
  return { centre: a.packager, peers: [...a.packager.peers] };
}

test('a device Packager’s peers find its columns on their class, with no field of their own', () => {
  const { peers } = star(false);
  expect(peers.length).toBe(2);
  for (const peer of peers) {
    expect(peer).toBeInstanceOf(Peer);
    // The old Peer held the Packager's columns in a field of every peer.
    expect(Object.keys(peer)).not.toContain('cols');
    expect(peer.constructor).not.toBe(Peer);
  }
  // One class for the Packager's peers, made at run time: `Peer` itself is left as it was.
  expect(peers[0].constructor).toBe(peers[1].constructor);
  expect(Object.getOwnPropertyNames(Peer.prototype)).not.toContain('cols');
});

test('each Packager’s peers read its own columns', () => {
  const one = star(false);
  const other = star(false);
  expect(one.peers[0].constructor).not.toBe(other.peers[0].constructor);
  one.peers[0].lastRx = 123;
  other.peers[0].lastRx = 456;
  expect(one.peers[0].lastRx).toBe(123);
  expect(other.peers[0].lastRx).toBe(456);
  expect(one.centre.peer(one.peers[0].id)?.lastRx).toBe(123);
});

test('a simulator’s Packagers (one shared heap) make plain Peers holding the columns in a field', () => {
  const { peers } = star(true);
  for (const peer of peers) {
    expect(peer.constructor).toBe(Peer);
    expect(Object.keys(peer)).toContain('cols');
  }
});

test.each([false, true])('a dropped peer reads its own numbers while another node takes its slot (shared %s)', (shared) => {
  const mesh = new TestMesh(shared ? { shared: sharedValues(16) } : {});
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  mesh.run(1000);
  const dropped = a.packager.peer(nodeIdOf(2)) as Peer;
  dropped.timeout = 3;
  const link = dropped.links[0];
  const heard = dropped.lastRx;
  expect(a.packager.removePeer(nodeIdOf(2))).toBe(true);
  // A new node now takes the slot the dropped peer let go, with other times and link.
  const id = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);
  const next = a.packager.addPeer(id, [{ radio: a.radio, mac: Uint8Array.of(9, 9, 9, 9, 9, 9) }]) as Peer;
  expect(next).toBeInstanceOf(Peer);
  next.timeout = 1;
  next.lastRx = heard + 5000;
  expect(dropped.key).toBe(toHex(nodeIdOf(2)));
  expect(dropped.lastRx).toBe(heard);
  expect(dropped.timeout).toBe(3);
  expect(dropped.links.length).toBe(1);
  expect(dropped.links[0].macKey).toBe(link.macKey);
  expect(Object.keys(dropped)).toContain('cols'); // its own undefined, over its class's columns
  expect(next.links.map((l) => l.mac)).toEqual([Uint8Array.of(9, 9, 9, 9, 9, 9)]);
  expect(next.timeout).toBe(1);
  expect(a.packager.peers.some((p) => p === dropped)).toBe(false);
  expect(dropped.links[0]).toBeInstanceOf(PeerLink);
});

test.each([false, true])('a neighbour that lists nobody leaves no reach slot on a device’s peer (shared %s)', (shared) => {
  const { peers } = star(shared);
  const peer = peers[0];
  peer.reach = {} as NonNullable<Peer['reach']>; // what a hello listing neighbours leaves
  peer.forgetReach();
  expect(peer.reach).toBeUndefined();
  // A device's peer loses the property (a 16 B slot on XS); a simulator's keeps it undefined,
  // as V8 makes an object that loses a property a slow dictionary.
  expect(Object.keys(peer).includes('reach')).toBe(shared);
});
