/**
 * `mycelium-sim`: run a scenario and print a summary (and a JSON report). Bad arguments and bad
 * scenario files get one line on stderr and exit code 2; a run that fails exits 1.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario, type RunOptions } from '../runner/run.js';
import { bucketMsProblem } from '../scenario/report-spec.js';
import { printSummary } from './summary.js';
import { createProgress, formatDuration } from './progress.js';
import { startRealtime } from './realtime.js';
import { parseExpectation, type Expectation } from './expect.js';
import { INTERRUPTED_EXIT, listenForInterrupt } from './interrupt.js';
import { reportExpectations } from './expect-report.js';
import { checkScenarios, listScenarios, versionLine } from './catalogue.js';

const USAGE = `usage: mycelium-sim run <scenario.json | name> [options]
       mycelium-sim view <trace.json> [--port P] [--snapshot out.svg]
       mycelium-sim list                        the shipped scenarios, one line each
       mycelium-sim check <scenario.json | name>...   validate only (exit 2 on an error)
       mycelium-sim sweep <scenario.json | name> --param PATH=V1,V2 --seeds 1-5   (sweep --help)
       mycelium-sim --version

  <name>            a scenario shipped in simulator/scenarios/ (e.g. default, grid-7x7, root-kill)
  --seed N          override the scenario's seed (unsigned 32-bit integer)
  --runner R        inproc (default) or xs: every node in the XS engine (xsnap workers)
  --nodes-per-worker N   with --runner xs: nodes sharing one xsnap worker (default 32; 1 gives
                    a heap figure per node, at about 60 MB of memory per node)
  --xs-worker W     with --runner xs: lean (default; built at install by scripts/build-xs-worker.mjs,
                    no debugger or bytecode meter, ≈ 10 % less CPU) or package (@agoric/xsnap's
                    own: stack traces with line numbers)
  --report FILE     write the JSON report to FILE
  --bucket-ms MS    the report's time-series bucket (default: the scenario's, else 10000)
  --quiet           no progress bar and no summary (errors still go to stderr)
  --logs            print the nodes' log lines on stderr (apps' mesh.log, warnings), time and node first
  --log-filter T    only log lines containing T (case-insensitive; repeatable: any of them); implies --logs
  --realtime        run in wall-clock time with the UDP hub open for external nodes
  --hub-port P      the hub's UDP port with --realtime (default 47800, 0 = any free port)
  --speed X         with --realtime or --dashboard: simulated ms per wall ms (default 1)
  --dashboard       watch the run in a browser (127.0.0.1; paced like --realtime); stays up until Ctrl-C
  --port P          the dashboard's port (default 47810, 0 = any free port)
  --trace FILE      save the dashboard trace (open it later with: mycelium-sim view FILE)
  --snapshot FILE   write an SVG of the radio graph and the tree at the end of the run
  --expect M<OP>V   a threshold on the report, e.g. delivery>=0.99 (repeatable; OP: >= <= == > <);
                    exit 3 and one line per unmet one (metric names: docs/simulator.md, --expect)
  Ctrl-C            stops the run and writes what it has (report marked "partial"), exit 130
  -h, --help        this text`;

export class UsageError extends Error {}

export interface CliArgs {
  readonly scenarioPath: string;
  readonly seed: number | undefined;
  readonly runner: 'inproc' | 'xs';
  /** Nodes per xsnap worker with the XS runner. */
  readonly nodesPerWorker: number;
  /** Which xsnap-worker build the XS runner starts (XsDriverOptions.worker). */
  readonly xsWorker: 'lean' | 'package';
  readonly report: string | undefined;
  readonly bucketMs: number | undefined;
  readonly quiet: boolean;
  readonly realtime: boolean;
  readonly hubPort: number;
  readonly speed: number;
  readonly dashboard: boolean;
  readonly port: number;
  readonly trace: string | undefined;
  readonly snapshot: string | undefined;
  readonly expect: readonly Expectation[];
  /** Print node log lines containing any of these (empty list: all); undefined: none. */
  readonly logs: readonly string[] | undefined;
}

/** Where the project lives (bin/mycelium-sim.mjs passes it: this file runs bundled elsewhere). */
export interface CliContext {
  readonly root: string;
}

