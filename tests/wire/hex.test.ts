/** Hex text of bytes (wire/bytes.ts): every byte value, empty input, and inputs past one chunk. */
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';

test('every byte value is two lower-case digits, and fromHex reads them back', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const text = toHex(all);
  expect(text).toBe(Array.from(all, (b) => b.toString(16).padStart(2, '0')).join(''));
  expect(fromHex(text)).toEqual(all);
  expect(toHex(new Uint8Array(0))).toBe('');
});

test('inputs longer than one chunk (32 bytes) come out whole and in order', () => {
  const big = Uint8Array.from({ length: 10_001 }, (_, i) => (i * 37) & 0xff);
  const text = toHex(big);
  expect(text.length).toBe(20_002);
  expect(fromHex(text)).toEqual(big);
  expect(text.slice(62, 66)).toBe(toHex(big.subarray(31, 33)));
});
