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
import { nodeSignatures } from '../platform/node-signatures.js';
import { memoHashes } from '../platform/hash-memo.js';
import { buildWorld, type World } from '../scenario/build.js';
import { scheduleChurn, scheduleSleepWindows } from '../scenario/churn.js';
import { planFlows, scheduleFlows, type Flow } from '../scenario/traffic.js';
import type { Scenario } from '../scenario/types.js';
import { COMMAND_PLACEHOLDER } from '../scenario/validate.js';
import { AppLedger } from './app-ledger.js';
import { HeldLedger } from './held-ledger.js';
import { loadAppModules } from './app-modules.js';
import { ConvergenceWatch, rootsOf } from './convergence.js';
import { largestBranch } from './largest-branch.js';
import { LiveGraph } from './live-parts.js';
import { powerOnTimes } from './power-on.js';
import type { NodeDriver } from './driver.js';
import { FrameClassifier, OTHER_APP_PREFIX, ackedKind } from './frame-class.js';
import { GossipTopics, TOPIC_PREFIX } from './gossip-topics.js';
import { InprocDriver, type ExtraRadioSetup, type NodeSetup } from './inproc-driver.js';
import { interfaceReports } from './interface-report.js';
import { loraBridgeInterface } from '../../modules/rylr998/bridge.js';
import { TrafficLedger } from './ledger.js';
import { runPaced, type Pacing } from './pace.js';
import { buildReport, isDropCounter, type ConsoleRecord, type RunReport } from './report.js';
import { RunPaths } from './paths.js';
import { DEFAULT_BUCKET_MS, SeriesRecorder } from './series.js';
import { SimNodeApps, type SimAppSpec, type SimNodeEvents, type SimNodeOptions, type TreeView } from './sim-node.js';
import { rylr998Twins, type TwinSpec } from '../rylr998/twin.js';
import { RadioTally } from '../rylr998/radio-tally.js';
import { MODULE_OVERHEAD_BYTES } from '../../modules/rylr998/config.js';
import { loraNodeOptions, overlayNodeOptions } from './lora-options.js';
import { Hostiles } from '../adversary/hostiles.js';
import { DUTY_WINDOW_MS } from '../medium/duty-cycle.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  readonly seed?: number;
  /** Build the driver (default: in-process). */
  readonly driver?: (setup: NodeSetup) => NodeDriver | Promise<NodeDriver>;
  /**
   * What the run is doing before simulated time starts (layout search, world build, node setup):
   * a 10,000-node world takes seconds to build, and a progress display should show it.
   */
  readonly onPhase?: (phase: string) => void;
  /** Called as simulated time passes (about 200 times per run) and once at the end. */
  readonly onProgress?: (simulatedMs: number, totalMs: number) => void;
  /** onProgress at least every this many simulated ms (default: 1/200 of the run). */
  readonly progressMs?: number;
  /**
   * onProgress also at least every this many ms of wall time (default 1000): a 10,000-node boot
   * storm takes minutes of wall time per simulated second, and a display must still move.
   */
  readonly progressWallMs?: number;
  /** Tree sampling period, simulated ms (default 1000). */
  readonly sampleMs?: number;
  /** Time-series bucket, simulated ms (default: the scenario's `report.bucket_ms`). */
  readonly bucketMs?: number;
  /** Nodes power on at random times in [0, startSpreadMs) (default: the scenario's power_on.spread_ms, 1000). */
  readonly startSpreadMs?: number;
  /** Node log lines (default dropped). */
  readonly log?: (line: string) => void;
  /** Called once the world is built, before time starts (the hub attaches external nodes; the soak watches the honest nodes). */
  readonly onWorld?: (world: World, hostiles?: Hostiles) => void | Promise<void>;
  /**
   * Pace simulated time by the wall clock (external nodes join through the hub in real time):
   * `speed` simulated ms per wall ms, in bounded slices (pace.ts).
   */
  readonly realtime?: Pacing;
  /**
   * Stop early (Ctrl-C): the run ends at the simulated time reached and still returns a report,
   * marked `partial`. With a signal the run yields to the event loop now and then so it is heard.
   */
  readonly signal?: AbortSignal;
}

