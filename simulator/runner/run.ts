/**
 * One simulation run: a scenario's world (medium, radios, positions), a full node on every
 * radio with the scenario's mesh apps, churn, sleep windows, traffic and console commands on
 * the clock, the tree sampled every second, and a report at the end. The nodes are reached only
 * through a NodeDriver, so the in-process and XS runners share all of this. Deterministic: the
 * same scenario and seed give the same report.
 */
import type { NodeState } from '../../modules/mycelium/node.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { nodeHashes } from '../platform/node-hashes.js';
import { memoHashes } from '../platform/hash-memo.js';
import { buildWorld, type World } from '../scenario/build.js';
import { scheduleChurn, scheduleSleepWindows } from '../scenario/churn.js';
import { bfsHops, radioGraph } from '../scenario/graph.js';
import { planFlows, scheduleFlows, type Flow } from '../scenario/traffic.js';
import type { Scenario } from '../scenario/types.js';
import { COMMAND_PLACEHOLDER } from '../scenario/validate.js';
import { AppLedger } from './app-ledger.js';
import { ConvergenceWatch, rootsOf } from './convergence.js';
import type { NodeDriver } from './driver.js';
import { FrameClassifier, OTHER_APP_PREFIX } from './frame-class.js';
import { InprocDriver, type NodeSetup } from './inproc-driver.js';
import { TrafficLedger } from './ledger.js';
import { runPaced, type Pacing } from './pace.js';
import { buildReport, type ConsoleRecord, type RunReport } from './report.js';
import { SimNodeApps, type SimAppSpec, type SimNodeEvents, type SimNodeOptions, type TreeView } from './sim-node.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Build the driver (default: in-process). */
  readonly driver?: (setup: NodeSetup) => NodeDriver | Promise<NodeDriver>;
  /** Called as simulated time passes (about 200 times per run) and once at the end. */
  readonly onProgress?: (simulatedMs: number, totalMs: number) => void;
  /** Tree sampling period, simulated ms (default 1000). */
  readonly sampleMs?: number;
  /** Nodes power on at random times in [0, startSpreadMs) (default 1000). */
  readonly startSpreadMs?: number;
  /** Node log lines (default dropped). */
  readonly log?: (line: string) => void;
  /** Called once the world is built, before time starts (the hub attaches external nodes). */
  readonly onWorld?: (world: World) => void | Promise<void>;
  /**
   * Pace simulated time by the wall clock (external nodes join through the hub in real time):
   * `speed` simulated ms per wall ms, in bounded slices (pace.ts).
   */
  readonly realtime?: Pacing;
}

export type { ConsoleRecord, NodeReport, RunReport } from './report.js';

/** Output lines kept per command (a `monitor` prints without end). */
export const MAX_COMMAND_OUTPUT = 500;

export type RunResult = { ok: true; report: RunReport; world: World } | { ok: false; error: string };

/** node_options.all, overlaid per node (one level deep: app parameters merge). */
export function nodeOptionsOf(scenario: Scenario, i: number): SimNodeOptions {
  const all = scenario.node_options.all as Record<string, unknown>;
  const mine = (scenario.node_options.per_node[String(i)] ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...all };
  for (const [k, v] of Object.entries(mine)) {
    const base = all[k];
    out[k] = isPlain(base) && isPlain(v) ? { ...base, ...v } : v;
  }
  return out as SimNodeOptions;
}

/**
 * The scenario's apps on node `i`, in scenario order, with per-node options merged over
 * `options` and `{id:N}` in string option values replaced by node N's id (hex).
 */
