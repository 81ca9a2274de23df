/**
 * The node's persisted settings (Preferences on a device, memory in tests and the simulator),
 * as the console's `config get/set` sees them. Each setting has a default, a parser with a clear
 * error and a short help; values are stored as UTF-8 text under keys NVS accepts (≤ 15 chars).
 * Changes apply at the next start (`reset`), as on upstream's devices.
 */
import type { Storage } from '../mycelium/platform/platform.js';
import { utf8Decode, utf8Encode } from '../mycelium/wire/bytes.js';
import type { ConfigStore } from '../console/host.js';

export type SettingValue = string | number | boolean;

interface SettingSpec {
  readonly key: string;
  readonly help: string;
  readonly fallback: SettingValue;
  parse(text: string): SettingValue | string; // a string starting with "!" is an error
}

const int = (min: number, max: number) => (text: string): number | string => {
  const n = Number(text);
  return /^-?\d+$/.test(text.trim()) && n >= min && n <= max ? n : `!must be a whole number from ${min} to ${max}`;
};
const bool = (text: string): boolean | string => {
  const t = text.trim().toLowerCase();
  if (t === 'on' || t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'off' || t === 'false' || t === '0' || t === 'no') return false;
  return '!must be on or off';
};
const oneOf = (choices: readonly string[]) => (text: string): string => (choices.includes(text.trim()) ? text.trim() : `!must be one of ${choices.join(', ')}`);

export const SETTINGS: readonly SettingSpec[] = Object.freeze([
  { key: 'channel', help: 'Wi-Fi channel of ESP-NOW (upstream nodes use 14, legal in Japan only)', fallback: 1, parse: int(1, 14) },
  { key: 'name', help: 'name shown by the simulator hub and on the screen', fallback: '', parse: (t: string) => (utf8Encode(t).length <= 32 ? t : '!must be at most 32 bytes') },
  { key: 'modem_sleep', help: 'run the 90 ms asleep / 40 ms awake radio cycle', fallback: false, parse: bool },
  { key: 'beacon_s', help: 'seconds between beacons', fallback: 60, parse: int(5, 3600) },
  { key: 'log_level', help: 'lowest log level written: debug, info, warn or error', fallback: 'info', parse: oneOf(['debug', 'info', 'warn', 'error']) },
]);

export class Settings implements ConfigStore {
  readonly #storage: Storage | undefined;
  /** Values of this run when there is no storage (or it failed). */
  readonly #memory = new Map<string, SettingValue>();

  constructor(storage: Storage | undefined) {
    this.#storage = storage;
  }

  keys(): string[] {
    return SETTINGS.map((s) => s.key);
  }

  help(key: string): string | undefined {
    return SETTINGS.find((s) => s.key === key)?.help;
  }

  get(key: string): SettingValue | undefined {
    const spec = SETTINGS.find((s) => s.key === key);
    if (!spec) return undefined;
    if (this.#memory.has(key)) return this.#memory.get(key);
    let stored: Uint8Array | undefined;
    try {
      stored = this.#storage?.get(key);
    } catch {
      stored = undefined;
    }
    if (stored === undefined) return spec.fallback;
    const v = spec.parse(utf8Decode(stored));
    return typeof v === 'string' && v.startsWith('!') ? spec.fallback : v; // a corrupt value: the default
  }

  set(key: string, value: string): { ok: true } | { ok: false; error: string } {
    const spec = SETTINGS.find((s) => s.key === key);
    if (!spec) return { ok: false, error: `unknown setting "${key}" (one of ${this.keys().join(', ')})` };
    const v = spec.parse(String(value));
    if (typeof v === 'string' && v.startsWith('!')) return { ok: false, error: v.slice(1) };
    this.#memory.set(key, v);
    try {
      this.#storage?.set(key, utf8Encode(String(v)));
    } catch (e) {
      return { ok: false, error: `${key} could not be saved: ${(e as Error).message}` };
    }
    return { ok: true };
  }

  get channel(): number {
    return this.get('channel') as number;
  }

  get name(): string {
    return this.get('name') as string;
  }

  get modemSleep(): boolean {
    return this.get('modem_sleep') as boolean;
  }

  get beaconSeconds(): number {
    return this.get('beacon_s') as number;
  }

  get logLevel(): 'debug' | 'info' | 'warn' | 'error' {
    return this.get('log_level') as 'debug' | 'info' | 'warn' | 'error';
  }
}
