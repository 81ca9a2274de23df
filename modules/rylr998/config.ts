/**
 * The module's settings and the AT commands that set them (REYAX LoRa AT Command Guide for
 * RYLR998/RYLR498, "AT Command Set"). Ranges are the guide's; values outside them are refused
 * by the driver before the module sees them.
 */
import { loraAirtimeMs } from './airtime.js';

/** Largest AT+SEND data, in characters (= bytes on the UART): REYAX, +ERR=13 above it. */
export const MAX_SEND_BYTES = 240;
/** Bytes the module's firmware adds to every LoRa payload (REYAX guide, §"AT+SEND": "+8 bytes"). */
export const MODULE_OVERHEAD_BYTES = 8;
/** AT+SEND address 0 reaches every module of the network id (REYAX: "0 = send to all"). */
export const BROADCAST_ADDRESS = 0;

/** AT+PARAMETER's bandwidth codes: 7 = 125 kHz, 8 = 250 kHz, 9 = 500 kHz. */
export const BANDWIDTH_HZ: Readonly<Record<number, number>> = Object.freeze({ 7: 125_000, 8: 250_000, 9: 500_000 });

export interface Rylr998Config {
  /** This module's address, 1..65535 (0 is the broadcast address of AT+SEND; factory default 0). */
  readonly address: number;
  /** AT+NETWORKID: 3..15 or 18 (factory 18). Only modules with the same id hear each other. */
  readonly networkId: number;
  /** AT+BAND centre frequency in Hz (factory 915 MHz; 868.1 MHz for EU868 g1). */
  readonly bandHz: number;
  /** AT+PARAMETER spreading factor 5..11 (factory 9). */
  readonly sf: number;
  /** AT+PARAMETER bandwidth code 7..9 (factory 7 = 125 kHz). */
  readonly bw: number;
  /** AT+PARAMETER coding rate 1..4 = 4/5..4/8 (factory 1). */
  readonly cr: number;
  /** AT+PARAMETER programmed preamble 4..24 (factory 12). */
  readonly preamble: number;
  /** AT+CRFOP RF output power 0..22 dBm (factory 22). */
  readonly powerDbm: number;
}

/** The factory settings, with an address the caller must replace. */
export const FACTORY_CONFIG: Rylr998Config = Object.freeze({
  address: 0,
  networkId: 18,
  bandHz: 915_000_000,
  sf: 9,
  bw: 7,
  cr: 1,
  preamble: 12,
  powerDbm: 22,
});

function int(v: number, lo: number, hi: number): boolean {
  return Number.isInteger(v) && v >= lo && v <= hi;
}

/** Why a configuration cannot be applied, or undefined when it can. */
export function configProblem(c: Rylr998Config): string | undefined {
  if (!int(c.address, 1, 65535)) return `address must be 1..65535 (0 is AT+SEND's broadcast), got ${c.address}`;
  if (!(int(c.networkId, 3, 15) || c.networkId === 18)) return `network id must be 3..15 or 18, got ${c.networkId}`;
  if (!int(c.bandHz, 100_000_000, 1_000_000_000)) return `band must be a frequency in Hz, got ${c.bandHz}`;
  if (!int(c.sf, 5, 11)) return `spreading factor must be 5..11, got ${c.sf}`;
  if (BANDWIDTH_HZ[c.bw] === undefined) return `bandwidth code must be 7 (125 kHz), 8 (250 kHz) or 9 (500 kHz), got ${c.bw}`;
  if (!int(c.cr, 1, 4)) return `coding rate must be 1..4 (4/5..4/8), got ${c.cr}`;
  if (!int(c.preamble, 4, 24)) return `preamble must be 4..24, got ${c.preamble}`;
  if (!int(c.powerDbm, 0, 22)) return `power must be 0..22 dBm, got ${c.powerDbm}`;
  return undefined;
}

/** The commands that put a module into `c`, in REYAX's recommended order. */
export function configCommands(c: Rylr998Config): readonly string[] {
  return [
    `AT+ADDRESS=${c.address}`,
    `AT+NETWORKID=${c.networkId}`,
    `AT+BAND=${c.bandHz}`,
    `AT+PARAMETER=${c.sf},${c.bw},${c.cr},${c.preamble}`,
    `AT+CRFOP=${c.powerDbm}`,
  ];
}

/** Milliseconds the module transmits for `dataBytes` of AT+SEND data under `c`. */
export function sendAirtimeMs(c: Rylr998Config, dataBytes: number): number {
  return loraAirtimeMs({ sf: c.sf, bw: BANDWIDTH_HZ[c.bw], cr: c.cr, preamble: c.preamble, payloadBytes: dataBytes + MODULE_OVERHEAD_BYTES });
}
