/**
 * The XS runner: every simulated node runs inside the real XS engine (xsnap-worker processes
 * from @agoric/xsnap), while this process keeps the virtual clock, the medium, churn and
 * traffic. Same scenario and seed → the same report as the in-process runner, plus XS heap
 * figures per node in `report.engine`.
 *
 *   import { createXsDriver } from './xs-driver.js';
 *   await runScenario(scenario, { driver: (setup) => createXsDriver(setup, { nodesPerWorker: 4 }) });
 *
 * `createXsDriver(setup, options?)` bundles xs-worker-entry.ts (unless `options.script` gives
 * the bundle, see `bundleXsWorker`), starts ceil(n / nodesPerWorker) workers (at most
 * `maxWorkers`, else it throws saying what to pass) and resolves once they are ready. It needs
 * the xsnap-worker binary (`xsnapAvailable()` from ./xsnap.mjs says whether it is built).
 *
 * Why the results match: the only thing that differs from in-process is *when* node code runs.
 * In-process, a clock callback calls the node directly; here the driver queues a job, and the
 * run awaits `flush()` after every clock event, which runs the queued jobs one at a time in
 * queue order (consecutive jobs for one worker go as one batch). A worker keeps its nodes'
 * timers on its own clock, numbered in the host clock's id sequence (each batch and each radio
 * call hands the sequence across), and this process keeps one stand-in timer per worker at the
 * due time and id of its next one: the timers of host and nodes fire in one order, same-time
 * ones by id, as in-process. When a batch leaves nothing else waiting here, the worker runs on
 * through its timers that come before the host's next timer (and the run's step limit) without
 * a round trip each; its radio calls are applied here at the worker's time and ids: held by the
 * worker, which knows their answers from each batch's outlook of its nodes (xs-protocol.ts), and
 * sent with its answer, or, when it cannot know, synchronous calls back to this process
 * (issueCommand). Node randomness is the
 * same forked stream; SHA-256 is this process's (a SHA256 call, as a device's is native), CRC-32
 * the portable one in XS: the same bytes as in-process. Two
 * conditions on the run: a clock callback must not set timers itself *after* calling the driver
 * (in-process the node's timers would be set first, here after, and same-time timers would fire
 * in another order); and the node event handlers (SimNodeEvents) and answer callbacks must not
 * set timers at all (they are replayed after the batch, at the time each happened: they may
 * read the clock, as the report's ledgers do).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import type { NodeState } from '../../modules/mycelium/node.js';
import type { TimerHandle } from '../../modules/mycelium/platform/platform.js';
import { bundleForXS } from './bundle.mjs';
import { CoreWatch, pinToOneCore, processCpuMs, type Pin } from './same-core.js';
import { leanWorkerPath, openXS, xsnapWorkerPath, type XSSession } from './xsnap.mjs';
import type { NodeDriver } from '../runner/driver.js';
import { xsWorkerAppScript } from '../runner/app-modules.js';
import { nodeStreamLabel, type NodeSetup } from '../runner/inproc-driver.js';
import type { TrafficOrder, TreeView } from '../runner/sim-node.js';
import { Command, HELD_HEADER_BYTES, encodeOutlook, REPLY_BYTES, type Job, type JobBatch, type Output } from './xs-protocol.js';
import { encodeBatch, type TextCodec } from './xs-batch-codec.js';

export interface XsDriverOptions {
  /** Nodes hosted by one xsnap-worker (default 1, which gives a heap figure per node). */
  readonly nodesPerWorker?: number;
  /**
   * Most workers to start (default 64; each takes about 50 MB of resident memory); needing more is
   * an error that names the nodesPerWorker to use.
   */
  readonly maxWorkers?: number;
  /**
   * A batch of jobs unanswered after this many wall-clock ms fails the run (default 60000). Only
   * where the workers talk through streams: on Linux they use blocking I/O (xsnap.mjs `syncIO`),
   * where a stuck worker blocks the run (a worker that dies still fails it at once).
   */
  readonly jobTimeoutMs?: number;
  /** The bundled worker script (default: bundleXsWorker()); pass it to bundle once for many runs. */
  readonly script?: string;
  /** print()/console output from XS and the workers' stderr (default: this process's stderr). */
  readonly onXsLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /**
   * Which xsnap-worker: 'lean' (default) is scripts/build-xs-worker.mjs's build, without the
   * debugger and the bytecode meter, when it is built, else the package's; 'package' is always
   * @agoric/xsnap's own (its meter counts bytecodes, its stack traces name lines).
   */
  readonly worker?: 'lean' | 'package';
  /**
   * Put this process and the workers on one core once they have started, while the run has it to
   * itself (same-core.ts): for a process that runs one simulation and exits (mycelium-sim), not
   * for one that goes on with other work (tests).
   */
  readonly sameCore?: boolean;
}

