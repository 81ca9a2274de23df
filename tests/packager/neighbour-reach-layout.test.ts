/**
 * A neighbour's reach keeps its address tag and expiry in one number where that is exact (issue
 * 21): for whole and fractional clocks, tags in and out of 16 bits and expiries past 2^37 ms, it
 * answers `matches` and `fresh` as the two fields did, and lists what it was given.
 */
import { NeighbourReach } from '../../modules/mycelium/packager/neighbour-reach.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const addr = (coords: number[]) => unwrap(Address.fromCoords(1, coords));

test.each([
  [0x1234, 1_000, 36_000],
  [0, 0, 1],
  [0xffff, 2 ** 37 - 36_001, 36_000],
  [0xffff, 2 ** 37 - 36_000, 36_000], // the first expiry past the packed range
  [77, 1_000.25, 36_000], // a clock with fractions
  [77, 5_000, 1234.5],
  [0x10000, 1_000, 36_000], // a tag wider than 16 bits (none is: still answered as given)
  [-3, 1_000, 36_000],
  [5, -10_000, 36_000],
])('tag %d, heard at %d for %d ms: matches and freshness as given', (tag, now, lifetime) => {
  const r = new NeighbourReach(addr([1]), [addr([1, 2])], tag, now, lifetime);
  const expires = now + lifetime;
  expect(r.matches(tag)).toBe(true);
  expect(r.matches(tag + 1)).toBe(false);
  expect(r.matches(tag - 1)).toBe(false);
  expect(r.matches((tag + 0x10000) % 0x20000)).toBe(false);
  for (const t of [now, expires - 1, expires - 0.5, expires, expires + 0.5, expires + 1]) expect([t, r.fresh(t)]).toEqual([t, t < expires]);
  expect(r.addrs.map((a) => a.key)).toEqual([addr([1, 2]).key]);
});

test('a lone landmark is listed as given, none as an empty list, several in their order', () => {
  const own = addr([1]);
  const one = { address: addr([2]), hops: 1 };
  const two = { address: addr([3]), hops: 2 };
  expect(new NeighbourReach(own, [], 1, 0, 10).landmarks).toEqual([]);
  expect(new NeighbourReach(own, [], 1, 0, 10, [one]).landmarks).toEqual([one]);
  expect(new NeighbourReach(own, [], 1, 0, 10, [two, one]).landmarks).toEqual([two, one]);
});
