/** Byte helpers over `Uint8Array` (no `Buffer`, no `TextEncoder`: they do not exist on every engine). */

/**
 * Bytes turned into one flat string at a time: a node id or address in one piece, and
 * String.fromCharCode's arguments (two per byte) well within XS's stack (1,024 slots on ESP32).
 */
const HEX_CHUNK = 32;

/** Character codes of each byte's high and low hex digit, and each byte's two digits. */
const HEX_DIGITS = '0123456789abcdef';
const HI: readonly number[] = Object.freeze(Array.from({ length: 256 }, (_, b) => HEX_DIGITS.charCodeAt(b >> 4)));
const LO: readonly number[] = Object.freeze(Array.from({ length: 256 }, (_, b) => HEX_DIGITS.charCodeAt(b & 15)));
const PAIRS: readonly string[] = Object.freeze(Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15]));

/**
 * Lower-case hex. Ids are hex Map keys in every node's tables, so this runs for nearly every
 * frame a node receives (issue 21). The usual lengths — node ids (32 bytes), app and message
 * ids, topics and addresses (16) — are made by one `String.fromCharCode` call with every digit
 * an argument read from a table: on XS that is a fifth of the bytecodes of filling an array of
 * codes (array writes are dear there) and about a tenth of the time. One call, not `+=`: V8
 * keeps a string grown by `+=` as a chain of pieces (a rope), and a 64-digit id held that way
 * takes ~800 bytes instead of ~80 (at 200 simulated nodes the ropes were a third of the heap).
 * Strings under 13 characters are flat in V8 anyway, so short inputs (MACs) join pairs.
 */
export function toHex(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n === 32) return hex32(bytes);
  if (n === 16) return hex16(bytes);
  if (n === 8) return hex8(bytes);
  if (n <= 6) {
    let s = '';
    for (let i = 0; i < n; i++) s += PAIRS[bytes[i]];
    return s;
  }
  let s = '';
  for (let start = 0; start < n; start += HEX_CHUNK) {
    const end = Math.min(n, start + HEX_CHUNK);
    const codes: number[] = new Array<number>(2 * (end - start));
    for (let i = start, k = 0; i < end; i++, k += 2) {
      codes[k] = HI[bytes[i]];
      codes[k + 1] = LO[bytes[i]];
    }
    s += String.fromCharCode.apply(null, codes);
  }
  return s;
}

// A tree's root prefix (8 bytes: its hellos' root, dead-root marks): a neighbour's every hello
// made one by the chunked path, ≈ 600 bytecodes on XS against ≈ 150 (issue 21).
function hex8(b: Uint8Array): string {
  // prettier-ignore
  return String.fromCharCode(HI[b[0]], LO[b[0]], HI[b[1]], LO[b[1]], HI[b[2]], LO[b[2]], HI[b[3]], LO[b[3]], HI[b[4]], LO[b[4]], HI[b[5]], LO[b[5]], HI[b[6]], LO[b[6]], HI[b[7]], LO[b[7]]);
}

function hex16(b: Uint8Array): string {
  // prettier-ignore
  return String.fromCharCode(
    HI[b[0]], LO[b[0]], HI[b[1]], LO[b[1]], HI[b[2]], LO[b[2]], HI[b[3]], LO[b[3]], HI[b[4]], LO[b[4]], HI[b[5]], LO[b[5]], HI[b[6]], LO[b[6]], HI[b[7]], LO[b[7]],
    HI[b[8]], LO[b[8]], HI[b[9]], LO[b[9]], HI[b[10]], LO[b[10]], HI[b[11]], LO[b[11]], HI[b[12]], LO[b[12]], HI[b[13]], LO[b[13]], HI[b[14]], LO[b[14]], HI[b[15]], LO[b[15]],
  );
}

// hex32At(b, 0) unrolled without the offset: toHex of every 32-byte id runs here, and the
// offset's 64 additions cost the XS runner 0.4 % of its bytecodes on telemetry-25.
function hex32(b: Uint8Array): string {
  // prettier-ignore
  return String.fromCharCode(
    HI[b[0]], LO[b[0]], HI[b[1]], LO[b[1]], HI[b[2]], LO[b[2]], HI[b[3]], LO[b[3]], HI[b[4]], LO[b[4]], HI[b[5]], LO[b[5]], HI[b[6]], LO[b[6]], HI[b[7]], LO[b[7]],
    HI[b[8]], LO[b[8]], HI[b[9]], LO[b[9]], HI[b[10]], LO[b[10]], HI[b[11]], LO[b[11]], HI[b[12]], LO[b[12]], HI[b[13]], LO[b[13]], HI[b[14]], LO[b[14]], HI[b[15]], LO[b[15]],
    HI[b[16]], LO[b[16]], HI[b[17]], LO[b[17]], HI[b[18]], LO[b[18]], HI[b[19]], LO[b[19]], HI[b[20]], LO[b[20]], HI[b[21]], LO[b[21]], HI[b[22]], LO[b[22]], HI[b[23]], LO[b[23]],
    HI[b[24]], LO[b[24]], HI[b[25]], LO[b[25]], HI[b[26]], LO[b[26]], HI[b[27]], LO[b[27]], HI[b[28]], LO[b[28]], HI[b[29]], LO[b[29]], HI[b[30]], LO[b[30]], HI[b[31]], LO[b[31]],
  );
}