export type { ConsoleRecord, NodeReport, RunReport } from './report.js';

/** Output lines kept per command (a `monitor` prints without end). */
export const MAX_COMMAND_OUTPUT = 500;
/** Commands per node searched for the one later output came from (a ping's report, a monitor). */
const RECENT_COMMANDS = 16;

/** `hostiles`: the run's hostile nodes and what their attacks did, when the scenario has some. */
export type RunResult = { ok: true; report: RunReport; world: World; hostiles?: Hostiles } | { ok: false; error: string };

/**
 * node_options.all, overlaid per node, over the interface's defaults (LoRa: lora-options.ts).
 * App parameters merge key by key, packager timings and limits too.
 */
export function nodeOptionsOf(scenario: Scenario, i: number): SimNodeOptions {
  const all = scenario.node_options.all as Record<string, unknown>;
  const mine = (scenario.node_options.per_node[String(i)] ?? {}) as Record<string, unknown>;
  return overlayNodeOptions(overlayNodeOptions(loraNodeOptions(scenario), all), mine) as SimNodeOptions;
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

/** A scenario's pinned root: a hex key, or `{id:N}` (node N's key). */
function pinnedKey(p: string, nodeIds: readonly Uint8Array[]): string {
  const m = /^\{id:(\d+)\}$/.exec(p);
  return m ? toHex(nodeIds[Number(m[1])]) : p.toLowerCase();
}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const phase = options.onPhase;
  const built = buildWorld(scenario, { seed: options.seed, onPhase: phase });
  if (!built.ok) return built;
  const world = built.world;
  const { clock, medium, radios, random } = world;
  const s = world.scenario;
  const n = radios.length;
  // Shorter than an hour: the report's duty cycle is transmit time ÷ the run's length, and the
  // media need not keep every node's transmissions of the last hour (radio-report.ts).
  if (s.duration_ms < DUTY_WINDOW_MS) for (const m of [medium, ...world.extras.map((x) => x.medium)]) m.radioTime.totalsOnly();

  // Hostile nodes (a fork of the world's seed: the rest of the run draws what it always drew).
  const hostiles = s.hostile ? new Hostiles(world, s.hostile, nodeHashes) : undefined;

  phase?.(`drawing ${n} node ids`);
  const idStream = random.fork('node-ids');
  // Signed modes: the 32 random bytes are each node's key seed, and its id is the public key.
  const signedRun = s.security !== undefined && s.security.mode !== 'open';
  const keySeeds = signedRun ? radios.map(() => idStream.bytes(new Uint8Array(32))) : undefined;
  const nodeIds = keySeeds ? keySeeds.map((seed) => nodeSignatures.keygen(seed)) : radios.map(() => idStream.bytes(new Uint8Array(32)));
  const indexOfId = new Map(nodeIds.map((id, i) => [toHex(id), i]));

  // Bytes on air by purpose, counted as each frame is accepted by its radio. Data = the run's own
  // traffic (Ping, SimTraffic) and the scenario's apps' own Packages (their publishes travel in
  // Gossip); control = everything else (the mesh keeping itself up).
  const appNames = new SimNodeApps(nodeHashes);
  const withApps = s.apps.length > 0;
  // Frames of the scenario's apps are named by id until a node reports which app has it; Gossip
  // frames by the app whose payload they carry.
  const topics = new GossipTopics(nodeHashes, appNames.all, appNames.data, nodeIds, withApps);
  // An end-to-end ack of a routed data packet is data (`Ping ack`): an idle mesh sends none.
  const classifier = new FrameClassifier(appNames.all, withApps, (app, body) => (app === 'Gossip' ? topics.kindOf(body) : undefined), true);
  const dataKinds = new Set(appNames.data);
  const controlBytes = new Float64Array(n);
  const dataBytes = new Float64Array(n);
  const bytesByKind: Record<string, number> = {};
  // On RYLR-998 media the twin puts the module's 8 bytes before the mesh frame.
  const meshStart = s.interface === 'rylr998' ? MODULE_OVERHEAD_BYTES : 0;
  medium.onTransmit((from, air) => {
    if (from >= n) return; // an external node joined through the hub: not in the report
    const frame = meshStart > 0 ? air.subarray(meshStart) : air;
    const kind = classifier.classify(from, frame);
    bytesByKind[kind] = (bytesByKind[kind] ?? 0) + frame.length;
    const base = ackedKind(kind);
    if (dataKinds.has(base) || base.startsWith(OTHER_APP_PREFIX) || base.startsWith(TOPIC_PREFIX)) dataBytes[from] += frame.length;
    else controlBytes[from] += frame.length;
  });

  const series = new SeriesRecorder(options.bucketMs ?? s.report?.bucket_ms ?? DEFAULT_BUCKET_MS, s.duration_ms);
  const refused: Record<string, number> = {};
  const refuse = (code: string): void => {
    refused[code] = (refused[code] ?? 0) + 1;
    series.refused(clock.now(), code);
  };
  const paths = new RunPaths(medium, s.radio.usable_loss, world.extras);
  const ledger = new TrafficLedger({
    sent: (at) => series.sent(at),
    delivered: (sentAt, at) => series.delivered(sentAt, at),
    refused: (_at, code) => refuse(code),
    shortestSince: (since, a, b) => paths.realIfChangedSince(since, a, b),
  });
  const watch = new ConvergenceWatch(indexOfId);
  const live = new LiveGraph(medium, n, s.radio.usable_loss, world.extras);
  const apps = new AppLedger();
  const held = new HeldLedger();
  const appsPerNode = radios.map((_, i) => appsOf(s, i, nodeIds));
  for (const a of s.apps) apps.assigned(a.app, a.nodes === 'all' ? n : a.nodes.length);
  /** App id hex → name, as the nodes report them (to name the apps' bytes on air). */
  const appIds = new Map<string, string>();
  const consoleRecords: ConsoleRecord[] = [];
  /** Each node's latest command, which gets the console's immediate output. */
  const lastCommand: (ConsoleRecord | undefined)[] = radios.map(() => undefined);
  /** Each node's recent commands, newest last: later output goes to the one that started it. */
  const recentCommands: ConsoleRecord[][] = radios.map(() => []);
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
    message: (node, id, hops) => {
      ledger.arrived(id, node, clock.now(), hops);
      held.arrived(id, node);
    },
    heldStatus: (_node, id, status) => held.status(id, status),
    heldStore: (node, count, bytes) => held.store(node, count, bytes),
    pingRequest: (node, fromId, nonce, hops) => {
      const src = indexOfId.get(fromId);
      if (src !== undefined) ledger.pingArrived(src, node, nonce, clock.now(), hops);
    },
    pingResponse: (node, nonce) => ledger.pingAnswered(node, nonce, clock.now()),
    appSent: (node, app, how, key, to, address, topic, ok, code) => {
      if (topic !== null) topics.learn(app, topic);
      apps.sent(app, node, how, key, clock.now(), ok, how === 'send' ? destination(to, address) : undefined, topic ?? undefined);
      if (!ok) refuse(code ?? 'refused');
    },
    appReceived: (node, app, key, hops) => apps.received(app, node, key, clock.now(), hops ?? undefined),
    appSubscribed: (node, app, topic, on) => {
      topics.learn(app, topic);
      apps.subscribed(app, node, topic, on);
    },
    appFailed: (node, app, error) => apps.failed(app, node, clock.now(), error),
    appRegistered: (_node, app, id) => void appIds.set(id, app),
    console: (node, line, origin) => {
      const r = (origin !== undefined && startedBy(recentCommands[node], origin)) || lastCommand[node];
      if (!r) return;
      if (r.output.length < MAX_COMMAND_OUTPUT) r.output.push(line);
      else truncated.set(r, (truncated.get(r) ?? 0) + 1);
    },
  };
  // The RYLR-998 drivers' counters (duty sheds, stale drops) for the report: the Packager never sees them.
  const radioTally = new RadioTally();
  const twins: TwinSpec | undefined =
    s.interface === 'rylr998' ? { radio: { dutyCycle: s.radio.duty_cycle_limit ?? 0, ...(s.radio.room_notices && { roomNotices: true }) }, ...(s.radio.lora && { lora: s.radio.lora }) } : undefined;
  const setup: NodeSetup = {
    clock,
    random,
    radios,
    nodeIds,
    options: radios.map((_, i) => nodeOptionsOf(s, i)),
    ...(keySeeds && s.security && { keySeeds, signatures: nodeSignatures, security: { mode: s.security.mode, pinned_roots: s.security.pinned_roots.map((p) => pinnedKey(p, nodeIds)), root_work: s.security.root_work, root_work_floor: s.security.root_work_floor } }),
    ...(withApps && { apps: appsPerNode }),
    events,
    log: options.log,
    // RYLR-998 nodes run the real driver against an AT-speaking twin of the module.
    ...(twins && { radioFor: rylr998Twins(twins.radio, twins.lora, radioTally), rylr998: { spec: twins, tally: radioTally } }),
    ...(world.extras.length > 0 && { extraRadios: extraRadioSetups(world.extras, radioTally) }),
    // Hostile nodes send and hear through a TapRadio (espnow only: validate.ts).
    ...(hostiles && { radioFor: hostiles.radioFor() }),
  };
  phase?.(`setting up ${n} nodes`);
  const loaded = await loadAppModules(s);
  if (!loaded.ok) return loaded;
  if (loaded.modules.length > 0) Object.assign(setup, { appModules: loaded.modules });
  const driver = options.driver ? await options.driver(setup) : new InprocDriver(setup, memoHashes(nodeHashes));

  try {
    await options.onWorld?.(world, hostiles);
    phase?.('simulating');
    powerOnTimes(s.power_on, n, random, options.startSpreadMs).forEach((t, i) => clock.setTimeout(() => driver.boot(i), t));

    scheduleChurn(s, clock, medium, {
      nodeDown: (i) => driver.shutdown(i),
      nodeUp: (i) => {
        series.booted(i);
        driver.boot(i);
      },
      currentRoot: () => majorityRoot(watch.latest, indexOfId),
      largestBranch: () => largestBranch(watch.latest),
      applied: (event, node) => {
        paths.changed(clock.now());
        live.changed();
        watch.churn(clock.now(), event.action, { node, name: 'name' in event ? event.name : undefined });
      },
    });
    scheduleSleepWindows(s, clock, medium);

    const sampleMs = options.sampleMs ?? 1000;
    let countersAt = series.bucketMs;
    const sample = (): void => {
      const t = clock.now();
      const lost = { ...medium.stats.lost };
      const onAir = medium.stats.sent;
      driver.views((v) => {
        watch.observe(t, v, live.parts((i) => v[i]?.running === true));
        series.sample(t, v, onAir, lost);
      });
      // The Packagers' drop counters once per bucket (counters only: a full NodeState of every
      // node, routes and all, cost a third more run time at 1,000 nodes).
      if (t >= countersAt) {
        countersAt += series.bucketMs;
        driver.counters((c) => series.counters(t, c.map(dropCounters)));
      }
      if (t + sampleMs <= s.duration_ms) clock.setTimeout(sample, sampleMs);
    };
    clock.setTimeout(sample, sampleMs);

    scheduleFlows(planFlows(s, random, new Set(hostiles?.indices)), clock, (flow) => sendTraffic(flow));
    function sendTraffic(flow: Flow): void {
      if (!medium.isUp(flow.src)) return ledger.skip('src_down');
      if (flow.kind === 'held') return sendHeld(flow);
      if (!medium.isUp(flow.dst)) return ledger.skip('dst_down');
      const from = watch.latest[flow.src];
      const to = watch.latest[flow.dst];
      if (!from?.address || !to?.address) return ledger.skip('no_address');
      if (paths.usable(flow.src, flow.dst) < 0) return ledger.skip('unreachable');
      const hops = paths.real(flow.src, flow.dst);
      const id = ledger.sent(flow.id, flow.src, flow.dst, clock.now(), hops, flow.kind === 'ping', flow.metric);
      const order = {
        kind: flow.kind,
        messageId: id,
        size: flow.size,
        metric: flow.metric === 'dCPL' ? Metric.dCPL : Metric.dTree,
        dstId: toHex(nodeIds[flow.dst]),
        dstAddress: flow.byId ? undefined : to.address,
        dstTreeState: to.treeState,
      };
      driver.send(flow.src, order, (error) => {
        if (error) ledger.failed(error, clock.now());
      });
    }

    /** A held message goes out whatever the destination's state: holding it is the point. */
    function sendHeld(flow: Flow): void {
      const to = watch.latest[flow.dst];
      const away = !medium.isUp(flow.dst) || !to?.address || paths.usable(flow.src, flow.dst) < 0;
      const id = ledger.sent(flow.id, flow.src, flow.dst, clock.now(), paths.real(flow.src, flow.dst), false, flow.metric);
      held.sent(id, flow.dst, away, flow.entry);
      const order = { kind: flow.kind, messageId: id, size: flow.size, metric: Metric.dTree, dstId: toHex(nodeIds[flow.dst]), dstAddress: to?.address, dstTreeState: to?.treeState ?? 0, lifetimeMs: flow.lifetimeMs };
      driver.send(flow.src, order, (error) => {
        if (error) ledger.failed(error, clock.now());
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
      const recent = recentCommands[node];
      recent.push(record);
      if (recent.length > RECENT_COMMANDS) recent.shift();
      if (missing !== undefined) return void record.output.push(missing);
      driver.command(node, expanded, (ran) => {
        if (!ran) record.output.push('node is down');
      });
    }

    // Time runs one timer at a time so a driver can finish a node's work before the next one.
    const end = s.duration_ms;
    const progressEvery = Math.max(1, Math.min(end / 200, options.progressMs ?? Infinity));
    let nextProgress = progressEvery;
    const wallDue = options.onProgress ? wallClockDue(options.progressWallMs ?? 1000) : undefined;
    const stop = options.signal;
    const yielder = stop && yieldEvery(50);
    const runUntil = async (target: number, deadline = Infinity): Promise<boolean> => {
      while (!stop?.aborted && clock.step(target)) {
        const work = driver.flush();
        if (work) await work;
        if (yielder) await yielder();
        if (clock.now() >= nextProgress) {
          options.onProgress?.(clock.now(), end);
          nextProgress = (Math.floor(clock.now() / progressEvery) + 1) * progressEvery;
          wallDue?.(true);
        } else if (wallDue?.(false)) options.onProgress?.(clock.now(), end);
        if (deadline !== Infinity && performance.now() >= deadline) return false;
      }
      if (!stop?.aborted) clock.moveTo(target);
      return true;
    };
    if (options.realtime) {
      await runPaced(options.realtime, clock, end, runUntil, stop);
    } else {
      await runUntil(end);
    }

    // Stopped early: the report covers the time reached.
    const reached = stop?.aborted ? clock.now() : end;
    let finalViews: (TreeView | undefined)[] = [];
    let finalStates: (NodeState | undefined)[] = [];
    driver.views((v) => (finalViews = v));
    driver.stats((st) => (finalStates = st));
    const work = driver.flush();
    if (work) await work;
    watch.observe(reached, finalViews, live.parts((i) => finalViews[i]?.running === true));
    series.sample(reached, finalViews, medium.stats.sent, medium.stats.lost);
    series.counters(reached, finalStates.map((st) => st?.counters).map(dropCounters));
    options.onProgress?.(reached, end);
    const engine = await driver.extras();

    for (const [r, more] of truncated) r.output.push(`... ${more} more lines`);
    const named: Record<string, number> = {};
    const topicApps = topics.names(appIds);
    for (const [kind, bytes] of Object.entries(bytesByKind)) {
      const base = ackedKind(kind);
      const suffix = kind.slice(base.length);
      const name = (base.startsWith(OTHER_APP_PREFIX) ? (appIds.get(base.slice(OTHER_APP_PREFIX.length)) ?? base) : (topicApps.get(base) ?? base)) + suffix;
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
      refused,
      series: series.snapshot(),
      radioCounters: radios.map((_, i) => radioTally.counters(i)),
      ...(held.summary().sent > 0 && { storeForward: held.summary() }),
      ...(reached < end && { stoppedAtMs: reached }),
    });
    if (world.extras.length > 0) Object.assign(report, { interfaces: interfaceReports(world.extras, n, reached) });
    return { ok: true, report, world, ...(hostiles && { hostiles }) };
  } finally {
    await driver.close();
  }
}

