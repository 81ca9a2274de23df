/**
 * Timing and limits of the radios the medium models. Airtime is what a frame occupies the
 * channel for (and what collisions overlap on); latency is airtime plus processing delay and a
 * little jitter. See MEDIUM.md for where the figures come from.
 */
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME, RYLR998_MTU } from '../../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';

export type InterfaceKind = 'espnow' | 'rylr998';

export interface RadioProfile {
  readonly kind: InterfaceKind;
  /** Radio.name: part of the interface id on the wire. */
  readonly name: string;
  /** Radio.bitrate: part of the interface id (upstream's value, not the physical rate). */
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  /** Sender-side time before the frame goes on air (e.g. the UART transfer to a LoRa module). */
  prepareMs(bytes: number): number;
  /** Milliseconds a frame of `bytes` payload bytes occupies the channel (what collisions overlap on). */
  airtimeMs(bytes: number): number;
  /** Receiver-side delay from the end of the frame on air until its `onReceive` callback. */
  deliverMs(bytes: number): number;
  /** Extra uniform delay in [0, jitterMs) drawn per transmission. */
  readonly jitterMs: number;
  /** Frames a node may have waiting for the channel before send() refuses more. */
  readonly txQueue: number;
  /**
   * Link-layer retransmissions of an unacknowledged unicast (0: none). The frame reaches its
   * receiver unless every attempt is lost; each retry costs another airtime.
   */
  readonly linkRetries: number;
}

/**
 * ESP-NOW: vendor action frames at the 1 Mbps 802.11b basic rate; each frame carries ~43 bytes
 * of 802.11 header, vendor element and FCS, after a 192 µs long PLCP preamble. A full 250-byte
 * frame is ≈ 2.5 ms on air. The advertised bitrate is upstream's 12,000,000 (ESPNOW_BITRATE), the
 * same as a device's: it names the interface and plays no part in the airtime.
 */
export const ESPNOW_PROFILE: RadioProfile = Object.freeze({
  kind: 'espnow',
  name: ESPNOW_NAME,
  bitrate: ESPNOW_BITRATE,
  schemaIds: ESPNOW_SCHEMA_IDS,
  mtu: ESPNOW_MTU,
  prepareMs: () => 0,
  airtimeMs: (bytes: number) => 0.192 + ((bytes + 43) * 8) / 1000,
  deliverMs: () => 0.3,
  jitterMs: 0.5,
  txQueue: 16,
  // ESP-NOW unicasts are 802.11 frames the receiver acks; the MAC retransmits an unacked frame
  // up to dot11ShortRetryLimit (7, the 802.11 default) times before reporting failure.
  linkRetries: 7,
});

/** LoRa symbol count for an explicit-header, CRC-on frame (Semtech AN1200.13). */
function loraSymbols(bytes: number, sf: number, cr: number, lowDataRate: boolean): number {
  const de = lowDataRate ? 1 : 0;
  const n = Math.ceil((8 * bytes - 4 * sf + 28 + 16) / (4 * (sf - 2 * de)));
  return 8 + Math.max(n, 0) * (cr + 4);
}

const SF = 9;
const BW = 125_000;
const SYMBOL_MS = ((1 << SF) / BW) * 1000; // 4.096 ms
const PREAMBLE_SYMBOLS = 12 + 4.25; // RYLR default preamble 12
const UART_BYTE_MS = 10 / 115.2; // 115200 baud, 8N1
const AT_OVERHEAD_BYTES = 16; // "AT+SEND=65535,240," ... "\r\n" and "+RCV=...,rssi,snr\r\n"

/**
 * RYLR-998 (SX1262) at its default SF9 / BW125 kHz / CR 4/5: LoRa airtime from the symbol
 * formula plus the UART transfer of the AT command at the sender and of the +RCV line at the
 * receiver (115200 baud). A full 240-byte frame: 1205 ms on air + 2 × 22 ms UART ≈ 1.25 s.
 * The module handles one frame at a time, so frames queue behind each other.
 */
export const RYLR998_PROFILE: RadioProfile = Object.freeze({
  kind: 'rylr998',
  name: 'rylr998',
  bitrate: Math.round((SF * BW) / (1 << SF) * (4 / 5)), // 1758 b/s, the nominal LoRa rate
  schemaIds: RYLR998_SCHEMA_IDS,
  mtu: RYLR998_MTU,
  prepareMs: (bytes: number) => (bytes + AT_OVERHEAD_BYTES) * UART_BYTE_MS,
  airtimeMs: (bytes: number) => (PREAMBLE_SYMBOLS + loraSymbols(bytes, SF, 1, false)) * SYMBOL_MS,
  deliverMs: (bytes: number) => (bytes + AT_OVERHEAD_BYTES) * UART_BYTE_MS,
  jitterMs: 5,
  txQueue: 8,
  // The RYLR-998's AT+SEND has no acknowledgement: a lost LoRa frame is lost.
  linkRetries: 0,
});

export function profileOf(kind: InterfaceKind): RadioProfile {
  return kind === 'espnow' ? ESPNOW_PROFILE : RYLR998_PROFILE;
}
