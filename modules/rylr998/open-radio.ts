/**
 * A running mesh Radio over a RYLR-998 on `uart`: the driver, the Radio and the module's
 * configuration, in the order every host needs them. One place, so that the board and the
 * simulator's twin run the same start-up.
 */
import { Rylr998 } from './rylr998.js';
import { Rylr998Radio, type Rylr998RadioOptions } from './rylr998-radio.js';
import type { DriverClock } from './timers.js';
import type { Uart } from './uart.js';

export type OpenRadioOptions = Omit<Rylr998RadioOptions, 'driver' | 'clock'>;

/**
 * Configure the module and return its Radio; frames sent before the module answers wait in
 * the radio's queue. `done` says whether the module took the configuration (a board prints
 * the driver's `lastError` when it did not).
 */
export function openRylr998Radio(uart: Uart, clock: DriverClock, options: OpenRadioOptions, done?: (ok: boolean) => void): Rylr998Radio {
  const driver = new Rylr998({ uart, clock });
  const radio = new Rylr998Radio({ ...options, driver, clock });
  radio.start(done);
  return radio;
}
