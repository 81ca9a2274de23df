/**
 * Arithmetic modulo p = 2^255 − 19 for the portable Ed25519, after TweetNaCl (public domain):
 * an element is a Float64Array of sixteen 16-bit limbs. Chosen for memory, not speed: no
 * precomputed tables, and every function writes into arrays its caller owns, so a verification
 * allocates nothing per operation (noble-ed25519's window tables cost ~66,000 XS slots).
 * Functions are stateless; the one work array `mul` needs is passed in.
 */

export type Fe = Float64Array;

export const fe = (): Fe => new Float64Array(16);

/** Limbs of small constants, as plain arrays: read-only when preloaded, copied with `feSet`. */
export const ONE = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] as const;
/** d = −121665/121666 */
export const D = [
  0x78a3, 0x1359, 0x4dca, 0x75eb, 0xd8ab, 0x4141, 0x0a4d, 0x0070,
  0xe898, 0x7779, 0x4079, 0x8cc7, 0xfe73, 0x2b6f, 0x6cee, 0x5203,
] as const;
/** 2d */
export const D2 = [
  0xf159, 0x26b2, 0x9b94, 0xebd6, 0xb156, 0x8283, 0x149a, 0x00e0,
  0xd130, 0xeef3, 0x80f2, 0x198e, 0xfce7, 0x56df, 0xd9dc, 0x2406,
] as const;
/** sqrt(−1) */
export const SQRT_M1 = [
  0xa0b0, 0x4a0e, 0x1b27, 0xc4ee, 0xe478, 0xad2f, 0x1806, 0x2f43,
  0xd7a7, 0x3dfb, 0x0099, 0x2b4d, 0xdf0b, 0x4fc1, 0x2480, 0x2b83,
] as const;
/** The base point's x and y. */
export const BASE_X = [
  0xd51a, 0x8f25, 0x2d60, 0xc956, 0xa7b2, 0x9525, 0xc760, 0x692c,
  0xdc5c, 0xfdd6, 0xe231, 0xc0a4, 0x53fe, 0xcd6e, 0x36d3, 0x2169,
] as const;
export const BASE_Y = [
  0x6658, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
  0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666, 0x6666,
] as const;

export function feSet(r: Fe, a: ArrayLike<number>): void {
  for (let i = 0; i < 16; i++) r[i] = a[i];
}

export function feZero(r: Fe): void {
  r.fill(0);
}

export function feAdd(r: Fe, a: Fe, b: Fe): void {
  for (let i = 0; i < 16; i++) r[i] = a[i] + b[i];
}

export function feSub(r: Fe, a: Fe, b: Fe): void {
  for (let i = 0; i < 16; i++) r[i] = a[i] - b[i];
}

/** Propagate carries so every limb is back within 16 bits (the top one folds in as ×38). */
function carry(o: Fe): void {
  for (let i = 0; i < 16; i++) {
    o[i] += 65536;
    const c = Math.floor(o[i] / 65536);
    if (i < 15) o[i + 1] += c - 1;
    else o[0] += 38 * (c - 1);
    o[i] -= c * 65536;
  }
}

/** r = a·b; `t` is a work array of 31 elements. r may alias a or b. */
export function feMul(r: Fe, a: Fe, b: Fe, t: Float64Array): void {
  t.fill(0);
  for (let i = 0; i < 16; i++) {
    const ai = a[i];
    for (let j = 0; j < 16; j++) t[i + j] += ai * b[j];
  }
  for (let i = 0; i < 15; i++) t[i] += 38 * t[i + 16]; // 2^256 ≡ 38 (mod p)
  for (let i = 0; i < 16; i++) r[i] = t[i];
  carry(r);
  carry(r);
}

/** Swap a and b when `bit` is 1, without a branch on it (signing handles the secret scalar). */
export function feSwap(a: Fe, b: Fe, bit: number): void {
  const mask = -bit;
  for (let i = 0; i < 16; i++) {
    const x = mask & (a[i] ^ b[i]);
    a[i] ^= x;
    b[i] ^= x;
  }
}

/** The canonical 32-byte little-endian encoding of `n` into `out`; `m` and `t` are work elements. */
export function fePack(out: Uint8Array, n: Fe, m: Fe, t: Fe): void {
  t.set(n);
  carry(t);
  carry(t);
  carry(t);
  for (let j = 0; j < 2; j++) {
    m[0] = t[0] - 0xffed;
    for (let i = 1; i < 15; i++) {
      m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
      m[i - 1] &= 0xffff;
    }
    m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
    const b = (m[15] >> 16) & 1;
    m[14] &= 0xffff;
    feSwap(t, m, 1 - b);
  }
  for (let i = 0; i < 16; i++) {
    out[2 * i] = t[i] & 0xff;
    out[2 * i + 1] = t[i] >> 8;
  }
}

/** Load 32 little-endian bytes (the top bit ignored). */
export function feUnpack(r: Fe, bytes: Uint8Array): void {
  for (let i = 0; i < 16; i++) r[i] = bytes[2 * i] + (bytes[2 * i + 1] << 8);
  r[15] &= 0x7fff;
}

/**
 * r = a^(2^255 − 21) = 1/a when `invert`, else a^(2^252 − 3) (the square root exponent).
 * `c` and `t` are work arrays (c: 16, t: 31); r may alias a.
 */
export function fePow(r: Fe, a: Fe, invert: boolean, c: Fe, t: Float64Array): void {
  c.set(a);
  for (let i = invert ? 253 : 250; i >= 0; i--) {
    feMul(c, c, c, t);
    if (invert ? i !== 2 && i !== 4 : i !== 1) feMul(c, c, a, t);
  }
  r.set(c);
}
