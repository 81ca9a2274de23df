/** Two or more RYLR-998 twins on a medium, each driven by the real driver and Radio. */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium } from '../../simulator/medium/medium.js';
import { Rylr998Emulator } from '../../simulator/rylr998/emulator.js';
import { twinConfig } from '../../simulator/rylr998/twin.js';
import { Rylr998 } from '../../modules/rylr998/rylr998.js';
import { Rylr998Radio, type Rylr998RadioOptions } from '../../modules/rylr998/rylr998-radio.js';
import type { DriverClock } from '../../modules/rylr998/timers.js';

export function driverClock(clock: VirtualClock, seed = 1): DriverClock {
  const random = new SeededRandom(seed);
  return {
    now: () => clock.now(),
    setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
    clearTimeout: (h) => clock.clearTimeout(h as never),
    randomBytes: (into) => random.bytes(into),
  };
}

export interface Station {
  readonly twin: Rylr998Emulator;
  readonly driver: Rylr998;
  readonly radio: Rylr998Radio;
  readonly heard: { frame: number[]; mac: number[]; at: number }[];
}

/** Nodes at the given x (metres; unit disk of 1500 m), radios started; `options` for all, or per node. */
export function lora(xs: number[], options: Partial<Rylr998RadioOptions> | Partial<Rylr998RadioOptions>[] = {}, collisions = false) {
  const clock = new VirtualClock();
  const medium = new Medium({ clock, random: new SeededRandom(7), kind: 'rylr998', loss: { model: 'unit-disk', range: 1500 }, collisions });
  const stations: Station[] = xs.map((x, i) => {
    const air = medium.addNode({ x });
    const dc = driverClock(clock, i + 1);
    const twin = new Rylr998Emulator({ radio: air, clock: dc });
    const driver = new Rylr998({ uart: twin, clock: dc });
    const radio = new Rylr998Radio({ ...(Array.isArray(options) ? options[i] : options), driver, config: twinConfig(i), clock: dc });
    const heard: Station['heard'] = [];
    radio.onReceive = (frame, mac) => heard.push({ frame: Array.from(frame), mac: Array.from(mac ?? []), at: clock.now() });
    radio.start();
    return { twin, driver, radio, heard };
  });
  return { clock, medium, stations };
}
