/**
 * How long a sender on a RYLR-998 waits for an end-to-end ack before it resends (the Packager's
 * `sendRetryDelayMs` in the LoRa defaults, timings.ts). The radio uses the same figure to call a
 * queued unicast stale (rylr998-radio.ts): one held longer is already being resent.
 */
import { MAX_SEND_BYTES, sendAirtimeMs, type Rylr998Config } from './config.js';

/**
 * A unicast and its ack each wait up to 1.5 airtimes of backoff plus their airtime, behind frames
 * already queued: a retry sooner than ~6 full frames would resend what is on its way. ≥ 2 s.
 */
export function unicastRetryDelayMs(cfg: Pick<Rylr998Config, 'sf' | 'bw' | 'cr' | 'preamble'>): number {
  const fullMs = sendAirtimeMs(cfg as Rylr998Config, MAX_SEND_BYTES);
  return Math.ceil(Math.max(2000, 6 * fullMs) / 100) * 100;
}

/** The longest a sender waits before resending: the delay plus its jitter (half the delay, drawn per retry). */
export function unicastRetryHorizonMs(cfg: Pick<Rylr998Config, 'sf' | 'bw' | 'cr' | 'preamble'>): number {
  const delay = unicastRetryDelayMs(cfg);
  return delay + Math.ceil(delay / 2 / 100) * 100;
}