/** The worker build a run used: XSNAP_WORKER from the environment names its own. */
export function xsWorkerKind(worker: XsDriverOptions['worker'] = 'lean'): 'lean' | 'package' | 'XSNAP_WORKER' {
  if (process.env.XSNAP_WORKER) return 'XSNAP_WORKER';
  return xsnapWorkerPath({ lean: worker === 'lean' }) === leanWorkerPath() ? 'lean' : 'package';
}

/**
 * Heap of one node (see HEAP_UNIT for what is counted). The figure includes one-time state the
 * first node of a worker leaves there (lazily built module state, interned property keys): a
 * node powered off at the end still shows that part, about 1,300-1,500 slots in a 3-node line,
 * against about 2,000 for a live one. Boot/shutdown cycles add only a few dozen slots each.
 */
export type XsNodeHeap = {
  readonly index: number;
  /** Powered on at the end of the run. */
  readonly up: boolean;
  readonly slots: number;
  readonly slot_bytes_64bit: number;
  readonly slot_bytes_esp32_estimate: number;
};

/** What the XS runner adds to the report (`report.engine`). */
export type XsEngineReport = {
  readonly runner: 'xs';
  /** The xsnap-worker build that ran the nodes (xsWorkerKind). */
  readonly worker: 'lean' | 'package' | 'XSNAP_WORKER';
  /** Host and workers on one core (same-core.ts): to the end, given up when a neighbour took the core, or never. */
  readonly same_core: 'pinned' | 'released' | 'off';
  readonly workers: number;
  readonly nodes_per_worker: number;
  readonly heap: {
    readonly unit: string;
    readonly per_node_is: 'measured' | 'its worker net heap divided by the nodes it hosts';
    readonly baseline_slots_per_worker: number;
    readonly total_slots: number;
    readonly mean_slots: number;
    readonly max_slots: number;
    readonly mean_slot_bytes_64bit: number;
    readonly mean_slot_bytes_esp32_estimate: number;
    readonly per_node: readonly XsNodeHeap[];
  };
  /** Round trips to the workers: what running the nodes' timers in the workers saves. */
  readonly crossings: {
    /** Inputs sent to workers (each a round trip through the host's event loop). */
    readonly batches: number;
    /** Radio calls (send, broadcast, sleep, wake) that crossed: each answered at once, a round trip of its own. */
    readonly radio_calls: number;
    /** Radio calls the workers held (answered themselves; sent with a later call or their answer). */
    readonly held_radio_calls: number;
    /** The nodes' timers the workers ran. */
    readonly node_timers: number;
    /** Batches sent only because a worker's next timer fell due (the rest ran on without one). */
    readonly node_timer_batches: number;
  };
};

/** With blocking I/O, batches between two turns of the event loop (see XsDriver.flush). */
const SYNC_YIELD_EVERY = 256;

/** Bytes per XS slot: 64-bit hosts (this process's workers) and 32-bit ESP32 builds. */
const SLOT_BYTES_64BIT = 32;
const SLOT_BYTES_ESP32 = 16;
/** openXS's whole-session limit: a run may take hours; stuck jobs are caught by jobTimeoutMs. */
const SESSION_LIMIT_MS = 2 ** 31 - 1;

const HEAP_UNIT =
  'XS slots live after gc() (xsnap meter currentHeapCount), net of a worker with the bundle loaded and no node. ' +
  `Slots only: chunks (string characters, ArrayBuffer/TypedArray bytes) are not counted by xsnap's meter. ` +
  `Bytes = slots x ${SLOT_BYTES_64BIT} on this 64-bit host; the ESP32 figure is slots x ${SLOT_BYTES_ESP32} (32-bit slots), an estimate.`;

/**
 * Path of the worker entry: next to this file, or, when this module was bundled elsewhere
 * (simulator/cli/run-ts.mjs writes bundles under node_modules/.cache), found from the bundle's
 * folder upwards, then from the working directory.
 */
export function xsWorkerEntryPath(): string {
  const relative = path.join('simulator', 'xs', 'xs-worker-entry.ts');
  const starts = [process.cwd()];
  if (import.meta.url.startsWith('file:')) {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const beside = path.join(here, 'xs-worker-entry.ts');
    if (existsSync(beside)) return beside;
    starts.unshift(here);
  }
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, relative))) return path.join(dir, relative);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`cannot find ${relative} (looked upwards from ${starts.join(' and ')})`);
}

/** The worker script: xs-worker-entry.ts bundled for XS. */
export function bundleXsWorker(): Promise<string> {
  return bundleForXS(xsWorkerEntryPath(), { hoistBuiltins: true });
}

