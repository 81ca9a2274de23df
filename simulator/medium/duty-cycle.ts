/**
 * A node's transmit duty cycle over a sliding hour (EU868's rule: at most 1 % of any hour on
 * most sub-bands). Transmit intervals arrive in time order; the transmit time of the hour that
 * ends at each interval's end (where the sliding sum peaks) is kept as a running maximum.
 *
 * Memory stays bounded whatever the traffic: transmit time is summed in 10-s buckets in a ring
 * of one hour (362 numbers per node), not kept frame by frame. The window's start falls inside a
 * bucket; the part of that bucket before the start is bounded from below by what the bucket
 * holds minus the time after the start (a radio transmits at most 1 ms per ms), so the figure is
 * exact when that bucket's transmissions lie wholly on one side of the window's start, and
 * otherwise overstates by less than the bucket's transmit time — the safe side for a limit check.
 */

export const DUTY_WINDOW_MS = 3_600_000;
export const DUTY_BUCKET_MS = 10_000;
const SLOTS = DUTY_WINDOW_MS / DUTY_BUCKET_MS + 2;

export class DutyCycle {
  /** Transmit ms per bucket, bucket k in slot k % SLOTS (allocated at the first transmission). */
  #ring: Float64Array | undefined;
  /** Oldest bucket still in the window, and the sum of buckets lo.. (the window's transmit time, upper bound). */
  #lo = 0;
  #sum = 0;
  /** Transmit ms so far, and the largest hour-window sum seen. */
  total = 0;
  maxWindowMs = 0;

  /** Adds the transmit interval [start, end] (intervals come in time order and do not overlap). */
  add(start: number, end: number): void {
    if (!(end > start)) return;
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
    const w = this.#sum - before;
    if (w > this.maxWindowMs) this.maxWindowMs = w;
  }
}