export function parseCliArgs(argv: readonly string[], context: CliContext): CliArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(),
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        runner: { type: 'string' },
        'nodes-per-worker': { type: 'string' },
        'xs-worker': { type: 'string' },
        report: { type: 'string' },
        'bucket-ms': { type: 'string' },
        quiet: { type: 'boolean' },
        realtime: { type: 'boolean' },
        'hub-port': { type: 'string' },
        speed: { type: 'string' },
        dashboard: { type: 'boolean' },
        port: { type: 'string' },
        trace: { type: 'string' },
        snapshot: { type: 'string' },
        expect: { type: 'string', multiple: true },
        logs: { type: 'boolean' },
        'log-filter': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const [command, scenario, ...extra] = parsed.positionals;
  if (command !== 'run') throw new UsageError(command === undefined ? 'missing command: run' : `unknown command "${command}" (run, view, list, check)`);
  if (scenario === undefined) throw new UsageError('missing scenario: a .json file or a shipped name such as "default"');
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const runner = v.runner ?? 'inproc';
  if (runner !== 'inproc' && runner !== 'xs') throw new UsageError(`--runner must be inproc or xs, not "${runner}"`);
  if (v['nodes-per-worker'] !== undefined && runner !== 'xs') throw new UsageError('--nodes-per-worker needs --runner xs');
  if (v['xs-worker'] !== undefined && runner !== 'xs') throw new UsageError('--xs-worker needs --runner xs');
  const xsWorker = v['xs-worker'] ?? 'lean';
  if (xsWorker !== 'lean' && xsWorker !== 'package') throw new UsageError(`--xs-worker must be lean or package, not "${xsWorker}"`);
  return {
    scenarioPath: resolveScenario(scenario, join(context.root, 'simulator', 'scenarios')),
    seed: v.seed === undefined ? undefined : integer('--seed', v.seed, 0, 0xffffffff),
    runner,
    nodesPerWorker: v['nodes-per-worker'] === undefined ? DEFAULT_NODES_PER_WORKER : integer('--nodes-per-worker', v['nodes-per-worker'], 1, 10_000),
    xsWorker,
    report: v.report,
    bucketMs: v['bucket-ms'] === undefined ? undefined : bucketMs(v['bucket-ms']),
    quiet: v.quiet ?? false,
    realtime: v.realtime ?? false,
    hubPort: v['hub-port'] === undefined ? 47800 : integer('--hub-port', v['hub-port'], 0, 65535),
    speed: v.speed === undefined ? 1 : positive('--speed', v.speed),
    dashboard: v.dashboard ?? false,
    port: v.port === undefined ? 47810 : integer('--port', v.port, 0, 65535),
    trace: v.trace,
    snapshot: v.snapshot,
    expect: (v.expect ?? []).map((e) => usage(() => parseExpectation(e))),
    logs: v['log-filter'] ? v['log-filter'].map((t) => t.toLowerCase()) : v.logs ? [] : undefined,
  };
}

function resolveScenario(arg: string, shippedDir: string): string {
  if (arg.endsWith('.json') || arg.includes('/')) return arg;
  const shipped = join(shippedDir, `${arg}.json`);
  if (!existsSync(shipped)) throw new UsageError(`no scenario "${arg}" in ${shippedDir} (give a path to a .json file)`);
  return shipped;
}

