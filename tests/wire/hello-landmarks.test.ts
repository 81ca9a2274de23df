/**
 * The LANDMARKS section of a hello (wire/messages/hello-landmarks.ts; docs/routing.md
 * "Landmarks"): landmark addresses against the sender's, with its hops to each; it rides only
 * with the NEIGHBOURS section, and a malformed one is refused with a result, never thrown.
 */
import { Address } from '../../modules/mycelium/wire/address.js';
import { HELLO_LANDMARK_BYTES, HelloFlag, parseHello, serializeHello, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

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

test('landmarks round-trip after the neighbour list, 3 bytes plus the coordinates not shared each', () => {
  const without = unwrap(serializeHello(hello({ own, addrs: neighbours })));
  const bytes = unwrap(serializeHello(hello({ own, addrs: neighbours, landmarks })));
  expect(bytes[4] & HelloFlag.LANDMARKS).toBe(HelloFlag.LANDMARKS);
  expect(without[4] & HelloFlag.LANDMARKS).toBe(0);
  expect(bytes.length - without.length).toBe(1 + 3 + 4 + 7);
  const m = unwrap(parseHello(bytes));
  expect(m.neighbours?.landmarks?.map((l) => [l.address.coords, l.hops])).toEqual(landmarks.map((l) => [l.address.coords, l.hops]));
  expect(m.neighbours?.addrs.map((a) => a.coords)).toEqual(neighbours.map((a) => a.coords));
  expect(unwrap(parseHello(without)).neighbours?.landmarks).toBeUndefined();
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
  const many = Array.from({ length: 20 }, (_, i) => ({ address: addr([9, 9, 9, 1 + i]), hops: 1 }));
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
  const cases: Uint8Array[] = [];
  cases.push(good.subarray(0, good.length - 1)); // the last hop count cut off
  const wrongShared = good.slice();
  wrongShared[good.length - 7] = 9; // the last entry shares 9 coordinates with a 3-coordinate base
  cases.push(wrongShared);
  const moreThanSent = good.slice();
  moreThanSent[good.length - 15] = 4; // the count byte says 4 entries, 3 follow
  cases.push(moreThanSent);
  const badCoord = good.slice();
  badCoord[good.length - 3] = 200; // a coordinate beyond 135
  cases.push(badCoord);
  // A list longer than a hello may carry (70 bytes of entries): refused, as no build writes it.
  const base = unwrap(serializeHello(hello({ own, addrs: neighbours })));
  const entry = [0, 2, 9, 9, 1]; // [9, 9] at 1 hop
  cases.push(Uint8Array.from([...base.subarray(0, 4), base[4] | HelloFlag.LANDMARKS, ...base.subarray(5), 14, ...Array.from({ length: 14 }, () => entry).flat()]));
  for (const c of cases) expect(parseHello(c).ok).toBe(false);
  let s = 3;
  for (let i = 0; i < 2000; i++) {
    const b = good.slice(0, good.length - 15 + Math.floor((i * 7) % 16));
    for (let j = good.length - 15; j < b.length; j++) b[j] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    expect(() => parseHello(b)).not.toThrow();
  }
});
