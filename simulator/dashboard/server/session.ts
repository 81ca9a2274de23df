/**
 * What `mycelium-sim run … --dashboard / --trace / --snapshot` adds to a run: a TraceRecorder on
 * the run's existing hooks (onWorld, the driver factory, the medium's listeners), the dashboard
 * server with live appends and node consoles, and at the end the trace file and the SVG.
 *
 * With the dashboard the run is paced by the wall clock (RunOptions.realtime at `speed`), and
 * the server stays up after the run, replaying the trace, until Ctrl-C. The nodes are kept
 * (the driver's close is deferred) so their consoles still answer: after the run, simulated
 * time moves again, at the same pace, for 30 s after each console command, off the record.
 */
import { writeFileSync } from 'node:fs';
import { nodeHashes } from '../../platform/node-hashes.js';
import type { NodeDriver } from '../../runner/driver.js';
import { InprocDriver, type NodeSetup } from '../../runner/inproc-driver.js';
import type { RunOptions, RunResult } from '../../runner/run.js';
import { SimNodeApps, type TrafficOrder } from '../../runner/sim-node.js';
import type { World } from '../../scenario/build.js';
import { snapshotSvg } from '../svg.js';
import { TraceRecorder, type RecorderOptions } from '../trace/recorder.js';
import type { Trace } from '../trace/types.js';
import { webAssets } from './bundle.js';
import { ConsoleSessions } from './console-sessions.js';
import { PaceWatch } from './pace-watch.js';
import { DashboardServer, type DashboardSource } from './server.js';

export interface DashboardOptions {
  /** The project's root (for the page's sources and the bundle cache). */
  readonly root: string;
  /** Serve the page (--dashboard). */
  readonly serve: boolean;
  /** 0 = any free port. */
  readonly port: number;
  /** Simulated ms per wall ms when serving. */
  readonly speed: number;
  readonly tracePath?: string;
  readonly snapshotPath?: string;
  /** Where to say things (the URL, files written). */
  readonly log: (line: string) => void;
  readonly recorder?: RecorderOptions;
  /** After the run, keep simulated time moving this long after a console command (wall ms, default 30 s). */
  readonly awakeMs?: number;
}

const AFTER_RUN_TICK_MS = 20;

export class DashboardSession {
  readonly recorder: TraceRecorder;
  readonly #o: DashboardOptions;
  #setup: NodeSetup | undefined;
  #inner: NodeDriver | undefined;
  #world: World | undefined;
  #server: DashboardServer | undefined;
  #consoles: ConsoleSessions | undefined;
  #ended = false;
  #closed = false;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #awakeUntil = 0;
  #consoleLinesAtEnd = 0;
  #pace: PaceWatch | undefined;

  constructor(options: DashboardOptions) {
    this.#o = options;
    this.recorder = new TraceRecorder(options.recorder);
  }

  /** The page's URL once serving. */
  get url(): string | undefined {
    return this.#server?.url;
  }

