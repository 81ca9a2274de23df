/**
 * A column of times (platform ms) by index in 4 B words, where a `Float64Array` took 8 B (issue
 * 21, session 25; Gossip's seen ids do the same inside their records, gossip-seen.ts). A time is
 * kept as `t − base + 1`, base the first time written, while every time written is a whole
 * number of ms from the base up to 2^32 − 2 ms (49 days) on: a device's clock counts whole ms.
 * 0 is kept as the word 0 (a cleared cell). What is read back is what was written, exactly, so a
 * table on these words expires and evicts as it did on floats. The first time that does not fit
 * (a fraction of a ms, as the simulator's clock has; a clock set back before the base; 49 days
 * on) moves the whole column, once and for good, into a `Float64Array`.
 *
 * With a fixed `base` the words hold whole numbers from it on (a counter from −2^31: `COUNTS`).
 * Not a table itself: its holder sizes it (`grown`) and decides what an index means.
 */

/** The largest word: `t − base + 1` up to 2^32 − 1. */
const WORD_LIMIT = 0xffffffff;

/** A fixed base for small whole numbers of either sign (a timeout counter). */
export const COUNTS = -0x80000000;

export class TimeWords {
  #words: Uint32Array | undefined;
  #floats: Float64Array | undefined;
  #base: number;

  constructor(length: number, base = NaN) {
    this.#words = new Uint32Array(length);
    this.#base = base;
  }

  get length(): number {
    return (this.#floats ?? (this.#words as Uint32Array)).length;
  }

  /** The time at `i` (0 when cleared or never written). */
  at(i: number): number {
    const floats = this.#floats;
    if (floats !== undefined) return floats[i];
    const w = (this.#words as Uint32Array)[i];
    return w === 0 ? 0 : w - 1 + this.#base;
  }

  put(i: number, t: number): void {
    const floats = this.#floats;
    if (floats !== undefined) {
      floats[i] = t;
      return;
    }
    const words = this.#words as Uint32Array;
    if (t === 0) {
      words[i] = 0;
      return;
    }
    let d = t - this.#base;
    if (d !== d && Number.isSafeInteger(t)) {
      this.#base = t; // the first time written
      d = 0;
    }
    // d >>> 0 === d: a whole number from 0 to 2^32 − 1 (a fraction, NaN or a negative fails).
    if (d >>> 0 === d && d < WORD_LIMIT) words[i] = d + 1;
    else this.spill()[i] = t;
  }

  /** A column of `length` cells holding this one's (`length` at least this one's). */
  grown(length: number): TimeWords {
    const out = new TimeWords(0, this.#base);
    const floats = this.#floats;
    if (floats !== undefined) {
      out.#words = undefined;
      out.#floats = new Float64Array(length);
      out.#floats.set(floats);
    } else {
      out.#words = new Uint32Array(length);
      out.#words.set(this.#words as Uint32Array);
    }
    return out;
  }

  /** Every time into a `Float64Array`, for good; the column's floats. */
  private spill(): Float64Array {
    const words = this.#words as Uint32Array;
    const floats = new Float64Array(words.length);
    for (let i = 0; i < words.length; i++) floats[i] = this.at(i);
    this.#floats = floats;
    this.#words = undefined;
    return floats;
  }
}