/**
 * What of `setup` the workers cannot build as in-process, so that the report would differ without
 * a word (undefined: nothing). The RYLR-998 radios they build (`rylr998`); other radios made by
 * a factory (hostile nodes' taps), second radios and the signed modes' keys they do not.
 */
export function xsUnsupported(setup: NodeSetup): string | undefined {
  if (setup.keySeeds || setup.security) return 'signed modes (scenario "security")';
  if ((setup.extraRadios?.length ?? 0) > 0) return 'nodes with a second radio (scenario "radios")';
  if (setup.radioFor && !setup.rylr998) return 'radios built by a factory other than the RYLR-998 twins (hostile nodes)';
  return undefined;
}

/** Starts the workers for `setup` and loads the nodes' configuration into them (see top of file). */
export async function createXsDriver(setup: NodeSetup, options: XsDriverOptions = {}): Promise<XsDriver> {
  const unsupported = xsUnsupported(setup);
  if (unsupported) throw new Error(`the XS runner does not run ${unsupported}: its report would differ from the in-process one; use the in-process runner`);
  const n = setup.radios.length;
  const perWorker = options.nodesPerWorker ?? 1;
  const maxWorkers = options.maxWorkers ?? 64;
  if (!Number.isInteger(perWorker) || perWorker < 1) throw new Error(`nodesPerWorker must be a positive integer, got ${perWorker}`);
  const count = Math.ceil(n / perWorker);
  if (count > maxWorkers) {
    throw new Error(
      `the XS runner would need ${count} xsnap-workers for ${n} nodes at ${perWorker} per worker, more than the limit of ${maxWorkers}: ` +
        `use nodesPerWorker >= ${Math.ceil(n / maxWorkers)} (or raise maxWorkers)`,
    );
  }
  const script = (options.script ?? (await bundleXsWorker())) + xsWorkerAppScript(setup.appModules ?? []);
  const driver = new XsDriver(setup, options.jobTimeoutMs ?? 60_000, options.worker ?? 'lean');
  await driver.start(script, perWorker, options.onXsLog);
  if (options.sameCore) driver.shareOneCore();
  return driver;
}

/** One xsnap-worker and the host side of its nodes' timers. */
class Worker {
  readonly id: number;
  /** Node indices hosted, in hosting order. */
  readonly nodes: readonly number[];
  /** The stand-in on the host clock for the worker's next timer (its due time and id). */
  standIn: TimerHandle | undefined;
  session: XSSession | undefined;
  /** Live slots with the bundle loaded and no node. */
  baselineSlots = 0;

  constructor(id: number, nodes: readonly number[]) {
    this.id = id;
    this.nodes = nodes;
  }

  describe(): string {
    const n = this.nodes;
    return `XS worker ${this.id} (node${n.length === 1 ? ` ${n[0]}` : `s ${n[0]}..${n[n.length - 1]}`})`;
  }
}

/** A queued job, with what to do with its answer; or host work that must wait its turn. */
type Queued = { readonly worker: Worker; readonly job: Job; readonly answer?: (value: unknown) => void } | { readonly host: () => void };

const NOTHING = new Uint8Array(0);

export class XsDriver implements NodeDriver {
  readonly #setup: NodeSetup;
  readonly #jobTimeoutMs: number;
  readonly #workers: Worker[] = [];
  /** The worker hosting each node. */
  readonly #workerOf: Worker[] = [];
  readonly #boots: number[];
  readonly #up: boolean[];
  #queue: Queued[] = [];
  #failure: Error | undefined;
  #closed = false;
  #batches = 0;
  #radioCalls = 0;
  #heldCalls = 0;
  #timerBatches = 0;
  /** Every worker has runSync (xsnap.mjs `syncIO`): batches need no promise. */
  #syncIO = false;
  #sinceYield = 0;
  readonly #worker: 'lean' | 'package';
  #pin: Pin | undefined;
  #coreWatch: CoreWatch | undefined;
  #sameCore: 'pinned' | 'released' | 'off' = 'off';

  /** Use createXsDriver. */
  constructor(setup: NodeSetup, jobTimeoutMs: number, worker: 'lean' | 'package') {
    this.#setup = setup;
    this.#jobTimeoutMs = jobTimeoutMs;
    this.#worker = worker;
    this.#boots = setup.radios.map(() => 0);
    this.#up = setup.radios.map(() => false);
  }

  /** This process and the workers on one core, watched (same-core.ts); does nothing where it cannot. */
  shareOneCore(): void {
    this.#pin = pinToOneCore(this.#workerPids());
    if (this.#pin === undefined) return;
    this.#sameCore = 'pinned';
    this.#coreWatch = new CoreWatch(performance.now(), this.#runCpuMs());
  }

  #workerPids(): number[] {
    const pids: number[] = [];
    for (const w of this.#workers) if (w.session?.pid !== undefined) pids.push(w.session.pid);
    return pids;
  }

  /** CPU ms of this process and the workers so far. */
  #runCpuMs(): number {
    const host = process.cpuUsage();
    return (host.user + host.system) / 1000 + this.#workerPids().reduce((a, pid) => a + processCpuMs(pid), 0);
  }