  /** The run's options with recording (and, when serving, pacing and the server) added. */
  wrap(options: RunOptions): RunOptions {
    const base = options.driver;
    if (this.#o.serve) this.#pace = new PaceWatch(options.realtime?.speed ?? this.#o.speed, this.#o.log);
    const pace = this.#pace;
    return {
      ...options,
      ...(pace && {
        realtime: {
          ...(options.realtime ?? { speed: this.#o.speed }),
          onPace: (behind: number, now: number, late: number) => {
            options.realtime?.onPace?.(behind, now, late);
            pace.update(behind, now, late);
          },
        },
      }),
      driver: async (plain) => {
        // The recorder sees the traffic the run hands to the nodes and what arrives.
        const setup = { ...plain, events: this.recorder.watchEvents(plain.events) };
        const inner = base ? await base(setup) : new InprocDriver(setup, nodeHashes);
        this.#setup = setup;
        this.#inner = inner;
        return deferClose(inner, (i, order) => this.recorder.trafficSent(i, order));
      },
      onWorld: async (world) => {
        await options.onWorld?.(world);
        this.#world = world;
        this.recorder.attach(world, this.#inner!, this.#setup!.nodeIds, new SimNodeApps(nodeHashes).all);
        if (this.#o.serve) await this.#serve();
      },
    };
  }

  async #serve(): Promise<void> {
    const assets = await webAssets(this.#o.root);
    const inproc = this.#inner instanceof InprocDriver ? this.#inner : undefined;
    const world = this.#world!;
    const recorder = this.recorder;
    if (inproc) {
      this.#consoles = new ConsoleSessions({
        n: world.radios.length,
        simNode: (i) => inproc.node(i),
        nodeId: (i) => recorder.trace!.nodes[i].id,
        address: (i) => inproc.node(i)?.view().addressText,
        write: (i, line) => {
          recorder.console(i, line);
          this.#server?.soon();
        },
        beforeExec: () => this.#wake(),
        version: 'mycelium-sim',
      });
    }
    const source: DashboardSource = {
      info: () => ({
        mode: 'live',
        title: world.scenario.name,
        speed: this.#o.speed,
        console: inproc ? { available: true } : { available: false, reason: 'the console needs the in-process runner (--runner inproc)' },
      }),
      snapshot: () => recorder.snapshot(),
      current: () => recorder.trace,
      takeAppend: () => recorder.takeAppend(),
      ...(this.#pace && { pace: () => this.#pace!.info }),
      nodeDetail: (i) => (inproc ? recorder.detailOf(i, inproc.node(i)?.node.state()) : undefined),
      ...(this.#consoles && { console: this.#consoles }),
    };
    this.#server = new DashboardServer(source, assets, { port: this.#o.port });
    const url = await this.#server.listen();
    this.#o.log(`dashboard: ${url} (live; Ctrl-C to stop)`);
  }

  /**
   * The run is over (result undefined: it failed): the last sample, the summary, the trace and
   * snapshot files. Resolves to false if a file could not be written.
   */
  async finish(result: RunResult | undefined): Promise<boolean> {
    const rec = this.recorder;
    if (result?.ok && this.#inner && !rec.sealed) {
      rec.finalSample();
      for (let k = 0; k < 1000 && rec.pending; k++) await this.#inner.flush();
    }
    rec.seal(result?.ok ? result.report : undefined);
    this.#ended = true;
    this.#pace?.end();
    this.#server?.flush();
    const trace = rec.trace;
    if (!trace) return true;
    this.#consoleLinesAtEnd = trace.console.length;
    let ok = this.#write(this.#o.tracePath, 'trace', () => JSON.stringify(trace) + '\n');
    ok = this.#write(this.#o.snapshotPath, 'snapshot', () => snapshotSvg(trace)) && ok;
    if (this.#server) this.#o.log(`dashboard: the run is over; replaying it at ${this.#server.url} (Ctrl-C to stop)`);
    return ok;
  }

  #write(path: string | undefined, what: string, text: () => string): boolean {
    if (!path) return true;
    try {
      writeFileSync(path, text());
      this.#o.log(`${what} written to ${path}`);
      return true;
    } catch (e) {
      this.#o.log(`cannot write the ${what} to ${path}: ${(e as Error).message}`);
      return false;
    }
  }

  /** Resolves on Ctrl-C (SIGINT) or SIGTERM, at once when not serving. */
  async waitUntilStopped(): Promise<void> {
    if (!this.#server) return;
    await untilInterrupted();
  }

  /** Stop serving and power the nodes off. Rewrites the trace if consoles added output since. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#consoles?.stopAll();
    await this.#server?.close();
    const trace = this.recorder.trace;
    if (this.#ended && trace && this.#o.tracePath && trace.console.length !== this.#consoleLinesAtEnd) {
      this.#write(this.#o.tracePath, 'trace (with the console output since the run)', () => JSON.stringify(trace) + '\n');
    }
    await this.#inner?.close();
  }

  /** After the run: let simulated time move again for a while so a console's ping gets answers. */
  #wake(): void {
    const world = this.#world;
    if (!this.#ended || !world || this.#closed) return;
    this.#awakeUntil = performance.now() + (this.#o.awakeMs ?? 30000);
    if (this.#ticker) return;
    let last = performance.now();
    this.#ticker = setInterval(() => {
      const now = performance.now();
      const target = world.clock.now() + (now - last) * this.#o.speed;
      last = now;
      while (world.clock.step(target));
      world.clock.moveTo(target);
      if (now > this.#awakeUntil && !this.#consoles?.busy) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
      }
    }, AFTER_RUN_TICK_MS);
  }
}

/** The driver as the run sees it, except that close() waits for the session's. */
function deferClose(inner: NodeDriver, sent: (i: number, order: TrafficOrder) => void): NodeDriver {
  return {
    boot: (i) => inner.boot(i),
    shutdown: (i) => inner.shutdown(i),
    send: (i, order, done) => {
      sent(i, order);
      inner.send(i, order, done);
    },
    command: (i, line, done) => inner.command(i, line, done),
    views: (done) => inner.views(done),
    stats: (done) => inner.stats(done),
    counters: (done) => inner.counters(done),
    flush: () => inner.flush(),
    extras: () => inner.extras(),
    close: async () => {},
  };
}

/** `mycelium-sim view trace.json`: serve a saved trace. */
export async function serveTrace(trace: Trace, options: { root: string; port: number; log: (line: string) => void }): Promise<DashboardServer> {
  const assets = await webAssets(options.root);
  const source: DashboardSource = {
    info: () => ({ mode: 'file', title: trace.scenario, speed: 1, console: { available: false, reason: 'a saved trace has no live nodes' } }),
    snapshot: () => trace,
  };
  const server = new DashboardServer(source, assets, { port: options.port });
  const url = await server.listen();
  options.log(`dashboard: ${url} (${trace.scenario}, from a saved trace; Ctrl-C to stop)`);
  return server;
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM; the listeners are removed again. */
export function untilInterrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
