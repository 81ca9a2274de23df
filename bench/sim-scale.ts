/**
 * `npm run bench:sim`: how the simulator scales. Random geometric meshes (unit disk of 100 m,
 * mean degree about 10, connected) with Beacon, Gossip, SpanningTree, Hello and Ping traffic over
 * both routing metrics once the tree has had time to form. Measures wall and CPU time, peak RSS
 * and its growth per node, the convergence time, the routing figures and the bytes on air per
 * minute by kind (control once the tree has formed, not only over the whole run).
 */
import { basename } from 'node:path';
import { validateScenario } from '../simulator/scenario/validate.js';
import { loadScenarioFile } from '../simulator/scenario/load.js';
import { runScenario, type RunReport } from '../simulator/runner/run.js';
import { FrameClassifier, SIGNALLING, ackedKind } from '../simulator/runner/frame-class.js';
import { SimNodeApps } from '../simulator/runner/sim-node.js';
import { nodeHashes } from '../simulator/platform/node-hashes.js';
import { parsePacket } from '../modules/mycelium/wire/packet.js';
import { PACKAGE_HEADER_BYTES } from '../modules/mycelium/wire/package.js';
import { COMPACT_MARKER, expandFrame } from '../modules/mycelium/wire/compact-frame.js';

const NO_HASHES = Object.freeze({ sha256: () => new Uint8Array(32), crc32: () => 0 });

export interface ScaleCase {
  readonly nodes: number;
  readonly minutes: number;
  /** Ping traffic starts at this minute (after convergence), 100 flows per metric. */
  readonly trafficFromMinute: number;
  /** A scenario file run as it is (nodes, minutes and traffic start then come from it). */
  readonly scenario?: string;
  /** Its name, for the tables. */
  readonly name?: string;
  /** The scenario seed (layout, ids, losses) of a NODES:MINUTES case; 42 when not given. */
  readonly seed?: number;
  /**
   * The nodes as this many disjoint meshes of nodes ÷ clusters each (laid out apart, out of
   * radio reach of each other): the same protocol work per node as one small mesh, in a world
   * as large as the big one. Tells what grows with the world's size from what grows with the
   * mesh's (docs/benchmarks.md, session 21). Given (even 1), the layout is this generator's;
   * not given, the scenario's random topology draws one mesh as before.
   */
  readonly clusters?: number;
}

/** A scenario file (e.g. the shipped random-2000) as a case: its node count, minutes and first traffic minute. */
export function scenarioCase(path: string): ScaleCase {
  const loaded = loadScenarioFile(path);
  if (!loaded.ok) throw new Error(loaded.errors.join('; '));
  const sc = loaded.scenario;
  const minutes = Math.round(sc.duration_ms / 60_000);
  const starts = sc.traffic.map((t) => t.start_ms ?? 0);
  const trafficFromMinute = Math.min(minutes - 1, Math.floor((starts.length ? Math.min(...starts) : 0) / 60_000));
  return { nodes: sc.nodes, minutes, trafficFromMinute, scenario: path, name: sc.name || basename(path, '.json') };
}

/** Bytes on air per node per simulated minute, from `fromMinute` to the end of the run. */
export interface SteadyBytes {
  readonly fromMinute: number;
  readonly control: number;
  /** Parts of `control`. */
  readonly hello: number;
  readonly signalling: number;
  readonly data: number;
  /** Every kind (control and data) per node per minute over the window. */
  readonly byKind: Record<string, number>;
  /** The first simulated minute (every node powering on): control bytes and frames per node. */
  readonly firstMinute: { readonly control: number; readonly frames: number };
  /** Control bytes per node in each simulated minute, by kind (where the storm goes). */
  readonly controlByMinute: readonly Record<string, number>[];
  /**
   * The first OP_MINUTES minutes by message: `<kind> <op>` (the app message's first byte, for
   * the apps whose first byte is an op) → frames and bytes per node. Says which sends the storm is.
   */
  readonly opsByMinute: readonly Record<string, { frames: number; bytes: number }>[];
}

/** Minutes broken down by op (the start-up storm and the minutes after it). */
const OP_MINUTES = 3;
/** Apps whose message starts with an op byte (wire/messages). */
const OP_APPS: ReadonlySet<string> = new Set(['SpanningTree', 'Gossip', 'Beacon', 'SignedTree']);

export interface ScaleResult {
  /** The scenario's name when the case is a scenario file. */
  readonly name?: string;
  readonly nodes: number;
  readonly minutes: number;
  readonly wallS: number;
  /** CPU time of the run (user + system, this process), s. */
  readonly cpuS: number;
  /**
   * CPU seconds each simulated minute took (the last element: the rest of the run, e.g. the
   * report), the first one with the world's build: where a run's cost lies (the start-up storm
   * against the steady state).
   */
  readonly cpuSByMinute: number[];
  /** CPU seconds each of the first 60 simulated seconds took (the start-up storm, second by second). */
  readonly cpuSFirstMinute: number[];
  readonly peakRssMiB: number;
  /** RSS before the run started (the loaded code), MiB. */
  readonly baseRssMiB: number;
  /**
   * Live heap at the end of the run with every node still up, after a full GC, MiB (undefined
   * without node --expose-gc). Peak RSS also holds the garbage V8 has not collected yet.
   */
  readonly liveHeapMiB: number | undefined;
  /** Live heap before the run, MiB (same condition). */
  readonly baseHeapMiB: number | undefined;
  readonly steady: SteadyBytes;
  readonly report: RunReport;
}