  /** Gives the core up for good when the run no longer has it to itself. */
  #watchCore(): void {
    if (this.#coreWatch?.sample(performance.now(), this.#runCpuMs()) !== 'unpin') return;
    this.#pin?.release();
    this.#pin = undefined;
    this.#sameCore = 'released';
  }

  /** Spawns the workers, measures their empty heap and sends them their nodes. */
  async start(script: string, perWorker: number, onLog: XsDriverOptions['onXsLog']): Promise<void> {
    const s = this.#setup;
    const n = s.radios.length;
    for (let first = 0; first < n; first += perWorker) {
      const nodes = Array.from({ length: Math.min(perWorker, n - first) }, (_, k) => first + k);
      const w = new Worker(this.#workers.length, nodes);
      this.#workers.push(w);
      for (const i of nodes) this.#workerOf[i] = w;
    }
    const opened = await Promise.allSettled(
      this.#workers.map(async (w) => {
        w.session = await openXS(script, {
          name: `mycelium-sim-${w.id}`,
          timeoutMs: SESSION_LIMIT_MS,
          onCommand: (payload) => this.#command(w, payload),
          // Blocking I/O (Linux): a batch is a write and reads, not a turn of the event loop.
          syncIO: true,
          lean: this.#worker === 'lean',
          ...(onLog && { onLog }),
        });
      }),
    );
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    this.#syncIO = this.#workers.every((w) => w.session?.runSync !== undefined);
    if (failed) {
      await this.close();
      throw new Error(`the XS runner could not start its workers: ${errorText(failed.reason)}`, { cause: failed.reason });
    }
    try {
      for (const w of this.#workers) {
        await this.#run(w, [{ worker: w, job: { k: 'gc' } }]); // warm-up: the first batch allocates for itself
        w.baselineSlots = (await this.#run(w, [{ worker: w, job: { k: 'gc' } }])) ?? 0;
      }
      for (const w of this.#workers) {
        const nodes = w.nodes.map((i) => {
          const r = s.radios[i];
          return { index: i, nodeId: hex(s.nodeIds[i]), options: s.options[i], apps: s.apps?.[i] ?? [], radio: { name: r.name, bitrate: r.bitrate, schemaIds: r.schemaIds, mtu: r.mtu, maxFrame: r.maxFrame, frameFloor: r.frameTimerFloor() ?? null } };
        });
        this.#enqueue(w, { k: 'init', nodes, log: s.log !== undefined, ...(s.rylr998 && { rylr998: s.rylr998.spec }) });
      }
      await this.flush();
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  boot(i: number): void {
    // As InprocDriver.boot: the stream of this node's next power-on, forked on the host.
    const seed = this.#setup.random.fork(nodeStreamLabel(i, this.#boots[i]++)).seed;
    this.#up[i] = true;
    this.#enqueue(this.#workerOf[i], { k: 'boot', i, seed });
  }

  shutdown(i: number): void {
    this.#up[i] = false;
    this.#enqueue(this.#workerOf[i], { k: 'down', i });
  }

  send(i: number, order: TrafficOrder, done: (error: string | undefined) => void): void {
    this.#enqueue(this.#workerOf[i], { k: 'send', i, order }, (error) => done(typeof error === 'string' ? error : undefined));
  }

  command(i: number, line: string, done: (ran: boolean) => void): void {
    this.#enqueue(this.#workerOf[i], { k: 'cmd', i, line }, (ran) => done(ran === true));
  }

  views(done: (views: (TreeView | undefined)[]) => void): void {
    const views: (TreeView | undefined)[] = this.#setup.radios.map(() => undefined);
    this.#gather('views', (i, v) => (views[i] = treeView(v)));
    this.#queue.push({ host: () => done(views) });
  }

  stats(done: (stats: (NodeState | undefined)[]) => void): void {
    const stats: (NodeState | undefined)[] = this.#setup.radios.map(() => undefined);
    this.#gather('stats', (i, st) => (stats[i] = st === null ? undefined : (st as NodeState)));
    this.#queue.push({ host: () => done(stats) });
  }

  counters(done: (counters: (Record<string, number> | undefined)[]) => void): void {
    const counters: (Record<string, number> | undefined)[] = this.#setup.radios.map(() => undefined);
    this.#gather('counters', (i, c) => (counters[i] = c === null ? undefined : (c as Record<string, number>)));
    this.#queue.push({ host: () => done(counters) });
  }

  flush(): Promise<void> | undefined {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#queue.length === 0) return undefined;
    if (!this.#syncIO) return this.#drain();
    // Blocking I/O: the batches run here and now, with no promise and no turn of the event loop
    // per clock event; every SYNC_YIELD_EVERY batches the run yields once anyway, so that the
    // workers' print() lines and stderr (streams) are read before their pipes fill.
    try {
      this.#drainSync();
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (++this.#sinceYield < SYNC_YIELD_EVERY) return undefined;
    this.#sinceYield = 0;
    if (this.#pin) this.#watchCore();
    return new Promise((resolve) => setImmediate(resolve));
  }

  /**
   * Heap per node: live slots after gc(), net of the worker's empty baseline. First the workers'
   * RYLR-998 driver counters go to the run's tally, where in-process radios count theirs: the
   * report reads it after this.
   */
  async extras(): Promise<XsEngineReport> {
    const tally = this.#setup.rylr998?.tally;
    if (tally) this.#gather('radio', (i, c) => c !== null && tally.addClosed(i, c as Record<string, number>));
    let nodeTimers = 0;
    for (const w of this.#workers) {
      this.#enqueue(w, { k: 'tally' }, (n) => (nodeTimers += Number(n)));
    }
    await this.flush();
    const perNode: XsNodeHeap[] = [];
    for (const w of this.#workers) {
      const slots = (await this.#run(w, [{ worker: w, job: { k: 'gc' } }])) ?? 0;
      // Nodes sharing a worker share its heap evenly: a per-node figure needs nodesPerWorker 1.
      const each = Math.round((slots - w.baselineSlots) / w.nodes.length);
      for (const i of w.nodes) perNode.push({ index: i, up: this.#up[i], slots: each, slot_bytes_64bit: each * SLOT_BYTES_64BIT, slot_bytes_esp32_estimate: each * SLOT_BYTES_ESP32 });
    }
    const total = perNode.reduce((a, p) => a + p.slots, 0);
    const mean = perNode.length > 0 ? Math.round(total / perNode.length) : 0;
    const baseline = Math.round(this.#workers.reduce((a, w) => a + w.baselineSlots, 0) / Math.max(1, this.#workers.length));
    return {
      runner: 'xs',
      worker: xsWorkerKind(this.#worker),
      same_core: this.#sameCore,
      workers: this.#workers.length,
      nodes_per_worker: this.#workers[0]?.nodes.length ?? 0,
      heap: {
        unit: HEAP_UNIT,
        per_node_is: this.#workers.every((w) => w.nodes.length === 1) ? 'measured' : 'its worker net heap divided by the nodes it hosts',
        baseline_slots_per_worker: baseline,
        total_slots: total,
        mean_slots: mean,
        max_slots: Math.max(0, ...perNode.map((p) => p.slots)),
        mean_slot_bytes_64bit: mean * SLOT_BYTES_64BIT,
        mean_slot_bytes_esp32_estimate: mean * SLOT_BYTES_ESP32,
        per_node: perNode,
      },
      crossings: {
        batches: this.#batches,
        radio_calls: this.#radioCalls,
        held_radio_calls: this.#heldCalls,
        node_timers: nodeTimers,
        node_timer_batches: this.#timerBatches,
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#failure ??= new Error('the XS driver is closed');
    this.#queue = [];
    this.#pin?.release();
    this.#pin = undefined;
    await Promise.all(this.#workers.map((w) => w.session?.close()));
  }

  // ---- queue --------------------------------------------------------------------------------

  #enqueue(worker: Worker, job: Job, answer?: (value: unknown) => void): void {
    this.#queue.push(answer ? { worker, job, answer } : { worker, job });
  }

  /** Ask every worker for `kind`, handing each hosted node's answer to `each`. */
  #gather(kind: 'views' | 'stats' | 'counters' | 'radio', each: (node: number, value: unknown) => void): void {
    for (const w of this.#workers) {
      this.#enqueue(w, { k: kind }, (list) => {
        if (!Array.isArray(list) || list.length !== w.nodes.length) throw new Error(`${w.describe()} answered ${kind} with ${JSON.stringify(list)?.slice(0, 80)}`);
        w.nodes.forEach((i, k) => each(i, list[k]));
      });
    }
  }

  /** Run the queue in order: host work inline, consecutive jobs of one worker as one batch. */
  async #drain(): Promise<void> {
    for (let next = this.#nextBatch(); next; next = this.#nextBatch()) await this.#run(next.worker, next.batch, next.ahead);
  }

  /** #drain for blocking I/O: the same batches in the same order, each finished before the next. */
  #drainSync(): void {
    for (let next = this.#nextBatch(); next; next = this.#nextBatch()) {
      const { worker, batch } = next;
      const input = this.#input(worker, batch, next.ahead);
      let reply: ReturnType<NonNullable<XSSession['runSync']>>;
      try {
        if (this.#failure) throw this.#failure;
        reply = (worker.session as Required<XSSession>).runSync(input);
      } catch (e) {
        throw this.#failSync(this.#batchError(worker, batch, e));
      }
      const broken = this.#replay(worker, batch, reply.output);
      if (broken) throw this.#failSync(broken);
    }
  }

  /** Host work at the queue's head, run inline; then the next run of one worker's jobs, taken off the queue. */
  #nextBatch(): { worker: Worker; batch: Extract<Queued, { worker: Worker }>[]; ahead: boolean } | undefined {
    const q = this.#queue;
    while (q.length > 0) {
      const head = q[0];
      if ('host' in head) {
        q.shift();
        head.host();
        continue;
      }
      let end = 1;
      while (end < q.length && (q[end] as { worker?: Worker }).worker === head.worker) end++;
      const batch = q.splice(0, end) as Extract<Queued, { worker: Worker }>[];
      // The worker may run its timers on only when nothing else waits here: no later job of
      // this instant, and no answer whose callback would act on the host before those timers.
      return { worker: head.worker, batch, ahead: q.length === 0 && batch.every((b) => b.answer === undefined) };
    }
    return undefined;
  }

  /** Send one batch to its worker, replay what it reports; resolves with the reply's live slot count. */
  async #run(w: Worker, batch: readonly Extract<Queued, { worker: Worker }>[], ahead = false): Promise<number | undefined> {
    let reply: Awaited<ReturnType<XSSession['run']>>;
    try {
      if (this.#failure) throw this.#failure;
      const session = w.session as XSSession;
      const input = this.#input(w, batch, ahead);
      reply = session.runSync ? session.runSync(input) : await this.#withTimeout(session.run(input));
    } catch (e) {
      throw await this.#fail(this.#batchError(w, batch, e));
    }
    const broken = this.#replay(w, batch, reply.output);
    if (broken) throw await this.#fail(broken);
    return reply.meter?.currentHeapCount;
  }

  /** The input of a batch in bytes (counted, xs-batch-codec.ts), with the horizon when the worker may run ahead. */
  #input(w: Worker, batch: readonly Extract<Queued, { worker: Worker }>[], ahead: boolean): Uint8Array {
    const jobs = batch.map((b) => b.job);
    const clock = this.#setup.clock;
    this.#batches++;
    if (jobs.length === 1 && jobs[0].k === 'tick') this.#timerBatches++;
    const input: JobBatch = { now: clock.now(), id: clock.nextTimerId, jobs };
    const outlook = this.#outlook(w);
    if (outlook) Object.assign(input, { outlook });
    if (ahead) {
      // The worker's own stand-in must not bound it: the horizon is the next timer of the rest.
      if (w.standIn !== undefined) clock.clearTimeout(w.standIn);
      w.standIn = undefined;
      const next = clock.peekNext();
      Object.assign(input, { ahead: [next?.due ?? Number.MAX_VALUE, next?.id ?? 0, clock.stepLimit] });
    }
    return encodeBatch(input, NODE_TEXT);
  }

  /** What each of the worker's nodes' radio calls meet now (xs-protocol.ts); undefined when a radio cannot say. */
  #outlook(w: Worker): Uint8Array | undefined {
    const nodes = w.nodes;
    const outlooks = [];
    for (let k = 0; k < nodes.length; k++) {
      const o = this.#setup.radios[nodes[k]].transmitOutlook();
      if (!o) return undefined;
      outlooks.push(o);
    }
    return encodeOutlook(outlooks);
  }

  #batchError(w: Worker, batch: readonly Extract<Queued, { worker: Worker }>[], e: unknown): Error {
    return new Error(`${w.describe()} failed at simulated ${this.#setup.clock.now()} ms running [${batch.map((b) => b.job.k).join(', ')}]: ${errorText(e)}`, { cause: e });
  }

  /** Replays a batch's outputs on the host, in order; the protocol error, if the worker broke it. */
  #replay(w: Worker, batch: readonly Extract<Queued, { worker: Worker }>[], output: string): Error | undefined {
    const clock = this.#setup.clock;
    const answers = batch.filter((b) => b.answer !== undefined);
    let next = 0;
    let at = clock.now();
    for (const o of JSON.parse(output) as Output[]) {
      if (o[0] === 'k') {
        this.#standIn(w, o[1], o[2], o[3]);
      } else if (o[0] === 'c') {
        this.#command(w, Buffer.from(o[1], 'base64')); // held commands, before any other output
      } else if (o[0] === 't') {
        at = o[1];
      } else if (o[0] === '=') {
        const a = answers[next++];
        if (!a?.answer) return new Error(`${w.describe()} sent more answers than jobs that have one`);
        const answer = a.answer;
        clock.replayAt(at, () => answer(o[1]));
      } else {
        // Replayed at the time it happened in the worker (its timers may have run ahead).
        clock.replayAt(at, () => this.#event(o));
      }
    }
    if (next !== answers.length) return new Error(`${w.describe()} answered ${next} of ${answers.length} jobs`);
    return undefined;
  }

  /** After a batch: continue the id sequence the worker used, and stand in for its next timer. */
  #standIn(w: Worker, nextId: number, due: number | null, id: number | null): void {
    const clock = this.#setup.clock;
    clock.skipTimerIds(nextId);
    if (w.standIn !== undefined) clock.clearTimeout(w.standIn);
    w.standIn = undefined;
    if (due === null || id === null) return;
    w.standIn = clock.setTimeoutAt(due, id, () => {
      w.standIn = undefined;
      this.#enqueue(w, { k: 'tick', due, id });
    });
  }

  #event(o: Exclude<Output, readonly ['=', unknown] | readonly ['c', string] | readonly ['k', number, number | null, number | null] | readonly ['t', number]>): void {
    const events = this.#setup.events;
    switch (o[0]) {
      case 'm':
        return events.message(o[1], o[2], o[3]);
      case 'q':
        return events.pingRequest(o[1], o[2], o[3], o[4]);
      case 'r':
        return events.pingResponse(o[1], o[2]);
      case 'as':
        return events.appSent(o[1], o[2], o[3], o[4], o[5], o[6], o[7], o[8], o[9]);
      case 'ar':
        return events.appReceived(o[1], o[2], o[3], o[4], o[5]);
      case 'sub':
        return events.appSubscribed(o[1], o[2], o[3], o[4]);
      case 'af':
        return events.appFailed(o[1], o[2], o[3]);
      case 'reg':
        return events.appRegistered(o[1], o[2], o[3]);
      case 'hs':
        return events.heldStatus(o[1], o[2], o[3]);
      case 'hp':
        return events.heldStore(o[1], o[2], o[3]);
      case 'co':
        return events.console(o[1], o[2], o[3]);
      case 'log':
        return this.#setup.log?.(o[1]);
    }
  }

  #withTimeout<T>(work: Promise<T>): Promise<T> {
    work.catch(() => {}); // if the timeout wins, closing the worker rejects `work`: not unhandled
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#jobTimeoutMs} ms (the worker is stuck)`)), this.#jobTimeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** #fail without waiting: the workers close in the background. */
  #failSync(error: Error): Error {
    if (!this.#failure) {
      this.#failure = error;
      void this.close();
    }
    return this.#failure;
  }

  /** A broken worker breaks the run: remember why, close every worker, hand back the error. */
  async #fail(error: Error): Promise<Error> {
    if (!this.#failure) {
      this.#failure = error;
      await this.close();
    }
    return this.#failure;
  }

  // ---- the workers' synchronous calls -------------------------------------------------------

  /** Answer a worker's issueCommand (see xs-protocol.ts): the host clock and the SimRadios. */
  #command(w: Worker, p: Buffer): Uint8Array {
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const op = p[0];
    if (op === Command.BATCH) {
      // Held commands, in the order the worker's nodes made them; the last one's answer is the reply.
      let reply: Uint8Array = NOTHING;
      for (let o = 1; o < p.length; ) {
        const length = view.getUint32(o, true);
        reply = this.#command(w, p.subarray(o + 4, o + 4 + length));
        o += 4 + length;
      }
      return reply;
    }
    if (op === Command.SHA256) return createHash('sha256').update(p.subarray(1)).digest();
    if (op === Command.ATTACH) {
      const i = this.#hosted(w, view.getUint32(1, true));
      const radio = this.#setup.radios[i];
      // The medium calls onReceive only while a packager (or a RYLR-998 twin) listens, so the host mirrors that.
      radio.onReceive =
        p[5] !== 0
          ? (frame, mac) => this.#enqueue(w, { k: 'rx', i, frame: frame.slice(), mac: mac ? mac.slice() : null, rssi: radio.lastRssi, linkLoss: radio.lastLinkLoss })
          : undefined;
      // And each frame's fate, which the worker's radio passes on to its Packager (in-process the
      // medium calls the Packager's onSent at that point: sleep counts frames, routing unicasts).
      // A twin hears no fates (ATTACH 2): none is sent.
      radio.onSent = p[5] === 1 ? (dest, delivered) => this.#enqueue(w, { k: 'sent', i, mac: dest ? dest.slice() : null, delivered }) : undefined;
      return NOTHING;
    }
    if (op === Command.HELD) {
      this.#heldCalls++;
      return this.#held(w, p, view);
    }
    this.#radioCalls++;
    return this.#radioCall(w, p, view);
  }

  /**
   * A radio call the worker answered itself (xs-protocol.ts, HELD): applied like any other, then
   * checked against what the worker assumed. A wrong guess would let the run go on differently
   * from in-process without a word, so it fails the run.
   */
  #held(w: Worker, p: Buffer, view: DataView): Uint8Array {
    const call = p.subarray(HELD_HEADER_BYTES);
    const reply = this.#radioCall(w, call, new DataView(call.buffer, call.byteOffset, call.byteLength));
    const idAfter = view.getFloat64(1, true);
    const clock = this.#setup.clock;
    const nextId = clock.nextTimerId;
    // An accepted frame's one timer: not before the bound the worker ran on to.
    const from = view.getFloat64(10, true);
    const after = p[18] === 1;
    const due = clock.lastSetDue;
    const frame = call[0] === Command.SEND || call[0] === Command.BROADCAST;
    const timerKept = reply[0] === 0 || !frame || due > from || (due === from && !after);
    if (reply[0] !== p[9] || nextId !== idAfter || !timerKept) {
      const name = Object.entries(Command).find(([, v]) => v === call[0])?.[0] ?? `command ${call[0]}`;
      const node = call.length >= 21 ? new DataView(call.buffer, call.byteOffset).getUint32(17, true) : -1;
      throw new Error(
        `${w.describe()} held a ${name} of node ${node} at simulated ${clock.now()} ms assuming it ${p[9] === 1 ? 'accepted' : 'refused'}, ` +
          `the next timer id ${idAfter}${frame && p[9] === 1 ? ` and its timer due ${after ? 'after' : 'from'} ${from} ms` : ''}; ` +
          `the host ${reply[0] === 1 ? 'accepted' : 'refused'} it, is at id ${nextId}${frame ? ` and set its last timer due at ${due} ms` : ''}: the run would no longer match in-process`,
      );
    }
    return reply;
  }

