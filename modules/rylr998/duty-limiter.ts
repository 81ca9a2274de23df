/**
 * Keeps a radio's transmit time under `limit` of any sliding hour (EU868: 1 % on most
 * sub-bands, ETSI EN 300 220; the figure is configurable, 0 disables the limiter).
 *
 * Transmit time is summed in one-minute buckets over the last hour (61 numbers, allocated once).
 * A bucket counts in full until the whole of it has left the window, so the sum over-states the
 * true sliding-hour figure by less than one bucket's worth: the safe side of a legal limit.
 *
 * Priorities: a share of the hour's budget (`reserve`) is kept for high-priority frames, so
 * periodic low-priority traffic (beacons, adverts, gossip) cannot starve data. Low-priority
 * frames that would eat into the reserve are shed by the caller; high-priority frames wait until
 * enough old transmit time has left the window (`waitMs`).
 */

export const DUTY_WINDOW_MS = 3_600_000;
const BUCKET_MS = 60_000;
const BUCKETS = DUTY_WINDOW_MS / BUCKET_MS + 1;

export interface DutyLimiterOptions {
  /** Fraction of any hour the radio may transmit (default 0.01); 0 or ≥ 1: no limit. */
  readonly limit?: number;
  /** Fraction of the budget kept for high-priority frames (default 0.3). */
  readonly reserve?: number;
}

export class DutyLimiter {
  readonly limit: number;
  readonly budgetMs: number;
  readonly #reserveMs: number;
  readonly #buckets = new Float64Array(BUCKETS);
  /** Index (time / BUCKET_MS) of the newest bucket written. */
  #newest = 0;
  #usedMs = 0;
  /** Transmit ms over the whole life, for reports. */
  totalMs = 0;

  constructor(options: DutyLimiterOptions = {}) {
    const limit = options.limit ?? 0.01;
    this.limit = limit > 0 && limit < 1 ? limit : 0;
    this.budgetMs = this.limit > 0 ? this.limit * DUTY_WINDOW_MS : Infinity;
    this.#reserveMs = this.budgetMs * Math.min(Math.max(options.reserve ?? 0.3, 0), 1);
  }

  /** Transmit ms counted in the window ending at `now` (an upper bound, see above). */
  usedMs(now: number): number {
    this.#advance(now);
    return this.#usedMs;
  }

  /** May a frame of `airtimeMs` start now? Low priority must leave the reserve untouched. */
  allows(now: number, airtimeMs: number, high: boolean): boolean {
    if (this.limit === 0) return true;
    const room = this.budgetMs - (high ? 0 : this.#reserveMs);
    return this.usedMs(now) + airtimeMs <= room;
  }

  /**
   * How long until a frame of `airtimeMs` fits (0: now; Infinity: never, it is larger than the
   * budget itself). Walks the buckets from the oldest: each one that leaves frees its time.
   */
  waitMs(now: number, airtimeMs: number, high: boolean): number {
    if (this.allows(now, airtimeMs, high)) return 0;
    const room = this.budgetMs - (high ? 0 : this.#reserveMs);
    if (airtimeMs > room) return Infinity;
    let used = this.#usedMs;
    const oldest = this.#newest - BUCKETS + 1;
    for (let k = oldest; k <= this.#newest; k++) {
      used -= this.#buckets[((k % BUCKETS) + BUCKETS) % BUCKETS];
      if (used + airtimeMs <= room) {
        // Bucket k leaves the window when the window's start passes its end.
        return Math.max(0, (k + 1) * BUCKET_MS + DUTY_WINDOW_MS - now);
      }
    }
    return BUCKET_MS;
  }

  /**
   * Count a transmission of `airtimeMs` starting at `now`. It goes into the bucket of its end, so
   * it stays counted until its last millisecond has left the window.
   */
  record(now: number, airtimeMs: number): void {
    if (!(airtimeMs > 0)) return;
    this.#advance(now + airtimeMs);
    this.#buckets[this.#newest % BUCKETS] += airtimeMs;
    this.#usedMs += airtimeMs;
    this.totalMs += airtimeMs;
  }

  /** Empty the buckets that left the window by `now`. */
  #advance(now: number): void {
    const k = Math.floor(now / BUCKET_MS);
    if (k <= this.#newest) return;
    if (k - this.#newest >= BUCKETS) {
      this.#buckets.fill(0);
      this.#usedMs = 0;
    } else {
      for (let j = this.#newest + 1; j <= k; j++) {
        const slot = j % BUCKETS;
        this.#usedMs -= this.#buckets[slot];
        this.#buckets[slot] = 0;
      }
    }
    this.#newest = k;
    if (this.#usedMs < 1e-9) this.#usedMs = 0;
  }
}
