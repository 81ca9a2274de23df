/**
 * The LANDMARKS section of a hello (wire/messages/hello-landmarks.ts; docs/routing.md
 * "Landmarks"): landmark addresses against the sender's, with its hops to each, packed in nibbles;
 * it rides only with the NEIGHBOURS section, and a malformed one is refused with a result, never
 * thrown.
 */
import { Address } from '../../modules/mycelium/wire/address.js';
import { HELLO_LANDMARK_BYTES, HelloFlag, parseHello, serializeHello, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { PACKED_MAX_HOPS } from '../../modules/mycelium/wire/messages/hello-landmarks.js';
import { LANDMARK_RADIUS } from '../../modules/mycelium/packager/landmarks.js';

const addr = (coords: number[]) => unwrap(Address.fromCoords(4, coords));

const hello = (neighbours?: HelloMessage['neighbours']): HelloMessage => ({
  seq: 7, intervalMs: 3000, flags: 0, rootSeq: 1, depth: 3, root: new Uint8Array(8).fill(1), addressTag: 0x1234, heard: [{ shortId: new Uint8Array([1, 2, 3, 4]), quality: 200 }], neighbours,
});

const own = addr([1, 2, 3]);
const neighbours = [addr([1, 2]), addr([1, 2, 3, 1])];
const landmarks = [
  { address: addr([]), hops: 3 },
  { address: addr([1, 2, 3, 1]), hops: 1 },
  { address: addr([5, 9, 40, 2]), hops: 2 },
];

test('landmarks round-trip after the neighbour list, packed in nibbles behind a legacy count of 0', () => {
  const without = unwrap(serializeHello(hello({ own, addrs: neighbours })));
  const bytes = unwrap(serializeHello(hello({ own, addrs: neighbours, landmarks })));
  expect(bytes[4] & HelloFlag.LANDMARKS).toBe(HelloFlag.LANDMARKS);
  expect(without[4] & HelloFlag.LANDMARKS).toBe(0);
  // 3 header bytes; in coordinate order, each against the one before (the first against [1,2,3]),
  // 3 nibbles plus the coordinates not shared: [] 3, [1,2,3,1] 4 + 3, [5,9,40,2] 3 + 1 + 2 + 2
  // + 1: 19 nibbles, 10 bytes (the byte-wise form took 15).
  expect(bytes.length - without.length).toBe(3 + 10);
  // A session-6 build reads the legacy count: no entries, and ignores the bytes after it.
  expect(bytes[without.length]).toBe(0);
  const m = unwrap(parseHello(bytes));
  expect(m.neighbours?.landmarks?.map((l) => [l.address.coords, l.hops])).toEqual([[[], 3], [[1, 2, 3, 1], 1], [[5, 9, 40, 2], 2]]);
  expect(m.neighbours?.addrs.map((a) => a.coords)).toEqual(neighbours.map((a) => a.coords));
  expect(unwrap(parseHello(without)).neighbours?.landmarks).toBeUndefined();
});

test('fourteen landmarks four coordinates off the base fit one hello (the byte-wise form held nine)', () => {
  const many = Array.from({ length: 14 }, (_, i) => ({ address: addr([1 + (i % 7), 2, 1 + Math.floor(i / 7), 1]), hops: i % (PACKED_MAX_HOPS + 1) }));
  const m = unwrap(parseHello(unwrap(serializeHello(hello({ own: addr([]), addrs: neighbours, landmarks: many })))));
  const byCoords = (l: { address: Address; hops: number }) => [l.address.key, l.hops];
  expect(m.neighbours?.landmarks?.map(byCoords).sort()).toEqual(many.map(byCoords).sort());
});

test('landmarks on one branch share their common prefix once: each is written against the one before', () => {
  const base = addr([1]);
  // Twenty landmarks deep on another branch: [2,3,4,5,6,7,1,1,x,y], each 8 coordinates past the base.
  const branch = Array.from({ length: 20 }, (_, i) => ({ address: addr([2, 3, 4, 5, 6, 7, 1, 1, 1 + (i % 5), 1 + Math.floor(i / 5)]), hops: 2 }));
  const bytes = unwrap(serializeHello(hello({ own: base, addrs: [], landmarks: branch })));
  const without = unwrap(serializeHello(hello({ own: base, addrs: [] })));
  // The first takes 3 + 10 nibbles; the next in its group of y 3 + 1 each; the first of each
  // other group 3 + 2: 13 + 3 × 4 + 4 × (5 + 3 × 4) = 93 nibbles, 47 bytes (byte-wise: 260).
  expect(bytes.length - without.length).toBe(3 + 47);
  expect(unwrap(parseHello(bytes)).neighbours?.landmarks?.map((l) => l.address.key).sort()).toEqual(branch.map((l) => l.address.key).sort());
});

test('coordinates of two nibbles, a prefix longer than 31 and hops up to the radius survive the packing', () => {
  const deep = Array.from({ length: 32 }, (_, i) => 1 + (i % 7));
  const base = addr(deep.slice(0, 32));
  const entries = [
    { address: addr(deep.slice(0, 32)), hops: 0 }, // shares all 32: 31 are written as shared, one out
    { address: addr([8, 135, 9, 1]), hops: LANDMARK_RADIUS - 1 },
  ];
  expect(LANDMARK_RADIUS - 1).toBeLessThanOrEqual(PACKED_MAX_HOPS);
  const m = unwrap(parseHello(unwrap(serializeHello(hello({ own: base, addrs: [], landmarks: entries })))));
  expect(m.neighbours?.landmarks?.map((l) => [l.address.coords, l.hops])).toEqual(entries.map((l) => [l.address.coords, l.hops]));
  expect(serializeHello(hello({ own: base, addrs: [], landmarks: [{ address: addr([1]), hops: PACKED_MAX_HOPS + 1 }] })).ok).toBe(false);
});

test('a session-6 list (byte-wise entries) is still read, and an unknown later format is ignored', () => {
  const without = unwrap(serializeHello(hello({ own, addrs: neighbours })));
  const flagged = (tail: number[]) => Uint8Array.from([...without.subarray(0, 4), without[4] | HelloFlag.LANDMARKS, ...without.subarray(5), ...tail]);
  const legacy = unwrap(parseHello(flagged([2, 0, 0, 3, 3, 1, 1, 1])));
  expect(legacy.neighbours?.landmarks?.map((l) => [l.address.coords, l.hops])).toEqual([[[], 3], [[1, 2, 3, 1], 1]]);
  const later = unwrap(parseHello(flagged([0, 0x42, 5, 6, 7])));
  expect(later.neighbours?.landmarks).toEqual([]);
});

test('no landmarks without the neighbour list they are written against', () => {
  const bytes = unwrap(serializeHello(hello()));
  expect(bytes[4] & HelloFlag.LANDMARKS).toBe(0);
  // A flag set on a hello without the neighbour list means nothing and is ignored.
  const flagged = bytes.slice();
  flagged[4] |= HelloFlag.LANDMARKS;
  expect(unwrap(parseHello(flagged)).neighbours).toBeUndefined();
});

test('a section over its byte budget is refused when built', () => {
  const many = Array.from({ length: 20 }, (_, i) => ({ address: addr([1 + (i % 7), 9, 1 + (i % 7), 9, 9, 9, 9, 1 + i]), hops: 1 }));
  expect(serializeHello(hello({ own, addrs: neighbours, landmarks: many })).ok).toBe(false);
  expect(HELLO_LANDMARK_BYTES).toBeLessThanOrEqual(64);
});

test('a later build\'s bytes after the landmarks are ignored', () => {
  const good = unwrap(serializeHello(hello({ own, addrs: neighbours, landmarks })));
  const longer = unwrap(parseHello(Uint8Array.from([...good, 0x42, 1, 2])));
  expect(longer.neighbours?.landmarks).toHaveLength(3);
});

test('malformed landmark sections are refused, never thrown', () => {
  const good = unwrap(serializeHello(hello({ own, addrs: neighbours, landmarks })));
  const at = unwrap(serializeHello(hello({ own, addrs: neighbours }))).length; // the section's first byte
  const cases: Uint8Array[] = [];
  cases.push(good.subarray(0, good.length - 1)); // the last entry cut off
  const wrongShared = good.slice();
  wrongShared[at + 3] = (9 << 3) | 3; // the first entry shares 9 coordinates with a 3-coordinate base
  cases.push(wrongShared);
  const moreThanSent = good.slice();
  moreThanSent[at + 2] = 4; // the count says 4 entries, 3 follow
  cases.push(moreThanSent);
  const flagged = (tail: number[]) => Uint8Array.from([...good.subarray(0, 4), good[4], ...good.subarray(5, at), ...tail]);
  // 33 coordinates: more than an address holds.
  cases.push(flagged([0, 1, 1, 0x01, ...Array.from({ length: 17 }, () => 0x11), 0x00]));
  // A packed list longer than a hello may carry (30 entries of 3.5 bytes): refused, as no build writes it.
  cases.push(flagged([0, 1, 30, ...Array.from({ length: 15 }, () => [0x01, 0x99, 0x99, 0x00, 0x19, 0x99, 0x90]).flat()]));
  for (const c of cases) expect(parseHello(c).ok).toBe(false);
  let s = 3;
  for (let i = 0; i < 2000; i++) {
    const b = good.slice(0, at + Math.floor((i * 7) % (good.length - at + 4)));
    for (let j = at; j < b.length; j++) b[j] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    expect(() => parseHello(b)).not.toThrow();
  }
});
