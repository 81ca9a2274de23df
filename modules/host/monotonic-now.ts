/**
 * A clock that never goes back, over the host's tick source.
 *
 * Every table of the mesh (routes, peers, trees, replay windows, the words of packager/whole-words.ts)
 * measures time as `now - then`, so it needs a clock that only moves forward. Moddable's
 * `Time.ticks` is not one on either of our targets:
 *
 * - **ESP32**: `xs_time_ticks` (modules/base/time/esp/modTime.c) stores `modMilliseconds()`, a
 *   `uint32_t` of FreeRTOS ticks in ms, with `xsmcSetInteger`, a signed 32-bit integer. After
 *   2^31 ms of uptime (24.8 days) it turns negative, and every 2^32 ms (49.7 days) it wraps. At the
 *   flip a node's clock jumped back 49.7 days: every time its tables held lay in its future, and
 *   it could send nothing more (its packet ids looked held for weeks: tests/host/monotonic-now.test.ts).
 * - **Desktop** (`lin`, `mac`): `gettimeofday`, a wall clock that NTP or the user may step back.
 *
 * So a fall of more than 2^31 between two 32-bit readings is the counter coming round, and the
 * clock carries on 2^32 later; any other fall (a wall clock stepped back) holds the clock still and
 * lets it run on from there at the source's pace. Unchanged readings come back exactly as read (no
 * sum of differences: fractional sources stay exact). The source must be read at least once per
 * 2^31 ms, which every mesh timer does many times over.
 */

const WRAP = 2 ** 32;
const HALF = 2 ** 31;

/** A whole number a 32-bit counter can show, signed or not. */
function isTicks32(x: number): boolean {
  return Number.isInteger(x) && x >= -HALF && x < WRAP;
}

/** `read`'s time, made monotonic: 32-bit wraps unwrapped, steps back held (see the header). */
export function monotonicNow(read: () => number): () => number {
  let offset = 0;
  let lastRaw = NaN;
  let last = -Infinity;
  return () => {
    const raw = read();
    if (raw < lastRaw && lastRaw - raw > HALF && isTicks32(raw) && isTicks32(lastRaw)) offset += WRAP;
    lastRaw = raw;
    let t = raw + offset;
    if (t < last) {
      offset += last - t;
      t = last;
    }
    last = t;
    return t;
  };
}
