/**
 * The dashboard's trace: what a run looked like, compact enough for 1,000 nodes. Plain JSON
 * (saved with `--trace`, streamed to the page, opened again with `mycelium-sim view`), shared by
 * the recorder (Node), the page (browser) and the SVG snapshot. No Node or DOM APIs here.
 *
 * Sizes are kept down by tuples instead of objects, node states stored only when they change,
 * per-node details (peers, routes, counters) every few samples and only when changed, and a cap
 * on frame events per simulated second (the first `cap_per_s` of each second are kept; the
 * others are only counted in `load`).
 */

export const TRACE_FORMAT = 'mycelium-dashboard-trace/1';

/** [sent, delivered] of the traffic messages sent in one simulated second (delivery.ts). */
export type DeliveryBucket = [sent: number, delivered: number];

/** A churn event of the scenario: [t, action] (the charts mark it). */
export type ChurnMark = [t: number, action: string];

/** Frame outcomes, by index: 0 = delivered, the rest are the medium's loss reasons (stats.ts). */
export const OUTCOMES = ['delivered', 'range', 'loss', 'collision', 'asleep', 'down', 'mtu', 'cut', 'queue'] as const;
export type OutcomeName = (typeof OUTCOMES)[number];

export interface TraceNode {
  /** Node id, hex. */
  readonly id: string;
  readonly mac: string;
  readonly x: number;
  readonly y: number;
}

/**
 * A radio link between a < b: [a, b, flags]. Flags: bit 0 a → b is usable (loss ≤ usable_loss),
 * bit 1 b → a is usable, bit 2 a → b cut at the start, bit 3 b → a cut at the start.
 */
export type EdgeRecord = [a: number, b: number, flags: number];
export const EDGE_AB = 1;
export const EDGE_BA = 2;
export const EDGE_CUT_AB = 4;
export const EDGE_CUT_BA = 8;

/** A churn link event: [t, a, b, cut (1) or restore (0), one way (1) or both (0)]. */
export type LinkEvent = [t: number, a: number, b: number, cut: 0 | 1, oneWay: 0 | 1];

/**
 * One node's state at a sample: [index, flags, address text, coordinates, root, parent, peers,
 * routes]. Flags: bit 0 up (not taken down by churn), bit 1 radio on (not asleep), bit 2 the
 * node runs. `root` and `parent` are node indices; -1 none or unknown (a root outside the
 * scenario, or no node with the parent's address). Coordinates are the tree address's child
 * coordinates joined by dots ("" for the root).
 */
export type NodeTuple = [i: number, flags: number, address: string | null, coords: string | null, root: number, parent: number, peers: number, routes: number];
export const NODE_UP = 1;
export const NODE_AWAKE = 2;
export const NODE_RUNNING = 4;

/** A sample: the nodes whose tuple changed since the previous sample, and the medium's totals. */
export interface Sample {
  readonly t: number;
  readonly nodes: NodeTuple[];
  /** Medium totals so far: [sent, delivered, ...lost by OUTCOMES[1..]]. */
  readonly medium: number[];
}

/**
 * A node's detail (changed ones only, every `detail_every` samples): its NodeState
 * (modules/mycelium/node.ts) with node ids turned into scenario indices, plus medium figures.
 */
export interface NodeDetail {
  /** Peer node indices (-1: not a scenario node). */
  readonly peers: number[];
  /** Routes: [address text, node index]. */
  readonly routes: [string, number][];
  readonly addresses: string[];
  /** The Packager's non-zero counters. */
  readonly counters: Record<string, number>;
  /** Medium figures: frames sent, received, airtime ms. */
  readonly sent: number;
  readonly received: number;
  readonly airtime_ms: number;
  /** Only in a live node's detail. */
  readonly uptime_ms?: number;
}

export interface DetailSample {
  readonly t: number;
  readonly nodes: [number, NodeDetail | null][];
}

/** A frame's fate at one receiver: [sent at, settled at, from, to (-1: refused by the sender), kind, outcome]. */
export type PacketRecord = [tSend: number, tEnd: number, from: number, to: number, kind: number, outcome: number];

/** Console output: [t, node, text]. */
export type ConsoleRecord = [t: number, node: number, text: string];

export interface TraceSummary {
  readonly delivery_ratio: number | null;
  readonly sent: number;
  readonly delivered: number;
  readonly converged_ms: number | null;
  readonly roots_at_end: number;
  readonly drops: { readonly medium: Record<string, number>; readonly packager: Record<string, number> };
}

export interface Trace {
  readonly format: typeof TRACE_FORMAT;
  readonly scenario: string;
  readonly description: string;
  readonly seed: number;
  readonly duration_ms: number;
  readonly interface: string;
  readonly sample_ms: number;
  /** Details every this many samples. */
  readonly detail_every: number;
  /** At most this many frame events per simulated second are kept. */
  readonly cap_per_s: number;
  readonly usable_loss: number;
  readonly nodes: readonly TraceNode[];
  readonly edges: readonly EdgeRecord[];
  readonly link_events: readonly LinkEvent[];
  /** What frames carried, by index (app names, then signalling, fragment, unknown). */
  readonly kinds: readonly string[];
  readonly samples: Sample[];
  readonly details: DetailSample[];
  readonly packets: PacketRecord[];
  /** Frame events per simulated second (all, kept or not), by second. */
  readonly load: number[];
  readonly console: ConsoleRecord[];
  /** Traffic messages by second sent: [sent, delivered so far] (absent in older traces). */
  traffic?: DeliveryBucket[];
  /** The scenario's churn events (absent in older traces). */
  readonly churn?: readonly ChurnMark[];
  /** Set when the run is over. */
  summary: TraceSummary | null;
  /** Simulated time recorded so far. */
  now: number;
  /** Present (true) when the run was stopped early (Ctrl-C): the trace ends at `now`. */
  partial?: true;
}

/** What the server streams after the first full trace: everything appended since. */
export interface TraceAppend {
  readonly now: number;
  readonly samples: Sample[];
  readonly details: DetailSample[];
  readonly packets: PacketRecord[];
  /** Load figures from index `load_from` on (the last second may have grown). */
  readonly load_from: number;
  readonly load: number[];
  readonly console: ConsoleRecord[];
  readonly summary: TraceSummary | null;
  /** Traffic buckets from index `traffic_from` on (deliveries change earlier seconds). */
  readonly traffic_from?: number;
  readonly traffic?: DeliveryBucket[];
}

/** Checks the shape of a parsed trace file; returns an error message or undefined. */
export function checkTrace(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const t = value as Record<string, unknown>;
  if (t.format !== TRACE_FORMAT) return `format must be "${TRACE_FORMAT}", got ${JSON.stringify(t.format)}`;
  for (const k of ['nodes', 'edges', 'link_events', 'kinds', 'samples', 'details', 'packets', 'load', 'console']) {
    if (!Array.isArray(t[k])) return `${k} must be an array`;
  }
  for (const k of ['duration_ms', 'sample_ms', 'cap_per_s', 'now']) {
    if (typeof t[k] !== 'number') return `${k} must be a number`;
  }
  return undefined;
}
