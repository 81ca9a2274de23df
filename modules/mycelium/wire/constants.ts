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

// Radios (protocol.md §7). Every copy of these figures imports them from here: the schema sizes,
// the host's ESP-NOW radio, the simulator's profiles and its in-memory medium. (modules/espnow
// keeps its own copies, checked equal by a test: see ESPNOW_MAX_PAYLOAD there.)
export const ESPNOW_MTU = 250; // ESP-NOW v1 payload limit (ESP_NOW_MAX_DATA_LEN)
export const RYLR998_MTU = 240; // RYLR-998 payload limit (AT+SEND)
/** Upstream's ESP-NOW interface name and bitrate: with its schema ids they make its interface id. */
export const ESPNOW_NAME = 'espnow';
export const ESPNOW_BITRATE = 12_000_000; // upstream's figure, not the physical 1 Mb/s rate
export const MAC_BYTES = 6;
// Read-only once preloaded on XS; never written anywhere.
export const BROADCAST_MAC = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

/** Upstream's debug-print switch (its make.py forces it on). Ours: logging levels via Platform.log. */
export const DEBUG = false;
