/**
 * What the XS runner's host (xs-driver.ts, in Node) and its workers (xs-worker-entry.ts, in XS)
 * say to each other. Pure ECMAScript types and constants: both sides import this file.
 *
 * Host → worker: a JobBatch as JSON through `handleInput`; the worker answers with its Outputs as
 * JSON. Worker → host, in the middle of a job: a Command through XS's synchronous
 * `issueCommand(ArrayBuffer)`, answered at once by the host (binary, little-endian, below).
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
  /** Timer `h` fell due on the host clock. */
  | { readonly k: 'fire'; readonly h: number }
  /** The medium delivered a frame (base64) from `mac` (base64) to node `i`'s radio. */
  | { readonly k: 'rx'; readonly i: number; readonly frame: string; readonly mac: string | null; readonly rssi: number }
  /** Answer: the hosted nodes' TreeViews (null: powered off), in hosting order. */
  | { readonly k: 'views' }
  /** Answer: the hosted nodes' NodeState (null: powered off), in hosting order. */
  | { readonly k: 'stats' }
  /** Answer: the hosted nodes' Packager counters (null: powered off), in hosting order. */
  | { readonly k: 'counters' }
  /** Collect garbage so that the reply's meter counts live slots only. */
  | { readonly k: 'gc' };

export interface JobBatch {
  readonly now: number;
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
  /** Commands still held at the end of the input (a BATCH, base64); always the first output. */
  | readonly ['c', string]
  /** The answer of the next job that has one (send, views, stats). */
  | readonly ['=', unknown];

/**
 * Command opcodes (first byte). Layouts after it, and the host's reply:
 *   SET_TIMEOUT   f64 delayMs, f64 handle            → empty  (the worker numbers its timers 1, 2, …)
 *   CLEAR_TIMEOUT f64 handle                        → empty
 *   SEND          u32 node, u8 macLength, mac, frame → u8 accepted
 *   BROADCAST     u32 node, frame                   → u8 accepted
 *   SLEEP         u32 node, f64 ms                  → empty
 *   WAKE          u32 node                          → empty
 *   ATTACH        u32 node, u8 listening            → empty  (the node's packager set or cleared onReceive)
 *   BATCH         (u32 length, command)…            → the reply of the last command
 *
 * Only SEND and BROADCAST need their answer at once (the radio may refuse a frame). The worker
 * holds the other commands and sends them, in order, in one BATCH with the next SEND or
 * BROADCAST; what is still held at the end of an input rides on its answer (output 'c', first).
 * The host applies every command in the order the nodes made them, before that input's other
 * outputs, as if each had crossed on its own.
 */
export const Command = {
  SET_TIMEOUT: 1,
  CLEAR_TIMEOUT: 2,
  SEND: 3,
  BROADCAST: 4,
  SLEEP: 5,
  WAKE: 6,
  ATTACH: 7,
  BATCH: 8,
} as const;
