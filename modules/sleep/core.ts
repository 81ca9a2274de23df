/**
 * What both sleep variants share: argument checks and the time accounting a node reports
 * ("how long was I asleep?"). ESP32: sleep-esp32.ts over ESP-IDF; desktop: sleep-sim.ts.
 */

/** RADIO's duration field is a u32 of ms; the same bound keeps both variants alike. */
export const MAX_SLEEP_MS = 0xffffffff;

export interface SleepCounters {
  /** Modem sleep requested (ESP32: WIFI_PS_MIN_MODEM). */
  modemSleep: boolean;
  /** Times modem sleep was switched on. */
  modemSleepOns: number;
  lightSleeps: number;
  /** Sum of the light-sleep durations, ms (measured on ESP32, requested in the simulator). */
  lightSleepMs: number;
}

/** Throws a RangeError unless `ms` is an integer 1..2^32-1. */
export function checkSleepMs(ms: unknown, where: string): number {
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 1 || ms > MAX_SLEEP_MS) {
    throw new RangeError(`${where}: ms must be an integer 1..${MAX_SLEEP_MS}, got ${String(ms)}`);
  }
  return ms;
}

export abstract class SleepBase {
  protected readonly stats: SleepCounters = { modemSleep: false, modemSleepOns: 0, lightSleeps: 0, lightSleepMs: 0 };

  get counters(): Readonly<SleepCounters> {
    return { ...this.stats };
  }

  get modemSleep(): boolean {
    return this.stats.modemSleep;
  }

  /** Radio power save on/off (ESP32: between beacons; see the variant for what it means). */
  setModemSleep(on: boolean): void {
    if (typeof on !== 'boolean') throw new TypeError('Sleep.setModemSleep: on must be a boolean');
    this.applyModemSleep(on);
    if (on && !this.stats.modemSleep) this.stats.modemSleepOns++;
    this.stats.modemSleep = on;
  }

  /** Sleep `ms` with a timer wake-up; returns the ms actually slept. Frames meanwhile are lost. */
  lightSleep(ms: number): number {
    checkSleepMs(ms, 'Sleep.lightSleep');
    const slept = this.applyLightSleep(ms);
    this.stats.lightSleeps++;
    this.stats.lightSleepMs += slept;
    return slept;
  }

  protected abstract applyModemSleep(on: boolean): void;
  protected abstract applyLightSleep(ms: number): number;
}
