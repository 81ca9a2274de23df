/** Shared set-up for the simulator tests: a clock, a seeded random and a medium. */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Medium, type MediumOptions } from '../../simulator/medium/medium.js';
import type { FrameEvent } from '../../simulator/medium/stats.js';
import { parseScenario } from '../../simulator/scenario/load.js';
import type { Scenario } from '../../simulator/scenario/types.js';

export interface Received {
  readonly at: number;
  readonly to: number;
  readonly from: string;
  readonly frame: number[];
}

export function world(options: Partial<MediumOptions> = {}, seed = 1) {
  const clock = new VirtualClock();
  const medium = new Medium({ clock, random: new SeededRandom(seed), ...options });
  const received: Received[] = [];
  const events: FrameEvent[] = [];
  medium.onFrame((e) => events.push(e));
  /** Adds nodes at the given x positions (y = 0) and records what each receives. */
  const line = (...xs: number[]) =>
    xs.map((x) => {
      const radio = medium.addNode({ x });
      radio.onReceive = (frame, mac) =>
        received.push({ at: clock.now(), to: radio.index, from: Array.from(mac ?? []).join(':'), frame: Array.from(frame) });
      return radio;
    });
  return { clock, medium, received, events, line };
}

/** A scenario from its JSON form, validated (a test's own scenario must be valid). */
export function scenario(json: object): Scenario {
  const loaded = parseScenario(JSON.stringify(json));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.scenario;
}

/** `n` ESP-NOW nodes in a line 80 m apart (unit-disk radio, 100 m range), with the given fields added. */
export function espnowLine(name: string, seed: number, n: number, durationMs: number, more: object = {}): Scenario {
  return scenario({ name, seed, duration_ms: durationMs, interface: 'espnow', radio: { model: 'unit-disk', range: 100 }, topology: { line: { n, spacing: 80 } }, ...more });
}
