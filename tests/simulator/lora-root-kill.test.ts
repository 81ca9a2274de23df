/**
 * Root loss on LoRa (docs/routing.md "Tree age on LoRa", docs/lora.md "Session 16"): the shipped
 * lora-20-root-kill, lora-20 with its root killed at 40 min. Before, the tree age byte was
 * clamped at 255 s against LoRa's 1,024-s tree age, so every relayed advert told a node its tree
 * was at most 256 s old: the dead root's tree never aged out (all 19 survivors followed it for
 * the 80 min left, on every seed tried). Now it ages out within the tree age and one live tree
 * forms again (26–49 min later at SF7, 1 %). Virtual clock, the real driver against the AT twin.
 */
import { readFileSync } from 'node:fs';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { runScenario } from '../../simulator/runner/run.js';

function rootKill(): Record<string, unknown> {
  const s = JSON.parse(readFileSync(new URL('../../simulator/scenarios/lora-20-root-kill.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

test.each([1, 18])('a dead root is given up and one live tree forms again (seed %i)', async (seed) => {
  const v = validateScenario({ ...rootKill(), seed });
  if (!v.ok) throw new Error(v.errors.join('; '));
  const run = await runScenario(v.scenario);
  if (!run.ok) throw new Error(run.error);
  const [kill] = run.report.reconvergence;
  expect(kill.action).toBe('root_kill');
  expect(kill.reconverge_ms).not.toBeNull(); // before: never (the survivors kept the dead root)
  expect(kill.reconverge_ms!).toBeLessThan(7_200_000 - 2_400_000); // within the 80 min left (26–49 min on seeds 1, 2, 3, 18)
}, 60_000);
