/**
 * `encodeCoords` and `decodeAddress` are written for XS's bytecode count (no end test per
 * coordinate, a read past the end as the stop, two loop states, bytes that keep bits above 8):
 * this compares them with a plain encoder and decoder, written for reading. The encoder on
 * 300,000 seeded lists of 0–35 coordinates with the inputs a caller may get wrong (NaN, fractions,
 * negatives, -0, strings, undefined, 136 and more) and long zero-heavy lists around the 32-nibble
 * limit, where only a lossless truncation is accepted; the decoder on 200,000 seeded byte arrays.
 */
import { MAX_COORDINATE, decodeAddress, encodeCoords } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const NIBBLES = 32;
// Globals read once: under jest's module runner every read of a global such as `Math` costs
// ~0.1 µs, which made the 300,000 lists take ~5 s instead of well under 2.
const { imul, floor } = Math;
const { isInteger } = Number;

/** What a correct encoder answers: the 16 bytes, or the error code with what it names. */
function referenceEncode(coords: readonly unknown[]): Uint8Array | string {
  const nibbles: number[] = [];
  const startsAt: number[] = []; // nibble index where each coordinate starts
  for (let i = 0; i < coords.length; i++) {
    const c = coords[i];
    if (typeof c !== 'number' || !isInteger(c) || c < 0 || c > MAX_COORDINATE) return `coordinate_range at index ${i}`;
    startsAt.push(nibbles.length);
    if (c < 8) nibbles.push(c);
    else nibbles.push(8 | ((c - 8) >> 4), (c - 8) & 15); // the octet 0x80 | (c − 8)
  }
  if (nibbles.length > NIBBLES) {
    // Dropping nibbles past 32 is lossless only when every coordinate starting past nibble 31 is
    // 0, and a coordinate cut in two at the end is 8 (the decoder reads a lone last nibble as the
    // coordinate itself: only 8's high nibble, 8, reads back as 8).
    for (let i = 0; i < coords.length; i++) {
      const c = coords[i] as number;
      const cut = startsAt[i] === NIBBLES - 1 && c >= 8;
      if ((startsAt[i] >= NIBBLES && c !== 0) || (cut && c !== 8)) return `address_overflow ${nibbles.length} nibbles`;
    }
  }
  const bytes = new Uint8Array(16);
  for (let n = 0; n < nibbles.length && n < NIBBLES; n++) bytes[n >> 1] |= n & 1 ? nibbles[n] : nibbles[n] << 4;
  return bytes;
}

/** `encodeCoords`'s answer in the reference's terms (the index and count read from the message). */
function actualEncode(coords: readonly unknown[]): Uint8Array | string {
  const r = encodeCoords(coords as readonly number[]);
  if (r.ok) return r.value;
  if (r.error.code === 'coordinate_range') return `coordinate_range at index ${/at index (\d+)/.exec(r.error.message)?.[1]}`;
  return `${r.error.code} ${/need (\d+) nibbles/.exec(r.error.message)?.[1]} nibbles`;
}

function same(a: Uint8Array | string, b: Uint8Array | string): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const show = (r: Uint8Array | string): string => (typeof r === 'string' ? r : toHex(r));

/** Seeded mulberry32 (support.ts's Prng reads `Math` on every draw, see above). */
function seeded(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = imul(s ^ (s >>> 15), s | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return floor((((t ^ (t >>> 14)) >>> 0) / 0x100000000) * n);
  };
}

const WRONG: readonly unknown[] = [NaN, -1, -8, 136, 255, 256, 1000, 0.5, 7.5, 8.25, '3', '100', undefined, null, Infinity];

function randomCoordinate(int: (n: number) => number): unknown {
  const r = int(100);
  if (r < 45) return int(8); // a nibble
  if (r < 88) return 8 + int(128); // an octet
  if (r < 90) return -0;
  return WRONG[int(WRONG.length)];
}

/** Mostly zeros and ones with an 8 or an octet here and there: lists near the 32-nibble limit. */
function zeroHeavyCoordinate(int: (n: number) => number): unknown {
  const r = int(100);
  if (r < 70) return 0;
  if (r < 85) return 1;
  if (r < 93) return 8;
  if (r < 99) return 9 + int(127);
  return WRONG[int(WRONG.length)];
}

