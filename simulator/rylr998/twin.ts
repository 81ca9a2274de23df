/**
 * Simulated RYLR-998 nodes: each medium node gets an AT-speaking twin of the module (kept
 * across host reboots, like the real module's flash settings), and each boot of the host gets a
 * fresh driver and mesh Radio over it — the code a device runs (modules/rylr998).
 */
import type { Platform } from '../../modules/mycelium/platform/platform.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { FACTORY_CONFIG, type Rylr998Config } from '../../modules/rylr998/config.js';
import type { Rylr998RadioOptions } from '../../modules/rylr998/rylr998-radio.js';
import { openRylr998Radio } from '../../modules/rylr998/open-radio.js';
import type { SimRadio } from '../medium/sim-radio.js';
import { Rylr998Emulator, type AirRadio } from './emulator.js';
import type { RadioTally } from './radio-tally.js';

/** A radio made for one boot, and how to let go of it at shutdown. */
export interface BootRadio {
  readonly radio: Radio;
  close(): void;
}

export type RadioFactory = (index: number, air: SimRadio, platform: Platform) => BootRadio;

/** AT+PARAMETER's four settings. */
export type LoraParameters = Pick<Rylr998Config, 'sf' | 'bw' | 'cr' | 'preamble'>;

/** The settings of simulated modules: `lora` (default factory) on EU868's 868.1 MHz, address = index + 1. */
export function twinConfig(index: number, lora?: LoraParameters): Rylr998Config {
  return { ...FACTORY_CONFIG, ...lora, address: index + 1, bandHz: 868_100_000 };
}

/** The Radio options a scenario gives every RYLR-998 node (plain data: the XS runner sends them to its workers). */
export type TwinRadioOptions = Partial<Omit<Rylr998RadioOptions, 'driver' | 'config' | 'clock'>>;

/**
 * What builds a run's RYLR-998 radios, as data: in-process it makes the run's RadioFactory
 * (rylr998Twins), and the XS runner sends it to its workers, which make the same one there over
 * their proxies of the medium's radios (xs-worker-entry.ts), so LoRa nodes run the real driver
 * and its twin on XS too.
 */
export interface TwinSpec {
  readonly radio: TwinRadioOptions;
  readonly lora?: LoraParameters;
}

/**
 * A RadioFactory for a medium of RYLR-998 nodes; `radio` options apply to every node's Radio.
 * `tally` (optional) keeps each node's driver counters across its boots, for the report. The
 * twin needs only an AirRadio of the medium: a SimRadio in-process, the XS worker's proxy of it.
 */
export function rylr998Twins(radio: TwinRadioOptions = {}, lora?: LoraParameters, tally?: RadioTally): (index: number, air: AirRadio, platform: Platform) => BootRadio {
  const twins = new Map<number, Rylr998Emulator>();
  return (index, air, platform) => {
    let twin = twins.get(index);
    if (!twin) twins.set(index, (twin = new Rylr998Emulator({ radio: air, clock: platform })));
    twin.powerOn(); // before the driver's first command: powering on clears the module's line buffer
    const r = openRylr998Radio(twin, platform, { ...radio, config: twinConfig(index, lora) });
    tally?.open(index, r);
    return {
      radio: r,
      close: () => {
        r.close();
        tally?.close(index, r);
      },
    };
  };
}
