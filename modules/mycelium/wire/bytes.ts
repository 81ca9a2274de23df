/** Byte helpers over `Uint8Array` (no `Buffer`, no `TextEncoder`: they do not exist on every engine). */

/**
 * Bytes turned into one flat string at a time: a node id or address in one piece, and
 * String.fromCharCode's arguments (two per byte) well within XS's stack (1,024 slots on ESP32).
 */
const HEX_CHUNK = 32;

/**
 * Lower-case hex. Built from character codes a chunk at a time, not by `+=`: V8 keeps a string grown
 * by `+=` as a chain of pieces (a rope), and a 64-digit id held that way takes ~800 bytes instead
 * of ~80. Ids are hex Map keys in every node's tables: at 200 simulated nodes the ropes were a
 * third of the live heap.
 */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let start = 0; start < bytes.length; start += HEX_CHUNK) {
    const end = Math.min(bytes.length, start + HEX_CHUNK);
    const codes: number[] = new Array<number>(2 * (end - start));
    for (let i = start, k = 0; i < end; i++, k += 2) {
      codes[k] = hexCode(bytes[i] >> 4);
      codes[k + 1] = hexCode(bytes[i] & 15);
    }
    s += String.fromCharCode.apply(null, codes);
  }
  return s;
}

function hexCode(digit: number): number {
  return digit < 10 ? 48 + digit : 87 + digit; // '0'..'9', 'a'..'f'
}

/** Lower- or upper-case hex to bytes; `undefined` for odd length or a non-hex digit. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(text.charCodeAt(i * 2));
    const lo = hexDigit(text.charCodeAt(i * 2 + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/**
 * A copy of `bytes` in a buffer of its own. Through ArrayBuffer.prototype.slice, which is a memcpy
 * on every XS; `Uint8Array.prototype.slice` copies byte by byte in xsnap's XS (2 µs per 240 B).
 * A view of a Moddable host buffer (flash, a driver's memory) has no ArrayBuffer to slice.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  const buffer = bytes.buffer as ArrayBuffer;
  if (typeof buffer.slice !== 'function') return bytes.slice();
  return new Uint8Array(buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic comparison, as Python compares bytes. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** UTF-8 encoding of a JavaScript string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** UTF-8 decoding; malformed sequences become U+FFFD (never throws: input may come off the air). */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    let cp = 0xfffd;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b < 0xe0 && cont(bytes, i + 1)) {
      cp = ((b & 31) << 6) | (bytes[i + 1] & 63);
      len = 2;
    } else if (b >= 0xe0 && b < 0xf0 && cont(bytes, i + 1) && cont(bytes, i + 2)) {
      const v = ((b & 15) << 12) | ((bytes[i + 1] & 63) << 6) | (bytes[i + 2] & 63);
      if (v >= 0x800 && (v < 0xd800 || v > 0xdfff)) {
        cp = v;
        len = 3;
      }
    } else if (b >= 0xf0 && b < 0xf5 && cont(bytes, i + 1) && cont(bytes, i + 2) && cont(bytes, i + 3)) {
      const v = ((b & 7) << 18) | ((bytes[i + 1] & 63) << 12) | ((bytes[i + 2] & 63) << 6) | (bytes[i + 3] & 63);
      if (v >= 0x10000 && v <= 0x10ffff) {
        cp = v;
        len = 4;
      }
    }
    s += String.fromCodePoint(cp);
    i += len;
  }
  return s;
}

function cont(bytes: Uint8Array, i: number): boolean {
  return i < bytes.length && (bytes[i] & 0xc0) === 0x80;
}

export function u32be(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}
