import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { sha256 } from '../../modules/mycelium/platform/sha256.js';
import { crc32 } from '../../modules/mycelium/platform/crc32.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

// The portable SHA-256 is what XS runs: it must agree with a reference on every padding boundary.
test('portable SHA-256 matches node:crypto for lengths around the block boundaries', () => {
  for (const n of [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 10_272]) {
    const data = Uint8Array.from({ length: n }, (_v, i) => (i * 7 + n) & 255);
    expect(toHex(sha256(data))).toBe(createHash('sha256').update(data).digest('hex'));
  }
});

test('CRC-32 is zlib/binascii.crc32 (IEEE, reflected)', () => {
  expect(crc32(new Uint8Array(0))).toBe(0);
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  // protocol.md §5.4: tree_state examples use these CRCs
  expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
  expect(crc32(new TextEncoder().encode('1'.repeat(32)))).toBe(0xdbc958b1);
});

// The portable CRC-32 runs four bytes per loop turn: every remainder of length mod 4 must agree.
test('CRC-32 matches zlib for lengths 0–9 and across a long buffer', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255, 1001, 10_240]) {
    const data = Uint8Array.from({ length: n }, (_v, i) => (i * 13 + n) & 255);
    expect(crc32(data)).toBe(zlibCrc32(data));
  }
});
