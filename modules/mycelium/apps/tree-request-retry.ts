/**
 * A REQUEST that got no ASSIGN is tried again soon (SpanningTree `request_retry_ms`), instead of
 * at the next advert heard from a better claim — one maintenance period later, 13 minutes at
 * LoRa's SF9. On LoRa the REQUEST, its ASSIGN or the neighbour's knowledge of us (our beacons)
 * are lost to hidden-terminal collisions often enough that the first try fails; the retries, with
 * `introduce_on_retry`, put our beacon in front. A few tries, each spacing doubled and drawn in
 * [1, 2) × so that two hidden neighbours do not retry in step; any ASSIGN, or a REQUEST made for
 * a new claim heard, starts the count afresh.
 */

/** Tries after the first, per REQUEST made for a claim heard. */
export const REQUEST_RETRIES = 3;

export class RequestRetry {
  private tries = 0;

  /** A REQUEST made on a claim heard (not a retry): the count starts afresh. */
  fresh(): void {
    this.tries = 0;
  }

  /**
   * Ms until the next try, or undefined when the tries are spent (or retries are off).
   * `random` in [0, 1).
   */
  next(baseMs: number, random: number): number | undefined {
    if (!(baseMs > 0) || this.tries >= REQUEST_RETRIES) return undefined;
    const delay = Math.round(baseMs * 2 ** this.tries * (1 + random));
    this.tries++;
    return delay;
  }
}