export function appsOf(scenario: Scenario, i: number, nodeIds: readonly Uint8Array[]): SimAppSpec[] {
  const fill = (v: unknown): unknown => (typeof v === 'string' ? v.replace(COMMAND_PLACEHOLDER, (m, kind: string, k: string) => (kind === 'id' ? toHex(nodeIds[Number(k)]) : m)) : v);
  return scenario.apps
    .filter((a) => a.nodes === 'all' || a.nodes.includes(i))
    .map((a) => ({ app: a.app, options: Object.fromEntries(Object.entries({ ...a.options, ...a.per_node[String(i)] }).map(([k, v]) => [k, fill(v)])) }));
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const built = buildWorld(scenario, { seed: options.seed });
  if (!built.ok) return built;
  const world = built.world;
  const { clock, medium, radios, random } = world;
  const s = world.scenario;
  const n = radios.length;

  const idStream = random.fork('node-ids');
  const nodeIds = radios.map(() => idStream.bytes(new Uint8Array(32)));
  const indexOfId = new Map(nodeIds.map((id, i) => [toHex(id), i]));

  // Bytes on air by purpose, counted as each frame is accepted by its radio. Data = the run's own
  // traffic (Ping, SimTraffic) and the scenario's apps' own Packages (their publishes travel in
  // Gossip); control = everything else (the mesh keeping itself up).
  const appNames = new SimNodeApps(nodeHashes);
  const withApps = s.apps.length > 0;
  // Frames of the scenario's apps are named by id until a node reports which app has it.
  const classifier = new FrameClassifier(appNames.all, withApps);
  const dataKinds = new Set(appNames.data);
  const controlBytes = new Float64Array(n);
  const dataBytes = new Float64Array(n);
  const bytesByKind: Record<string, number> = {};
  medium.onTransmit((from, frame) => {
    if (from >= n) return; // an external node joined through the hub: not in the report
    const kind = classifier.classify(from, frame);
    bytesByKind[kind] = (bytesByKind[kind] ?? 0) + frame.length;
    if (dataKinds.has(kind) || kind.startsWith(OTHER_APP_PREFIX)) dataBytes[from] += frame.length;
    else controlBytes[from] += frame.length;
  });

  const ledger = new TrafficLedger();
  const watch = new ConvergenceWatch();
  const apps = new AppLedger();
  const appsPerNode = radios.map((_, i) => appsOf(s, i, nodeIds));
  for (const a of s.apps) apps.assigned(a.app, a.nodes === 'all' ? n : a.nodes.length);
  /** App id hex → name, as the nodes report them (to name the apps' bytes on air). */
  const appIds = new Map<string, string>();
  const consoleRecords: ConsoleRecord[] = [];
  /** Each node's latest command, which gets the console's later output. */
  const lastCommand: (ConsoleRecord | undefined)[] = radios.map(() => undefined);
  const truncated = new Map<ConsoleRecord, number>();
  /** The node a send is for: by node id, else by the address at the last tree sample. */
  const destination = (to: string | null, address: string | null): number | undefined => {
    if (to !== null) return indexOfId.get(to.toLowerCase());
    if (address === null) return undefined;
    const parsed = Address.parse(address);
    const text = parsed.ok ? parsed.value.toString() : address;
    const i = watch.latest.findIndex((v) => v?.addressText === text);
    return i < 0 ? undefined : i;
  };
  const events: SimNodeEvents = {
    message: (node, id, hops) => ledger.arrived(id, node, clock.now(), hops),
    pingRequest: (node, fromId, nonce, hops) => {
      const src = indexOfId.get(fromId);
      if (src !== undefined) ledger.pingArrived(src, node, nonce, clock.now(), hops);
    },
    pingResponse: (node, nonce) => ledger.pingAnswered(node, nonce, clock.now()),
    appSent: (node, app, how, key, to, address, topic, ok) =>
      apps.sent(app, node, how, key, clock.now(), ok, how === 'send' ? destination(to, address) : undefined, topic ?? undefined),
    appReceived: (node, app, key, hops) => apps.received(app, node, key, clock.now(), hops ?? undefined),
    appSubscribed: (node, app, topic, on) => apps.subscribed(app, node, topic, on),
    appFailed: (node, app, error) => apps.failed(app, node, clock.now(), error),
    appRegistered: (_node, app, id) => void appIds.set(id, app),
    console: (node, line) => {
      const r = lastCommand[node];
      if (!r) return;
      if (r.output.length < MAX_COMMAND_OUTPUT) r.output.push(line);
      else truncated.set(r, (truncated.get(r) ?? 0) + 1);
    },
  };
  const setup: NodeSetup = {
    clock,
    random,
    radios,
    nodeIds,
    options: radios.map((_, i) => nodeOptionsOf(s, i)),
    ...(withApps && { apps: appsPerNode }),
    events,
    log: options.log,
  };
  const driver = options.driver ? await options.driver(setup) : new InprocDriver(setup, memoHashes(nodeHashes));

  try {
    await options.onWorld?.(world);
    const starts = random.fork('start');
    const spread = options.startSpreadMs ?? 1000;
    for (let i = 0; i < n; i++) clock.setTimeout(() => driver.boot(i), spread > 0 ? starts.int(spread) : 0);

    // Shortest paths over live nodes and usable links, recomputed after churn.
    let graph: number[][] | undefined;
    const bfsCache = new Map<number, Int32Array>();
    const shortest = (a: number, b: number): number => {
      graph ??= radioGraph(medium, s.radio.usable_loss);
      let h = bfsCache.get(a);
      if (!h) bfsCache.set(a, (h = bfsHops(graph, a, (v) => !medium.isUp(v))));
      return h[b];
    };
    const topologyChanged = () => {
      graph = undefined;
      bfsCache.clear();
    };

    scheduleChurn(s, clock, medium, {
      nodeDown: (i) => driver.shutdown(i),
      nodeUp: (i) => driver.boot(i),
      currentRoot: () => majorityRoot(watch.latest, indexOfId),
      applied: (event) => {
        topologyChanged();
        watch.churn(clock.now(), event.action);
      },
    });
    scheduleSleepWindows(s, clock, medium);

    const sampleMs = options.sampleMs ?? 1000;
    const sample = (): void => {
      const t = clock.now();
      driver.views((v) => watch.observe(t, v));
      if (t + sampleMs <= s.duration_ms) clock.setTimeout(sample, sampleMs);
    };
    clock.setTimeout(sample, sampleMs);

    scheduleFlows(planFlows(s, random), clock, (flow) => sendTraffic(flow));
    function sendTraffic(flow: Flow): void {
      if (!medium.isUp(flow.src)) return ledger.skip('src_down');
      if (!medium.isUp(flow.dst)) return ledger.skip('dst_down');
      const from = watch.latest[flow.src];
      const to = watch.latest[flow.dst];
      if (!from?.address || !to?.address) return ledger.skip('no_address');
      const hops = shortest(flow.src, flow.dst);
      if (hops < 0) return ledger.skip('unreachable');
      const id = ledger.sent(flow.id, flow.src, flow.dst, clock.now(), hops, flow.kind === 'ping', flow.metric);
      const order = {
        kind: flow.kind,
        messageId: id,
        size: flow.size,
        metric: flow.metric === 'dCPL' ? Metric.dCPL : Metric.dTree,
        dstId: toHex(nodeIds[flow.dst]),
        dstAddress: to.address,
        dstTreeState: to.treeState,
      };
      driver.send(flow.src, order, (error) => {
        if (error) ledger.failed(error);
      });
    }

    for (const c of s.commands) clock.setTimeout(() => runCommand(c.node, c.line), c.at_ms);
    function runCommand(node: number, line: string): void {
      let missing: string | undefined;
      const expanded = line.replace(COMMAND_PLACEHOLDER, (_m, kind: string, k: string) => {
        const i = Number(k);
        if (kind === 'id') return toHex(nodeIds[i]);
        const address = watch.latest[i]?.addressText;
        if (address === undefined) missing ??= `{addr:${i}}: node ${i} has no tree address`;
        return address ?? '';
      });
      const record: ConsoleRecord = { at_ms: clock.now(), node, line, ...(expanded !== line && { expanded }), output: [] };
      consoleRecords.push(record);
      lastCommand[node] = record;
      if (missing !== undefined) return void record.output.push(missing);
      driver.command(node, expanded, (ran) => {
        if (!ran) record.output.push('node is down');
      });
    }

    // Time runs one timer at a time so a driver can finish a node's work before the next one.
    const end = s.duration_ms;
    const progressEvery = Math.max(1, end / 200);
    let nextProgress = progressEvery;
    const runUntil = async (target: number, deadline = Infinity): Promise<boolean> => {
      while (clock.step(target)) {
        const work = driver.flush();
        if (work) await work;
        if (clock.now() >= nextProgress) {
          options.onProgress?.(clock.now(), end);
          nextProgress = (Math.floor(clock.now() / progressEvery) + 1) * progressEvery;
        }
        if (deadline !== Infinity && performance.now() >= deadline) return false;
      }
      clock.moveTo(target);
      return true;
    };
    if (options.realtime) {
      await runPaced(options.realtime, clock, end, runUntil);
    } else {
      await runUntil(end);
    }

    let finalViews: (TreeView | undefined)[] = [];
    let finalStates: (NodeState | undefined)[] = [];
    driver.views((v) => (finalViews = v));
    driver.stats((st) => (finalStates = st));
    const work = driver.flush();
    if (work) await work;
    watch.observe(end, finalViews);
    options.onProgress?.(end, end);
    const engine = await driver.extras();

    for (const [r, more] of truncated) r.output.push(`... ${more} more lines`);
    const named: Record<string, number> = {};
    for (const [kind, bytes] of Object.entries(bytesByKind)) {
      const name = kind.startsWith(OTHER_APP_PREFIX) ? (appIds.get(kind.slice(OTHER_APP_PREFIX.length)) ?? kind) : kind;
      named[name] = (named[name] ?? 0) + bytes;
    }
    const report = buildReport({
      world,
      ledger,
      watch,
      finalViews,
      finalStates,
      nodeIds,
      controlBytes,
      dataBytes,
      bytesByKind: named,
      engine,
      apps: apps.summary(),
      console: consoleRecords,
    });
    return { ok: true, report, world };
  } finally {
    await driver.close();
  }
}

/** The node index of the root most live nodes follow. */
function majorityRoot(views: readonly (TreeView | undefined)[], indexOfId: ReadonlyMap<string, number>): number | undefined {
  let best: string | undefined;
  let count = 0;
  for (const [root, c] of rootsOf(views)) if (c > count) [best, count] = [root, c];
  return best === undefined ? undefined : indexOfId.get(best);
}
