/**
 * Timing and limits of the radios the medium models. Airtime is what a frame occupies the
 * channel for (and what collisions overlap on); latency is airtime plus processing delay and a
 * little jitter. See MEDIUM.md for where the figures come from.
 */
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME, RYLR998_MTU } from '../../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { loraAirtimeMs } from '../../modules/rylr998/airtime.js';
import { BANDWIDTH_HZ, FACTORY_CONFIG, MODULE_OVERHEAD_BYTES } from '../../modules/rylr998/config.js';
import { RYLR998_RADIO_NAME } from '../../modules/rylr998/rylr998-radio.js';

export type InterfaceKind = 'espnow' | 'rylr998';

export interface RadioProfile {
  readonly kind: InterfaceKind;
  /** Radio.name: part of the interface id on the wire. */
  readonly name: string;
  /** Radio.bitrate: part of the interface id (upstream's value, not the physical rate). */
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  /** Largest frame the node's Radio takes (Radio.mtu: what the Packager sizes frames by). */
  readonly mtu: number;
  /**
   * Bytes the interface's hardware puts on air around each frame that the medium carries as
   * part of it (the RYLR-998's 8 bytes: the twin sends them). The medium accepts frames of up
   * to `mtu + airOverheadBytes`; airtime is computed on what it is given.
   */
  readonly airOverheadBytes: number;
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
  /**
   * The radio listens before it talks (CSMA/CA, with collisions on): a frame waits while the
   * sender hears another, then a random backoff. ESP-NOW's 802.11 MAC does; the RYLR-998's AT
   * command set has no channel-activity detection, so it does not.
   */
  readonly carrierSense: boolean;
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
  airOverheadBytes: 0,
  prepareMs: () => 0,
  airtimeMs: (bytes: number) => 0.192 + ((bytes + 43) * 8) / 1000,
  deliverMs: () => 0.3,
  jitterMs: 0.5,
  txQueue: 16,
  // ESP-NOW unicasts are 802.11 frames the receiver acks; the MAC retransmits an unacked frame
  // up to dot11ShortRetryLimit (7, the 802.11 default) times before reporting failure.
  linkRetries: 7,
  carrierSense: true,
});

/** AT+PARAMETER's settings: spreading factor, bandwidth code (7 = 125 kHz), coding rate 1..4, preamble. */
export interface LoraParameters {
  readonly sf: number;
  readonly bw: number;
  readonly cr: number;
  readonly preamble: number;
}

/**
 * RYLR-998 (SX1262) at its factory SF9 / BW125 kHz / CR 4/5 / preamble 12. The medium carries
 * what the module puts on air: in simulated meshes each node drives an AT-speaking twin
 * (simulator/rylr998/emulator.ts) through the real driver (modules/rylr998), and the twin sends
 * the host's data plus the 8 bytes the module adds. So the frame MTU (what the Packager sees,
 * AT+SEND's limit) is RYLR998_MTU = 240, the medium carries up to 240 + 8 bytes, and the
 * airtime is the LoRa formula's (modules/rylr998/airtime.ts) for the frame as given. The UART
 * between host and module is the twin's to model, so prepare and deliver are 0. A full frame:
 * 248 bytes on air, 1246 ms. The module handles one frame at a time, so frames queue behind each other.
 */
export function rylr998Profile(p: LoraParameters = FACTORY_CONFIG): RadioProfile {
  const lora = { sf: p.sf, bw: BANDWIDTH_HZ[p.bw], cr: p.cr, preamble: p.preamble };
  return Object.freeze({
    kind: 'rylr998',
    name: RYLR998_RADIO_NAME,
    // The Radio's figure (rylr998-radio.ts): a node on other settings is another interface id.
    bitrate: Math.round(((lora.sf * lora.bw) / 2 ** lora.sf) * (4 / (4 + lora.cr))), // 1758 b/s at the factory settings
    schemaIds: RYLR998_SCHEMA_IDS,
    mtu: RYLR998_MTU,
    airOverheadBytes: MODULE_OVERHEAD_BYTES,
    prepareMs: () => 0,
    airtimeMs: (bytes: number) => loraAirtimeMs({ ...lora, payloadBytes: bytes }),
    deliverMs: () => 0,
    jitterMs: 5,
    txQueue: 8,
    // The RYLR-998's AT+SEND has no acknowledgement: a lost LoRa frame is lost.
    linkRetries: 0,
    carrierSense: false,
  });
}

/** At the factory settings. */
export const RYLR998_PROFILE: RadioProfile = rylr998Profile();

export function profileOf(kind: InterfaceKind): RadioProfile {
  return kind === 'espnow' ? ESPNOW_PROFILE : RYLR998_PROFILE;
}
