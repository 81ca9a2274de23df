/**
 * A column of numbers by index in 4 B words, where a `Float64Array` took 8 B (issue 21, session
 * 25; Gossip's seen ids keep their times so inside their records, gossip-seen.ts). The tables'
 * numbers are mostly whole: times on a device's clock (whole ms), counters, sequence numbers,
 * flag bits. A number is kept as its distance `d` from a base, the first number written, while
 * `d` is whole and within ±2^31 (for a time, 24 days either way); 0 itself is the word 0 (a
 * cleared cell), `d` ≥ 0 the word d + 1, a negative `d` the word d. What is read back is what was
 * written, exactly, so a table on these words expires, evicts and decides as it did on floats.
 * A whole number too far from the base moves the base to it when every number held is within
 * 2^31 of it (a device's clock going on for weeks, its old times refreshed or cleared); the first
 * number that does not fit so (a fraction, as the simulator's clock and a token count have; a
 * column whose numbers span more than 2^31; -0) moves the whole column, once and for good, into
 * a `Float64Array`.
 *
 * Not a table itself: its holder sizes it (`grown`) and decides what an index means.
 */

/** Distances kept in words: -2^31 … 2^31 − 2 (the word d + 1 of the largest is 2^31 − 1). */
const LOW = -0x80000000;
const HIGH = 0x7ffffffe;

export class WholeWords {
  #words: Int32Array | undefined;
  #floats: Float64Array | undefined;
  #base = NaN;

  constructor(length: number) {
    this.#words = new Int32Array(length);
  }

  get length(): number {
    return (this.#floats ?? (this.#words as Int32Array)).length;
  }

  /** Whether the column still keeps its numbers in words (4 B each; else in floats, 8 B). */
  get inWords(): boolean {
    return this.#floats === undefined;
  }

  /** The number at `i` (0 when cleared or never written). */
  at(i: number): number {
    const floats = this.#floats;
    if (floats !== undefined) return floats[i];
    const w = (this.#words as Int32Array)[i];
    return w > 0 ? w - 1 + this.#base : w === 0 ? 0 : w + this.#base;
  }

  put(i: number, v: number): void {
    const floats = this.#floats;
    if (floats !== undefined) {
      floats[i] = v;
      return;
    }
    const words = this.#words as Int32Array;
    if (v === 0) {
      if (1 / v > 0) words[i] = 0;
      else this.spill()[i] = v; // -0
      return;
    }
    let d = v - this.#base;
    if (d !== d && Number.isSafeInteger(v)) {
      this.#base = v; // the first number written
      d = 0;
    }
    // (d | 0) === d: a whole number within 32 bits (a fraction, NaN or ±Infinity fails).
    if ((d | 0) === d && d >= LOW && d <= HIGH) words[i] = d >= 0 ? d + 1 : d;
    else if (!(Number.isSafeInteger(v) && this.rebase(v, i))) this.spill()[i] = v;
  }

  /** A column of `length` cells holding this one's (`length` at least this one's). */
  grown(length: number): WholeWords {
    const out = new WholeWords(0);
    out.#base = this.#base;
    const floats = this.#floats;
    if (floats !== undefined) {
      out.#words = undefined;
      out.#floats = new Float64Array(length);
      out.#floats.set(floats);
    } else {
      out.#words = new Int32Array(length);
      out.#words.set(this.#words as Int32Array);
    }
    return out;
  }

  /**
   * `v` (whole) at `i` with the base moved to `v`, when every other number held is within 2^31 of
   * it (a clock that went on past the first time's reach, the old times gone or refreshed): each
   * word written anew, in one pass. False, and nothing changed, when one is not.
   */
  private rebase(v: number, i: number): boolean {
    const words = this.#words as Int32Array;
    for (let j = 0; j < words.length; j++) {
      const d = j === i || words[j] === 0 ? 0 : this.at(j) - v;
      if (d < LOW || d > HIGH) return false;
    }
    for (let j = 0; j < words.length; j++) {
      if (j === i || words[j] === 0) continue;
      const d = this.at(j) - v;
      words[j] = d >= 0 ? d + 1 : d;
    }
    this.#base = v;
    words[i] = 1;
    return true;
  }

  /** Every number into a `Float64Array`, for good; the column's floats. */
  private spill(): Float64Array {
    const words = this.#words as Int32Array;
    const floats = new Float64Array(words.length);
    for (let i = 0; i < words.length; i++) floats[i] = this.at(i);
    this.#floats = floats;
    this.#words = undefined;
    return floats;
  }
}
