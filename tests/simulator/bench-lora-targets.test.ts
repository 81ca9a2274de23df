/**
 * bench:lora's table (bench/lora-targets.ts): the LoRa row is met only when every seed forms one
 * tree, delivers ≥ 95 % and keeps every node within its duty limit; a missing scenario shows as such.
 */
import { loraRows, type LoraReport } from '../../bench/lora-targets.js';

function report(over: Partial<LoraReport>): LoraReport {
  return {
    scenario: 'lora-20',
    seed: 1,
    sent: 100,
    delivered: 96,
    delivery_ratio: 0.96,
    converged_ms: 60_000,
    converged_at_end: true,
    roots_at_end: 1,
    round_trips: { answered: 0, ratio: 0 },
    radio: { duty_cycle: { limit: 0.01, max: 0.0099, worst_node: 3, over_limit: [] } },
    ...over,
  };
}

test('met only when every seed has one tree, ≥ 95 % delivered and no node over its duty limit', () => {
  const met = (reports: LoraReport[]) => loraRows({ 'lora-20': { reports } })[0].met;
  expect(met([report({}), report({ seed: 2 })])).toBe(true);
  expect(met([report({}), report({ seed: 2, delivery_ratio: 0.9, delivered: 90 })])).toBe(false);
  expect(met([report({ roots_at_end: 2 })])).toBe(false);
  expect(met([report({ converged_at_end: false })])).toBe(false);
  expect(met([report({ radio: { duty_cycle: { limit: 0.01, max: 0.012, worst_node: 3, over_limit: [3] } } })])).toBe(false);
  expect(met([report({ radio: {} })])).toBe(false);
});

test('the figures name each seed and the mean; a scenario not shipped is missing, not met', () => {
  const rows = loraRows({ 'lora-20': { reports: [report({}), report({ seed: 2, delivery_ratio: 0.5, delivered: 50 })] }, 'lora-bridge': { missing: true } });
  expect(rows[0].figures.split('\n')).toEqual([
    'seed 1: 96.0 % (96/100); one tree at the end; busiest hour 1.0 % (n3), 0 over',
    'seed 2: 50.0 % (50/100); one tree at the end; busiest hour 1.0 % (n3), 0 over',
    'mean 73.0 %',
  ]);
  expect(rows[0].values).toEqual({ delivery_ratio_mean: 0.73 });
  expect(rows[1]).toMatchObject({ scenario: 'lora-bridge', met: null, figures: 'missing (no scenario file)' });
});

test('the bridge row is met only with ≥ 95 % delivered and every bridge within its LoRa duty limit', () => {
  const lora = (max: number, over: number[]) => [{ interface: 'rylr998', duty_cycle: { limit: 0.01, max, worst_node: 9, over_limit: over } }];
  const met = (r: Partial<LoraReport>) => loraRows({ 'lora-bridge': { reports: [report({ scenario: 'lora-bridge', ...r })] } })[0].met;
  expect(met({ interfaces: lora(0.005, []) })).toBe(true);
  expect(met({ interfaces: lora(0.012, [9]) })).toBe(false);
  // A bridge that spent its hour's 36 s in a 40-minute run: 1.5 % of the run, no hour over 1 %.
  expect(met({ interfaces: lora(0.015, []) })).toBe(true);
  expect(met({ interfaces: lora(0.005, []), delivery_ratio: 0.9 })).toBe(false);
  expect(met({})).toBe(false); // no LoRa figure: not met
  expect(loraRows({ 'lora-bridge': { reports: [report({ interfaces: lora(0.005, []) })] } })[0].figures).toBe('seed 1: 96.0 % (96/100); LoRa busiest bridge 0.5 % (n9), 0 over');
});

test('the root-kill row is met only with one live tree again and ≥ 95 % delivered', () => {
  const row = (r: Partial<LoraReport>) => loraRows({ 'lora-20-root-kill': { reports: [report({ scenario: 'lora-20-root-kill', ...r })] } })[0];
  expect(row({ reconverge_ms: 1_800_000 })).toMatchObject({ met: true, figures: 'seed 1: 96.0 % (96/100); one live tree again after 30.0 min' });
  expect(row({ reconverge_ms: null })).toMatchObject({ met: false, figures: 'seed 1: 96.0 % (96/100); no live tree again' });
  expect(row({ reconverge_ms: 1_800_000, delivery_ratio: 0.7 }).met).toBe(false);
});
