/** The XS runner's worker replaces Uint8Array#slice (xsnap copies it element by element): same results. */
import { installFastSlice } from '../../simulator/xs/fast-slice.js';

test('the worker\'s Uint8Array#slice gives what the built-in gives, for every kind of index and view', () => {
  const builtin = Uint8Array.prototype.slice;
  const bytes = Uint8Array.from({ length: 40 }, (_, i) => i * 7);
  const views = [bytes, bytes.subarray(5, 30), bytes.subarray(40), new Uint8Array(0)];
  const indices = [undefined, 0, 1, 3, -1, -3, 24, 25, 100, -100, NaN, 2.7, -2.7, Infinity, -Infinity, '4' as unknown as number];
  const expected = views.flatMap((v) => indices.flatMap((s) => indices.map((e) => Array.from(builtin.call(v, s, e)))));
  try {
    installFastSlice();
    expect(Uint8Array.prototype.slice).not.toBe(builtin);
    const got = views.flatMap((v) => indices.flatMap((s) => indices.map((e) => v.slice(s, e))));
    expect(got.every((g) => g instanceof Uint8Array && g.byteOffset === 0)).toBe(true);
    expect(got.map((g) => Array.from(g))).toEqual(expected);
    // a copy, not a view
    const copy = bytes.slice(2, 5);
    copy[0] = 255;
    expect(bytes[2]).toBe(14);
  } finally {
    Object.defineProperty(Uint8Array.prototype, 'slice', { value: builtin, writable: true, configurable: true });
  }
});
