/**
 * `mycelium-sim sweep`: one scenario over parameter values × seeds on worker threads, a report per
 * point and a summary (mean and 95 % confidence interval per combination, and each combination
 * minus the first, seed by seed) — what Meshtasticator's batchSim.py gives its users, on the local
 * machine's cores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { isMetricName } from './expect.js';
import { INTERRUPTED_EXIT, listenForInterrupt } from './interrupt.js';
import { etaText } from './progress.js';
import { parseParam, parseSeeds, planSweep, type SweepParam, type SweepPlan } from './sweep-plan.js';
import { summarize, summaryCsv, summaryTable, type PointOutcome } from './sweep-summary.js';
import type { PointResult, PointTask } from './sweep-worker.js';

export const SWEEP_USAGE = `usage: mycelium-sim sweep <scenario.json | name> [--param PATH=V1,V2,...]... [options]

  --param PATH=V,...  set the scenario's PATH (dotted, list indexes as numbers: traffic.0.interval_ms)
                      to each value in turn (JSON, else a string); several --param: every combination
  --seeds LIST        seeds, e.g. 1-5 or 1,4,9 (default: five from the scenario's seed)
  --metric M,...      metrics to summarize (--expect's names or dotted report paths;
                      default ${'delivery,latency_p50,hops,converged_ms,control_bytes,airtime_ms'})
  --workers N         worker threads (default: the machine's cores, at most the number of points)
  --out DIR           where the reports and summary.csv / summary.json go (default ./sweep-<scenario>)
  --bucket-ms MS      the reports' time-series bucket
  --quiet             no progress lines and no table (the files are still written)
  Ctrl-C              stops: the summary covers the points finished so far, exit 130`;

export const DEFAULT_METRICS = ['delivery', 'latency_p50', 'hops', 'converged_ms', 'control_bytes', 'airtime_ms'];

export interface SweepArgs {
  readonly scenarioPath: string;
  readonly params: readonly SweepParam[];
  readonly seeds: readonly number[] | undefined;
  readonly metrics: readonly string[];
  readonly workers: number | undefined;
  readonly out: string | undefined;
  readonly bucketMs: number | undefined;
  readonly quiet: boolean;
}

/** Throws an Error with a one-line reason. `resolve` turns a scenario argument into a path. */
export function parseSweepArgs(argv: readonly string[], resolve: (arg: string) => string): SweepArgs | 'help' {
  const { values: v, positionals } = parseArgs({
    args: argv.slice(),
    allowPositionals: true,
    options: {
      param: { type: 'string', multiple: true },
      seeds: { type: 'string' },
      metric: { type: 'string', multiple: true },
      workers: { type: 'string' },
      out: { type: 'string' },
      'bucket-ms': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return 'help';
  if (positionals.length === 0) throw new Error('sweep needs a scenario (a .json file or a shipped name)');
  if (positionals.length > 1) throw new Error(`unexpected argument "${positionals[1]}"`);
  const metrics = (v.metric ?? []).flatMap((m) => m.split(',')).filter((m) => m !== '');
  for (const m of metrics) if (!isMetricName(m)) throw new Error(`--metric "${m}": not a metric name (see --expect in docs/simulator.md) nor a dotted report path`);
  const params = (v.param ?? []).map(parseParam);
  const paths = new Set(params.map((p) => p.path));
  if (paths.size < params.length) throw new Error('--param: the same path twice (give all its values in one --param)');
  const workers = v.workers === undefined ? undefined : Number(v.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 64)) throw new Error(`--workers must be an integer from 1 to 64, not "${v.workers}"`);
  const bucket = v['bucket-ms'];
  if (bucket !== undefined && !/^\d+$/.test(bucket)) throw new Error(`--bucket-ms must be an integer, not "${bucket}"`);
  return {
    scenarioPath: resolve(positionals[0]),
    params,
    seeds: v.seeds === undefined ? undefined : parseSeeds(v.seeds),
    metrics: metrics.length > 0 ? [...new Set(metrics)] : DEFAULT_METRICS,
    workers,
    out: v.out,
    bucketMs: bucket === undefined ? undefined : Number(bucket),
    quiet: v.quiet ?? false,
  };
}

interface PoolEvents {
  readonly onDone: (r: PointResult, done: number) => void;
}

/**
 * Run every task on `count` workers started from `workerFile`, each taking the next task when it
 * answers. A worker that dies fails the task it had and is replaced. Resolves when all answered
 * or `signal` aborted (unfinished tasks are then left out).
 */
function runPool(workerFile: string, count: number, tasks: readonly PointTask[], signal: AbortSignal, events: PoolEvents): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const workers = new Set<Worker>();
    const finish = () => {
      for (const w of workers) void w.terminate();
      workers.clear();
      resolve();
    };
    signal.addEventListener('abort', finish, { once: true });
    const start = () => {
      const w = new Worker(workerFile);
      let current: PointTask | undefined;
      const feed = () => {
        current = next < tasks.length ? tasks[next++] : undefined;
        if (current) w.postMessage(current);
        else {
          workers.delete(w);
          void w.terminate();
        }
      };
      const answer = (r: PointResult) => {
        current = undefined;
        events.onDone(r, ++done);
        if (done === tasks.length) {
          signal.removeEventListener('abort', finish);
          finish();
        } else if (!signal.aborted) feed();
      };
      w.on('message', answer);
      w.on('error', (e) => {
        workers.delete(w);
        if (current && !signal.aborted) {
          answer({ index: current.index, ok: false, error: `worker died: ${e.message}` });
          if (next < tasks.length) start();
        }
      });
      workers.add(w);
      feed();
    };
    for (let i = 0; i < count; i++) start();
  });
}

