/**
 * Records a run into a dashboard trace (types.ts) through hooks the runner already has: the
 * medium's onTransmit (what a frame carries, classified once by FrameClassifier, and when it
 * was accepted) and onFrame (its fate at each receiver, with the drop reason), a sampling timer
 * on the run's clock that reads every node's tree view (and, every few samples, its stats)
 * through the NodeDriver, and the run's report at the end.
 *
 * Read-only: it never changes what the nodes do, so a recorded run gives the same report as an
 * unrecorded one (a test checks it). Frame events are capped per simulated second.
 */
import type { NodeState } from '../../../modules/mycelium/node.js';
import { decodeAddress } from '../../../modules/mycelium/wire/address.js';
import { fromHex, toHex } from '../../../modules/mycelium/wire/bytes.js';
import { formatMac } from '../../medium/mac.js';
import type { Medium } from '../../medium/medium.js';
import type { FrameEvent } from '../../medium/stats.js';
import type { NodeDriver } from '../../runner/driver.js';
import type { SimNodeEvents, TrafficOrder } from '../../runner/sim-node.js';
import { FRAGMENT, FrameClassifier, SIGNALLING, UNKNOWN } from '../../runner/frame-class.js';
import type { RunReport } from '../../runner/run.js';
import type { TreeView } from '../../runner/sim-node.js';
import type { World } from '../../scenario/build.js';
import { churnLinkEvents } from './churn-links.js';
import { DeliveryRecorder } from './delivery.js';
import {
  EDGE_AB,
  EDGE_BA,
  EDGE_CUT_AB,
  EDGE_CUT_BA,
  NODE_AWAKE,
  NODE_RUNNING,
  NODE_UP,
  OUTCOMES,
  TRACE_FORMAT,
  type ConsoleRecord,
  type DetailSample,
  type EdgeRecord,
  type NodeDetail,
  type NodeTuple,
  type Trace,
  type TraceAppend,
} from './types.js';

export interface RecorderOptions {
  /** Sampling period, simulated ms (default 1000). */
  readonly sampleMs?: number;
  /** Details every this many samples (default: 5, more for large meshes: ⌈n / 10⌉, so 1,000 nodes stay small). */
  readonly detailEvery?: number;
  /** Frame events kept per simulated second (default 500). */
  readonly capPerSecond?: number;
  /** Console lines kept (default 20,000). */
  readonly consoleCap?: number;
}

/** App ids and names of the frames' payloads (SimNodeApps.all). */
export type AppNames = readonly { id: Uint8Array; name: string }[];

const OUTCOME_INDEX = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));

export class TraceRecorder {
  readonly options: Required<Omit<RecorderOptions, 'detailEvery'>> & { detailEvery: number | undefined };
  #trace: Trace | undefined;
  #world: World | undefined;
  #driver: NodeDriver | undefined;
  #n = 0;
  #indexOfId = new Map<string, number>();
  #classifier: FrameClassifier | undefined;
  readonly #sent = new WeakMap<Uint8Array, [number, number]>();
  #last: (NodeTuple | undefined)[] = [];
  #lastDetail: string[] = [];
  #samples = 0;
  #detailEvery = 5;
  #sec = -1;
  #secKept = 0;
  #sealed = false;
  #pending = 0;
  #unhook: (() => void)[] = [];
  readonly #delivery = new DeliveryRecorder();
  /** Streaming marks: how much of each array has been handed out. */
  #marks = { samples: 0, details: 0, packets: 0, load: 0, console: 0, now: 0, summary: false };

  constructor(options: RecorderOptions = {}) {
    this.options = {
      sampleMs: options.sampleMs ?? 1000,
      detailEvery: options.detailEvery,
      capPerSecond: options.capPerSecond ?? 500,
      consoleCap: options.consoleCap ?? 20000,
    };
  }

  /** The trace so far (undefined before attach). */
  get trace(): Trace | undefined {
    return this.#trace;
  }

  get sealed(): boolean {
    return this.#sealed;
  }