  /** A call that may set host timers: at the worker's time and ids; the reply (see xs-protocol.ts). */
  #radioCall(w: Worker, p: Uint8Array, view: DataView): Uint8Array {
    const op = p[0];
    // First the worker's time and the ids its timers took.
    const clock = this.#setup.clock;
    clock.moveTo(view.getFloat64(1, true));
    clock.skipTimerIds(view.getFloat64(9, true));
    const i = this.#hosted(w, view.getUint32(17, true));
    const radio = this.#setup.radios[i];
    let accepted = false;
    switch (op) {
      case Command.SEND: {
        const macEnd = 22 + p[21];
        // Copies: the medium keeps frames, and Buffer#slice would only make views.
        accepted = radio.send(new Uint8Array(p.subarray(22, macEnd)), new Uint8Array(p.subarray(macEnd)));
        break;
      }
      case Command.BROADCAST:
        accepted = radio.broadcast(new Uint8Array(p.subarray(21)));
        break;
      case Command.SLEEP:
        radio.sleep(view.getFloat64(21, true));
        break;
      case Command.WAKE:
        radio.wake();
        break;
      default:
        throw new Error(`${w.describe()} sent unknown command ${op}`);
    }
    return this.#reply(accepted);
  }

  /** The reply to a radio call: whether accepted, the id sequence back, and the host's next timer (the worker may run up to it). */
  #reply(accepted: boolean): Uint8Array {
    const clock = this.#setup.clock;
    const next = clock.peekNext();
    const reply = new Uint8Array(REPLY_BYTES);
    const out = new DataView(reply.buffer);
    out.setUint8(0, accepted ? 1 : 0);
    out.setFloat64(1, clock.nextTimerId, true);
    out.setFloat64(9, next?.due ?? Number.MAX_VALUE, true);
    out.setFloat64(17, next?.id ?? 0, true);
    return reply;
  }

  #hosted(w: Worker, i: number): number {
    if (this.#workerOf[i] !== w) throw new Error(`${w.describe()} called the radio of node ${i}, which it does not host`);
    return i;
  }
}

function treeView(v: unknown): TreeView | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Partial<TreeView>;
  // Rebuilt with every key, as SimNode.view() makes it (JSON drops undefined ones).
  return { running: o.running === true, root: String(o.root), address: o.address, treeState: Number(o.treeState), addressText: o.addressText, parent: o.parent, score: String(o.score), full: o.full === true, nearFull: o.nearFull === true, settled: o.settled === true };
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The batches' JSON parts (xs-batch-codec.ts) as UTF-8. */
const NODE_TEXT: TextCodec = {
  encode: (text) => Buffer.from(text, 'utf8'),
  decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
};

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