export interface SweepContext {
  readonly root: string;
  /** run-ts.mjs buildTs: the worker's bundle path. */
  readonly buildTs: (entry: string) => Promise<string>;
}

/** Resolves to the exit code: 0, 1 when a point failed, 2 for a plan that cannot run, 130 on Ctrl-C. */
export async function sweepMain(args: SweepArgs, context: SweepContext): Promise<number> {
  let plan: SweepPlan;
  try {
    plan = planSweep(args.scenarioPath, args.params, args.seeds);
  } catch (e) {
    process.stderr.write(`mycelium-sim: ${(e as Error).message}\n`);
    return 2;
  }
  const out = args.out ?? `sweep-${plan.name}`;
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    process.stderr.write(`mycelium-sim: cannot create ${out}: ${(e as Error).message}\n`);
    return 1;
  }
  const count = Math.min(plan.points.length, args.workers ?? availableParallelism());
  const tasks: PointTask[] = plan.points.map((p) => ({
    index: p.index,
    scenarioText: p.scenarioText,
    baseDir: plan.baseDir,
    seed: p.seed,
    bucketMs: args.bucketMs,
    reportPath: join(out, p.reportName),
    metrics: args.metrics,
  }));
  const say = (line: string) => {
    if (!args.quiet) process.stderr.write(`${line}\n`);
  };
  say(`sweep ${plan.name}: ${plan.combos.length} combination${plan.combos.length === 1 ? '' : 's'} × ${plan.points.length / plan.combos.length} seeds = ${plan.points.length} runs on ${count} worker${count === 1 ? '' : 's'}`);
  const workerFile = await context.buildTs(join(context.root, 'simulator', 'cli', 'sweep-worker.ts'));
  const outcomes: (PointOutcome | undefined)[] = plan.points.map(() => undefined);
  const failures: string[] = [];
  const started = performance.now();
  const interrupt = listenForInterrupt();
  try {
    await runPool(workerFile, count, tasks, interrupt.signal, {
      onDone: (r, done) => {
        const point = plan.points[r.index];
        const wallS = (performance.now() - started) / 1000;
        const what = `${point.reportName.replace(/\.json$/, '')}`;
        if (r.ok) outcomes[r.index] = { values: r.values };
        else failures.push(`${what}: ${r.error}`);
        say(`sweep ${plan.name}: ${done}/${plan.points.length} ${what} ${r.ok ? 'done' : 'FAILED'} (${wallS.toFixed(1)} s wall${etaText(done, plan.points.length, wallS)})`);
      },
    });
  } finally {
    interrupt.dispose();
  }
  const summary = summarize(plan, args.metrics, outcomes, (performance.now() - started) / 1000);
  try {
    writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(join(out, 'summary.csv'), summaryCsv(summary));
  } catch (e) {
    process.stderr.write(`mycelium-sim: cannot write the summary in ${out}: ${(e as Error).message}\n`);
    return 1;
  }
  if (!args.quiet) process.stdout.write(`${summaryTable(summary)}reports and summary.csv / summary.json in ${out}\n`);
  for (const f of failures) process.stderr.write(`mycelium-sim: ${f}\n`);
  if (interrupt.interrupted()) {
    process.stderr.write(`mycelium-sim: interrupted: the summary covers ${summary.points.length} of ${plan.points.length} runs\n`);
    return INTERRUPTED_EXIT;
  }
  return failures.length > 0 ? 1 : 0;
}
