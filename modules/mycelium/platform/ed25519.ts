/**
 * Ed25519 (RFC 8032) in plain ECMAScript: the Signatures fallback for engines with no native one
 * (xsnap in CI, the Node-free XS tests). Devices and the desktop simulator use the native module
 * (modules/ed25519), Node uses node:crypto. Built for memory, after TweetNaCl: one instance owns
 * every work array it needs (about fifty 16-limb elements, made by the constructor, not at module
 * level: preloaded typed arrays are read-only), and a verification allocates only its result.
 *
 * Verification is [S]B − [h]A by a joint double-and-add (Shamir's trick), not constant-time:
 * everything in it is public. Signing uses TweetNaCl's constant-time ladder for the secret scalar.
 * Verification is cofactorless and requires S < L, as node:crypto (OpenSSL) and Monocypher do.
 */
import type { Signatures } from './platform.js';
import { Sha512 } from './sha512.js';
import {
  BASE_X, BASE_Y, D, D2, ONE, SQRT_M1, fe, feAdd, feMul, fePack, fePow, feSet, feSub, feSwap, feUnpack, feZero, type Fe,
} from './ed25519-field.js';

/** A point in extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z, xy = T/Z. */
type Point = [Fe, Fe, Fe, Fe];

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little endian. */
const L = [
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
] as const;

const point = (): Point => [fe(), fe(), fe(), fe()];

export class PortableEd25519 implements Signatures {
  readonly #t = new Float64Array(31); // feMul's work array
  readonly #w = [fe(), fe(), fe(), fe(), fe(), fe(), fe(), fe(), fe()]; // add/double temporaries
  readonly #u = [fe(), fe(), fe(), fe(), fe(), fe(), fe()]; // decode / encode temporaries
  readonly #p = point();
  readonly #q = point();
  readonly #base = point();
  readonly #sum = point(); // B − A, for the joint double-and-add
  readonly #x = new Float64Array(64); // scalar reduction
  readonly #hash = new Sha512();
  readonly #h = new Uint8Array(64);
  readonly #r = new Uint8Array(64);
  readonly #bytes = new Uint8Array(32);

  keygen(seed: Uint8Array): Uint8Array {
    const a = this.#expand(seed);
    const pub = new Uint8Array(32);
    this.#scalarBase(this.#p, a);
    this.#encode(pub, this.#p);
    return pub;
  }

  sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
    const a = this.#expand(seed); // #h: scalar a in 0…31, prefix in 32…63
    const pub = new Uint8Array(32);
    this.#scalarBase(this.#p, a);
    this.#encode(pub, this.#p);
    const r = this.#hash.start().update(this.#h.subarray(32)).update(message).finish(this.#r);
    this.#reduce(r);
    const sig = new Uint8Array(64);
    this.#scalarBase(this.#p, r);
    this.#encode(sig, this.#p);
    const k = this.#hash.start().update(sig.subarray(0, 32)).update(pub).update(message).finish();
    this.#reduce(k);
    // S = r + k·a mod L
    const x = this.#x;
    x.fill(0);
    for (let i = 0; i < 32; i++) x[i] = r[i];
    for (let i = 0; i < 32; i++) for (let j = 0; j < 32; j++) x[i + j] += k[i] * a[j];
    this.#modL(sig.subarray(32), x);
    a.fill(0);
    this.#h.fill(0);
    return sig;
  }

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    const s = signature.subarray(32);
    if (!scalarBelowL(s)) return false;
    const minusA = this.#q;
    if (!this.#decodeNegated(minusA, publicKey)) return false;
    const k = this.#hash.start().update(signature.subarray(0, 32)).update(publicKey).update(message).finish(this.#h);
    this.#reduce(k);
    const base = this.#base;
    feSet(base[0], BASE_X);
    feSet(base[1], BASE_Y);
    feSet(base[2], ONE);
    feMul(base[3], base[0], base[1], this.#t);
    const sum = this.#sum;
    for (let i = 0; i < 4; i++) sum[i].set(base[i]);
    this.#add(sum, minusA);
    const p = this.#identity(this.#p);
    for (let i = 255; i >= 0; i--) {
      this.#double(p);
      const sb = (s[i >> 3] >> (i & 7)) & 1;
      const kb = (k[i >> 3] >> (i & 7)) & 1;
      if (sb && kb) this.#add(p, sum);
      else if (sb) this.#add(p, base);
      else if (kb) this.#add(p, minusA);
    }
    const r = this.#bytes;
    this.#encode(r, p);
    let diff = 0;
    for (let i = 0; i < 32; i++) diff |= r[i] ^ signature[i];
    return diff === 0;
  }

  /** SHA-512 of the seed into #h, clamped: the secret scalar is #h[0…31]. */
  #expand(seed: Uint8Array): Uint8Array {
    if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
    const h = this.#hash.start().update(seed).finish(this.#h);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    return h.subarray(0, 32);
  }

  #identity(p: Point): Point {
    feZero(p[0]);
    feSet(p[1], ONE);
    feSet(p[2], ONE);
    feZero(p[3]);
    return p;
  }

  /** p += q (add-2008-hwcd-3; complete, so also right when p = q). */
  #add(p: Point, q: Point): void {
    const w = this.#w;
    const a = w[0], b = w[1], c = w[2], d = w[3], e = w[4], f = w[5], g = w[6], h = w[7], t = w[8];
    const m = this.#t;
    feSub(a, p[1], p[0]);
    feSub(t, q[1], q[0]);
    feMul(a, a, t, m);
    feAdd(b, p[0], p[1]);
    feAdd(t, q[0], q[1]);
    feMul(b, b, t, m);
    feMul(c, p[3], q[3], m);
    feSet(t, D2);
    feMul(c, c, t, m);
    feMul(d, p[2], q[2], m);
    feAdd(d, d, d);
    feSub(e, b, a);
    feSub(f, d, c);
    feAdd(g, d, c);
    feAdd(h, b, a);
    feMul(p[0], e, f, m);
    feMul(p[1], h, g, m);
    feMul(p[2], g, f, m);
    feMul(p[3], e, h, m);
  }

  /** p = 2p (dbl-2008-hwcd with a = −1): four squarings and four products instead of nine. */
  #double(p: Point): void {
    const w = this.#w;
    const a = w[0], b = w[1], c = w[2], e = w[3], f = w[4], g = w[5], h = w[6];
    const m = this.#t;
    feMul(a, p[0], p[0], m);
    feMul(b, p[1], p[1], m);
    feMul(c, p[2], p[2], m);
    feAdd(c, c, c);
    feAdd(e, p[0], p[1]);
    feMul(e, e, e, m);
    feSub(e, e, a);
    feSub(e, e, b); // E = (X+Y)² − A − B = 2XY
    feSub(g, b, a); // G = −A + B
    feSub(f, g, c); // F = G − C
    feZero(h);
    feSub(h, h, a);
    feSub(h, h, b); // H = −A − B
    feMul(p[0], e, f, m);
    feMul(p[1], g, h, m);
    feMul(p[2], f, g, m);
    feMul(p[3], e, h, m);
  }

  /** p = [s]B with TweetNaCl's ladder: the same operations whatever the bits of s. */
  #scalarBase(p: Point, s: Uint8Array): void {
    const q = this.#q;
    feSet(q[0], BASE_X);
    feSet(q[1], BASE_Y);
    feSet(q[2], ONE);
    feMul(q[3], q[0], q[1], this.#t);
    this.#identity(p);
    for (let i = 255; i >= 0; i--) {
      const bit = (s[i >> 3] >> (i & 7)) & 1;
      for (let j = 0; j < 4; j++) feSwap(p[j], q[j], bit);
      this.#add(q, p);
      this.#add(p, p);
      for (let j = 0; j < 4; j++) feSwap(p[j], q[j], bit);
    }
  }

  /** y with the sign of x in the top bit. */
  #encode(out: Uint8Array, p: Point): void {
    const w = this.#u;
    const zi = w[0], tx = w[1], ty = w[2], m = w[3], t = w[4], c = w[5];
    fePow(zi, p[2], true, c, this.#t);
    feMul(tx, p[0], zi, this.#t);
    feMul(ty, p[1], zi, this.#t);
    fePack(out, tx, m, t);
    const sign = out[0] & 1;
    fePack(out, ty, m, t);
    out[31] ^= sign << 7;
  }

  /** r = −A for the encoded point A; false when it is not on the curve. */
  #decodeNegated(r: Point, bytes: Uint8Array): boolean {
    const w = this.#u;
    const num = w[0], den = w[1], den2 = w[2], t = w[3], chk = w[4], c = w[5];
    const m = this.#t;
    feSet(r[2], ONE);
    feUnpack(r[1], bytes);
    feMul(num, r[1], r[1], m);
    feSet(t, D);
    feMul(den, num, t, m);
    feSub(num, num, r[2]); // u = y² − 1
    feAdd(den, r[2], den); // v = d·y² + 1
    feMul(den2, den, den, m);
    feMul(t, den2, den2, m);
    feMul(t, t, den2, m); // v⁶
    feMul(t, t, num, m);
    feMul(t, t, den, m); // u·v⁷
    fePow(t, t, false, c, m);
    feMul(t, t, num, m);
    feMul(t, t, den, m);
    feMul(t, t, den, m);
    feMul(r[0], t, den, m); // x = u·v³·(u·v⁷)^((p−5)/8)
    feMul(chk, r[0], r[0], m);
    feMul(chk, chk, den, m);
    if (!this.#equal(chk, num)) {
      feSet(t, SQRT_M1);
      feMul(r[0], r[0], t, m);
    }
    feMul(chk, r[0], r[0], m);
    feMul(chk, chk, den, m);
    if (!this.#equal(chk, num)) return false;
    fePack(this.#bytes, r[0], c, t);
    if ((this.#bytes[0] & 1) === bytes[31] >> 7) {
      feZero(t);
      feSub(r[0], t, r[0]);
    }
    feMul(r[3], r[0], r[1], m);
    return true;
  }

  #equal(a: Fe, b: Fe): boolean {
    const w = this.#u;
    const scratch = w[6];
    const x = this.#bytes;
    const y = this.#r.subarray(0, 32);
    fePack(x, a, scratch, this.#w[8]);
    fePack(y, b, scratch, this.#w[8]);
    for (let i = 0; i < 32; i++) if (x[i] !== y[i]) return false;
    return true;
  }

  /** A 64-byte little-endian number reduced mod L, in place into its first 32 bytes. */
  #reduce(r: Uint8Array): void {
    const x = this.#x;
    for (let i = 0; i < 64; i++) x[i] = r[i];
    r.fill(0);
    this.#modL(r, x);
  }

  /** out (32 bytes) = x mod L, for x given as 64 signed limbs of 8 bits (TweetNaCl's modL). */
  #modL(out: Uint8Array, x: Float64Array): void {
    let carry: number;
    for (let i = 63; i >= 32; i--) {
      carry = 0;
      let j = i - 32;
      for (; j < i - 12; j++) {
        x[j] += carry - 16 * x[i] * L[j - (i - 32)];
        carry = Math.floor((x[j] + 128) / 256);
        x[j] -= carry * 256;
      }
      x[j] += carry;
      x[i] = 0;
    }
    carry = 0;
    for (let j = 0; j < 32; j++) {
      x[j] += carry - (x[31] >> 4) * L[j];
      carry = x[j] >> 8;
      x[j] &= 255;
    }
    for (let j = 0; j < 32; j++) x[j] -= carry * L[j];
    for (let i = 0; i < 32; i++) {
      x[i + 1] += x[i] >> 8;
      out[i] = x[i] & 255;
    }
  }
}

/** Whether the little-endian scalar s is below L (RFC 8032 §5.1.7 rejects S ≥ L). */
function scalarBelowL(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i] < L[i]) return true;
    if (s[i] > L[i]) return false;
  }
  return false;
}