/** What the case is doing: a phase before time starts, or simulated time reached. */
export type ScaleProgress = { readonly phase: string } | { readonly simMs: number; readonly totalMs: number };

/** Square side giving a mean degree of about `degree` with a 100 m range. */
function side(nodes: number, degree = 10): number {
  return Math.round(Math.sqrt((nodes * Math.PI * 100 * 100) / degree));
}

/**
 * `clusters` connected random layouts of `each` nodes (range 100 m, the square a mesh of `each`
 * gets), side by side 500 m apart: from a seeded generator of its own, so a case is the same
 * whatever else changes.
 */
function clusterPositions(clusters: number, each: number, seed: number): [number, number][] {
  let state = seed >>> 0;
  const draw = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const s = side(each);
  const out: [number, number][] = [];
  for (let k = 0; k < clusters; k++) {
    for (;;) {
      const pts = Array.from({ length: each }, (): [number, number] => [draw() * s, draw() * s]);
      const seen = new Set([0]);
      const stack = [0];
      while (stack.length > 0) {
        const u = stack.pop() as number;
        for (let v = 0; v < each; v++) {
          if (seen.has(v) || Math.hypot(pts[u][0] - pts[v][0], pts[u][1] - pts[v][1]) > 100) continue;
          seen.add(v);
          stack.push(v);
        }
      }
      if (seen.size < each) continue;
      for (const [x, y] of pts) out.push([Math.round((x + k * (s + 500)) * 100) / 100, Math.round(y * 100) / 100]);
      break;
    }
  }
  return out;
}

export function scaleScenario(c: ScaleCase): unknown {
  const clusters = c.clusters ?? 1;
  if (!Number.isInteger(clusters) || clusters < 1 || c.nodes % clusters !== 0) throw new RangeError(`${c.nodes} nodes do not split into ${clusters} equal clusters`);
  const s = side(c.nodes);
  // 100 flows per metric, fewer below 1,000 nodes (one per ten nodes): 100 flows over 100 nodes
  // would load each node ten times as much as over 1,000, and the CPU per node·minute figures
  // would compare traffic, not the simulator's growth.
  const flows = Math.max(1, Math.min(100, Math.round(c.nodes / 10)));
  const traffic = (metric: string) => ({
    random: { flows, seed: metric === 'dTree' ? 11 : 12 },
    kind: 'ping',
    size: 16,
    interval_ms: 30_000,
    start_ms: c.trafficFromMinute * 60_000,
    metric,
  });
  return {
    name: `scale-${c.nodes}x${c.minutes}min${c.clusters !== undefined ? `-${clusters}-clusters` : ''}`,
    seed: c.seed ?? 42,
    duration_ms: c.minutes * 60_000,
    interface: 'espnow',
    radio: { model: 'unit-disk', range: 100 },
    topology: c.clusters !== undefined ? { positions: clusterPositions(clusters, c.nodes / clusters, c.seed ?? 42) } : { random: { n: c.nodes, width: s, height: s, connected: true, max_tries: 1000 } },
    traffic: c.trafficFromMinute < c.minutes ? [traffic('dTree'), traffic('dCPL')] : [],
    // Gossiping every tree advert floods the whole mesh per address change (O(n²) frames):
    // large meshes route by address and leave it off.
    // claim_pace_ms: formation paced by claim (docs/routing.md "Formation: better roots travel faster").
    node_options: { all: { spanning_tree: { pub: false, pub_each_round: false, claim_pace_ms: 4000 } } },
  };
}

