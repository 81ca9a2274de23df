/**
 * Sleep on an ESP32 (`platforms.esp32`) over sleep-esp32.c: modem sleep with esp_wifi_set_ps,
 * light sleep with a timer wake-up. `lightSleep` blocks the whole chip (XS included) for `ms`.
 */
import { SleepBase } from './core.js';

export interface SleepOptions {
  /** Desktop only (tells the simulator hub); ignored here: the radio really sleeps. */
  radio?: object;
}

function setPowerSave(this: unknown, on: boolean): void {
  return native('xs_sleep_modem').call(this, on);
}

function sleepLight(this: unknown, ms: number): number {
  return native('xs_sleep_light').call(this, ms);
}

export class Sleep extends SleepBase {
  constructor(_options: SleepOptions = {}) {
    super();
  }

  protected applyModemSleep(on: boolean): void {
    setPowerSave.call(undefined, on);
  }

  protected applyLightSleep(ms: number): number {
    return sleepLight.call(undefined, ms);
  }
}

export default Sleep;
