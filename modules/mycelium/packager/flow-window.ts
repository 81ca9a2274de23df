/**
 * The send window of one outbound unicast sequence (docs/routing.md, "Flow control for
 * sequences"), after Reticulum's Resource windowing: at most `size` fragments unacked at once;
 * the window grows by one each time a window's worth of fragments is acked, and shrinks by one
 * when an end-to-end timeout shows a loss nothing repaired, within [1, max]. (By one, not by
 * half: on a radio mesh a loss is mostly noise, not congestion, and the node-wide in-flight
 * budget already keeps the transmit queue from overflowing.)
 *
 * The resend timeout follows the measured round trip (Karn: only fragments sent once are
 * measured): three smoothed round trips, never below `floorMs`, and `startMs` until measured.
 */
export class FlowWindow {
  size: number;
  private readonly max: number;
  private acked = 0;
  private srtt = 0;
  private readonly floorMs: number;
  private readonly startMs: number;

  constructor(start: number, max: number, floorMs: number, startMs: number) {
    this.max = Math.max(1, max);
    this.size = Math.min(this.max, Math.max(1, start));
    this.floorMs = floorMs;
    this.startMs = Math.max(floorMs, startMs);
  }

  /** A fragment was acked; `rttMs` when it had been sent once (else undefined). */
  onAck(rttMs: number | undefined): void {
    if (rttMs !== undefined) this.srtt = this.srtt === 0 ? rttMs : (7 * this.srtt + rttMs) / 8;
    if (++this.acked >= this.size) {
      this.acked = 0;
      if (this.size < this.max) this.size++;
    }
  }

  /** An end-to-end timeout. */
  onLoss(): void {
    this.acked = 0;
    if (this.size > 1) this.size--;
  }

  /** How long an unacked fragment waits before it is resent. */
  get timeoutMs(): number {
    return this.srtt === 0 ? this.startMs : Math.max(this.floorMs, Math.ceil(3 * this.srtt));
  }
}