/**
 * The nodes' second radios (bridges): a RYLR-998 runs the real driver against its twin, with the
 * LoRa interface timings of a bridge (modules/rylr998/bridge.ts).
 */
function extraRadioSetups(extras: World['extras'], tally: RadioTally): ExtraRadioSetup[] {
  return extras.map((x) => {
    const r = x.spec.radio;
    if (x.spec.interface !== 'rylr998' || !r.lora) return { radios: x.radios, options: {} };
    return {
      radios: x.radios,
      radioFor: rylr998Twins({ dutyCycle: r.duty_cycle_limit ?? 0, ...(r.room_notices && { roomNotices: true }) }, r.lora, tally),
      options: loraBridgeInterface(r.lora, r.duty_cycle_limit ?? 0),
    };
  });
}

/** A node's Packager counters that count losses (undefined: powered off). */
function dropCounters(counters: Record<string, number> | undefined): Record<string, number> | undefined {
  if (!counters) return undefined;
  const out: Record<string, number> = {};
  for (const [k, c] of Object.entries(counters)) if (c > 0 && isDropCounter(k)) out[k] = c;
  return out;
}

/**
 * A function that resolves at once, except every `ms` of wall time, when it waits one turn of the
 * event loop (so a signal handler can run during a long synchronous stretch of simulation).
 */
