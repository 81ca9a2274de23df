/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and Python's binascii.crc32).
 * Moddable's `crc` module has only CRC8/CRC16, so devices use this too. The 1 KiB table is built
 * once at module load; when the module is preloaded it lives in flash, read-only (it is only read).
 *
 * Signed throughout (Int32Array table, `c` starts at −1): XS keeps 32-bit values with the top bit
 * set as doubles, and every frame passes through here on the receive path. Four bytes per loop
 * turn save the loop's own bytecodes; together about 1.5× faster on xsnap (docs/benchmarks.md).
 */

const TABLE = /* @__PURE__ */ (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c; // Int32Array wraps values ≥ 2^31 to their signed equivalent
  }
  return t;
})();

/** CRC-32 of `data`, as an unsigned 32-bit integer. */
export function crc32(data: Uint8Array): number {
  let c = -1;
  const n = data.length;
  const whole = n - (n & 3);
  let i = 0;
  while (i < whole) {
    c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
    c = TABLE[(c ^ data[i + 1]) & 0xff] ^ (c >>> 8);
    c = TABLE[(c ^ data[i + 2]) & 0xff] ^ (c >>> 8);
    c = TABLE[(c ^ data[i + 3]) & 0xff] ^ (c >>> 8);
    i += 4;
  }
  for (; i < n; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
