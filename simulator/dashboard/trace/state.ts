/**
 * Reading a trace at any simulated time: node states (rebuilt from change-only samples, with a
 * full checkpoint every CHECKPOINT samples so scrubbing stays cheap at 1,000 nodes), the radio
 * links with churn applied, tree edges, per-node details and the frames around a moment.
 * Used by the page and by the SVG snapshot. No Node or DOM APIs.
 */
import {
  EDGE_AB,
  EDGE_BA,
  EDGE_CUT_AB,
  EDGE_CUT_BA,
  NODE_AWAKE,
  NODE_RUNNING,
  NODE_UP,
  type NodeDetail,
  type NodeTuple,
  type PacketRecord,
  type Trace,
  type TraceAppend,
} from './types.js';

const CHECKPOINT = 32;

/** A node as the trace replays it at one time (indices, not ids): decoded from its NodeTuple. */
export interface TraceNodeState {
  readonly up: boolean;
  readonly awake: boolean;
  readonly running: boolean;
  readonly address: string | null;
  readonly coords: string | null;
  readonly root: number;
  readonly parent: number;
  readonly peers: number;
  readonly routes: number;
}

export const UNKNOWN_STATE: TraceNodeState = Object.freeze({
  up: true,
  awake: true,
  running: false,
  address: null,
  coords: null,
  root: -1,
  parent: -1,
  peers: 0,
  routes: 0,
});

export function stateOf(t: NodeTuple): TraceNodeState {
  const [, flags, address, coords, root, parent, peers, routes] = t;
  return { up: (flags & NODE_UP) !== 0, awake: (flags & NODE_AWAKE) !== 0, running: (flags & NODE_RUNNING) !== 0, address, coords, root, parent, peers, routes };
}

/** A radio link as drawn at some time: usable one way or both, cut or not. */
export interface EdgeState {
  readonly a: number;
  readonly b: number;
  /** Usable in both directions (else one way: `oneWayFrom` → the other). */
  readonly both: boolean;
  readonly oneWayFrom: number;
  /** Every usable direction is cut. */
  readonly cut: boolean;
}

