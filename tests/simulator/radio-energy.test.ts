/**
 * The done-when checks of the radio figures on whole runs: modem sleep shows in radio-on time
 * and energy, a LoRa run reports its duty cycle and flags the nodes over 1 %.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, type RunReport } from '../../simulator/runner/run.js';
import { loadScenarioFile } from '../../simulator/scenario/load.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import Ajv from 'ajv/dist/2020.js';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios');

function shipped(name: string): Scenario {
  const r = loadScenarioFile(join(SCENARIOS, `${name}.json`));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

async function run(s: Scenario): Promise<RunReport> {
  const r = await runScenario(s);
  if (!r.ok) throw new Error(r.error);
  return r.report;
}

const radioSchema = JSON.parse(readFileSync(join(SCENARIOS, '..', 'schema', 'report-radio.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
const validTotal = ajv.compile(radioSchema);
const validNode = ajv.compile({ $ref: 'report-radio.schema.json#/$defs/node_radio' });

/** The report's radio sections against simulator/schema/report-radio.schema.json. */
function expectRadioSchema(r: RunReport): void {
  expect(validTotal(r) ? [] : validTotal.errors).toEqual([]);
  for (const p of r.per_node) expect(validNode(p.radio) ? [] : validNode.errors).toEqual([]);
}

/** The aligned cycle (docs/sleep.md): 40 ms awake in every 200 ms, so a node is on at least 40/200 of the time. */
const CYCLE_ON = 40 / 200;

describe('sleep-40: modem sleep in radio-on time and energy', () => {
  let asleep: RunReport;
  let awake: RunReport;
  beforeAll(async () => {
    const s = shipped('sleep-40');
    asleep = await run(s);
    // Without modem sleep the radio is on throughout: one minute shows it.
    awake = await run({ ...s, duration_ms: 60_000, node_options: { all: {}, per_node: {} } });
  }, 120_000);

  test('every node reports radio-on between the sleep cycle’s floor and always-on; without sleep it is 100 %', () => {
    for (const p of asleep.per_node) {
      expect(p.radio.radio_on_ratio).toBeGreaterThanOrEqual(CYCLE_ON - 0.01);
      expect(p.radio.radio_on_ratio).toBeLessThan(0.9);
      expect(p.radio.sleep_ms).toBeGreaterThan(0);
    }
    for (const p of awake.per_node) {
      expect(p.radio.radio_on_ratio).toBe(1);
      expect(p.radio.sleep_ms).toBe(0);
    }
    expect(awake.radio.radio_on_ratio).toBe(1);
  });

  test('each node’s states add up to the run, and energy is the states’ time times their current', () => {
    const c = asleep.radio.current_ma;
    for (const p of asleep.per_node) {
      const r = p.radio;
      expect(r.tx_ms + r.rx_ms + r.listen_ms + r.sleep_ms + r.off_ms).toBeCloseTo(asleep.simulated_ms, 1);
      expect(r.tx_ms).toBeLessThanOrEqual(p.airtime_ms + 1e-3);
      const mah = (r.tx_ms * c.tx + r.rx_ms * c.rx + r.listen_ms * c.listen + r.sleep_ms * c.sleep) / 3.6e6;
      expect(r.energy_mah).toBeCloseTo(mah, 4);
      expect(r.avg_current_ma).toBeCloseTo(mah / (asleep.simulated_ms / 3.6e6), 3);
    }
  });

  test('sleeping saves energy: average current falls between the sleep and the listen current', () => {
    expect(asleep.radio.avg_current_ma).toBeLessThan(awake.radio.avg_current_ma * 0.8);
    expect(asleep.radio.avg_current_ma).toBeGreaterThan(asleep.radio.current_ma.sleep);
    expect(awake.radio.avg_current_ma).toBeGreaterThanOrEqual(awake.radio.current_ma.listen);
    expect(asleep.radio.energy_mwh).toBeCloseTo(asleep.radio.energy_mah * 3.3, 3);
  });

  test('battery days: the 200 mAh cell at each node’s average current; sleeping nodes last longer', () => {
    for (const p of asleep.per_node) expect(p.radio.battery_days).toBeCloseTo(200 / p.radio.avg_current_ma / 24, 2);
    expect(asleep.radio.battery_mah).toBe(200);
    const days = asleep.per_node.map((p) => p.radio.battery_days as number).sort((a, b) => a - b);
    expect(asleep.radio.battery_days_min).toBe(days[0]);
    expect(asleep.radio.battery_days_median).toBe(days[Math.floor((days.length - 1) / 2)]);
    expect(asleep.radio.battery_days_min as number).toBeGreaterThan(awake.radio.battery_days_median as number);
  });

  test('the radio sections match their JSON Schema', () => {
    expectRadioSchema(asleep);
    expectRadioSchema(awake);
  });

  test('ESP-NOW has no duty-cycle limit: nobody is flagged', () => {
    expect(asleep.radio.duty_cycle.limit).toBeNull();
    expect(asleep.radio.duty_cycle.over_limit).toEqual([]);
    expect(asleep.radio.duty_cycle.max).toBeGreaterThan(0);
  });
});

describe('lora-line: duty cycle', () => {
  test('a run shorter than an hour reports its duty cycle over the run, and flags only nodes over 1 % of an hour', async () => {
    // Seed 2: its tree forms in about a minute and the pings flow, so the middle nodes spend the
    // hour's budget within the half-hour run: over 1 % of the run, within 1 % of any hour (the
    // whole run is in one hour window, nothing sent before the boot). Before session 28 they
    // were flagged over the limit.
    const r = await run({ ...shipped('lora-line'), seed: 2 });
    expectRadioSchema(r);
    const d = r.radio.duty_cycle;
    expect(d.limit).toBe(0.01);
    expect(d.window_ms).toBe(r.simulated_ms);
    expect(d.max).toBeGreaterThan(0.01);
    expect(d.worst_node).not.toBeNull();
    expect(d.max).toBe(r.per_node[d.worst_node ?? 0].radio.duty_cycle);
    for (const p of r.per_node) {
      expect(p.radio.duty_cycle).toBeCloseTo(p.radio.tx_ms / r.simulated_ms, 5);
      expect(d.over_limit.includes(p.index)).toBe(p.radio.tx_ms > 0.01 * 3_600_000);
    }
    expect(d.over_limit).toEqual([]);
  });

  test('a run of more than an hour takes the largest sliding hour; a looser limit flags nobody', async () => {
    const s = shipped('lora-line');
    const r = await run({ ...s, duration_ms: 3_900_000, radio: { ...s.radio, duty_cycle_limit: 0.9 } });
    const d = r.radio.duty_cycle;
    expect(d.window_ms).toBe(3_600_000);
    expect(d.over_limit).toEqual([]);
    // The busiest hour holds at most all the transmit time, and at least: half of it (the first
    // and the last hour cover a run of under two hours), and all but what fits before the last
    // hour (a radio transmits at most 1 ms per ms). Not tx_ms / simulated_ms: a run that
    // transmits most at its start and its end has no hour at that average.
    const before = r.simulated_ms - 3_600_000;
    // The report rounds the ratio to 6 decimals: up to 1.8 ms of an hour either way.
    const rounding = 0.5e-6 * 3_600_000;
    for (const p of r.per_node) {
      const busiest = p.radio.duty_cycle * 3_600_000;
      expect(busiest).toBeGreaterThanOrEqual(Math.max(p.radio.tx_ms / 2, p.radio.tx_ms - before) - rounding);
      expect(busiest).toBeLessThanOrEqual(p.radio.tx_ms + rounding);
    }
  }, 60_000);
});