/** The 32 bytes of `b` from `o` as lower-case hex (a node key kept as bytes: node-slots.ts). */
export function hex32At(b: Uint8Array, o: number): string {
  // prettier-ignore
  return String.fromCharCode(
    HI[b[o]], LO[b[o]], HI[b[o + 1]], LO[b[o + 1]], HI[b[o + 2]], LO[b[o + 2]], HI[b[o + 3]], LO[b[o + 3]], HI[b[o + 4]], LO[b[o + 4]], HI[b[o + 5]], LO[b[o + 5]], HI[b[o + 6]], LO[b[o + 6]], HI[b[o + 7]], LO[b[o + 7]],
    HI[b[o + 8]], LO[b[o + 8]], HI[b[o + 9]], LO[b[o + 9]], HI[b[o + 10]], LO[b[o + 10]], HI[b[o + 11]], LO[b[o + 11]], HI[b[o + 12]], LO[b[o + 12]], HI[b[o + 13]], LO[b[o + 13]], HI[b[o + 14]], LO[b[o + 14]], HI[b[o + 15]], LO[b[o + 15]],
    HI[b[o + 16]], LO[b[o + 16]], HI[b[o + 17]], LO[b[o + 17]], HI[b[o + 18]], LO[b[o + 18]], HI[b[o + 19]], LO[b[o + 19]], HI[b[o + 20]], LO[b[o + 20]], HI[b[o + 21]], LO[b[o + 21]], HI[b[o + 22]], LO[b[o + 22]], HI[b[o + 23]], LO[b[o + 23]],
    HI[b[o + 24]], LO[b[o + 24]], HI[b[o + 25]], LO[b[o + 25]], HI[b[o + 26]], LO[b[o + 26]], HI[b[o + 27]], LO[b[o + 27]], HI[b[o + 28]], LO[b[o + 28]], HI[b[o + 29]], LO[b[o + 29]], HI[b[o + 30]], LO[b[o + 30]], HI[b[o + 31]], LO[b[o + 31]],
  );
}

/**
 * `key` as 32 bytes into `b` from `o` when it is exactly 64 lower-case hex digits (what `toHex`
 * makes of a node id, so `hex32At` gives the same string back); false, nothing written, otherwise.
 */
export function writeHex32(key: string, b: Uint8Array, o: number): boolean {
  if (key.length !== 64 || /[^0-9a-f]/.test(key)) return false;
  hexInto(key, b, o, 32);
  return true;
}

/**
 * Lower- or upper-case hex to bytes; `undefined` for odd length or a non-hex digit. Eight digits
 * a number: per digit, charCodeAt and a range test cost XS about 130 bytecodes a byte (4,389 for
 * a 32-byte node id). The digits are checked as they are read, not by a RegExp: XS compiles a
 * RegExp literal each time it is evaluated, and in the XS runner's worker each compile reads
 * /proc/self/maps for the stack's bounds (28 µs, against 6 µs for the whole of this on 64 digits;
 * 27,700 calls on telemetry-25, most from expandFrame). A module-level RegExp is not the way
 * out: preload would freeze it into the firmware (eslint.config.js).
 */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0) return undefined;
  const n = text.length >> 1;
  const out = new Uint8Array(n);
  return hexInto(text, out, 0, n) ? out : undefined;
}

/**
 * `n` bytes of hex digits `text` into `out` from `o`, eight digits a number; false at the first
 * part that is not all hex digits (what was read before it stays written). `+('0x' + part)` is
 * NaN for any character that is not a hex digit (a sign, a point, a space inside or in front),
 * except white space at the end, which StringToNumber trims: a part's last character is checked
 * on its own.
 */
function hexInto(text: string, out: Uint8Array, o: number, n: number): boolean {
  let i = 0;
  // A Uint8Array store keeps the low 8 bits: no masks needed.
  for (; i + 4 <= n; i += 4) {
    const w = +('0x' + text.slice(i * 2, i * 2 + 8));
    if (w !== w || !isHexDigit(text.charCodeAt(i * 2 + 7))) return false;
    out[o + i] = w >>> 24;
    out[o + i + 1] = w >>> 16;
    out[o + i + 2] = w >>> 8;
    out[o + i + 3] = w;
  }
  for (; i < n; i++) {
    const b = +('0x' + text.slice(i * 2, i * 2 + 2));
    if (b !== b || !isHexDigit(text.charCodeAt(i * 2 + 1))) return false;
    out[o + i] = b;
  }
  return true;
}

/** 0-9, a-f or A-F. */
function isHexDigit(c: number): boolean {
  return c <= 0x39 ? c >= 0x30 : c <= 0x46 ? c >= 0x41 : c >= 0x61 && c <= 0x66;
}

/**
 * A copy of `bytes` in a buffer of its own. Through ArrayBuffer.prototype.slice, which is a memcpy
 * on every XS; `Uint8Array.prototype.slice` copies byte by byte in xsnap's XS (2 µs per 240 B).
 * A view of a Moddable host buffer (flash, a driver's memory) has no ArrayBuffer to slice.
 */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  // An id or an address (≤ 64 B): `slice`, which V8 keeps on its heap, where a buffer of its own
  // is an allocation outside it each time (the simulator copies a peer's id on every hello); on
  // XS 32 bytes copied one by one cost about what a new buffer does.
  if (bytes.length <= 64) return bytes.slice();
  const buffer = bytes.buffer as ArrayBuffer;
  if (typeof buffer.slice !== 'function') return bytes.slice();
  return new Uint8Array(buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  // The length read once and `i` declared outside the loop: on XS `a.length` is a getter call
  // every turn and a `for (let …)` binding is copied into a fresh scope every turn (ids, MACs
  // and addresses are compared on every receive).
  const n = a.length;
  if (n !== b.length) return false;
  let i = 0;
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether the first `n` bytes of `a` and `b` are equal (both at least `n` long). */
export function prefixEqual(a: Uint8Array, b: Uint8Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic comparison, as Python compares bytes. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0; // outside the loop, as in bytesEqual
  for (; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
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
