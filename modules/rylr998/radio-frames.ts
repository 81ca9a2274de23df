/** A frame waiting in the RYLR-998 radio's queue, and the radio's address helpers (rylr998-radio.ts). */
import { BROADCAST_ADDRESS } from './config.js';
import type { DriverClock } from './timers.js';

export interface Outgoing {
  readonly address: number;
  readonly data: Uint8Array;
  readonly high: boolean;
  airtimeMs: number;
  /** Carried acks: the compact frame for `address` to wrap at transmit time; or acks alone (`carriedAck`). */
  readonly inner?: Uint8Array;
  readonly carriedAck?: boolean;
  /** When its backoff ends (undefined: not drawn yet). */
  backoffUntil: number | undefined;
  deferred: boolean;
  retries: number;
  /** Link acks: the hash the ack must name (0: no ack wanted), resends so far; an ack frame itself. */
  readonly hash: number;
  linkResends: number;
  readonly isAck: boolean;
  /** When it was queued. */
  readonly queuedAt: number;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The module address a mesh MAC names: 2 bytes big-endian, or the ESP-NOW broadcast MAC → 0. */
export function addressOf(mac: Uint8Array): number | undefined {
  if (mac.length === 2) return (mac[0] << 8) | mac[1];
  if (mac.length === 6 && mac.every((b) => b === 0xff)) return BROADCAST_ADDRESS;
  return undefined;
}

/** A uniform draw in [0, 1) from the platform's random bytes (backoffs). */
export function randomUnit(clock: DriverClock): number {
  const b = clock.randomBytes(new Uint8Array(4));
  return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) / 4294967296;
}
