/**
 * A node's transmit duty cycle over a sliding hour (EU868's rule: at most 1 % of any hour on
 * most sub-bands). Transmit intervals arrive in time order; the transmit time of the hour that
 * ends at each interval's end (where the sliding sum peaks) is kept as a running maximum.
 *
 * Exact while the last hour holds at most EXACT_LIMIT transmissions: those intervals are kept,
 * and each window's sum is theirs, the one straddling the window's start counted from the start
 * on. A LoRa node under a 1 % limit sends a few thousand frames an hour at most.
 *
 * Beyond that (an ESP-NOW node sending thousands of frames a minute) memory stays bounded: the
 * figure comes from transmit time summed in 10-s buckets in a ring of one hour (362 numbers per
 * node). The window's start falls inside a bucket; the part of that bucket before the start is
 * bounded from below by what the bucket holds minus the time after the start (a radio transmits
 * at most 1 ms per ms), so that figure overstates by less than the bucket's transmit time when
 * a bucket has transmissions on both sides of the window's start — the safe side for a limit check.
 *
 * A run shorter than an hour has no window starting after 0: the largest window is the total,
 * and the report uses the total. `totalsOnly()` then keeps neither intervals nor ring: at 10,000
 * ESP-NOW nodes × 30 min the intervals alone were ~3,300 per node (two numbers each) and grew
 * with every frame, up to EXACT_LIMIT.
 */

export const DUTY_WINDOW_MS = 3_600_000;
export const DUTY_BUCKET_MS = 10_000;
const SLOTS = DUTY_WINDOW_MS / DUTY_BUCKET_MS + 2;
/** Transmissions within one hour kept for the exact figure. */
export const EXACT_LIMIT = 20_000;

export class DutyCycle {
  /** Transmit ms per bucket, bucket k in slot k % SLOTS (allocated at the first transmission). */
  #ring: Float64Array | undefined;
  /** Oldest bucket still in the window, and the sum of buckets lo.. (the window's transmit time, upper bound). */
  #lo = 0;
  #sum = 0;
  /** Transmit ms so far, and the largest hour-window sum seen. */
  total = 0;
  maxWindowMs = 0;
  /** The intervals of the last hour (starts and ends from index #head on) and their summed length. */
  #starts: number[] | undefined = [];
  #ends: number[] = [];
  #head = 0;
  #exactSum = 0;
  /** False after totalsOnly(): no windows kept, maxWindowMs = total. */
  #windows = true;

  /** True while `maxWindowMs` is exact (no hour held more than EXACT_LIMIT transmissions). */
  get exact(): boolean {
    return this.#starts !== undefined || !this.#windows;
  }

  /**
   * Keep the total only (call before the first add): for a run shorter than DUTY_WINDOW_MS,
   * where every hour window starts at 0 and the largest one is the total.
   */
  totalsOnly(): void {
    this.#windows = false;
    this.#starts = undefined;
    this.#ends = [];
    this.#ring = undefined;
  }

  /** Adds the transmit interval [start, end] (intervals come in time order and do not overlap). */
  add(start: number, end: number): void {
    if (!(end > start)) return;
    if (!this.#windows) {
      this.total += end - start;
      this.maxWindowMs = this.total;
      return;
    }
    const ring = (this.#ring ??= new Float64Array(SLOTS));
    const windowStart = end - DUTY_WINDOW_MS;
    const lo = Math.max(0, Math.floor(windowStart / DUTY_BUCKET_MS));
    if (lo - this.#lo >= SLOTS) {
      ring.fill(0);
      this.#sum = 0;
    } else {
      for (let k = this.#lo; k < lo; k++) {
        this.#sum -= ring[k % SLOTS];
        ring[k % SLOTS] = 0;
      }
    }
    this.#lo = lo;
    // Spread the interval over its buckets (only the part inside the window can matter).
    for (let k = Math.max(lo, Math.floor(start / DUTY_BUCKET_MS)); k * DUTY_BUCKET_MS < end; k++) {
      const part = Math.min(end, (k + 1) * DUTY_BUCKET_MS) - Math.max(start, k * DUTY_BUCKET_MS);
      ring[k % SLOTS] += part;
      this.#sum += part;
    }
    this.total += end - start;
    // Transmit time of [lo bucket start, windowStart): at least the bucket's minus what fits after windowStart.
    const before = windowStart > 0 ? Math.max(0, ring[lo % SLOTS] - ((lo + 1) * DUTY_BUCKET_MS - windowStart)) : 0;
    const exact = this.#exactWindow(start, end, windowStart);
    const w = exact ?? this.#sum - before;
    if (w > this.maxWindowMs) this.maxWindowMs = w;
  }

  /** Transmit time in [windowStart, end] from the kept intervals, or undefined once they overflowed. */
  #exactWindow(start: number, end: number, windowStart: number): number | undefined {
    const starts = this.#starts;
    if (!starts) return undefined;
    const ends = this.#ends;
    starts.push(start);
    ends.push(end);
    this.#exactSum += end - start;
    while (ends[this.#head] <= windowStart) {
      this.#exactSum -= ends[this.#head] - starts[this.#head];
      this.#head++;
    }
    if (starts.length - this.#head > EXACT_LIMIT) {
      this.#starts = undefined; // from now on the buckets' bound
      this.#ends = [];
      return undefined;
    }
    if (this.#head > 1024 && this.#head * 2 > starts.length) {
      starts.splice(0, this.#head);
      ends.splice(0, this.#head);
      this.#head = 0;
    }
    return this.#exactSum - Math.max(0, windowStart - starts[this.#head]);
  }
}
