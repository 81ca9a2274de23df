/**
 * Supply current of each interface in each radio state, the supply voltage, and the duty-cycle
 * limit that applies to it: the defaults a scenario's `radio.current_ma`, `radio.supply_v` and
 * `radio.duty_cycle_limit` override. Sources are in docs/simulator.md ("Radio time and energy").
 */
import type { InterfaceKind } from './profiles.js';

/** mA drawn in each radio state. */
export interface CurrentProfile {
  readonly tx: number;
  readonly rx: number;
  readonly listen: number;
  readonly sleep: number;
}

export interface PowerProfile {
  readonly current_ma: CurrentProfile;
  readonly supply_v: number;
  /** Largest share of any hour a node may transmit; null = no limit. */
  readonly duty_cycle_limit: number | null;
}

/**
 * ESP32 (Espressif ESP32 datasheet, RF power-consumption table and power modes, 3.3 V, 25 °C):
 * transmitting 802.11b at 1 Mbps, +19.5 dBm (ESP-NOW's default rate) 240 mA; receiving or
 * listening 95–100 mA (we take 100); modem sleep with the CPU on at 160 MHz (MicroPython's
 * default clock) 27–44 mA (we take 27: the CPU idles while the radio sleeps). These are the
 * chip's figures, CPU included, as the datasheet measures them; no 1 % rule on 2.4 GHz.
 */
export const ESPNOW_POWER: PowerProfile = Object.freeze({
  current_ma: Object.freeze({ tx: 240, rx: 100, listen: 100, sleep: 27 }),
  supply_v: 3.3,
  duty_cycle_limit: null,
});

/**
 * REYAX RYLR-998 module (SX1262 and its own MCU) at its default +22 dBm: transmitting 118 mA
 * (the SX1262's +22 dBm figure), receiving or listening 16.5 mA and asleep (AT+MODE=1) 10 µA.
 * Provisional: see docs/simulator.md for where each figure comes from and what to check.
 * EU868's 1 % duty cycle (ETSI EN 300 220, most sub-bands) is the default limit.
 */
export const RYLR998_POWER: PowerProfile = Object.freeze({
  current_ma: Object.freeze({ tx: 118, rx: 16.5, listen: 16.5, sleep: 0.01 }),
  supply_v: 3.3,
  duty_cycle_limit: 0.01,
});

export function powerProfileOf(kind: InterfaceKind): PowerProfile {
  return kind === 'espnow' ? ESPNOW_POWER : RYLR998_POWER;
}
