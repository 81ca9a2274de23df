/**
 * An Address keeps its last ten bytes only when they are not zero (issue 21): for addresses of
 * every depth — shallow ones whose code fits the first six bytes, and deep ones reaching into the
 * other ten — bytes, equality, the byte test and the table keys read as the full 16 bytes do.
 */
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { rng } from '../support/xorshift.js';

test('addresses of every depth read as their 16 bytes, equal by their bytes alone', () => {
  const random = rng(21);
  const made: Address[] = [];
  for (let i = 0; i < 400; i++) {
    // Up to 24 coordinates, small (a nibble) or large (a byte), so the code ends in any byte.
    const coords = Array.from({ length: Math.floor(random() * 25) }, () => (random() < 0.7 ? 1 + Math.floor(random() * 7) : 8 + Math.floor(random() * 128)));
    const r = Address.fromCoords(1 + Math.floor(random() * 2), coords);
    if (r.ok) made.push(r.value);
  }
  // Bytes with a zero run in the middle (word 1 zero, word 2 not) and the other way round.
  const odd = new Uint8Array(16);
  odd[0] = 0x11;
  odd[13] = 0x22;
  made.push(unwrap(Address.fromBytes(1, odd)));
  const odd2 = new Uint8Array(16);
  odd2[0] = 0x11;
  odd2[7] = 0x33;
  made.push(unwrap(Address.fromBytes(1, odd2)));
  expect(made.some((a) => a.bytes.slice(6).some((b) => b !== 0))).toBe(true);
  expect(made.some((a) => a.bytes.slice(6).every((b) => b === 0))).toBe(true);
  for (const a of made) {
    const bytes = a.bytes;
    const copy = unwrap(Address.fromBytes(a.treeState, bytes));
    expect(copy.equals(a) && a.equals(copy)).toBe(true);
    expect(toHex(copy.bytes)).toBe(toHex(bytes));
    expect(a.sameBytes(bytes)).toBe(true);
    expect(copy.key).toBe(a.key);
    expect(copy.tableKey).toBe(a.tableKey);
    // tableKey is a number exactly when bytes 5–15 are zero.
    expect(typeof a.tableKey === 'number').toBe(bytes.slice(5).every((b) => b === 0));
    for (let i = 0; i < 16; i++) {
      const changed = bytes.slice();
      changed[i] ^= 1 << Math.floor(random() * 8);
      const other = unwrap(Address.fromBytes(a.treeState, changed));
      expect([i, other.equals(a), a.sameBytes(changed), other.tableKey === a.tableKey, other.key === a.key]).toEqual([i, false, false, false, false]);
    }
  }
});
