/**
 * Byte helpers the apps share: hex node ids, big-endian u32, UTF-8 cuts. A mod may import
 * nothing from the host but types, so apps keep their own; each app's manifest puts this file
 * into its mod as `common/bytes`.
 */

export const NODE_ID_BYTES = 32;
const HEX = '0123456789abcdef';

/** Lower-case hex, two digits a byte, as the mesh API writes node ids. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** Hex text to bytes; undefined for an odd length or a non-hex digit. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function writeU32(into: Uint8Array, at: number, value: number): void {
  into[at] = (value >>> 24) & 255;
  into[at + 1] = (value >>> 16) & 255;
  into[at + 2] = (value >>> 8) & 255;
  into[at + 3] = value & 255;
}

export function readU32(from: Uint8Array, at: number): number {
  return ((from[at] << 24) | (from[at + 1] << 16) | (from[at + 2] << 8) | from[at + 3]) >>> 0;
}

/**
 * The longest prefix of UTF-8 `bytes` of at most `max` bytes that does not split a character
 * (a cut inside a character would show as U+FFFD on every receiver).
 */
export function cutUtf8(bytes: Uint8Array, max: number): Uint8Array {
  if (bytes.length <= max) return bytes;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the character being cut.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
