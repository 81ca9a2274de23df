/**
 * How long a message's end-to-end retries wait (docs/packager.md "Retries that back off").
 * Upstream resends an unacked single packet every `sendRetryDelayMs` (2 s), three times: every
 * copy within 6 s. A copy that found no way has mostly met a break the mesh repairs in seconds (a
 * relay that went down, a parent replaced, a subtree renumbered), and copies 2 s apart all meet
 * the same break. With `sendRetryMaxBackoff` above 1 each wait doubles up to that many periods,
 * as a CoAP confirmable message's do (RFC 7252 §4.2) and TCP's retransmission timer (RFC 6298
 * §5.5): at 4, copies at 0, 2, 6 and 14 s, as many frames as before. After the last copy the
 * sender waits one period for its ack: an ack takes a round trip, not a repair. The default, 1,
 * is upstream's fixed delay: measured on churn it delivered 0.25 % more, within the runs' spread.
 *
 * A receiver knows a retry for as long as copies may come (`retryWindowMs`), and a relay takes a
 * copy within the longest wait and one period more of the last for its origin's resend
 * (`resendWindowPeriods`, forwarding.ts).
 */

/** What the retry schedule reads of the timings (timings.ts). */
interface RetryTimings {
  readonly duplicateWindowMs: number;
  readonly sendRetryCount: number;
  readonly sendRetryDelayMs: number;
  readonly sendRetryJitterMs: number;
  readonly sendRetryMaxBackoff: number;
}

/** Resend periods to wait after copy `copy` (0: the first) when another copy may follow. */
export function retryWaitPeriods(copy: number, maxBackoff: number): number {
  return Math.max(1, Math.min(2 ** Math.min(copy, 30), maxBackoff));
}

/** Resend periods from a message's first copy to its last, `retries` retries later. */
export function retrySpanPeriods(retries: number, maxBackoff: number): number {
  if (maxBackoff <= 1) return Math.max(0, retries); // fixed waits (the default): read on every packet received
  let periods = 0;
  for (let copy = 0; copy < retries; copy++) periods += retryWaitPeriods(copy, maxBackoff);
  return periods;
}

/**
 * How long a receiver knows a delivered message as a possible retry: the configured duplicate
 * window (10 s), or the span of a message's copies under these timings and a period more, if
 * longer (16 s with `sendRetryMaxBackoff` 4 on ESP-NOW). A receiver reads its own timings: the
 * nodes of one mesh share them.
 */
export function retryWindowMs(t: RetryTimings): number {
  return Math.max(t.duplicateWindowMs, (retrySpanPeriods(t.sendRetryCount, t.sendRetryMaxBackoff) + 1) * (t.sendRetryDelayMs + t.sendRetryJitterMs));
}

/** Resend periods after a relayed copy within which the same copy again is its origin's resend: 4, or the longest wait and one more. */
export function resendWindowPeriods(t: RetryTimings): number {
  return Math.max(4, t.sendRetryMaxBackoff + 1);
}
