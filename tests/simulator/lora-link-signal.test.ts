/**
 * Link quality on LoRa without Hello (docs/lora.md "Link quality without Hello"): the twin's
 * +RCV SNR follows the loss model's figure for the link, never the frame's loss draw, and the
 * mesh ranks parents and next hops by it. Virtual clock, the real driver against the twin.
 */
import { readFileSync } from 'node:fs';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';
import { snrForLoss } from '../../simulator/rylr998/signal.js';
import { demodulationFloorDb } from '../../modules/rylr998/link-margin.js';
import { LinkSignal } from '../../modules/mycelium/packager/link-signal.js';
import { Medium } from '../../simulator/medium/medium.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { Rylr998Emulator } from '../../simulator/rylr998/emulator.js';
import { Rylr998 } from '../../modules/rylr998/rylr998.js';
import { Rylr998Radio } from '../../modules/rylr998/rylr998-radio.js';
import { twinConfig } from '../../simulator/rylr998/twin.js';
import { driverClock } from '../rylr998/support.js';

describe('the twin reports an SNR that follows the link, not the draw', () => {
  test('a frame on a link that loses half sits at the SF floor; a clean one reads high; lossier reads lower', () => {
    expect(snrForLoss(0.5, 7)).toBe(Math.round(demodulationFloorDb(7)));
    expect(snrForLoss(0.5, 9)).toBe(Math.round(demodulationFloorDb(9)));
    expect(snrForLoss(0, 7)).toBe(12);
    expect(snrForLoss(0.9, 7)).toBeLessThan(snrForLoss(0.5, 7));
    expect(snrForLoss(0.1, 7)).toBeGreaterThan(snrForLoss(0.5, 7));
  });

  test('every frame heard over one lossy link carries the same margin, handed to the Packager', () => {
    const clock = new VirtualClock();
    const medium = new Medium({ clock, random: new SeededRandom(3), kind: 'rylr998', loss: { model: 'logistic', d50: 1300, width: 40 } });
    const heard: { near: number[]; far: number[] } = { near: [], far: [] };
    const radios = [0, 600, 1320].map((x, i) => {
      const dc = driverClock(clock, i + 1);
      const twin = new Rylr998Emulator({ radio: medium.addNode({ x }), clock: dc });
      const radio = new Rylr998Radio({ driver: new Rylr998({ uart: twin, clock: dc }), config: { ...twinConfig(i), sf: 7 }, clock: dc, dutyCycle: 0 });
      radio.start();
      return radio;
    });
    radios[0].onReceive = (_f, mac, margin) => (mac?.[1] === 2 ? heard.near : heard.far).push(margin ?? NaN);
    clock.advance(5_000);
    for (let k = 0; k < 40; k++) {
      radios[1].broadcast(new Uint8Array(20));
      radios[2].broadcast(new Uint8Array(20));
      clock.advance(3_000);
    }
    expect(heard.near.length).toBeGreaterThan(35);
    // 1,320 m: about 62 % lost; some frames arrive, each with the same low margin.
    expect(heard.far.length).toBeGreaterThan(5);
    expect(heard.far.length).toBeLessThan(30);
    expect(new Set(heard.far).size).toBe(1);
    expect(heard.far[0]).toBeLessThanOrEqual(0);
    expect(Math.min(...heard.near)).toBeGreaterThan(10);
  });
});

describe('LinkSignal', () => {
  test('a link at the floor is a last resort (ETX 4), one a few dB above it clean, one below it unusable', () => {
    expect(new LinkSignal(0).etx()).toBeCloseTo(4, 5);
    expect(new LinkSignal(0).good()).toBe(true);
    expect(new LinkSignal(5).etx()).toBeLessThan(1.1);
    expect(new LinkSignal(-2).good()).toBe(false);
  });

  test('a good link stays good through a dip (hysteresis) and stops being good when clearly worse', () => {
    const s = new LinkSignal(3);
    expect(s.good()).toBe(true);
    s.add(-2);
    s.add(-2);
    expect(s.good()).toBe(true); // smoothed ≈ 0.2 dB: still within BAD_ETX
    for (let i = 0; i < 6; i++) s.add(-4);
    expect(s.good()).toBe(false);
    s.add(0);
    expect(s.good()).toBe(false); // must climb back to GOOD_ETX, not just under BAD_ETX
  });
});

/**
 * lora-20's layout and traffic with the duty limit and collisions off and no staggered boots, 40
 * min: what is left is the links. Before link quality the tree and routes used links at the edge
 * of range as readily as clean ones: 88.4 / 88.2 / 80.0 / 76.2 % on seeds 1 / 2 / 3 / 18.
 */
function cleanAir(seed: number): Record<string, unknown> {
  const s = JSON.parse(readFileSync(new URL('../../simulator/scenarios/lora-20.json', import.meta.url), 'utf8')) as Record<string, unknown> & { radio: Record<string, unknown>; traffic: Record<string, unknown>[] };
  delete s.power_on;
  delete s.$schema;
  return { ...s, seed, duration_ms: 2_400_000, radio: { ...s.radio, duty_cycle_limit: 1, collisions: false }, traffic: [{ ...s.traffic[0], start_ms: 900_000 }] };
}

test.each([1, 3, 18])('20 LoRa nodes on lossy links deliver ≥ 90 %% when the air is otherwise clean (seed %i)', async (seed) => {
  const v = validateScenario(cleanAir(seed));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const run = await runScenario(v.scenario);
  if (!run.ok) throw new Error(run.error);
  expect(run.report.roots_at_end).toBe(1);
  expect(run.report.sent).toBe(500);
  expect(run.report.delivery_ratio).toBeGreaterThanOrEqual(0.9);
}, 60_000);

/**
 * A neighbour at the edge of range is reached through a better one (forwarding.ts
 * `aroundWeakLink`): sent directly, message and ack each crossed a link that lost most frames,
 * and with LoRa's single retry the pairs that were such neighbours lost many of their messages
 * (before: the worst pair got 48 % of them on seed 1, 64 % on seed 18).
 */
test.each([1, 18])('no pair of neighbours on a lossy link loses its messages when the air is clean (seed %i)', async (seed) => {
  const v = validateScenario(cleanAir(seed));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const run = await runScenario(v.scenario);
  if (!run.ok) throw new Error(run.error);
  const worst = Math.min(...run.report.flows.map((f) => f.delivered / f.sent));
  expect(worst).toBeGreaterThanOrEqual(0.8);
  expect(run.report.delivery_ratio).toBeGreaterThanOrEqual(0.97);
}, 60_000);
