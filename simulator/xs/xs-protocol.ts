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
import type { TwinSpec } from '../rylr998/twin.js';

/** One node a worker hosts: what it needs to build the node at every boot. */
export interface HostedNodeConfig {
  readonly index: number;
  /** Node id, hex. */
  readonly nodeId: string;
  readonly options: SimNodeOptions;
  /** The scenario's apps on this node. */
  readonly apps: readonly SimAppSpec[];
  /** The interface constants of the host's SimRadio, copied onto the worker's proxy radio. */
  readonly radio: {
    readonly name: string;
    readonly bitrate: number;
    readonly schemaIds: readonly number[];
    readonly mtu: number;
    /** The longest frame the medium takes (SimRadio.maxFrame). */
    readonly maxFrame: number;
    /** Medium.frameTimerFloor: how soon a frame accepted by an idle queue sets its timer (null: unknown, as 0). */
    readonly frameFloor: { readonly fixedMs: number; readonly perByteMs: number } | null;
  };
}

/** Jobs, run by the worker in order at simulated time `now`. */
export type Job =
  /** `rylr998`: the nodes' radios are RYLR-998s, each boot's driver and the module's twin built in the worker (NodeSetup.rylr998). */
  | { readonly k: 'init'; readonly nodes: readonly HostedNodeConfig[]; readonly log: boolean; readonly rylr998?: TwinSpec }
  /** Power node `i` on with a random stream seeded `seed` (the host forks it, as in-process). */
  | { readonly k: 'boot'; readonly i: number; readonly seed: number }
  | { readonly k: 'down'; readonly i: number }
  /** Answer: the refusal code or null. */
  | { readonly k: 'send'; readonly i: number; readonly order: TrafficOrder }
  /** Answer: whether node `i` was on to run the console line. */
  | { readonly k: 'cmd'; readonly i: number; readonly line: string }
  /** The worker's stand-in timer fell due on the host clock: run its timers up to (due, id). */
  | { readonly k: 'tick'; readonly due: number; readonly id: number }
  /** The medium delivered `frame` from `mac` to node `i`'s radio, with its RSSI and its link's loss (SimRadio.lastLinkLoss). */
  | { readonly k: 'rx'; readonly i: number; readonly frame: Uint8Array; readonly mac: Uint8Array | null; readonly rssi: number; readonly linkLoss: number }
  /** The medium is done with node `i`'s frame to `mac` (null: a broadcast), unicast acked or not (SimRadio.onSent). */
  | { readonly k: 'sent'; readonly i: number; readonly mac: Uint8Array | null; readonly delivered: boolean }
  /** Answer: the hosted nodes' TreeViews (null: powered off), in hosting order. */
  | { readonly k: 'views' }
  /** Answer: the hosted nodes' NodeState (null: powered off), in hosting order. */
  | { readonly k: 'stats' }
  /** Answer: the hosted nodes' Packager counters (null: powered off), in hosting order. */
  | { readonly k: 'counters' }
  /** Answer: the hosted nodes' RYLR-998 driver counters over their boots (RadioTally.counters; null: none), in hosting order. */
  | { readonly k: 'radio' }
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
  /**
   * What each hosted node's radio calls will meet on the host at this batch's time, in hosting
   * order: a byte each (Outlook), then each one's transmit queue tail, f64 (Medium's busyUntil:
   * a frame accepted before it starts on air then). The host changes none of it before the
   * batch's end but through the worker's own calls, so the worker knows the answer of most calls
   * and holds them (Command.HELD). Absent (a radio whose host cannot say): hold no send nor broadcast.
   */
  readonly outlook?: Uint8Array;
  readonly jobs: readonly Job[];
}

/** Bits of a node's outlook byte (JobBatch.outlook). */
export const Outlook = {
  /** The medium has the node up. */
  UP: 1,
  /** Its radio is on (not in modem sleep). */
  RADIO_ON: 2,
  /** An accepted frame sets exactly one host timer, due after now (Medium.transmitOutlook). */
  ONE_TIMER: 4,
  /** Bits 3-7: the frames it may still queue before a refusal (at most 31). */
  ROOM_SHIFT: 3,
  ROOM_MAX: 31,
} as const;

