/**
 * A board's RYLR-998 from its build configuration: the `lora*` keys of a host manifest's
 * `"config"` or of mcconfig's command line (`mcconfig -m -p esp32 lora=1 lora_rx=16 lora_tx=17`).
 * Command-line values arrive as strings and manifest values as numbers, so every value goes
 * through Number(). Pure: the board host reads `mc/config` and passes it here; tests pass plain
 * objects. docs/lora.md ("Wiring") lists the keys and each board's pins.
 */
import { configProblem, FACTORY_CONFIG, type Rylr998Config } from './config.js';

/** The UART the module hangs on (ECMA-419 `embedded:io/serial` options). */
export interface LoraSerial {
  readonly port: number;
  readonly receive: number;
  readonly transmit: number;
  readonly baud: number;
}

export interface LoraBoardConfig {
  readonly serial: LoraSerial;
  readonly module: Rylr998Config;
  /** Fraction of any hour the radio may transmit. */
  readonly dutyCycle: number;
}

export type LoraBoardResult = { readonly ok: true; readonly value: LoraBoardConfig } | { readonly ok: false; readonly error: string };

/** The generic ESP32's UART2 on its default pins (docs/lora.md, "to check on hardware"). */
export const DEFAULT_LORA_SERIAL: LoraSerial = Object.freeze({ port: 2, receive: 16, transmit: 17, baud: 115200 });
/** EU868 g1 (868.1 MHz) at 1 %: the legal limit in most EU sub-bands (docs/lora.md). */
export const DEFAULT_LORA_DUTY = 0.01;
export const DEFAULT_LORA_BAND_HZ = 868_100_000;

/** True when the build asks for a RYLR-998 (`lora` = 1, true, "1", "true", "yes", or "bridge"). */
export function wantsLora(config: Readonly<Record<string, unknown>>): boolean {
  const v = config.lora;
  return v === true || v === 1 || (typeof v === 'string' && ['1', 'true', 'yes', 'on', 'bridge'].includes(v.toLowerCase()));
}

/**
 * True when the build asks for a RYLR-998 *beside* ESP-NOW (`lora=bridge`): the node bridges its
 * ESP-NOW island and a LoRa link (docs/lora.md "Bridges"); `lora=1` replaces ESP-NOW instead.
 */
export function wantsLoraBridge(config: Readonly<Record<string, unknown>>): boolean {
  const v = config.lora;
  return typeof v === 'string' && v.toLowerCase() === 'bridge';
}

/**
 * The module address when none is configured: the last two bytes of the chip's MAC (the
 * per-chip part), never 0 (AT+SEND's broadcast). Two nodes of one mesh may still share one
 * (≈ n²/131,070 for n nodes); set `lora_address` where that must never happen.
 */
export function addressFromMac(mac: Uint8Array): number {
  const n = mac.length;
  const a = n >= 2 ? (mac[n - 2] << 8) | mac[n - 1] : 0;
  return a === 0 ? 1 : a;
}

/**
 * The RYLR-998 a build configures, or the first key that is wrong (a clear message for the
 * serial console). `mac` (the chip's) gives the default module address.
 */
export function loraBoardConfig(config: Readonly<Record<string, unknown>>, mac: Uint8Array): LoraBoardResult {
  const bad: string[] = [];
  const num = (key: string, fallback: number): number => {
    const v = config[key];
    if (v === undefined || v === '') return fallback;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n)) bad.push(`${key} must be a number, got ${String(v)}`);
    return n;
  };
  const serial: LoraSerial = {
    port: num('lora_port', DEFAULT_LORA_SERIAL.port),
    receive: num('lora_rx', DEFAULT_LORA_SERIAL.receive),
    transmit: num('lora_tx', DEFAULT_LORA_SERIAL.transmit),
    baud: num('lora_baud', DEFAULT_LORA_SERIAL.baud),
  };
  const module: Rylr998Config = {
    address: num('lora_address', addressFromMac(mac)),
    networkId: num('lora_network', FACTORY_CONFIG.networkId),
    bandHz: num('lora_band', DEFAULT_LORA_BAND_HZ),
    sf: num('lora_sf', FACTORY_CONFIG.sf),
    bw: num('lora_bw', FACTORY_CONFIG.bw),
    cr: num('lora_cr', FACTORY_CONFIG.cr),
    preamble: num('lora_preamble', FACTORY_CONFIG.preamble),
    powerDbm: num('lora_power', FACTORY_CONFIG.powerDbm),
  };
  const dutyCycle = num('lora_duty', DEFAULT_LORA_DUTY);
  if (bad.length > 0) return { ok: false, error: bad[0] };
  for (const [key, v] of [['lora_port', serial.port], ['lora_rx', serial.receive], ['lora_tx', serial.transmit]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 48) return { ok: false, error: `${key} must be a UART number or GPIO 0..48, got ${v}` };
  }
  if (!Number.isInteger(serial.baud) || serial.baud < 1200) return { ok: false, error: `lora_baud must be a baud rate, got ${serial.baud}` };
  if (!(dutyCycle >= 0 && dutyCycle <= 1)) return { ok: false, error: `lora_duty must be a fraction 0..1 (0.01 = 1 %), got ${dutyCycle}` };
  const problem = configProblem(module);
  if (problem) return { ok: false, error: `lora: ${problem}` };
  return { ok: true, value: { serial, module, dutyCycle } };
}
