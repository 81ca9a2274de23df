/**
 * Room for a child (apps/tree-assign.ts `roomForChild`): what the simulator's "joined" judgement
 * and a parent's answers agree on. An address one nibble short of the 32 still fits a child of
 * coordinate 1–7, and 8 by the last-nibble rule (a lone 8 reads back as the octet 0x80); once
 * those are taken the next child needs a whole octet: no room, though the address alone says
 * there is.
 */
import { roomForChild } from '../../modules/mycelium/apps/tree-assign.js';
import { TreeCoordinates } from '../../modules/mycelium/apps/tree-coordinates.js';
import { TREE_DEFAULTS } from '../../modules/mycelium/apps/tree-params.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';

function parentAt(depth: number, children: number): boolean {
  const address = unwrap(Address.fromCoords(1, new Array<number>(depth).fill(1)));
  const coords = new TreeCoordinates({ leaseMs: () => 60_000, lastHeard: () => 0 });
  coords.rebase(address);
  for (let i = 0; i < children; i++) coords.assign(`child${i}`, 0);
  return roomForChild({ address } as unknown as Packager, coords, TREE_DEFAULTS, 1000);
}

test('one nibble short of full: room for coordinates 1–8, none for a ninth child', () => {
  expect(parentAt(31, 0)).toBe(true);
  expect(parentAt(31, 7)).toBe(true);
  expect(parentAt(31, 8)).toBe(false);
});

test('two nibbles short: an octet coordinate still fits; a full address has none', () => {
  expect(parentAt(30, 7)).toBe(true);
  expect(parentAt(32, 0)).toBe(false);
});
