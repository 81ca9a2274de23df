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

test('every length from 0 to 70 bytes (the 8-, 16- and 32-byte paths, short and chunked ones) gives the same digits', () => {
  for (let n = 0; n <= 70; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7) & 0xff);
    expect(toHex(bytes)).toBe(Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''));
    // A view into a larger buffer reads from its own start.
    const view = Uint8Array.from({ length: n + 9 }, (_, i) => (i < 5 ? 0xee : bytes[i - 5] ?? 0xdd)).subarray(5, 5 + n);
    expect(toHex(view)).toBe(toHex(bytes));
  }
});

test('fromHex reads upper case and every length, and refuses what is not whole bytes of hex digits', () => {
  for (let n = 0; n <= 11; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 200) & 0xff);
    expect(fromHex(toHex(bytes).toUpperCase())).toEqual(bytes);
  }
  // parseInt would take a sign, a 0x, spaces or a trailing non-digit: fromHex must not.
  for (const bad of ['0', 'abc', 'g0', '0g', '+1234567', '-1234567', '0x123456', ' 1234567', '1234567 ', '12345678zz', '1234567\u0661', '１２']) {
    expect(fromHex(bad)).toBeUndefined();
  }
});

test('fromHex refuses white space or any other non-digit at the end of each eight-digit part and of the tail', () => {
  // StringToNumber trims white space at the end of what it reads: a part ending in it must not pass.
  for (const ws of [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\ufeff', '\u2028', '\u3000']) {
    for (const bad of [`1234567${ws}`, `1${ws}`, `12345678abcdef0${ws}12`, `12345678abcdef01123${ws}`, `${ws}1234567`, `123${ws}4567`]) {
      expect(fromHex(bad)).toBeUndefined();
    }
  }
  for (const bad of ['1234567.', '123_4567', '1.234567', '1e3+4567', 'Infinity', '0x0x0101', '0o123456', 'ffffffffffffffg0', 'ag']) {
    expect(fromHex(bad)).toBeUndefined();
  }
  expect(fromHex('ffffffff80000000000000017f')).toEqual(Uint8Array.from([255, 255, 255, 255, 128, 0, 0, 0, 0, 0, 0, 1, 127]));
});
