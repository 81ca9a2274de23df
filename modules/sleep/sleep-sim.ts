/**
 * Sleep in the desktop simulator (`platforms.lin`): nothing can stop the host CPU, so this only
 * accounts time and, given the ESP-NOW radio, tells the simulator hub that the radio is off for
 * a light sleep (a RADIO message through the hub codec), so frames sent to this node meanwhile
 * are lost as on a sleeping ESP32. `lightSleep` returns at once; the node's timers keep running.
 */
import { SleepBase } from './core.js';

/** The hub ESP-NOW variant's radio switch (modules/espnow/hub-espnow.ts `setRadioState`). */
export interface RadioSwitch {
  setRadioState(on: boolean, ms?: number): void;
}

export interface SleepOptions {
  /** The node's ESP-NOW instance; on the desktop it reports sleep to the hub. */
  radio?: RadioSwitch | object;
}

export class Sleep extends SleepBase {
  readonly #radio: RadioSwitch | undefined;

  constructor(options: SleepOptions = {}) {
    super();
    const radio = options.radio as Partial<RadioSwitch> | undefined;
    this.#radio = typeof radio?.setRadioState === 'function' ? (radio as RadioSwitch) : undefined;
  }

  // ESP-NOW without an access point keeps its radio listening under WIFI_PS_MIN_MODEM (no
  // beacons to sleep between), so the hub is not told anything: only the state is recorded.
  protected applyModemSleep(_on: boolean): void {}

  protected applyLightSleep(ms: number): number {
    this.#radio?.setRadioState(false, ms); // the hub turns it back on after `ms`
    return ms;
  }
}

export default Sleep;
