/** The RYLR-998 radio's fixed figures (rylr998-radio.ts), apart so that file stays one idea long. */
/** Schemas the interface advertises (a copy of wire/schemas' RYLR998_SCHEMA_IDS; a test keeps them equal). */
export const RYLR998_RADIO_SCHEMA_IDS: readonly number[] = Object.freeze([20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]);
/** The interface name on the wire (the simulator's rylr998 profile uses the same). */
export const RYLR998_RADIO_NAME = 'rylr998';
/** Gap after a frame's airtime before the next AT+SEND (UART and module turnaround). */
export const GUARD_MS = 10;
/** +ERR=17 (still transmitting) retries of one frame. */
export const BUSY_RETRIES = 3;
/** Link acks waiting to go out; more are dropped (the sender resends and is acked then). */
export const ACK_QUEUE = 4;
/** An ack's window beyond the two airtimes: the UART lines and the module's turnaround at both ends (to check on hardware). */
export const ACK_SLACK_MS = 100;
/**
 * A broadcast handed over with priority (a tree advert) is dropped unsent after this long in the
 * queue, not after the unicasts' stale horizon (a few seconds): an advert has no retry, and one
 * dropped at a relay whose hour is spent cost its subtree a maintenance period of refresh, which
 * the tree age counts now that the age byte tells the truth (docs/lora.md "Session 16"). Its age
 * byte is written when it is made, so it goes at most this much younger than the truth.
 */
export const PRIORITY_BROADCAST_STALE_MS = 60_000;
