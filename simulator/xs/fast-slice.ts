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
  const bytesPrototype = Uint8Array.prototype;
  const bufferPrototype = ArrayBuffer.prototype;
  const prototypeOf = Object.getPrototypeOf;
  // ToIntegerOrInfinity, then clamped into 0..length as %TypedArray%.prototype.slice does.
  const clamp = (value: unknown, length: number): number => {
    let n = Number(value);
    n = n !== n ? 0 : Math.trunc(n);
    if (n < 0) return n + length > 0 ? n + length : 0;
    return n < length ? n : length;
  };
  // Every frame a node receives, forwards or caches is copied here: each accessor (buffer,
  // length, byteOffset) and `instanceof` is a native call on XS, so each is made once, and the
  // usual `slice()` without arguments skips the clamping.
  Object.defineProperty(Uint8Array.prototype, 'slice', {
    configurable: true,
    writable: true,
    value: function slice(this: Uint8Array, start?: number, end?: number): Uint8Array {
      if (prototypeOf(this) !== bytesPrototype || this.constructor !== Uint8Array) return builtin.call(this, start, end);
      const buffer = this.buffer;
      // A plain ArrayBuffer (not a shared one, nor a subclass, whose slice may differ).
      if (prototypeOf(buffer) !== bufferPrototype) return builtin.call(this, start, end);
      const length = this.length;
      const from = start === undefined ? 0 : clamp(start, length);
      const to = end === undefined ? length : clamp(end, length);
      const base = this.byteOffset;
      return new Uint8Array(bufferSlice.call(buffer, base + from, base + (to > from ? to : from)));
    },
  });
}
