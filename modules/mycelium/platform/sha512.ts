/**
 * SHA-512 (FIPS 180-4) in plain ECMAScript, for Ed25519 on engines without a native one (xsnap).
 * 64-bit words are pairs of 32-bit halves, so no BigInt is allocated per round. A Sha512 owns
 * its work arrays (about 1 KB, made once by its constructor, never at module level: preloaded
 * typed arrays are read-only) and is fed piecewise, so hashing `R || A || message` copies nothing.
 */

/** Round constants, high and low halves interleaved. */
const K = Uint32Array.of(
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
);

/** Initial hash value, high and low halves interleaved. */
const IV = Uint32Array.of(
  0x6a09e667, 0xf3bcc908, 0xbb67ae85, 0x84caa73b, 0x3c6ef372, 0xfe94f82b, 0xa54ff53a, 0x5f1d36f1,
  0x510e527f, 0xade682d1, 0x9b05688c, 0x2b3e6c1f, 0x1f83d9ab, 0xfb41bd6b, 0x5be0cd19, 0x137e2179,
);

const BLOCK = 128;

export class Sha512 {
  readonly #state = new Uint32Array(16); // eight 64-bit words as (high, low)
  readonly #w = new Uint32Array(160); // message schedule, (high, low)
  readonly #v = new Uint32Array(16); // working variables a…h, (high, low)
  readonly #block = new Uint8Array(BLOCK);
  #filled = 0; // bytes waiting in #block
  #length = 0; // bytes hashed so far (below 2^53: plenty)

  /** Begin a new digest. */
  start(): this {
    this.#state.set(IV);
    this.#filled = 0;
    this.#length = 0;
    return this;
  }

  update(data: Uint8Array): this {
    let i = 0;
    this.#length += data.length;
    while (i < data.length) {
      const n = Math.min(BLOCK - this.#filled, data.length - i);
      this.#block.set(data.subarray(i, i + n), this.#filled);
      this.#filled += n;
      i += n;
      if (this.#filled === BLOCK) {
        this.#compress();
        this.#filled = 0;
      }
    }
    return this;
  }

  /** Write the 64-byte digest into `out` (or a new array) and return it. */
  finish(out = new Uint8Array(64)): Uint8Array {
    const bits = this.#length * 8;
    const block = this.#block;
    block[this.#filled++] = 0x80;
    if (this.#filled > BLOCK - 16) {
      block.fill(0, this.#filled);
      this.#compress();
      this.#filled = 0;
    }
    block.fill(0, this.#filled);
    const high = Math.floor(bits / 0x100000000);
    writeWord(block, BLOCK - 8, high, bits >>> 0);
    this.#compress();
    for (let i = 0; i < 16; i++) writeWord32(out, i * 4, this.#state[i]);
    return out;
  }

  #compress(): void {
    const w = this.#w;
    const b = this.#block;
    for (let i = 0; i < 32; i++) w[i] = (b[i * 4] << 24) | (b[i * 4 + 1] << 16) | (b[i * 4 + 2] << 8) | b[i * 4 + 3];
    for (let i = 32; i < 160; i += 2) {
      // σ0(w[t-15]) = rotr1 ^ rotr8 ^ shr7; σ1(w[t-2]) = rotr19 ^ rotr61 ^ shr6
      let h = w[i - 30], l = w[i - 29];
      const s0h = ((h >>> 1) | (l << 31)) ^ ((h >>> 8) | (l << 24)) ^ (h >>> 7);
      const s0l = ((l >>> 1) | (h << 31)) ^ ((l >>> 8) | (h << 24)) ^ ((l >>> 7) | (h << 25));
      h = w[i - 4];
      l = w[i - 3];
      const s1h = ((h >>> 19) | (l << 13)) ^ ((l >>> 29) | (h << 3)) ^ (h >>> 6);
      const s1l = ((l >>> 19) | (h << 13)) ^ ((h >>> 29) | (l << 3)) ^ ((l >>> 6) | (h << 26));
      const lo = (s0l >>> 0) + (s1l >>> 0) + w[i - 13] + w[i - 31];
      w[i] = s0h + s1h + w[i - 14] + w[i - 32] + Math.floor(lo / 0x100000000);
      w[i + 1] = lo;
    }
    const v = this.#v;
    v.set(this.#state);
    for (let i = 0; i < 160; i += 2) {
      const eh = v[8], el = v[9];
      // Σ1(e) = rotr14 ^ rotr18 ^ rotr41
      const S1h = ((eh >>> 14) | (el << 18)) ^ ((eh >>> 18) | (el << 14)) ^ ((el >>> 9) | (eh << 23));
      const S1l = ((el >>> 14) | (eh << 18)) ^ ((el >>> 18) | (eh << 14)) ^ ((eh >>> 9) | (el << 23));
      const chh = (eh & v[10]) ^ (~eh & v[12]);
      const chl = (el & v[11]) ^ (~el & v[13]);
      const t1l = v[15] + (S1l >>> 0) + (chl >>> 0) + K[i + 1] + w[i + 1];
      const t1h = v[14] + S1h + chh + K[i] + w[i] + Math.floor(t1l / 0x100000000);
      const ah = v[0], al = v[1];
      // Σ0(a) = rotr28 ^ rotr34 ^ rotr39
      const S0h = ((ah >>> 28) | (al << 4)) ^ ((al >>> 2) | (ah << 30)) ^ ((al >>> 7) | (ah << 25));
      const S0l = ((al >>> 28) | (ah << 4)) ^ ((ah >>> 2) | (al << 30)) ^ ((ah >>> 7) | (al << 25));
      const majh = (ah & v[2]) ^ (ah & v[4]) ^ (v[2] & v[4]);
      const majl = (al & v[3]) ^ (al & v[5]) ^ (v[3] & v[5]);
      const t2l = (S0l >>> 0) + (majl >>> 0);
      const t2h = S0h + majh + Math.floor(t2l / 0x100000000);
      v.copyWithin(2, 0, 14); // h = g, g = f, …, b = a
      const el2 = v[9] + (t1l >>> 0); // e = d + t1 (d is now at 8, 9)
      v[8] = v[8] + t1h + Math.floor(el2 / 0x100000000);
      v[9] = el2;
      const al2 = (t1l >>> 0) + (t2l >>> 0);
      v[0] = t1h + t2h + Math.floor(al2 / 0x100000000);
      v[1] = al2;
    }
    const s = this.#state;
    for (let i = 0; i < 16; i += 2) {
      const lo = s[i + 1] + v[i + 1];
      s[i] = s[i] + v[i] + Math.floor(lo / 0x100000000);
      s[i + 1] = lo;
    }
  }
}

function writeWord32(out: Uint8Array, at: number, word: number): void {
  out[at] = word >>> 24;
  out[at + 1] = (word >>> 16) & 0xff;
  out[at + 2] = (word >>> 8) & 0xff;
  out[at + 3] = word & 0xff;
}

function writeWord(out: Uint8Array, at: number, high: number, low: number): void {
  writeWord32(out, at, high);
  writeWord32(out, at + 4, low);
}
