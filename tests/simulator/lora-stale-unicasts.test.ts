/**
 * Stale unicasts on LoRa (rylr998-radio.ts, docs/lora.md "Stale unicasts"): once the relays near
 * the root spend their hourly budget, the duty limit holds their unicasts. Before, a held frame
 * went out whenever the window allowed — messages arrived up to 21 minutes after they were sent,
 * long after the sender had resent and given up. Now a unicast queued longer than the sender's
 * retry horizon is dropped unsent. Virtual clock, the real driver against the AT twin.
 */
import { readFileSync } from 'node:fs';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';

/** lora-20 as shipped (duty limit and collisions on) for 80 min: 60 min of traffic, the budgets spent. */
function lora20(seed: number): Record<string, unknown> {
  const s = JSON.parse(readFileSync(new URL('../../simulator/scenarios/lora-20.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  return { ...s, seed, duration_ms: 4_800_000 };
}

// Before: the latest message arrived 1,278 s (seed 2) and 199 s (seed 18) after it was sent.
test.each([2, 18])('under the duty limit no message arrives minutes late (seed %i)', async (seed) => {
  const v = validateScenario(lora20(seed));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const run = await runScenario(v.scenario);
  if (!run.ok) throw new Error(run.error);
  expect(run.report.delivered).toBeGreaterThan(0);
  expect(run.report.latency_ms.max).toBeLessThanOrEqual(10_000);
}, 60_000);
