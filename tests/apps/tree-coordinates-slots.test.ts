/**
 * A parent's coordinate holders on the node's key index (issue 21, session 17): no `Map` entry a
 * child, but the holder's slot, held while any table of ours (the current one or one left under
 * an address we moved from) lists it, and let go with the last. A slot let go and taken by
 * another node brings that node nothing of the old holder's.
 */
import { TreeCoordinates } from '../../modules/mycelium/apps/tree-coordinates.js';
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const at = (...coords: number[]): Address => unwrap(Address.fromCoords(1, coords));

function coordinates(slots: NodeSlots): TreeCoordinates {
  return new TreeCoordinates({ leaseMs: () => 10_000, lastHeard: () => undefined, nodeSlots: () => slots });
}

test('a holder holds its slot on the index until its coordinate is free', () => {
  const slots = new NodeSlots(4);
  const coords = coordinates(slots);
  coords.rebase(at(1));
  expect(coords.assign('a', 0)).toBe(1);
  expect(coords.assign('b', 0)).toBe(2);
  expect(slots.size).toBe(2);
  coords.release('a', 100); // leased: still its own
  expect(slots.slotOf('a')).toBeDefined();
  coords.heard('a', at(2, 1), 200); // re-joined elsewhere: the coordinate is free, the slot let go
  expect([slots.slotOf('a'), slots.size]).toEqual([undefined, 1]);
  expect(coords.children()).toEqual({ b: 2 });
});

test('a slot let go by a holder and taken by another node brings it no coordinate', () => {
  const slots = new NodeSlots(4);
  const coords = coordinates(slots);
  const beacons = new SlotPairs(slots);
  coords.rebase(at(1));
  coords.assign('old', 0);
  const slot = slots.slotOf('old');
  coords.release('old', 0);
  coords.heard('old', undefined, 0);
  beacons.put('new', 1, 2, 4); // takes the freed slot
  expect(slots.slotOf('new')).toBe(slot);
  expect(coords.children()).toEqual({});
  expect(coords.nextFree(0)).toBe(1);
  coords.release('new', 0); // not a holder: nothing to lease
  coords.heard('new', at(1, 1), 0);
  expect(coords.children()).toEqual({});
  expect(coords.assign('new', 0)).toBe(1);
  expect(coords.children()).toEqual({ new: 1 });
});

test('tables left under addresses we moved from hold their slots, and let them go when dropped', () => {
  const slots = new NodeSlots(4);
  const coords = coordinates(slots);
  coords.rebase(at(1));
  coords.assign('a', 0);
  coords.assign('b', 0);
  coords.rebase(at(2)); // a and b leased under 1, held by the table left there
  expect([slots.size, coords.children()]).toEqual([2, {}]);
  coords.assign('c', 0);
  coords.rebase(at(1)); // back: a and b are ours again (leased, in their order), c's table is left
  expect(coords.assign('b', 1)).toBe(2);
  expect(coords.assign('a', 1)).toBe(1);
  expect(Object.keys(coords.children())).toEqual(['a', 'b']);
  expect(slots.size).toBe(3);
  // Four moves more, each with a child: the table left under 2 (c's) is the oldest and goes.
  for (const c of [3, 4, 5, 6]) {
    coords.rebase(at(c));
    coords.assign('d' + c, 0);
  }
  expect(slots.slotOf('c')).toBeUndefined();
  expect(slots.slotOf('a')).toBeDefined();
});
