/**
 * The mesh Platform on Moddable (ESP32 and the desktop simulator): Moddable's timer and tick
 * clock, crypt's native SHA-256, Monocypher's Ed25519 (modules/ed25519), Preferences for storage,
 * and `trace` for the log. Everything else is modules/host/platform.ts (tested on Node). Call at run time, never at module top level
 * (preloaded modules may not call native code while the firmware is linked).
 */
import Timer from 'timer';
import Time from 'time';
import { Digest } from 'crypt';
import Preference from 'preference';
import type { LogLevel, Platform } from '../mycelium/platform/platform.js';
import { nativeSignatures } from 'ed25519/native';
import { hostPlatform } from './platform.js';

export function moddablePlatform(level: LogLevel = 'info', write: (line: string) => void = (line) => trace(line + '\n')): Platform {
  return hostPlatform({
    now: () => Time.ticks,
    timer: {
      set: (callback, delayMs) => Timer.set(() => callback(), delayMs),
      clear: (timer) => Timer.clear(timer as Timer),
    },
    sha256: (data) => {
      const d = new Digest('SHA256');
      // crypt's Digest takes an ArrayBuffer: copy the view's bytes into one of its own.
      d.write(data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : data.slice().buffer);
      return new Uint8Array(d.close());
    },
    write,
    level,
    preference: Preference,
    signatures: nativeSignatures,
  });
}