  /**
   * Start recording a world (call from runScenario's onWorld). `nodeIds` are the run's node ids
   * (NodeSetup.nodeIds), `apps` the app names frames are classified by.
   */
  attach(world: World, driver: NodeDriver, nodeIds: readonly Uint8Array[], apps: AppNames): void {
    const { medium, scenario: s, clock } = world;
    const n = world.radios.length;
    this.#world = world;
    this.#driver = driver;
    this.#n = n;
    this.#indexOfId = new Map(nodeIds.map((id, i) => [toHex(id), i]));
    this.#classifier = new FrameClassifier(apps);
    this.#detailEvery = this.options.detailEvery ?? Math.max(5, Math.ceil(n / 10));
    this.#last = new Array(n).fill(undefined);
    this.#lastDetail = new Array(n).fill('');
    const kinds = [...apps.map((a) => a.name), SIGNALLING, FRAGMENT, UNKNOWN];
    const kindIndex = new Map(kinds.map((k, i) => [k, i]));
    const edges = radioEdges(medium, n, s.radio.usable_loss);
    this.#trace = {
      format: TRACE_FORMAT,
      scenario: s.name,
      description: s.description,
      seed: s.seed,
      duration_ms: s.duration_ms,
      interface: s.interface,
      sample_ms: this.options.sampleMs,
      detail_every: this.#detailEvery,
      cap_per_s: this.options.capPerSecond,
      usable_loss: s.radio.usable_loss,
      nodes: world.radios.map((radio, i) => {
        const p = medium.position(i);
        return { id: toHex(nodeIds[i]), mac: formatMac(radio.mac), x: p.x, y: p.y };
      }),
      edges,
      link_events: churnLinkEvents(s.churn, edges),
      kinds,
      samples: [],
      details: [],
      packets: [],
      load: [],
      console: [],
      traffic: this.#delivery.buckets,
      churn: s.churn.map((e): [number, string] => [e.at_ms, e.action]),
      summary: null,
      now: 0,
    };