test('encodeCoords gives the plain encoder’s bytes and errors on 300,000 seeded lists', () => {
  const int = seeded(0x0add_7e55);
  let mismatches = 0;
  const examples: string[] = [];
  const seen = new Set<string>();
  const outcome = (r: Uint8Array | string): string => (typeof r === 'string' ? r.slice(0, r.indexOf(' ')) : r[0] === 0 && r[1] === 0 ? 'ok-zero-prefixed' : 'ok');
  for (let t = 0; t < 300_000; t++) {
    const zeroHeavy = t % 4 === 0;
    const length = zeroHeavy ? 28 + int(8) : int(36);
    const coords: unknown[] = [];
    for (let j = 0; j < length; j++) coords.push(zeroHeavy ? zeroHeavyCoordinate(int) : randomCoordinate(int));
    const expected = referenceEncode(coords);
    const actual = actualEncode(coords);
    seen.add(outcome(expected));
    if (!same(actual, expected)) {
      mismatches++;
      if (examples.length < 3) examples.push(`${JSON.stringify(coords.map(String))}: ${show(actual)}, expected ${show(expected)}`);
    }
  }
  expect(examples).toEqual([]);
  expect(mismatches).toBe(0);
  // The generator reaches every outcome, so the comparison above covers each of them.
  expect([...seen].sort()).toEqual(['address_overflow', 'coordinate_range', 'ok', 'ok-zero-prefixed']);
});

test('lossless truncation past 32 nibbles: 31 zeros then 8 fits, then 9 does not', () => {
  const actualEncodeHex = (coords: readonly unknown[]) => show(actualEncode(coords));
  const referenceEncodeHex = (coords: readonly unknown[]) => show(referenceEncode(coords));
  expect(actualEncodeHex([...Array<number>(31).fill(0), 8])).toBe(referenceEncodeHex([...Array<number>(31).fill(0), 8]));
  expect(actualEncodeHex([...Array<number>(31).fill(0), 8])).toBe('00000000000000000000000000000008');
  expect(actualEncodeHex([...Array<number>(31).fill(0), 9])).toBe('address_overflow 33 nibbles');
  expect(actualEncodeHex([...Array<number>(32).fill(1), 0, 0, 0])).toBe('11'.repeat(16));
  expect(actualEncodeHex([1, 2, undefined, 3])).toBe('coordinate_range at index 2');
});

/**
 * Upstream's decoding, nibble by nibble: 0–7 is a coordinate; 8–15 starts an octet with the next
 * nibble, except in the very last position, where it stands alone; trailing zeros are dropped.
 */
function referenceDecode(bytes: Uint8Array): number[] | string {
  if (bytes.length !== 16) return 'bad_address';
  const nibble = (i: number) => (i & 1 ? bytes[i >> 1] & 15 : bytes[i >> 1] >> 4);
  const coords: number[] = [];
  for (let i = 0; i < NIBBLES; i++) {
    const x = nibble(i);
    if (x < 8 || i === NIBBLES - 1) coords.push(x);
    else coords.push((((x & 7) << 4) | nibble(++i)) + 8);
  }
  while (coords.length > 0 && coords[coords.length - 1] === 0) coords.pop();
  return coords;
}

test('decodeAddress gives the plain decoder’s coordinates on 200,000 seeded byte arrays', () => {
  const int = seeded(0xdec0_de16);
  const examples: string[] = [];
  for (let t = 0; t < 200_000; t++) {
    // Mostly 16 bytes, with zero bytes often (trailing runs, octets cut by a zero byte); now and
    // then another length. High bytes (octets) and low ones (nibble pairs) about equally.
    const bytes = new Uint8Array(t % 40 === 0 ? int(20) : 16);
    const zeros = int(3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(4) < zeros ? 0 : int(256);
    const expected = referenceDecode(bytes);
    const r = decodeAddress(bytes);
    const actual = r.ok ? r.value : r.error.code;
    const same =
      typeof expected === 'string' || typeof actual === 'string'
        ? expected === actual
        : expected.length === actual.length && expected.every((c, i) => c === actual[i]);
    if (!same && examples.length < 3) examples.push(`${toHex(bytes)}: ${String(actual)}, expected ${String(expected)}`);
  }
  expect(examples).toEqual([]);
});
