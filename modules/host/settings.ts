/**
 * The node's persisted settings (Preferences on a device, memory in tests and the simulator),
 * as the console's `config get/set` sees them. Each setting has a default, a parser with a clear
 * error and a short help; values are stored as UTF-8 text under keys NVS accepts (≤ 15 chars).
 * Changes apply at the next start (`reset`), as on upstream's devices.
 */
import { LOG_LEVELS, type LogLevel, type Storage } from '../mycelium/platform/platform.js';
import { utf8Decode, utf8Encode } from '../mycelium/wire/bytes.js';
import type { ConfigStore } from '../console/host.js';

export type SettingValue = string | number | boolean;

/** How a setting's text is read: plain data, so the table can be preloaded into flash. */
type SettingKind =
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'bool' }
  | { readonly type: 'text'; readonly maxBytes: number }
  | { readonly type: 'choice'; readonly choices: readonly string[] }
  /** Comma-separated 64-digit hex Ed25519 public keys (issue 20), at most `max`; empty: none. */
  | { readonly type: 'keys'; readonly max: number };

interface SettingSpec {
  readonly key: string;
  readonly help: string;
  readonly fallback: SettingValue;
  readonly kind: SettingKind;
}

export const SETTINGS: readonly SettingSpec[] = Object.freeze([
  Object.freeze({ key: 'channel', help: 'Wi-Fi channel of ESP-NOW (upstream nodes use 14, legal in Japan only)', fallback: 1, kind: Object.freeze({ type: 'int', min: 1, max: 14 }) }),
  Object.freeze({ key: 'name', help: 'name shown by the simulator hub and on the screen', fallback: '', kind: Object.freeze({ type: 'text', maxBytes: 32 }) }),
  Object.freeze({ key: 'modem_sleep', help: 'run the 90 ms asleep / 40 ms awake radio cycle', fallback: false, kind: Object.freeze({ type: 'bool' }) }),
  Object.freeze({ key: 'beacon_s', help: 'seconds between beacons', fallback: 60, kind: Object.freeze({ type: 'int', min: 5, max: 3600 }) }),
  Object.freeze({ key: 'log_level', help: 'lowest log level written: debug, info, warn or error', fallback: 'info', kind: Object.freeze({ type: 'choice', choices: LOG_LEVELS }) }),
  // Signed identities (issue 20, docs/security.md "Modes"): every node of a mesh must agree on these.
  Object.freeze({ key: 'security', help: 'open (upstream), signed (Ed25519 keys; refuse unsigned tree and admin) or mixed', fallback: 'open', kind: Object.freeze({ type: 'choice', choices: Object.freeze(['open', 'signed', 'mixed']) }) }),
  Object.freeze({ key: 'pinned_roots', help: 'signed modes: hex keys allowed to be root, comma-separated (empty: any)', fallback: '', kind: Object.freeze({ type: 'keys', max: 4 }) }),
  Object.freeze({ key: 'operator_keys', help: 'signed modes: hex operator keys whose signed admin ops this node obeys', fallback: '', kind: Object.freeze({ type: 'keys', max: 4 }) }),
  Object.freeze({ key: 'root_work', help: 'signed modes: weight root claims by proof of work (grinds once at first start)', fallback: false, kind: Object.freeze({ type: 'bool' }) }),
  Object.freeze({ key: 'root_work_floor', help: 'root_work: bits of work below which a root claim counts for nothing (grinding to it: 2^bits hashes)', fallback: 20, kind: Object.freeze({ type: 'int', min: 1, max: 32 }) }),
] as SettingSpec[]);

/** The value, or `{ error }` saying what a good value looks like. */
function parseSetting(kind: SettingKind, text: string): SettingValue | { error: string } {
  const t = text.trim();
  switch (kind.type) {
    case 'int': {
      const n = Number(t);
      return /^-?\d+$/.test(t) && n >= kind.min && n <= kind.max ? n : { error: `must be a whole number from ${kind.min} to ${kind.max}` };
    }
    case 'bool':
      if (t === 'on' || t === 'true' || t === '1' || t === 'yes') return true;
      if (t === 'off' || t === 'false' || t === '0' || t === 'no') return false;
      return { error: 'must be on or off' };
    case 'text':
      return utf8Encode(text).length <= kind.maxBytes ? text : { error: `must be at most ${kind.maxBytes} bytes` };
    case 'choice':
      return kind.choices.includes(t) ? t : { error: `must be one of ${kind.choices.join(', ')}` };
    case 'keys': {
      const keys = t === '' ? [] : t.split(',').map((k) => k.trim().toLowerCase());
      if (keys.length > kind.max || keys.some((k) => !/^[0-9a-f]{64}$/.test(k))) return { error: `must be up to ${kind.max} 64-digit hex keys, comma-separated` };
      return keys.join(',');
    }
  }
}

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
    const v = parseSetting(spec.kind, utf8Decode(stored));
    return typeof v === 'object' ? spec.fallback : v; // a corrupt value: the default
  }

  set(key: string, value: string): { ok: true } | { ok: false; error: string } {
    const spec = SETTINGS.find((s) => s.key === key);
    if (!spec) return { ok: false, error: `unknown setting "${key}" (one of ${this.keys().join(', ')})` };
    const v = parseSetting(spec.kind, String(value));
    if (typeof v === 'object') return { ok: false, error: v.error };
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

  get logLevel(): LogLevel {
    return this.get('log_level') as LogLevel;
  }

  /** The security options of signed/security.ts, and the operator keys (hex) for signed admin. */
  get security(): { mode: 'open' | 'signed' | 'mixed'; pinned_roots: string[]; root_work: boolean; root_work_floor: number; operatorKeys: string[] } {
    const list = (key: string) => (this.get(key) as string).split(',').filter((k) => k !== '');
    return { mode: this.get('security') as 'open' | 'signed' | 'mixed', pinned_roots: list('pinned_roots'), root_work: this.get('root_work') as boolean, root_work_floor: this.get('root_work_floor') as number, operatorKeys: list('operator_keys') };
  }
}
