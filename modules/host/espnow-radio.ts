/**
 * The mesh `Radio` over `mycelium/espnow` (either variant: ESP-IDF on a device, the UDP hub in
 * the simulator). Written once: the Packager sees the same radio on every host. The ESPNow object
 * is created by the host (it chooses the channel and simulator settings) through `open`, which
 * receives the callbacks to pass on.
 */
import type { Radio } from '../mycelium/packager/radio.js';
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME } from '../mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS } from '../mycelium/wire/schemas.js';

/** What the adapter needs of an ESPNow instance (modules/espnow's class on every platform). */
export interface EspNowLike {
  readonly mac: Uint8Array;
  broadcast(data: Uint8Array): boolean;
  send(mac: Uint8Array, data: Uint8Array): boolean;
  close(): void;
}

/** Light sleep (modules/sleep): the radio is off for `ms`. */
export interface Sleeper {
  lightSleep(ms: number): number;
}

/**
 * Makes the ESPNow object with our callbacks: each frame heard, and each frame's fate (the
 * driver's `onSent`: for a unicast, acked or not after the MAC's retries). Pass `onSent` to the
 * ESPNow instance (its send callback) so that the radio reports its frames done.
 */
export type OpenEspNow = (
  onReceive: (data: Uint8Array, mac: Uint8Array, rssi: number) => void,
  onSent: (mac: Uint8Array, ok: boolean) => void,
) => EspNowLike;

export class EspNowRadio implements Radio {
  // Upstream's identity, so a device's interface id is upstream's and the simulator's (26bf5ff6).
  readonly name = ESPNOW_NAME;
  readonly bitrate = ESPNOW_BITRATE;
  readonly schemaIds: readonly number[] = ESPNOW_SCHEMA_IDS;
  readonly mtu = ESPNOW_MTU;
  onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  /** ESP-NOW acks unicasts and its driver says how each frame went (modules/espnow `onSent`). */
  readonly reportsSent = true;
  /** Radio.onSent: ESP-NOW's send callback, once per accepted frame (modem-sleep.ts, unacked.ts). */
  onSent: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  readonly #espnow: EspNowLike;
  readonly #sleeper: Sleeper | undefined;
  /** Frames the radio threw on (a bad argument should be impossible: counted, not thrown). */
  errors = 0;
  /** Strength of the last frame heard, dBm (the status screen shows it). */
  lastRssi = 0;

  constructor(open: OpenEspNow, sleeper?: Sleeper) {
    this.#espnow = open(
      (data, mac, rssi) => {
        this.lastRssi = rssi;
        this.onReceive?.(data, mac);
      },
      (mac, ok) => this.onSent?.(mac, ok),
    );
    this.#sleeper = sleeper;
  }

  get mac(): Uint8Array {
    return this.#espnow.mac;
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    if (frame.length === 0 || frame.length > this.mtu) return false;
    try {
      return this.#espnow.send(mac, frame);
    } catch {
      this.errors++;
      return false;
    }
  }

  broadcast(frame: Uint8Array): boolean {
    if (frame.length === 0 || frame.length > this.mtu) return false;
    try {
      return this.#espnow.broadcast(frame);
    } catch {
      this.errors++;
      return false;
    }
  }

  /** Modem-sleep period: the chip light-sleeps (device) or the hub drops our frames (simulator). */
  sleep(ms: number): void {
    if (ms >= 1) this.#sleeper?.lightSleep(Math.floor(ms));
  }

  wake(): void {}

  close(): void {
    this.onReceive = undefined;
    this.onSent = undefined;
    this.#espnow.close();
  }
}
