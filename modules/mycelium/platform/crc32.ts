/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, as zlib and Python's binascii.crc32).
 * Moddable's `crc` module has only CRC8/CRC16, so devices use this too. The 1 KiB table is built
 * once at module load; when the module is preloaded it lives in flash, read-only (it is only read).
 */

const TABLE = /* @__PURE__ */ (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `data`, as an unsigned 32-bit integer. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
