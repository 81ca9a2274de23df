/**
 * A `mycelium-sim sweep` worker thread: runs the points it is sent, one at a time, writes each
 * report and answers with the metrics the sweep averages. Bundled on its own (run-ts.mjs buildTs)
 * because a Worker starts from a file.
 */
import { writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { parseScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run.js';
import { readMetric } from './expect.js';

export interface PointTask {
  readonly index: number;
  readonly scenarioText: string;
  readonly baseDir: string;
  readonly seed: number;
  readonly bucketMs: number | undefined;
  readonly reportPath: string;
  readonly metrics: readonly string[];
}

export type PointResult =
  | { readonly index: number; readonly ok: true; readonly values: readonly (number | null | undefined)[]; readonly simulatedMs: number }
  | { readonly index: number; readonly ok: false; readonly error: string };

export async function runPoint(task: PointTask): Promise<PointResult> {
  const { index } = task;
  try {
    const loaded = parseScenario(task.scenarioText, 'scenario', task.baseDir);
    if (!loaded.ok) return { index, ok: false, error: loaded.errors.join('; ') };
    const result = await runScenario(loaded.scenario, { seed: task.seed, ...(task.bucketMs !== undefined && { bucketMs: task.bucketMs }) });
    if (!result.ok) return { index, ok: false, error: result.error };
    writeFileSync(task.reportPath, JSON.stringify(result.report, null, 2) + '\n');
    return { index, ok: true, values: task.metrics.map((m) => readMetric(result.report, m)), simulatedMs: result.report.simulated_ms };
  } catch (e) {
    return { index, ok: false, error: (e as Error).message };
  }
}

parentPort?.on('message', (task: PointTask) => {
  void runPoint(task).then((r) => parentPort?.postMessage(r));
});