    const classifier = this.#classifier;
    this.#unhook.push(
      medium.onTransmit((from, frame) => {
        if (this.#sealed || from >= n) return;
        this.#sent.set(frame, [clock.now(), kindIndex.get(classifier.classify(from, frame)) ?? kinds.length - 1]);
      }),
      medium.onFrame((e) => this.#frame(e, kindIndex, kinds.length - 1)),
    );

    const sampleMs = this.options.sampleMs;
    const tick = (): void => {
      if (this.#sealed) return;
      this.#sample(clock.now());
      if (clock.now() + sampleMs < s.duration_ms) clock.setTimeout(tick, sampleMs);
    };
    clock.setTimeout(tick, 0);
  }

  #frame(e: FrameEvent, kindIndex: Map<string, number>, unknown: number): void {
    const tr = this.#trace;
    if (!tr || this.#sealed || e.from >= this.#n || e.to >= this.#n) return;
    const sec = Math.floor(e.time / 1000);
    if (sec !== this.#sec) {
      this.#sec = sec;
      this.#secKept = 0;
    }
    while (tr.load.length <= sec) tr.load.push(0);
    tr.load[sec]++;
    if (this.#secKept >= this.options.capPerSecond) return;
    this.#secKept++;
    let sent = this.#sent.get(e.frame);
    if (!sent) {
      // Refused at once by the sender's radio: never handed to the transmit listeners.
      const kind = this.#classifier?.classify(e.from, e.frame) ?? UNKNOWN;
      sent = [e.time, kindIndex.get(kind) ?? unknown];
    }
    tr.packets.push([round1(sent[0]), round1(e.time), e.from, e.to, sent[1], OUTCOME_INDEX.get(e.outcome) ?? 0]);
  }

  /** Read every node now (through the driver: the XS driver answers at its next flush). */
  #sample(t: number, forceDetail = false): void {
    const driver = this.#driver;
    if (!driver) return;
    const withDetail = forceDetail || this.#samples % this.#detailEvery === 0;
    this.#samples++;
    let views: (TreeView | undefined)[] | undefined;
    let stats: (NodeState | undefined)[] | undefined;
    let waiting = withDetail ? 2 : 1;
    this.#pending++;
    const done = (): void => {
      if (--waiting > 0) return;
      this.#pending--;
      this.#record(t, views ?? [], withDetail ? (stats ?? []) : undefined);
    };
    driver.views((v) => {
      views = v;
      done();
    });
    if (withDetail)
      driver.stats((st) => {
        stats = st;
        done();
      });
  }

  #record(t: number, views: readonly (TreeView | undefined)[], stats: readonly (NodeState | undefined)[] | undefined): void {
    const tr = this.#trace;
    const world = this.#world;
    if (!tr || !world) return;
    const medium = world.medium;
    const n = this.#n;
    const coords: (string | null)[] = new Array(n).fill(null);
    const byAddress = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = views[i];
      if (!v?.address) continue;
      const bytes = fromHex(v.address);
      const decoded = bytes ? decodeAddress(bytes) : undefined;
      if (!decoded?.ok) continue;
      coords[i] = decoded.value.join('.');
      const key = `${v.root}|${v.treeState}|${coords[i]}`;
      if (!byAddress.has(key)) byAddress.set(key, i);
    }
    const changed: NodeTuple[] = [];
    for (let i = 0; i < n; i++) {
      const v = views[i];
      const prev = this.#last[i];
      const st = stats?.[i];
      let parent = -1;
      const c = coords[i];
      if (v && c) {
        const cut = c.lastIndexOf('.');
        parent = byAddress.get(`${v.root}|${v.treeState}|${cut < 0 ? '' : c.slice(0, cut)}`) ?? -1;
      }
      const flags = (medium.isUp(i) ? NODE_UP : 0) | (medium.isRadioOn(i) ? NODE_AWAKE : 0) | (v?.running ? NODE_RUNNING : 0);
      const peers = stats ? (st?.peers.length ?? 0) : (prev?.[6] ?? 0);
      const routes = stats ? (st?.routes.length ?? 0) : (prev?.[7] ?? 0);
      const tuple: NodeTuple = [i, flags, v?.addressText ?? null, v ? c : null, v ? (this.#indexOfId.get(v.root) ?? -1) : -1, parent, peers, routes];
      if (!prev || !sameTuple(prev, tuple)) {
        changed.push(tuple);
        this.#last[i] = tuple;
      }
    }
    const ms = medium.stats;
    tr.samples.push({ t: round1(t), nodes: changed, medium: [ms.sent, ms.delivered, ...OUTCOMES.slice(1).map((r) => ms.lost[r as keyof typeof ms.lost])] });
    if (stats) {
      const details: DetailSample = { t: round1(t), nodes: [] };
      for (let i = 0; i < n; i++) {
        const d = this.#detail(i, stats[i]);
        const key = d ? JSON.stringify(d) : '';
        if (key === this.#lastDetail[i]) continue;
        this.#lastDetail[i] = key;
        details.nodes.push([i, d]);
      }
      if (details.nodes.length > 0) tr.details.push(details);
    }
    if (t > tr.now) tr.now = round1(t);
  }

  #detail(i: number, st: NodeState | undefined): NodeDetail | null {
    if (!st) return null;
    const m = this.#world!.medium.nodeStats(i);
    const counters: Record<string, number> = {};
    for (const k of Object.keys(st.counters).sort()) if (st.counters[k] !== 0) counters[k] = st.counters[k];
    return {
      peers: st.peers.map((p) => this.#indexOfId.get(p.id) ?? -1),
      routes: st.routes.map((r): [string, number] => [r.address, this.#indexOfId.get(r.nodeId) ?? -1]),
      addresses: st.addresses,
      counters,
      sent: m.sent,
      received: m.received,
      airtime_ms: round1(m.airtimeMs),
    };
  }

  /** A node's detail as of now, from its stats (for the live page). */
  detailOf(i: number, st: NodeState | undefined): NodeDetail | null {
    if (!this.#world || i < 0 || i >= this.#n) return null;
    const d = this.#detail(i, st);
    return d && st ? { ...d, uptime_ms: Math.round(st.uptimeMs) } : d;
  }

  /** A traffic message handed to node `i` (the session's driver sees every send). */
  trafficSent(i: number, order: TrafficOrder): void {
    const dst = this.#indexOfId.get(order.dstId);
    if (this.#sealed || !this.#world || dst === undefined) return;
    this.#delivery.sent(order.messageId, i, dst, order.kind === 'ping', this.#world.clock.now());
  }

  /** The nodes' events as the run gets them, with traffic arrivals recorded on the way. */
  watchEvents(events: SimNodeEvents): SimNodeEvents {
    return {
      ...events,
      message: (node, id, hops) => {
        if (!this.#sealed) this.#delivery.arrived(id, node);
        events.message(node, id, hops);
      },
      pingRequest: (node, fromId, nonce, hops) => {
        const src = this.#indexOfId.get(fromId);
        if (!this.#sealed && src !== undefined) this.#delivery.pingArrived(src, node, nonce);
        events.pingRequest(node, fromId, nonce, hops);
      },
    };
  }

  /** Node id (hex) → index. */
  indexOfId(id: string): number | undefined {
    return this.#indexOfId.get(id);
  }

  /** Record one line of console output of node `i`. */
  console(i: number, text: string): void {
    const tr = this.#trace;
    if (!tr) return;
    const rec: ConsoleRecord = [round1(this.#world?.clock.now() ?? 0), i, text];
    tr.console.push(rec);
    if (tr.console.length > this.options.consoleCap) {
      // Drop the oldest half at once (streaming marks shift with it).
      const drop = Math.floor(this.options.consoleCap / 2);
      tr.console.splice(0, drop);
      this.#marks.console = Math.max(0, this.#marks.console - drop);
    }
  }

  /**
   * The run is over: a last sample (the caller flushes an XS driver before `seal`), and the
   * report's figures. Nothing is recorded after this.
   */
  finalSample(): void {
    const world = this.#world;
    if (!world || this.#sealed) return;
    const t = world.clock.now();
    const last = this.#trace?.samples.at(-1);
    if (!last || last.t < t) this.#sample(t, true);
  }

  /** Whether sample reads are still waiting for the driver. */
  get pending(): boolean {
    return this.#pending > 0;
  }

  seal(report: RunReport | undefined): void {
    const tr = this.#trace;
    if (!tr) return;
    this.#sealed = true;
    for (const u of this.#unhook.splice(0)) u();
    tr.now = tr.duration_ms;
    if (report?.partial) [tr.now, tr.partial] = [report.simulated_ms, true];
    if (report) {
      tr.summary = {
        delivery_ratio: report.delivery_ratio,
        sent: report.sent,
        delivered: report.delivered,
        converged_ms: report.converged_ms,
        roots_at_end: report.roots_at_end,
        drops: { medium: { ...report.drops.medium }, packager: { ...report.drops.packager } },
      };
    }
  }

  /** The trace as handed out so far (for a client that connects now; appends follow). */
  snapshot(): Trace | undefined {
    const tr = this.#trace;
    if (!tr) return undefined;
    const m = this.#marks;
    return {
      ...tr,
      samples: tr.samples.slice(0, m.samples),
      details: tr.details.slice(0, m.details),
      packets: tr.packets.slice(0, m.packets),
      load: tr.load.slice(0, m.load),
      console: tr.console.slice(0, m.console),
      // Whole: an append after this overwrites buckets with the same or newer figures.
      ...(tr.traffic && { traffic: tr.traffic.map((b): [number, number] => [b[0], b[1]]) }),
      summary: m.summary ? tr.summary : null,
      now: m.now,
    };
  }

  /** Everything recorded since the last call (undefined: nothing new). */
  takeAppend(): TraceAppend | undefined {
    const tr = this.#trace;
    if (!tr) return undefined;
    const m = this.#marks;
    const loadFrom = Math.max(0, m.load - 1);
    const a: TraceAppend = {
      now: tr.now,
      samples: tr.samples.slice(m.samples),
      details: tr.details.slice(m.details),
      packets: tr.packets.slice(m.packets),
      load_from: loadFrom,
      load: tr.load.slice(loadFrom).map((x) => x ?? 0),
      console: tr.console.slice(m.console),
      summary: this.#sealed && !m.summary ? tr.summary : null,
    };
    const traffic = this.#delivery.take();
    if (traffic) Object.assign(a, { traffic_from: traffic.from, traffic: traffic.buckets });
    const nothing = a.samples.length + a.details.length + a.packets.length + a.console.length === 0 && a.now === m.now && !a.summary && !traffic;
    this.#marks = {
      samples: tr.samples.length,
      details: tr.details.length,
      packets: tr.packets.length,
      load: tr.load.length,
      console: tr.console.length,
      now: tr.now,
      summary: m.summary || a.summary !== null,
    };
    return nothing ? undefined : a;
  }
}

/** Radio links between scenario nodes that are usable in at least one direction (a < b). */
function radioEdges(medium: Medium, n: number, usableLoss: number): EdgeRecord[] {
  const edges = new Map<number, EdgeRecord>();
  for (let i = 0; i < n; i++) {
    for (const l of medium.links(i)) {
      if (l.to >= n || l.loss > usableLoss) continue;
      const [a, b] = i < l.to ? [i, l.to] : [l.to, i];
      const key = a * n + b;
      let e = edges.get(key);
      if (!e) edges.set(key, (e = [a, b, 0]));
      e[2] |= i === a ? EDGE_AB | (l.cut ? EDGE_CUT_AB : 0) : EDGE_BA | (l.cut ? EDGE_CUT_BA : 0);
    }
  }
  return [...edges.values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

function sameTuple(a: NodeTuple, b: NodeTuple): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
