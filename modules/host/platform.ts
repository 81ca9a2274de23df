/**
 * The mesh Platform on a Moddable host, built from the few SDK facilities it needs, passed in
 * by `moddable-platform.ts` (device and simulator) or by tests on Node. Pure: no SDK import here.
 */
import { logRank, type LogLevel, type Platform, type Signatures, type Storage } from '../mycelium/platform/platform.js';
import { portableHashes } from '../mycelium/platform/portable.js';
import { crc32 } from '../mycelium/platform/crc32.js';
import { monotonicNow } from './monotonic-now.js';
import { clearLong, setLong, type TimerApi } from './long-timers.js';

export type { TimerApi } from './long-timers.js';

/** Moddable's `preference` module: values stored per domain; keys ≤ 15 characters on ESP32 NVS. */
export interface PreferenceApi {
  get(domain: string, key: string): unknown;
  set(domain: string, key: string, value: ArrayBuffer | string | number | boolean): void;
  delete(domain: string, key: string): void;
}

export interface HostPlatformParts {
  /**
   * Ms from the host's clock (Moddable's `Time.ticks`, or Date.now). It need not be monotonic:
   * the platform unwraps a 32-bit counter and holds through steps back (monotonic-now.ts).
   */
  readonly now: () => number;
  readonly timer: TimerApi;
  /** Native SHA-256 (crypt's Digest); default the portable one. */
  readonly sha256?: (data: Uint8Array) => Uint8Array;
  /** Random bytes; default Math.random mixed with the clock (XS repeats Math.random across runs). */
  readonly random?: (into: Uint8Array) => Uint8Array;
  /** One line of log output (trace on Moddable). */
  readonly write: (line: string) => void;
  /** Lines below this level are not written (default 'info'). */
  readonly level?: LogLevel;
  readonly preference?: PreferenceApi;
  /** Preference domain of the node's settings (≤ 15 characters). */
  readonly domain?: string;
  /** Ed25519 (the native module on Moddable); without it the node runs in open mode only. */
  readonly signatures?: Signatures;
}

export const PREFERENCE_DOMAIN = 'mycelium';
/** ESP-IDF NVS keys are at most 15 characters. */
export const MAX_PREFERENCE_KEY = 15;

export function hostPlatform(parts: HostPlatformParts): Platform {
  const min = logRank(parts.level ?? 'info');
  const now = monotonicNow(parts.now);
  const random = parts.random ?? clockMixedRandom(now);
  const storage = parts.preference ? preferenceStorage(parts.preference, parts.domain ?? PREFERENCE_DOMAIN) : undefined;
  return {
    now,
    setTimeout: (callback, delayMs) => setLong(parts.timer, callback, delayMs),
    clearTimeout: (handle) => clearLong(parts.timer, handle),
    sha256: parts.sha256 ?? portableHashes.sha256,
    crc32,
    randomBytes: random,
    log: (level, message) => {
      if (logRank(level) >= min) parts.write(`${level} ${message}`);
    },
    storage,
    signatures: parts.signatures,
  };
}

/** Storage over Preference: values as ArrayBuffers; a key too long for NVS is a clear error. */
export function preferenceStorage(pref: PreferenceApi, domain: string): Storage {
  const check = (key: string): string => {
    if (key.length === 0 || key.length > MAX_PREFERENCE_KEY) throw new RangeError(`preference key "${key}" must be 1..${MAX_PREFERENCE_KEY} characters`);
    return key;
  };
  return {
    get(key) {
      const v = pref.get(domain, check(key));
      return v instanceof ArrayBuffer ? new Uint8Array(v.slice(0)) : undefined;
    },
    set(key, value) {
      pref.set(domain, check(key), value.slice().buffer);
    },
    delete(key) {
      pref.delete(domain, check(key));
    },
  };
}

/** Math.random bytes xor-ed with a counter and the clock, so two boots differ. */
function clockMixedRandom(now: () => number): (into: Uint8Array) => Uint8Array {
  let counter = 0;
  return (into) => {
    const t = Math.floor(now() * 1000) >>> 0;
    for (let i = 0; i < into.length; i++) {
      counter = (counter + 0x9e3779b9) >>> 0;
      into[i] = (Math.floor(Math.random() * 256) ^ (t >>> ((i & 3) * 8)) ^ (counter >>> 24)) & 0xff;
    }
    return into;
  };
}