/** Index of the last element of a sorted-by-key array with key ≤ t, or -1. */
export function lastAtOrBefore<T>(items: readonly T[], t: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= t) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Index of the first element with key ≥ t (items.length if none). */
export function firstAtOrAfter<T>(items: readonly T[], t: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class TraceIndex {
  readonly trace: Trace;
  readonly n: number;
  /** checkpoints[c] = states after sample c·CHECKPOINT. */
  readonly #checkpoints: TraceNodeState[][] = [];
  #cacheSample = -2;
  #cacheStates: TraceNodeState[] = [];
  /** Per node: indices into trace.details where it has an entry. */
  readonly #detailRefs: number[][];

  constructor(trace: Trace) {
    this.trace = trace;
    this.n = trace.nodes.length;
    this.#detailRefs = trace.nodes.map(() => []);
    trace.details.forEach((d, k) => this.#indexDetail(k, d.nodes));
  }

  /** Adds what the server streamed since. */
  append(a: TraceAppend): void {
    const tr = this.trace;
    for (const s of a.samples) tr.samples.push(s);
    for (const d of a.details) {
      tr.details.push(d);
      this.#indexDetail(tr.details.length - 1, d.nodes);
    }
    for (const p of a.packets) tr.packets.push(p);
    for (let k = 0; k < a.load.length; k++) tr.load[a.load_from + k] = a.load[k];
    for (const c of a.console) tr.console.push(c);
    if (a.traffic && a.traffic_from !== undefined) {
      tr.traffic ??= [];
      for (let k = 0; k < a.traffic.length; k++) tr.traffic[a.traffic_from + k] = a.traffic[k];
    }
    tr.now = a.now;
    if (a.summary) tr.summary = a.summary;
  }

  #indexDetail(k: number, nodes: readonly [number, unknown][]): void {
    for (const [i] of nodes) this.#detailRefs[i]?.push(k);
  }

  /** Simulated time recorded so far. */
  get endMs(): number {
    return this.trace.now;
  }

  /** Index of the sample in force at t (-1 before the first). */
  sampleIndexAt(t: number): number {
    return lastAtOrBefore(this.trace.samples, t, (s) => s.t);
  }

  /** Every node's state as of the last sample at or before t. */
  statesAt(t: number): readonly TraceNodeState[] {
    return this.statesAtSample(this.sampleIndexAt(t));
  }

  statesAtSample(k: number): readonly TraceNodeState[] {
    if (k === this.#cacheSample) return this.#cacheStates;
    const samples = this.trace.samples;
    let states: TraceNodeState[];
    if (k < 0) {
      states = Array.from({ length: this.n }, () => UNKNOWN_STATE);
    } else {
      // Checkpoint c depends only on samples 0..c·CHECKPOINT, which never change once there.
      const c = Math.floor(k / CHECKPOINT);
      while (this.#checkpoints.length <= c) {
        const m = this.#checkpoints.length;
        const base = m === 0 ? Array.from({ length: this.n }, () => UNKNOWN_STATE) : this.#checkpoints[m - 1].slice();
        for (let j = m === 0 ? 0 : (m - 1) * CHECKPOINT + 1; j <= m * CHECKPOINT; j++) applySample(base, samples[j].nodes);
        this.#checkpoints.push(base);
      }
      states = this.#checkpoints[c].slice();
      for (let j = c * CHECKPOINT + 1; j <= k; j++) applySample(states, samples[j].nodes);
    }
    this.#cacheSample = k;
    this.#cacheStates = states;
    return states;
  }

  /** Medium totals at t: [sent, delivered, ...lost by reason]. */
  mediumAt(t: number): readonly number[] | undefined {
    const k = this.sampleIndexAt(t);
    return k < 0 ? undefined : this.trace.samples[k].medium;
  }

  /** Node i's latest detail at or before t. */
  detailAt(i: number, t: number): { t: number; detail: NodeDetail | null } | undefined {
    const refs = this.#detailRefs[i];
    if (!refs) return undefined;
    const details = this.trace.details;
    const j = lastAtOrBefore(refs, t, (k) => details[k].t);
    if (j < 0) return undefined;
    const d = details[refs[j]];
    const entry = d.nodes.find(([x]) => x === i);
    return entry ? { t: d.t, detail: entry[1] } : undefined;
  }

  /** Node i's recorded details, oldest first. */
  detailsOf(i: number): { t: number; detail: NodeDetail | null }[] {
    const details = this.trace.details;
    return (this.#detailRefs[i] ?? []).map((k) => ({ t: details[k].t, detail: details[k].nodes.find(([x]) => x === i)?.[1] ?? null }));
  }

  /** The radio links at t (churn link events applied). */
  edgesAt(t: number): EdgeState[] {
    const cuts = new Map<string, boolean>();
    for (const [at, a, b, cut, oneWay] of this.trace.link_events) {
      if (at > t) continue;
      cuts.set(`${a}>${b}`, cut === 1);
      if (!oneWay) cuts.set(`${b}>${a}`, cut === 1);
    }
    return this.trace.edges.map(([a, b, flags]) => {
      const ab = (flags & EDGE_AB) !== 0;
      const ba = (flags & EDGE_BA) !== 0;
      const cutAB = cuts.get(`${a}>${b}`) ?? (flags & EDGE_CUT_AB) !== 0;
      const cutBA = cuts.get(`${b}>${a}`) ?? (flags & EDGE_CUT_BA) !== 0;
      const cut = (!ab || cutAB) && (!ba || cutBA);
      return { a, b, both: ab && ba, oneWayFrom: ab ? a : b, cut };
    });
  }

  /** Frame events that may be visible at t: settled in [t - before, t + after]. */
  packetsAround(t: number, before: number, after: number): { from: number; to: number } {
    const p = this.trace.packets;
    return { from: firstAtOrAfter(p, t - before, (x: PacketRecord) => x[1]), to: firstAtOrAfter(p, t + after + 1e-9, (x: PacketRecord) => x[1]) };
  }

  /** Frame events in the simulated second that contains t: [all, kept]. */
  loadAt(t: number): [number, number] {
    const all = this.trace.load[Math.floor(t / 1000)] ?? 0;
    return [all, Math.min(all, this.trace.cap_per_s)];
  }
}

function applySample(states: TraceNodeState[], nodes: readonly NodeTuple[]): void {
  for (const tuple of nodes) if (tuple[0] < states.length) states[tuple[0]] = stateOf(tuple);
}

/** Tree edges [child, parent] of the given states (live nodes with a known parent). */
export function treeEdges(states: readonly TraceNodeState[]): [number, number][] {
  const out: [number, number][] = [];
  states.forEach((s, i) => {
    if (s.up && s.running && s.parent >= 0 && s.parent !== i) out.push([i, s.parent]);
  });
  return out;
}

/** Nodes that are roots of their own tree (live, running, root = themselves). */
export function rootsOf(states: readonly TraceNodeState[]): number[] {
  const out: number[] = [];
  states.forEach((s, i) => {
    if (s.up && s.running && s.root === i) out.push(i);
  });
  return out;
}

/** "1.3.2" → "1.3.2", "" → "root"; null → "no address". */
export function describeCoords(coords: string | null): string {
  return coords === null ? 'no address' : coords === '' ? '(root)' : coords;
}

export function formatMs(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return `${m}:${r < 10 ? '0' : ''}${r.toFixed(1)}`;
}
