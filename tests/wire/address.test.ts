import { Address, coordsHead, dCPL, dTree, decodeAddress, encodeCoords } from '../../modules/mycelium/wire/address.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const enc = (c: number[]) => toHex(unwrap(encodeCoords(c)));

// Worked examples of protocol.md §5.2.
test.each([
  [[], '00'],
  [[3, 1], '31'],
  [[1, 3, 7, 8, 129], '13780f90'],
  [[8, 3], '8030'],
  [[12, 1, 3], '8413'],
  [[135], 'ff'],
])('encode %j starts with %s', (coords, prefix) => {
  const hex = enc(coords);
  expect(hex.startsWith(prefix)).toBe(true);
  expect(hex.slice(prefix.length)).toMatch(/^0*$/);
});

test('the last nibble stands alone when decoding (00…0f is 31 zeros then 15)', () => {
  const coords = unwrap(decodeAddress(fromHex('0000000000000000000000000000000f') as Uint8Array));
  expect(coords).toEqual([...new Array(31).fill(0), 15]);
});

test('we refuse what upstream silently mangles: coordinate 136 and over-long lists', () => {
  const wrapped = encodeCoords([136]);
  expect(wrapped.ok).toBe(false);
  if (!wrapped.ok) expect(wrapped.error.code).toBe('coordinate_range');
  const long = encodeCoords(new Array(33).fill(1));
  expect(long.ok).toBe(false);
  if (!long.ok) expect(long.error.code).toBe('address_overflow');
  // …but a truncation that loses nothing is fine: 31 zeros then 8 reads back the same.
  expect(encodeCoords([...new Array(31).fill(0), 8]).ok).toBe(true);
});

test('every list that fits round-trips, whatever mix of nibbles and octets, and bad values are refused', () => {
  // A fixed pseudo-random walk over lists of 0–40 coordinates (nibbles, octets, zeros inside).
  let seed = 21;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (let t = 0; t < 3000; t++) {
    const coords = Array.from({ length: next(41) }, () => (next(2) ? next(8) : next(136)));
    const nibbles = coords.reduce((a, c) => a + (c < 8 ? 1 : 2), 0);
    const bytes = encodeCoords(coords);
    if (nibbles > 32) continue; // over-long lists: the test above
    const back = unwrap(decodeAddress(unwrap(bytes)));
    let end = coords.length;
    while (end > 0 && coords[end - 1] === 0) end--;
    expect(back).toEqual(coords.slice(0, end));
  }
  for (const bad of [-1, 1.5, NaN, 256, '1', null]) {
    const r = encodeCoords([1, bad as number]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('coordinate_range');
  }
});

test('text form uses upstream\'s :: compression and parses back', () => {
  const a = unwrap(Address.fromCoords(176, [2, 1, 0, 0, 4]));
  expect(a.toString()).toBe('176-210040::');
  const b = unwrap(Address.parse('Address(176-210040::)'));
  expect(b.equals(a)).toBe(true);
  expect(b.coords).toEqual([2, 1, 0, 0, 4]);
  expect(unwrap(Address.parse('1-21::')).coords).toEqual([2, 1]);
  expect(Address.parse('1-10::00::').ok).toBe(false);
  expect(Address.parse('nodash').ok).toBe(false);
});

// The VOUTE example of protocol.md §5.6: the two metrics disagree on purpose.
test('dTree prefers the root, dCPL the shortcut, for target [2]', () => {
  const target = [2];
  expect(dTree([], target)).toBeLessThan(dTree([2, 1, 1, 1], target));
  expect(dCPL([2, 1, 1, 1], target)).toBeLessThan(dCPL([], target));
  expect(dCPL([1, 2], [1, 2])).toBe(0);
});

// dTree and coordsHead read positions without copying them (the simulator's hot path): a
// position ends at its first zero, frozen or not, and the result is the definition's.
test('dTree: hops via the deepest common ancestor, each position ending at its first zero', () => {
  const upToZero = (c: readonly number[]) => (c.indexOf(0) < 0 ? c : c.slice(0, c.indexOf(0)));
  const reference = (a: readonly number[], b: readonly number[]) => {
    const x = upToZero(a);
    const y = upToZero(b);
    let common = 0;
    while (common < Math.min(x.length, y.length) && x[common] === y[common]) common++;
    return x.length + y.length - 2 * common;
  };
  const positions = [[], [1], [2], [1, 2], [1, 2, 3], [1, 3], [2, 1, 0, 0, 4], [2, 1, 0, 5], [2, 1], [0, 1], [1, 2, 3, 4, 5, 6, 7]];
  for (const a of positions) for (const b of positions) expect(dTree(Object.freeze([...a]), b)).toBe(reference(a, b));
  expect(dTree([2, 1, 0, 0, 4], [2, 1, 0, 7])).toBe(0);
  expect(dTree([1, 2, 3], [1, 4])).toBe(3);
});

test('coordsHead copies the first n coordinates of a frozen position into a new array', () => {
  const own = Object.freeze([3, 1, 4, 1]);
  const head = coordsHead(own, 2);
  expect(head).toEqual([3, 1]);
  head.push(9);
  expect(own).toEqual([3, 1, 4, 1]);
  expect(coordsHead(own, 9)).toEqual([3, 1, 4, 1]);
  expect(unwrap(Address.fromCoords(1, own)).coords).toEqual([3, 1, 4, 1]);
});

test('tableKey: equal for equal addresses, different otherwise, a number for short ones', () => {
  const make = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));
  const cases = [make(1, [1, 2]), make(2, [1, 2]), make(1, [1, 3]), make(1, [1, 2, 0, 1]), make(255, [135, 135, 135, 135, 135]), make(1, new Array(11).fill(1)), make(1, new Array(32).fill(7)), make(0, [])];
  const keys = cases.map((a) => a.tableKey);
  expect(new Set(keys).size).toBe(cases.length);
  cases.forEach((a, i) => expect(unwrap(Address.fromBytes(a.treeState, a.bytes.slice())).tableKey).toBe(keys[i]));
  expect(typeof make(1, [1, 2, 3]).tableKey).toBe('number');
  expect(make(1, new Array(32).fill(7)).tableKey).toBe(make(1, new Array(32).fill(7)).key);
});

test('bytes come back exactly and sameBytes tells every one-bit difference', () => {
  // The Address holds its bytes as three numbers (issue 21): any byte value in any position,
  // the high bits of each word included, must survive the round trip.
  const patterns = [new Uint8Array(16), new Uint8Array(16).fill(0xff), Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 0x80) & 0xff)];
  for (const bytes of patterns) {
    const a = unwrap(Address.fromBytes(9, bytes));
    expect(toHex(a.bytes)).toBe(toHex(bytes));
    expect(a.sameBytes(bytes)).toBe(true);
    expect(a.sameBytes(bytes.subarray(0, 15))).toBe(false);
    for (let i = 0; i < 16; i++) {
      for (const bit of [0x01, 0x80]) {
        const other = bytes.slice();
        other[i] ^= bit;
        expect(a.sameBytes(other)).toBe(false);
        expect(unwrap(Address.fromBytes(9, other)).equals(a)).toBe(false);
      }
    }
  }
});