function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, not "${text}"`);
  return n;
}

function bucketMs(text: string): number {
  const problem = /^\d+$/.test(text) ? bucketMsProblem(Number(text)) : 'must be an integer';
  if (problem) throw new UsageError(`--bucket-ms ${problem}, not "${text}"`);
  return Number(text);
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`${name} must be a positive number, not "${text}"`);
  return n;
}

/** Run the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  if (argv[0] === 'view') return (await import('../dashboard/cli.js')).viewMain(argv.slice(1), context);
  const shippedDir = join(context.root, 'simulator', 'scenarios');
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write(`${versionLine()}\n`);
    return 0;
  }
  if (argv[0] === 'list') {
    process.stdout.write(`${listScenarios(shippedDir).join('\n')}\n`);
    return 0;
  }
  if (argv[0] === 'sweep') return sweep(argv.slice(1), context, shippedDir);
  if (argv[0] === 'check') {
    if (argv.length < 2) {
      process.stderr.write(`mycelium-sim: check needs a scenario (a .json file or a shipped name)\n${USAGE}\n`);
      return 2;
    }
    let paths: { path: string; label: string }[];
    try {
      paths = argv.slice(1).map((a) => ({ path: resolveScenario(a, shippedDir), label: a }));
    } catch (e) {
      process.stderr.write(`mycelium-sim: ${(e as Error).message}\n`);
      return 2;
    }
    const checked = checkScenarios(paths);
    (checked.ok ? process.stdout : process.stderr).write(`${checked.lines.join('\n')}\n`);
    return checked.ok ? 0 : 2;
  }
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(argv, context);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`mycelium-sim: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const loaded = loadScenarioFile(args.scenarioPath);
  if (!loaded.ok) {
    process.stderr.write(`mycelium-sim: ${loaded.errors.join('; ')}\n`);
    return 2;
  }
  if (args.runner === 'xs') {
    const problem = await xsProblem(context.root);
    if (problem) {
      process.stderr.write(`mycelium-sim: ${problem}\n`);
      return 2;
    }
  }
  const scenario = loaded.scenario;
  // Second radios (bridges) are wired by the in-process driver only.
  if (scenario.radios && args.runner === 'xs') {
    process.stderr.write(`${scenario.name}: "radios" (nodes with a second radio) runs in the inproc runner only\n`);
    return 2;
  }
  const progress = args.quiet ? undefined : createProgress(process.stderr, `${scenario.name} (${args.runner})`);
  const started = performance.now();
  const options: RunOptions = {
    seed: args.seed,
    ...(args.bucketMs !== undefined && { bucketMs: args.bucketMs }),
    onProgress: progress?.update,
    onPhase: progress?.phase,
    ...(args.logs && { log: logPrinter(args.logs, (l) => (progress ? progress.log(l) : process.stderr.write(`${l}\n`))) }),
    ...(args.runner === 'xs' && { driver: await xsDriverFactory(context.root, args.nodesPerWorker, args.xsWorker, args.quiet ? undefined : (l) => process.stderr.write(`${l}\n`)) }),
  };
  let realtime: Awaited<ReturnType<typeof startRealtime>> | undefined;
  if (args.realtime) {
    realtime = await startRealtime({ port: args.hubPort, speed: args.speed, log: args.quiet ? undefined : (l) => progress?.log(l) });
    Object.assign(options, realtime.runOptions);
  }
  let dashboard: import('../dashboard/server/session.js').DashboardSession | undefined;
  let runOver = false;
  if (args.dashboard || args.trace || args.snapshot) {
    const { DashboardSession } = await import('../dashboard/server/session.js');
    const say = (l: string) => (progress && !runOver ? progress.log(l) : process.stderr.write(`${l}\n`));
    dashboard = new DashboardSession({ root: context.root, serve: args.dashboard, port: args.port, speed: args.speed, tracePath: args.trace, snapshotPath: args.snapshot, log: say });
  }
  const interrupt = listenForInterrupt();
  Object.assign(options, { signal: interrupt.signal });
  let result;
  try {
    result = await runScenario(scenario, dashboard ? dashboard.wrap(options) : options);
  } catch (e) {
    progress?.stop();
    process.stderr.write(`mycelium-sim: the run failed: ${(e as Error).message}\n`);
    await dashboard?.close();
    return 1;
  } finally {
    interrupt.dispose();
    await realtime?.close();
  }
  progress?.stop();
  runOver = true;
  if (!result.ok) {
    process.stderr.write(`mycelium-sim: ${result.error}\n`);
    await dashboard?.close();
    return 2;
  }
  const dashboardFiles = (await dashboard?.finish(result)) ?? true;
  const wallMs = performance.now() - started;
  if (args.report) {
    try {
      writeFileSync(args.report, JSON.stringify(result.report, null, 2) + '\n');
    } catch (e) {
      process.stderr.write(`mycelium-sim: cannot write the report to ${args.report}: ${(e as Error).message}\n`);
      await dashboard?.close();
      return 1;
    }
  }
  if (!args.quiet) printSummary(process.stdout, result.report, { wallMs, runner: args.runner, reportPath: args.report });
  if (interrupt.interrupted()) {
    process.stderr.write(`mycelium-sim: interrupted at ${formatDuration(result.report.simulated_ms)} simulated; the report${args.trace ? ' and trace' : ''} ${args.trace ? 'cover' : 'covers'} only that (partial)${args.expect.length ? ', expectations not checked' : ''}\n`);
    await dashboard?.close();
    return INTERRUPTED_EXIT;
  }
  const expectOk = reportExpectations(result.report, args.expect, args.quiet);
  if (dashboard) {
    await dashboard.waitUntilStopped();
    await dashboard.close();
  }
  return !dashboardFiles ? 1 : expectOk ? 0 : EXPECT_UNMET_EXIT;
}

