/** Shared set-up for the dashboard tests: shipped scenarios and recorded runs. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DashboardSession } from '../../simulator/dashboard/server/session.js';
import type { RecorderOptions } from '../../simulator/dashboard/trace/recorder.js';
import type { Trace } from '../../simulator/dashboard/trace/types.js';
import { runScenario, type RunOptions, type RunReport } from '../../simulator/runner/run.js';
import { loadScenarioFile } from '../../simulator/scenario/load.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { expectValidReport } from '../simulator/support/schemas.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function shipped(name: string, patch: Partial<Scenario> = {}): Scenario {
  const r = loadScenarioFile(join(ROOT, 'simulator', 'scenarios', `${name}.json`));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return { ...r.scenario, ...patch };
}

export function scenario(json: unknown): Scenario {
  const r = validateScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

export function newSession(recorder: RecorderOptions = {}): DashboardSession {
  return new DashboardSession({ root: ROOT, serve: false, port: 0, speed: 1, log: () => {}, recorder });
}

/** A run recorded the way the CLI records it (`--trace`, no server). */
export async function recorded(
  s: Scenario,
  recorder: RecorderOptions = {},
  options: RunOptions = {},
  session: DashboardSession = newSession(recorder),
): Promise<{ trace: Trace; report: RunReport; session: DashboardSession }> {
  const result = await runScenario(s, session.wrap(options));
  if (!result.ok) throw new Error(result.error);
  await session.finish(result);
  await session.close();
  const trace = session.recorder.trace;
  if (!trace) throw new Error('nothing recorded');
  expectValidReport(result.report);
  return { trace, report: result.report, session };
}

export async function plain(s: Scenario): Promise<RunReport> {
  const result = await runScenario(s);
  if (!result.ok) throw new Error(result.error);
  expectValidReport(result.report);
  return result.report;
}