function yieldEvery(ms: number): () => Promise<void> | undefined {
  let last = performance.now();
  let calls = 0;
  return () => {
    if ((++calls & 255) !== 0 || performance.now() - last < ms) return undefined;
    last = performance.now();
    return new Promise((r) => setImmediate(r));
  };
}

/**
 * True when `ms` of wall time have passed since the last true (or `reset`). Reads the wall clock
 * only every 256th call: a timer costs a few µs, and progress needs no finer grain.
 */
function wallClockDue(ms: number): (reset: boolean) => boolean {
  let last = performance.now();
  let calls = 0;
  return (reset) => {
    if (reset) {
      last = performance.now();
      return false;
    }
    if ((++calls & 255) !== 0 || performance.now() - last < ms) return false;
    last = performance.now();
    return true;
  };
}

/** The node index of the root most live nodes follow. */
function majorityRoot(views: readonly (TreeView | undefined)[], indexOfId: ReadonlyMap<string, number>): number | undefined {
  let best: string | undefined;
  let count = 0;
  for (const [root, c] of rootsOf(views)) if (c > count) [best, count] = [root, c];
  return best === undefined ? undefined : indexOfId.get(best);
}

/** The newest of `recent` whose line (as run) is `origin`. */
function startedBy(recent: readonly ConsoleRecord[], origin: string): ConsoleRecord | undefined {
  for (let i = recent.length - 1; i >= 0; i--) if ((recent[i].expanded ?? recent[i].line).trim() === origin) return recent[i];
  return undefined;
}