async function sweep(argv: readonly string[], context: CliContext, shippedDir: string): Promise<number> {
  const { parseSweepArgs, sweepMain, SWEEP_USAGE } = await import('./sweep.js');
  let args;
  try {
    args = parseSweepArgs(argv, (a) => resolveScenario(a, shippedDir));
  } catch (e) {
    process.stderr.write(`mycelium-sim: ${(e as Error).message}\n${SWEEP_USAGE}\n`);
    return 2;
  }
  if (args === 'help') {
    process.stdout.write(`${SWEEP_USAGE}\n`);
    return 0;
  }
  // run-ts.mjs is loaded from the project (this file runs bundled in a cache folder): it builds the worker's bundle.
  const runTs = (await import(pathToFileURL(join(context.root, 'simulator', 'cli', 'run-ts.mjs')).href)) as typeof import('./run-ts.mjs');
  return sweepMain(args, { root: context.root, buildTs: runTs.buildTs });
}

/** Exit code of a run that finished but missed an `--expect` threshold. */
export const EXPECT_UNMET_EXIT = 3;

/** Node log lines to `print` when they contain any of `filters` (all lines when there is none). */
function logPrinter(filters: readonly string[], print: (line: string) => void): (line: string) => void {
  return (line) => {
    const lower = line.toLowerCase();
    if (filters.length === 0 || filters.some((f) => lower.includes(f))) print(line);
  };
}

/** Why `--runner xs` cannot start here (one line naming what to install), or undefined. */
async function xsProblem(root: string): Promise<string | undefined> {
  const { xsnapWorkerPath } = await import('../xs/xsnap.mjs');
  const { probeXs, xsRunnerProblem } = await import('../xs/xs-requirements.js');
  return xsRunnerProblem(probeXs(root, xsnapWorkerPath()), root);
}

/**
 * Nodes per xsnap worker by default. A worker holds about 59 MB before its first node (xsnap's
 * fixed heap and chunk reserves; a node adds about 1 MB) and runs its nodes one job at a time, as
 * the driver runs workers: sharing costs no parallelism. 32 keeps telemetry-25 in one worker, at
 * 3.5 MB per node (issue 21's target is 5 MB; scripts/bench-xs-runner.mjs).
 */
const DEFAULT_NODES_PER_WORKER = 32;

/** The XS driver is loaded only when asked for (it spawns xsnap workers). */
async function xsDriverFactory(root: string, perWorker: number, worker: 'lean' | 'package', note?: (line: string) => void): Promise<NonNullable<RunOptions['driver']>> {
  const { createXsDriver, xsWorkerKind } = await import('../xs/xs-driver.js');
  const { bundleForXS } = await import('../xs/bundle.mjs');
  // This checkout's worker: searching from the bundled driver's folder would find the checkout
  // that owns node_modules, another one when node_modules is a link (git worktrees).
  // MYCELIUM_XS_PROFILE: the same worker with a per-method profile printed at the end of the run;
  // MYCELIUM_XS_PROFILE=steps: only its bytecode count, nothing wrapped. Both count bytecodes
  // with the package's worker: the lean one has no meter.
  const profile = process.env.MYCELIUM_XS_PROFILE;
  const entry = !profile ? 'xs-worker-entry.ts' : profile === 'steps' ? 'xs-steps-entry.ts' : 'xs-profile-entry.ts';
  const build = profile ? 'package' : worker;
  if (build === 'lean' && xsWorkerKind('lean') === 'package') {
    note?.('mycelium-sim: the lean xsnap-worker is not built (`npm run xs-worker`); running @agoric/xsnap\'s, ≈ 10 % slower');
  }
  const script = await bundleForXS(join(root, 'simulator', 'xs', entry), { hoistBuiltins: true });
  // Beyond the driver's 64 workers, more nodes share one.
  // One core for the host and its workers while the run has it to itself: they take turns, never
  // compute at once (same-core.ts). MYCELIUM_XS_SAME_CORE=0 leaves them to the scheduler.
  const sameCore = process.env.MYCELIUM_XS_SAME_CORE !== '0';
  return (setup) => createXsDriver(setup, { script, worker: build, nodesPerWorker: Math.max(perWorker, Math.ceil(setup.radios.length / 64)), sameCore });
}
