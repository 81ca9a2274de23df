/** Options of the mesh Radio over a RYLR-998 (rylr998-radio.ts). */
import type { Rylr998 } from './rylr998.js';
import type { Rylr998Config } from './config.js';
import type { DriverClock } from './timers.js';

export type FrameEncoding = 'binary' | 'base64';

export interface Rylr998RadioOptions {
  readonly driver: Rylr998;
  readonly config: Rylr998Config;
  readonly clock: DriverClock;
  /** Default 'binary'. */
  readonly encoding?: FrameEncoding;
  /** Fraction of any hour the radio may transmit (default 0.01; 0 = no limit). */
  readonly dutyCycle?: number;
  /** Share of the duty budget kept for unicasts (default 0.3). */
  readonly dutyReserve?: number;
  /** Frames waiting to go out (default 16). */
  readonly txQueue?: number;
  /** Received frames waiting for the Packager (default 8). */
  readonly rxBuffer?: number;
  /** Backoff before a broadcast / a unicast, in airtimes of the frame (defaults 6 and 1.5). */
  readonly broadcastBackoff?: number;
  readonly unicastBackoff?: number;
  /**
   * A unicast still queued after this long is dropped unsent (default: the LoRa sender's retry
   * delay, retry-delay.ts; 0 = never). See "Stale unicasts" in rylr998-radio.ts.
   */
  readonly unicastStaleMs?: number;
  /** A broadcast queued with priority is dropped unsent after this long (default PRIORITY_BROADCAST_STALE_MS, 60 s; 0 = never). */
  readonly priorityBroadcastStaleMs?: number;
  /**
   * Link acks with neighbours whose radio speaks them (link-acks.ts): a compact unicast lost on
   * the hop is sent again by the radio, up to `linkAckRetries` times (default 2). Default off
   * (see the constructor).
   */
  readonly linkAcks?: boolean;
  readonly linkAckRetries?: number;
  /**
   * Carried acks with neighbours whose radio speaks them (carried-acks.ts): a compact unicast goes
   * to address 0 naming its next hop, whose ack rides on its next frame; resent up to
   * `carriedAckRetries` times (default 1) while the budget has room outside the unicast reserve.
   * Ignored with `linkAcks`.
   */
  readonly carriedAcks?: boolean;
  readonly carriedAckRetries?: number;
  /**
   * Room notices (room-notices.ts): say when this radio's hour is nearly spent, and hear which
   * neighbours' is (`peerBusy`), so routing can prefer neighbours with room. Default off.
   */
  readonly roomNotices?: boolean;
}
