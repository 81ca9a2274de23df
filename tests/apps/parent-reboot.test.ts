/**
 * When a node takes a neighbour's REQUEST for an ancestor's back from a reboot (refused: each would
 * be the other's ancestor), and for how long it takes its rebooted parent's own root for no word
 * on ours (apps/parent-reboot.ts). Link figures on the virtual clock.
 */
import { ancestorBackFromReboot, parentRejoining } from '../../modules/mycelium/apps/parent-reboot.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';

const TREE = 7;
const mine = unwrap(Address.fromCoords(TREE, [3, 1, 2]));

/** A neighbour heard every 3 s from 0 to 30 s, last at `coords` in our tree (and elsewhere in tree 9). */
function neighbour(coords: number[] | undefined, hello = true): Peer {
  const link = hello ? new LinkEstimate(0) : undefined;
  for (let t = 0, seq = 100; link && t <= 30_000; t += 3000, seq++) link.onHello(seq, 3000, t);
  const held = coords && unwrap(Address.fromCoords(TREE, coords));
  return { link, addressIn: (ts: number) => (ts === TREE ? held : undefined) } as unknown as Peer;
}

test('our parent heard all along is answered; silent two of its periods, or with a restart in its hellos, it is refused', () => {
  const p = neighbour([3, 1]);
  expect(ancestorBackFromReboot(p, mine, true, false, 31_000)).toBe(false);
  expect(ancestorBackFromReboot(p, mine, true, false, 35_000)).toBe(false);
  expect(ancestorBackFromReboot(p, mine, true, false, 36_500)).toBe(true);
  expect(ancestorBackFromReboot(p, mine, true, true, 31_000)).toBe(true);
});

test('an ancestor by its last address in our tree is refused when back from away; others are answered', () => {
  expect(ancestorBackFromReboot(neighbour([3]), mine, false, false, 40_000)).toBe(true); // our grandparent
  expect(ancestorBackFromReboot(neighbour([3]), mine, false, false, 31_000)).toBe(false); // heard all along
  expect(ancestorBackFromReboot(neighbour([3, 2]), mine, false, false, 40_000)).toBe(false); // a cousin
  expect(ancestorBackFromReboot(neighbour([3, 1, 2, 4]), mine, false, false, 40_000)).toBe(false); // our child
  expect(ancestorBackFromReboot(neighbour(undefined), mine, false, false, 40_000)).toBe(false); // never in our tree
  expect(ancestorBackFromReboot(neighbour([3]), undefined, false, false, 40_000)).toBe(false); // we hold no address
});

test('a neighbour that speaks no Hello (upstream) is always answered', () => {
  expect(ancestorBackFromReboot(neighbour([3, 1], false), mine, true, true, 60_000)).toBe(false);
  expect(ancestorBackFromReboot(neighbour([3], false), mine, false, false, 60_000)).toBe(false);
  expect(ancestorBackFromReboot(undefined, mine, true, true, 60_000)).toBe(false);
});

test('a restart seen in its hellos holds for two of our hello periods', () => {
  expect(parentRejoining(undefined, 10_000, 3000)).toBe(false);
  expect(parentRejoining(10_000, 10_000, 3000)).toBe(true);
  expect(parentRejoining(10_000, 16_000, 3000)).toBe(true);
  expect(parentRejoining(10_000, 16_001, 3000)).toBe(false);
});

test('a hello count that starts afresh is seen as a restart; the next hello, or one after a silence, is not', () => {
  const link = new LinkEstimate(0);
  for (let t = 0, seq = 100; t <= 30_000; t += 3000, seq++) link.onHello(seq, 3000, t);
  expect(link.onHello(111, 3000, 33_000)).toBe(false); // the next one
  expect(link.onHello(118, 3000, 54_000)).toBe(false); // silent 21 s, its count went on
  expect(link.onHello(40_000, 3000, 60_000)).toBe(true); // a count no time explains
});
