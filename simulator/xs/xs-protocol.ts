/**
 * What the XS runner's host (xs-driver.ts, in Node) and its workers (xs-worker-entry.ts, in XS)
 * say to each other. Pure ECMAScript types and constants: both sides import this file.
 *
 * Host → worker: a JobBatch in bytes (xs-batch-codec.ts) through `handleInput`; the worker answers
 * with its Outputs as JSON. Worker → host, in the middle of a job: a Command through XS's
 * synchronous `issueCommand(ArrayBuffer)`, answered at once by the host (binary, little-endian,
 * below).
 */
import type { SimAppSpec, SimNodeOptions, TrafficOrder } from '../runner/sim-node.js';

/** One node a worker hosts: what it needs to build the node at every boot. */
export interface HostedNodeConfig {
  readonly index: number;
  /** Node id, hex. */
  readonly nodeId: string;
  readonly options: SimNodeOptions;
  /** The scenario's apps on this node. */
  readonly apps: readonly SimAppSpec[];
  /** The interface constants of the host's SimRadio, copied onto the worker's proxy radio. */
  readonly radio: { readonly name: string; readonly bitrate: number; readonly schemaIds: readonly number[]; readonly mtu: number };
}

/** Jobs, run by the worker in order at simulated time `now`. */
export type Job =
  | { readonly k: 'init'; readonly nodes: readonly HostedNodeConfig[]; readonly log: boolean }
  /** Power node `i` on with a random stream seeded `seed` (the host forks it, as in-process). */
  | { readonly k: 'boot'; readonly i: number; readonly seed: number }
  | { readonly k: 'down'; readonly i: number }
  /** Answer: the refusal code or null. */
  | { readonly k: 'send'; readonly i: number; readonly order: TrafficOrder }
  /** Answer: whether node `i` was on to run the console line. */
  | { readonly k: 'cmd'; readonly i: number; readonly line: string }
  /** The worker's stand-in timer fell due on the host clock: run its timers up to (due, id). */
  | { readonly k: 'tick'; readonly due: number; readonly id: number }
  /** The medium delivered `frame` from `mac` to node `i`'s radio. */
  | { readonly k: 'rx'; readonly i: number; readonly frame: Uint8Array; readonly mac: Uint8Array | null; readonly rssi: number }
  /** The medium is done with node `i`'s frame to `mac` (null: a broadcast), unicast acked or not (SimRadio.onSent). */
  | { readonly k: 'sent'; readonly i: number; readonly mac: Uint8Array | null; readonly delivered: boolean }
  /** Answer: the hosted nodes' TreeViews (null: powered off), in hosting order. */
  | { readonly k: 'views' }
  /** Answer: the hosted nodes' NodeState (null: powered off), in hosting order. */
  | { readonly k: 'stats' }
  /** Answer: the hosted nodes' Packager counters (null: powered off), in hosting order. */
  | { readonly k: 'counters' }
  /** Answer: how many of its nodes' timers the worker has run. */
  | { readonly k: 'tally' }
  /** Collect garbage so that the reply's meter counts live slots only. */
  | { readonly k: 'gc' };

export interface JobBatch {
  readonly now: number;
  /** The host clock's next timer id: the worker's timers continue the sequence from it. */
  readonly id: number;
  /**
   * Present when nothing else waits on the host: after the jobs, the worker runs its own timers
   * that come before the host's next timer (due, id) and are due by `limit` (the run's step
   * limit). Its radio calls move the host clock and answer the new next host timer.
   */
  readonly ahead?: readonly [due: number, id: number, limit: number];
  readonly jobs: readonly Job[];
}

/** What the jobs produced, in the order it happened (the host replays it in that order). */
export type Output =
  /** SimNodeEvents.message(node, messageId, hops) */
  | readonly ['m', number, number, number]
  /** SimNodeEvents.pingRequest(node, fromId, nonce, hops) */
  | readonly ['q', number, string, number, number]
  /** SimNodeEvents.pingResponse(node, nonce) */
  | readonly ['r', number, number]
  /** SimNodeEvents.appSent(node, app, how, key, to, address, topic, ok, code) */
  | readonly ['as', number, string, 'send' | 'publish' | 'broadcast', string, string | null, string | null, string | null, boolean, string | null]
  /** SimNodeEvents.appReceived(node, app, key, hops, topic) */
  | readonly ['ar', number, string, string, number | null, string | null]
  /** SimNodeEvents.appSubscribed(node, app, topic, on) */
  | readonly ['sub', number, string, string, boolean]
  /** SimNodeEvents.appFailed(node, app, error) */
  | readonly ['af', number, string, string]
  /** SimNodeEvents.appRegistered(node, app, id) */
  | readonly ['reg', number, string, string]
  /** SimNodeEvents.heldStatus(node, messageId, status) */
  | readonly ['hs', number, number, string]
  /** SimNodeEvents.heldStore(node, count, bytes) */
  | readonly ['hp', number, number, number]
  /** SimNodeEvents.console(node, line, origin?) */
  | readonly ['co', number, string, string?]
  /** A node log line. */
  | readonly ['log', string]
  /** Always first: the timer id sequence after the batch, and (due, id) of the worker's next timer. */
  | readonly ['k', number, number | null, number | null]
  /** Commands still held at the end of the input (a BATCH, base64); right after 'k'. */
  | readonly ['c', string]
  /** The outputs after it happened at simulated time t (the worker's timers move its clock). */
  | readonly ['t', number]
  /** The answer of the next job that has one (send, views, stats). */
  | readonly ['=', unknown];

/**
 * Command opcodes (first byte). Layouts after it, and the host's reply:
 *   SEND          f64 now, f64 id, u32 node, u8 macLength, mac, frame → REPLY
 *   BROADCAST     f64 now, f64 id, u32 node, frame                   → REPLY
 *   SLEEP         f64 now, f64 id, u32 node, f64 ms                  → REPLY
 *   WAKE          f64 now, f64 id, u32 node                          → REPLY
 *   ATTACH        u32 node, u8 listening            → empty  (the node's packager set or cleared onReceive)
 *   BATCH         (u32 length, command)…            → the reply of the last command
 *   SHA256        bytes                             → their 32-byte SHA-256 (never held nor batched)
 * REPLY: u8 accepted, f64 id, f64 due, f64 id of the host's next timer (due +∞ when none).
 *
 * The worker keeps its nodes' timers on a clock of its own, numbered in the host clock's id
 * sequence (the host leaves one stand-in timer per worker): a call that can set host timers
 * carries the worker's time and next id, and the reply gives the sequence back with the host's
 * next timer, up to which the worker may run on. ATTACH sets no timer: the worker holds it and
 * sends it, in order, in one BATCH with the next call or with its answer at the end of the
 * input (output 'c'); the host applies it before that input's other outputs.
 */
export const Command = {
  SEND: 3,
  BROADCAST: 4,
  SLEEP: 5,
  WAKE: 6,
  ATTACH: 7,
  BATCH: 8,
  SHA256: 9,
} as const;

/** Bytes of a REPLY. */
export const REPLY_BYTES = 25;
