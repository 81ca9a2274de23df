/** Addresses parsed from bytes decode their coordinates on first use (issue 21), unchanged. */
import { Address, decodeAddress } from '../../modules/mycelium/wire/address.js';
import { neighbourEntryBytes } from '../../modules/mycelium/wire/messages/hello-neighbours.js';
import { isLandmark } from '../../modules/mycelium/packager/landmarks.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

test('an address from bytes has the coordinates the bytes decode to, the same on every read', () => {
  for (const coords of [[], [1], [1, 2, 3], [7, 8, 135, 9], [0, 0, 5], Array.from({ length: 20 }, (_, i) => (i % 7) + 1)]) {
    const bytes = unwrap(Address.fromCoords(3, coords)).bytes;
    const a = unwrap(Address.fromBytes(3, bytes));
    expect(a.coords).toEqual(unwrap(decodeAddress(bytes)));
    expect(a.coords).toBe(a.coords);
    expect(Object.isFrozen(a.coords)).toBe(true);
  }
});

test('an address from bytes is its own copy and refuses another length', () => {
  const bytes = unwrap(Address.fromCoords(1, [2, 3])).bytes.slice();
  const a = unwrap(Address.fromBytes(1, bytes));
  bytes.fill(0); // the frame's buffer, reused by the radio before anyone read the coordinates
  expect(a.coords).toEqual([2, 3]);
  const short = Address.fromBytes(1, new Uint8Array(15));
  expect(short.ok).toBe(false);
  if (!short.ok) expect(short.error.message).toBe('address must be 16 bytes, got 15');
});

test('peekCoords gives what coords gives, and keeps no decoded copy until coords is read', () => {
  for (const coords of [[], [1], [1, 2, 3], [7, 8, 135, 9], [0, 0, 5], Array.from({ length: 20 }, (_, i) => (i % 7) + 1)]) {
    const made = unwrap(Address.fromCoords(3, coords));
    expect(made.peekCoords()).toBe(made.coords); // from coordinates: the array given (copied) is the memo
    const a = unwrap(Address.fromBytes(3, made.bytes));
    const peeked = a.peekCoords();
    expect(peeked).toEqual(unwrap(decodeAddress(made.bytes)));
    // Not kept: another peek decodes again (a hello listing a neighbour holds no array for it).
    expect(a.peekCoords()).not.toBe(peeked);
    expect(a.peekCoords()).toEqual(peeked);
    const kept = a.coords;
    expect(kept).toEqual(peeked);
    expect(a.peekCoords()).toBe(kept); // once routing has read them, the memo is shared
  }
});

test('a neighbour listed in a hello is not left holding decoded coordinates', () => {
  const own = unwrap(Address.fromCoords(1, [2, 3]));
  const neighbour = unwrap(Address.fromBytes(1, unwrap(Address.fromCoords(1, [2, 3, 4])).bytes));
  expect(neighbourEntryBytes(own, neighbour)).toBe(3);
  expect(isLandmark(neighbour, 3)).toBe(true);
  expect(neighbour.peekCoords()).not.toBe(neighbour.peekCoords());
});
