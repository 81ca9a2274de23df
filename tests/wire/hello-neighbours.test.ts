/**
 * The NEIGHBOURS section of a hello (wire/messages/hello.ts; docs/routing.md "Short paths"):
 * neighbours' addresses relative to the sender's, and what a malformed one does (refused with a
 * result, never thrown; the Hello app counts `hello_bad_message`).
 */
import { Address } from '../../modules/mycelium/wire/address.js';
import { HELLO_MAX_NEIGHBOURS, HelloFlag, parseHello, serializeHello, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const addr = (coords: number[]) => unwrap(Address.fromCoords(4, coords));

const hello = (neighbours?: HelloMessage['neighbours']): HelloMessage => ({
  seq: 7, intervalMs: 3000, flags: 0, rootSeq: 1, depth: 3, root: new Uint8Array(8).fill(1), addressTag: 0x1234, heard: [{ shortId: new Uint8Array([1, 2, 3, 4]), quality: 200 }], neighbours,
});

test('neighbour addresses round-trip, a few bytes each', () => {
  const own = addr([1, 2, 3]);
  const addrs = [addr([1, 2]), addr([1, 2, 3, 1]), addr([1, 2, 4]), addr([5, 9, 40]), addr([])];
  const bytes = unwrap(serializeHello(hello({ own, addrs })));
  const plain = unwrap(serializeHello(hello()));
  expect(bytes[4] & HelloFlag.NEIGHBOURS).toBe(HelloFlag.NEIGHBOURS);
  // 18 bytes for our own address, then 2 + the coordinates not shared with it per neighbour
  expect(bytes.length - plain.length).toBe(18 + 2 + 3 + 3 + 5 + 2);
  const m = unwrap(parseHello(bytes));
  expect(m.neighbours?.own.equals(own)).toBe(true);
  expect(m.neighbours?.addrs.map((a) => a.coords)).toEqual(addrs.map((a) => a.coords));
  expect(m.heard).toHaveLength(1);
  expect(unwrap(parseHello(plain)).neighbours).toBeUndefined();
});

test('a later build\'s sections after ours are ignored, so its hellos still parse', () => {
  const good = unwrap(serializeHello(hello({ own: addr([1, 2, 3]), addrs: [addr([1, 2, 3, 1]), addr([1, 7])] })));
  const longer = unwrap(parseHello(Uint8Array.from([...good, 0x80, 1, 2, 3])));
  const same = unwrap(parseHello(good));
  expect(longer.neighbours?.addrs.map((a) => a.coords)).toEqual(same.neighbours?.addrs.map((a) => a.coords));
  expect(longer.heard).toEqual(same.heard);
});

test('malformed sections are refused, never thrown', () => {
  const good = unwrap(serializeHello(hello({ own: addr([1, 2, 3]), addrs: [addr([1, 2, 3, 1]), addr([1, 7])] })));
  const cases: Uint8Array[] = [];
  cases.push(good.subarray(0, good.length - 1)); // cut short
  const wrongShared = good.slice();
  wrongShared[good.length - 3] = 9; // shares 9 coordinates with a 3-coordinate base
  cases.push(wrongShared);
  const tooMany = good.slice();
  tooMany[good.length - 7] = HELLO_MAX_NEIGHBOURS + 1; // the count byte
  cases.push(tooMany);
  const badCoord = good.slice();
  badCoord[good.length - 1] = 200; // a coordinate beyond 135
  cases.push(badCoord);
  for (const c of cases) expect(parseHello(c).ok).toBe(false);
  // Random bytes after the flag: a result every time.
  let s = 1;
  for (let i = 0; i < 2000; i++) {
    const b = good.slice(0, 19 + 5 + 1 + Math.floor((i * 7) % 60));
    for (let j = 24; j < b.length; j++) b[j] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    expect(() => parseHello(b)).not.toThrow();
  }
});

test('a sender never builds a section it could not send', () => {
  const own = addr([1]);
  const far = addr(Array.from({ length: 16 }, () => 100)); // 32 nibbles, nothing shared
  expect(serializeHello(hello({ own, addrs: Array.from({ length: 6 }, () => far) })).ok).toBe(false); // > 96 bytes
  expect(serializeHello(hello({ own, addrs: [unwrap(Address.fromCoords(5, [1]))] })).ok).toBe(false); // another tree
});
