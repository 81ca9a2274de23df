/**
 * Seeded randomness for the simulator: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, passes PractRand to 2^40+ bytes) seeded through splitmix32, all in
 * 32-bit integer arithmetic so it runs the same on Node and XS.
 *
 * `fork(label)` derives an independent stream from this stream's *seed* and the label, never
 * from how many numbers were already drawn: the topology, each node and each link can own a
 * stream, and adding traffic (more draws on one stream) does not change any other stream.
 */
import type { Random } from '../../modules/mycelium/platform/platform.js';

/** splitmix32 step: a good 32-bit mixer, used to expand seeds into sfc32 state. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a label (labels are short ASCII names). */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SeededRandom implements Random {
  /** The 32-bit seed this stream was created from (forks derive from it). */
  readonly seed: number;
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** `seed` is reduced to an unsigned 32-bit integer (non-integers are truncated). */
  constructor(seed: number) {
    this.seed = seed >>> 0;
    let s = this.seed;
    this.#a = s = splitmix32(s);
    this.#b = s = splitmix32(s);
    this.#c = s = splitmix32(s);
    this.#d = splitmix32(s);
    // sfc32's authors discard the first outputs so nearby seeds diverge.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), without modulo bias; n must be an integer in 1..2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296) || Math.floor(n) !== n) throw new RangeError(`int(n): n must be an integer in 1..2^32, got ${n}`);
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.next();
      if (x < limit) return x % n;
    }
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && (p >= 1 || this.float() < p);
  }

  /** Fill `into` with random bytes and return it. */
  bytes(into: Uint8Array): Uint8Array {
    let i = 0;
    for (; i + 4 <= into.length; i += 4) {
      const x = this.next();
      into[i] = x;
      into[i + 1] = x >>> 8;
      into[i + 2] = x >>> 16;
      into[i + 3] = x >>> 24;
    }
    if (i < into.length) {
      let x = this.next();
      for (; i < into.length; i++, x >>>= 8) into[i] = x;
    }
    return into;
  }

  /** The platform `Random` interface (nodes draw their nonces and jitter from here). */
  randomBytes(into: Uint8Array): Uint8Array {
    return this.bytes(into);
  }

  /** An independent stream named `label`, a pure function of (this.seed, label). */
  fork(label: string): SeededRandom {
    return new SeededRandom(splitmix32(this.seed ^ splitmix32(hashLabel(label))));
  }
}