export async function runCase(c: ScaleCase, onProgress?: (p: ScaleProgress) => void): Promise<ScaleResult> {
  const baseRssMiB = process.memoryUsage().rss / 2 ** 20;
  const baseHeapMiB = liveHeap();
  let liveHeapMiB: number | undefined;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  onProgress?.({ phase: c.scenario ? `loading ${c.name ?? c.scenario}` : 'validating the scenario' });
  const v = c.scenario ? loadScenarioFile(c.scenario) : validateScenario(scaleScenario(c));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const perMinute = new MinuteBytes(c.minutes);
  const cpuAtMinute: number[] = [];
  const cpuAtSecond: number[] = [];
  const cpuNow = (): number => {
    const u = process.cpuUsage(cpu0);
    return (u.user + u.system) / 1e6;
  };
  const r = await runScenario(v.scenario, {
    onPhase: (phase) => onProgress?.({ phase }),
    onProgress: (simMs, totalMs) => {
      // The last call comes with every node still up: what the simulated world holds.
      // CPU at each simulated minute's end (before the live heap's full GC, which is not the run's).
      while (cpuAtMinute.length < Math.floor(simMs / 60_000)) cpuAtMinute.push(cpuNow());
      while (cpuAtSecond.length < Math.min(60, Math.floor(simMs / 1000))) cpuAtSecond.push(cpuNow());
      if (simMs >= totalMs) liveHeapMiB = liveHeap();
      onProgress?.({ simMs, totalMs });
    },
    // Progress every simulated second: a 10,000-node boot storm is slow to simulate.
    progressMs: 1000,
    onWorld: (world) => {
      const clock = world.clock;
      world.medium.onTransmit((from, frame) => perMinute.add(clock.now(), from, frame));
    },
  });
  if (!r.ok) throw new Error(r.error);
  const cpu = process.cpuUsage(cpu0);
  return {
    name: c.name,
    nodes: c.nodes,
    minutes: c.minutes,
    wallS: (performance.now() - started) / 1000,
    cpuS: (cpu.user + cpu.system) / 1e6,
    cpuSFirstMinute: cpuAtSecond.map((t, i) => Number((t - (i > 0 ? cpuAtSecond[i - 1] : 0)).toFixed(3))),
    cpuSByMinute: [...cpuAtMinute, (cpu.user + cpu.system) / 1e6].map((t, i, all) => Number((t - (i > 0 ? all[i - 1] : 0)).toFixed(2))),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    baseRssMiB,
    liveHeapMiB,
    baseHeapMiB,
    steady: perMinute.perNodeMinute(c.nodes, Math.min(c.trafficFromMinute, c.minutes - 1)),
    report: r.report,
  };
}

/** Heap in use after a full GC, MiB (needs node --expose-gc; undefined without). */
function liveHeap(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** The op byte of a frame's app message (after the Package header), as hex; `frag` for a later fragment. */
function opOf(frame: Uint8Array): string {
  const parsed = parsePacket(frame[0] === COMPACT_MARKER ? (expandFrame(NO_HASHES, frame) ?? frame) : frame);
  if (!parsed.ok) return '?';
  const p = parsed.value;
  if (p.seqId !== undefined && p.packetId !== 0) return 'frag';
  const op = p.body[PACKAGE_HEADER_BYTES];
  return op === undefined ? '?' : op.toString(16).padStart(2, '0');
}

/** Bytes on air per simulated minute and kind (the run's own classification of frames). */
class MinuteBytes {
  readonly #apps = new SimNodeApps(nodeHashes);
  readonly #classifier = new FrameClassifier(this.#apps.all, false, undefined, true);
  readonly #data = new Set(this.#apps.data);
  readonly #minutes: Map<string, number>[];
  /** Frames sent in the first simulated minute. */
  #firstFrames = 0;

  constructor(minutes: number) {
    this.#minutes = Array.from({ length: minutes + 1 }, () => new Map());
  }

  add(at: number, from: number, frame: Uint8Array): void {
    const kind = this.#classifier.classify(from, frame);
    const minute = Math.floor(at / 60_000);
    if (minute === 0) this.#firstFrames++;
    const m = this.#minutes[Math.min(this.#minutes.length - 1, minute)];
    m.set(kind, (m.get(kind) ?? 0) + frame.length);
    if (minute < OP_MINUTES && !this.#data.has(ackedKind(kind))) {
      const key = OP_APPS.has(kind) ? `${kind} ${opOf(frame)}` : kind;
      const row = (this.#ops[minute] ??= new Map());
      const c = row.get(key) ?? { frames: 0, bytes: 0 };
      c.frames++;
      c.bytes += frame.length;
      row.set(key, c);
    }
  }

  readonly #ops: Map<string, { frames: number; bytes: number }>[] = [];

  perNodeMinute(nodes: number, fromMinute: number): SteadyBytes {
    const byKind: Record<string, number> = {};
    const span = this.#minutes.length - 1 - fromMinute;
    for (let i = fromMinute; i < this.#minutes.length; i++) for (const [k, b] of this.#minutes[i]) byKind[k] = (byKind[k] ?? 0) + b / nodes / span;
    let control = 0;
    let data = 0;
    for (const [k, b] of Object.entries(byKind)) {
      byKind[k] = Math.round(b);
      if (this.#data.has(ackedKind(k))) data += b;
      else control += b;
    }
    let first = 0;
    for (const [k, b] of this.#minutes[0]) if (!this.#data.has(ackedKind(k))) first += b;
    const firstMinute = { control: Math.round(first / nodes), frames: Math.round(this.#firstFrames / nodes) };
    const controlByMinute = this.#minutes.slice(0, -1).map((m) => {
      const row: Record<string, number> = {};
      for (const [k, b] of m) if (!this.#data.has(ackedKind(k))) row[k] = Math.round(b / nodes);
      return row;
    });
    const opsByMinute = this.#ops.map((row) => {
      const out: Record<string, { frames: number; bytes: number }> = {};
      for (const [k, c] of row) out[k] = { frames: Number((c.frames / nodes).toFixed(2)), bytes: Math.round(c.bytes / nodes) };
      return out;
    });
    return { fromMinute, control: Math.round(control), hello: byKind.Hello ?? 0, signalling: byKind[SIGNALLING] ?? 0, data: Math.round(data), byKind, firstMinute, controlByMinute, opsByMinute };
  }
}
