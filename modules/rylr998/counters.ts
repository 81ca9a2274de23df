/**
 * The driver's counters: what it dropped and why, so "why did my frame vanish?" has an answer on
 * the status screen and in the simulator report. Plain numbers on one object per driver.
 */
export const RYLR_COUNTER_NAMES = Object.freeze([
  /** Lines parsed from the module (any kind). */
  'rx_lines',
  /** +RCV frames decoded and handed on. */
  'rx_frames',
  /** Lines dropped: not a response we know, bad numbers, +RCV whose length does not match. */
  'rx_malformed',
  /** Lines dropped for being longer than the line buffer. */
  'rx_overlong',
  /** +RCV frames dropped: the receive buffer was full. */
  'rx_buffer_full',
  /** +RCV frames dropped: the data did not decode (base64) or was empty. */
  'rx_undecodable',
  /** +OK/+ERR/value lines with no command waiting for them. */
  'rx_unsolicited',
  /** Frames accepted by AT+SEND. */
  'tx_frames',
  /** Frames the module refused with +ERR (the error is in lastError). */
  'tx_errors',
  /** Commands with no answer in time. */
  'cmd_timeouts',
  /** Frames refused at send(): larger than the MTU, bad address, radio closed. */
  'tx_refused',
  /** Frames refused at send(): the transmit queue was full of equal or higher priority. */
  'tx_queue_full',
  /** Low-priority frames dropped to stay under the duty-cycle limit. */
  'tx_shed_duty',
  /** Frames that waited for the duty-cycle window before going out. */
  'tx_deferred_duty',
  /** Frames that waited because the module was still transmitting (+ERR=17) and were retried. */
  'tx_busy_retries',
  /** Frames not queued because the same bytes to the same address were still waiting to go out (a resend of a frame the duty limit held). */
  'tx_coalesced',
  /** Unicasts dropped unsent after waiting longer than the sender's retry delay (its resend is on its way). */
  'tx_stale_dropped',
  /** Link acks (link-acks.ts): acks sent; introductions sent; our frames acked; resent for want of an ack; given up unacked. */
  'tx_link_acks',
  'tx_link_intros',
  'tx_link_acked',
  'tx_link_resent',
  'tx_link_unacked',
  /** Acks not sent: late (the module was busy) or over the duty limit. */
  'tx_link_ack_dropped',
  /** Frames heard again after their ack was lost: acked again, not passed up. */
  'rx_link_duplicates',
  /** Carried acks (carried-acks.ts): frames sent carried; acks sent alone; introductions; our frames acked; resent; given up unacked. */
  'tx_carried',
  'tx_carried_acks',
  'tx_carried_intros',
  'tx_carried_acked',
  'tx_carried_resent',
  'tx_carried_unacked',
  /** Carried frames for another node (heard for their acks only); copies of frames already passed up. */
  'rx_overheard',
  'rx_carried_duplicates',
  /** Room notices (room-notices.ts): sent; heard from neighbours; malformed ones dropped. */
  'tx_room_notices',
  'rx_room_notices',
  'rx_room_invalid',
] as const);

export type RylrCounterName = (typeof RYLR_COUNTER_NAMES)[number];
export type RylrCounters = Record<RylrCounterName, number>;

export function newCounters(): RylrCounters {
  const c = {} as RylrCounters;
  for (const name of RYLR_COUNTER_NAMES) c[name] = 0;
  return c;
}
