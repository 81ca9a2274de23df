/**
 * `Uint8Array.prototype.slice` through `ArrayBuffer.prototype.slice`, for the XS runner's worker.
 *
 * The XS in @agoric/xsnap 0.15 copies a typed array's `slice` element by element (its same-type
 * test compares the arrays' slots, not their types: docs/benchmarks.md), 7.9 µs and ~430
 * metered steps for 200 bytes, where the Moddable SDK's XS — the devices' — does a `memcpy`.
 * `ArrayBuffer.prototype.slice` is a `memcpy` in both (1.1 µs). The nodes copy every frame
 * they receive, forward or cache, so without this the runner measures an xsnap quirk instead
 * of the nodes. Same results as the built-in for plain Uint8Arrays (the spec's index rules);
 * anything else goes to the built-in.
 */
export function installFastSlice(): void {
  const builtin = Uint8Array.prototype.slice;
  const bufferSlice = ArrayBuffer.prototype.slice;
  // ToIntegerOrInfinity, then clamped into 0..length as %TypedArray%.prototype.slice does.
  const clamp = (value: unknown, length: number, fallback: number): number => {
    if (value === undefined) return fallback;
    let n = Number(value);
    n = n !== n ? 0 : Math.trunc(n);
    if (n < 0) return n + length > 0 ? n + length : 0;
    return n < length ? n : length;
  };
  Object.defineProperty(Uint8Array.prototype, 'slice', {
    configurable: true,
    writable: true,
    value: function slice(this: Uint8Array, start?: number, end?: number): Uint8Array {
      if (Object.getPrototypeOf(this) !== Uint8Array.prototype || this.constructor !== Uint8Array || !(this.buffer instanceof ArrayBuffer)) {
        return builtin.call(this, start, end);
      }
      const length = this.length;
      const from = clamp(start, length, 0);
      const to = clamp(end, length, length);
      const base = this.byteOffset;
      return new Uint8Array(bufferSlice.call(this.buffer, base + from, base + (to > from ? to : from)));
    },
  });
}
