/**
 * Protocol constants of micropycelium 0.1.0-dev (protocol 0). Upstream's timings are our defaults;
 * derived values are computed the way upstream computes them, not typed in.
 */

export const VERSION = '0.1.0-dev'; // upstream's Packager.version string
export const PROTOCOL_VERSION = 0; // receivers drop packets whose version byte is greater

export const MODEM_SLEEP_MS = 90; // light-sleep length of a modem-sleep cycle
export const MODEM_WAKE_MS = 40; // minimum awake window of a modem-sleep cycle
export const MODEM_INTERSECT_INTERVAL = Math.trunc(0.9 * MODEM_WAKE_MS); // 36 ms: RNS spacing
export const MODEM_INTERSECT_RTX_TIMES = Math.trunc((MODEM_SLEEP_MS + MODEM_WAKE_MS) / MODEM_INTERSECT_INTERVAL) + 1; // 4 RNS probes

export const SEQ_SYNC_DELAY_MS = 10_000; // receiver waits this long before asking for missing fragments
export const SEND_RETRY_DELAY_MS = 2_000; // unicast single-packet retry timer
export const SEND_RETRY_COUNT = 3; // retries after the first attempt
export const PEER_AWAKE_WINDOW_MS = 800; // a peer can receive for this long after add_peer or NIA
export const PEER_TIMEOUT_START = 4; // beacon cycles before a silent peer is dropped

/** Routing metrics, carried in flags.mode. */
export const Metric = Object.freeze({ dTree: 0, dCPL: 1 } as const);
export type Metric = (typeof Metric)[keyof typeof Metric];

export const ADDRESS_BYTES = 16; // tree address size on the wire
export const NODE_ID_BYTES = 32; // node id = SHA-256(SHA-256(chip id))
export const APP_ID_BYTES = 16; // app id = SHA-256(name ‖ description ‖ u32 version)[:16]
export const HALF_HASH_BYTES = 16; // Package integrity field = SHA-256(blob)[:16]
export const INTERFACE_ID_BYTES = 4; // interface id = SHA-256(name ‖ u32 bitrate ‖ schema ids)[:4]
export const TTL_START = 255; // ttl of a freshly sent routed packet

/** Upstream's debug-print switch (its make.py forces it on). Ours: logging levels via Platform.log. */
export const DEBUG = false;