/** What Medium.transmitOutlook says of a node. */
interface NodeOutlook {
  readonly up: boolean;
  readonly radioOn: boolean;
  readonly room: number;
  readonly oneTimerPerFrame: boolean;
  readonly busyUntil: number;
}

/** JobBatch.outlook from each hosted node's Medium.transmitOutlook, in hosting order. */
export function encodeOutlook(nodes: readonly NodeOutlook[]): Uint8Array {
  const n = nodes.length;
  const bytes = new Uint8Array(9 * n);
  const view = new DataView(bytes.buffer);
  for (let k = 0; k < n; k++) {
    const o = nodes[k];
    const room = o.room < 0 ? 0 : o.room > Outlook.ROOM_MAX ? Outlook.ROOM_MAX : o.room;
    bytes[k] = (o.up ? Outlook.UP : 0) | (o.radioOn ? Outlook.RADIO_ON : 0) | (o.oneTimerPerFrame ? Outlook.ONE_TIMER : 0) | (room << Outlook.ROOM_SHIFT);
    view.setFloat64(n + 8 * k, o.busyUntil, true);
  }
  return bytes;
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
  /** Commands still held at the end of the input (a BATCH, base64); first, when there are any. */
  | readonly ['c', string]
  /** First (after 'c'): the timer id sequence after the batch, and (due, id) of the worker's next timer. */
  | readonly ['k', number, number | null, number | null]
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
 *   HELD          f64 id after, u8 accepted, f64 from, u8 after, one of the four above → REPLY
 *   ATTACH        u32 node, u8 listening            → empty  (the node's radio set or cleared onReceive:
 *                                                              0 off, 1 frames and their fates, 2 frames only)
 *   BATCH         (u32 length, command)…            → the reply of the last command
 *   SHA256        bytes                             → their 32-byte SHA-256 (never held nor batched)
 * REPLY: u8 accepted, f64 id, f64 due, f64 id of the host's next timer (due +∞ when none).
 *
 * The worker keeps its nodes' timers on a clock of its own, numbered in the host clock's id
 * sequence (the host leaves one stand-in timer per worker): a radio call can set host timers,
 * so it carries the worker's time and next id, and the host applies it there.
 *
 * Most radio calls are held: the worker knows their answer from the batch's outlook (above)
 * and what its nodes did since, so it answers the node itself and sends the call later, in
 * order, in one BATCH with the next call that crosses or with its answer at the end of the
 * input (output 'c'; the host applies those first, at the time and ids each carries). A held
 * call is wrapped in HELD with what the worker assumed: whether the medium accepts it (a send
 * or broadcast: up, radio on, within the MTU, room in the queue), the id sequence after it (one
 * timer per accepted frame, a wake timer per timed sleep) and, for an accepted frame, the
 * earliest its timer can fall due (`from`, or after it if `after`: the queue's tail, or its
 * airtime and delivery, Medium.frameTimerFloor). The host checks all three and fails the run if
 * one differs: a wrong guess would change the run without a word. ATTACH sets no timer and is
 * held the same way.
 *
 * Held calls hide the host's next timer from the worker, which ran on up to it: a sleep's wake
 * timer is known exactly; a frame's is not, only its bound, so the worker stops running on at
 * its first timer that may come after a held frame's (the host's stand-in brings it back with a
 * `tick` if it comes before the host's next timer). A sleep or wake that clears the wake timer
 * the worker runs on up to crosses (answered at once, with the horizon), as does a frame whose
 * fate the worker cannot know (no outlook, a link with its own latency, a queue maybe full).
 */
export const Command = {
  SEND: 3,
  BROADCAST: 4,
  SLEEP: 5,
  WAKE: 6,
  ATTACH: 7,
  BATCH: 8,
  SHA256: 9,
  HELD: 10,
} as const;

/** Bytes of HELD before the command it wraps. */
export const HELD_HEADER_BYTES = 19;

/** Bytes of a REPLY. */
export const REPLY_BYTES = 25;
