/**
 * Tunables of a Packager: upstream's timings as defaults, and a cap with an eviction rule for
 * every table (architecture.md: bounded everything). Hosts with little RAM lower the caps.
 */
import {
  MODEM_INTERSECT_INTERVAL,
  MODEM_INTERSECT_RTX_TIMES,
  PEER_AWAKE_WINDOW_MS,
  PEER_TIMEOUT_START,
  SEND_RETRY_COUNT,
  SEND_RETRY_DELAY_MS,
  SEQ_SYNC_DELAY_MS,
} from '../wire/constants.js';
import type { Peer } from './peer.js';

// Per-radio timings live in timings.ts (attached.ts needs them without the Packager's options).
import type { Timings } from './timings.js';
export type { InterfaceOptions, Timings } from './timings.js';

/** Every cap, with the eviction rule applied when it is reached. */
export interface Limits {
  /** Peers; a new peer evicts the one heard least recently. */
  readonly peers: number;
  /** Routes; a new route evicts the oldest-learnt one. */
  readonly routes: number;
  /** Banned ids; a ban beyond the cap is refused. */
  readonly banned: number;
  /** Datagrams queued per sleeping peer; overflow drops the oldest (upstream 10). */
  readonly peerQueue: number;
  /** Pending timed events; scheduling beyond the cap is refused and counted. */
  readonly events: number;
  /** Links (MAC, radio) one peer may have; more are refused (`link_refused`). */
  readonly linksPerPeer: number;
  /** Pending timed events of one owner (an app, or a family of the Packager's own: RP, RS, SS…): no source can take the whole table. */
  readonly eventsPerOwner: number;
  /** Outbound single packets kept for retry/RTX (upstream 10); the earliest-expiring is evicted. */
  readonly packetCache: number;
  /** Outbound sequences kept for resend/RTX (upstream 10); the earliest-expiring is evicted. */
  readonly sequenceCache: number;
  /** Bytes of frames held by the outbound sequence cache; beyond it the oldest are evicted. */
  readonly sequenceCacheBytes: number;
  /** Largest inbound sequence accepted, counted as fragments × max body (so never exceeded). */
  readonly inboundSequenceBytes: number;
  /** Inbound sequences in flight from one origin; a new one evicts that origin's stalest. */
  readonly inboundPerOrigin: number;
  /** Bytes one origin's inbound sequences may reserve together (its share of `inboundTotalBytes`); a new one beyond it evicts that origin's stalest. */
  readonly inboundOriginBytes: number;
  /** Inbound sequences in flight in total; a new one evicts the slowest idle or slow one (`slowFragmentMs`), else is refused. */
  readonly inboundTotal: number;
  /** Bytes reserved by all inbound sequences; a sequence that does not fit evicts the slowest idle or slow one, else is refused. */
  readonly inboundTotalBytes: number;
  /** Recently delivered unicasts remembered to drop duplicates; the oldest is forgotten. */
  readonly duplicates: number;
  /** RTX requests sent per sync round of one inbound sequence: a burst stays below the 16-frame transmit queue, and our senders resend by themselves. */
  readonly rtxPerRound: number;
  /** Modem-sleep skips queued (upstream 10). */
  readonly sleepSkips: number;
  /** Largest send window of one unicast sequence, in fragments (it starts at `flowWindowStart`). */
  readonly flowWindowMax: number;
  readonly flowWindowStart: number;
  /** Fragments of all our unicast sequences in flight at once, below the radio's transmit queue. */
  readonly flowInFlight: number;
  /** Frames held for a hop ack; beyond it frames go without hop recovery (counted). */
  readonly hopCustody: number;
  /** Frames recently hop-acked, remembered to drop hop resends; the oldest is forgotten. */
  readonly hopReceipts: number;
  /** Packets recently relayed, remembered to catch one coming round a loop; the oldest is forgotten. */
  readonly recentForwards: number;
  /** Packets one neighbour may have us relay per second (token bucket per previous hop); beyond it they are dropped (`drop_relay_rate`) while the node is congested (`relayHoldMs`). */
  readonly relayPerSecond: number;
  /** The bucket's depth: a burst one neighbour may have relayed at once. */
  readonly relayBurst: number;
  /** Previous hops with a relay bucket; a new one takes the slot of the least recently seen. */
  readonly relayBuckets: number;
  /** Paths learnt from relayed traffic (learned-paths.ts, "Short paths"); 0 learns none. The neighbour holding most gives one up. */
  readonly learnedPaths: number;
}

export interface PackagerOptions {
  /** 32-byte node id (SHA-256(SHA-256(chip id)) upstream). */
  readonly nodeId: Uint8Array;
  readonly timings?: Partial<Timings>;
  readonly limits?: Partial<Limits>;
  /** Ask for an ack of every fragment of our unicast sequences (default true; §13.3). */
  readonly askEveryFragment?: boolean;
  /**
   * Hop recovery among our own nodes (docs/routing.md, "Flow control for sequences"): every
   * unicast frame to a neighbour that speaks it asks a hop ack (flag throttle) and is resent until
   * hop-acked. `true` for every neighbour, or a test per peer (e.g. the capability its Beacon
   * lists). `true` means every neighbour that speaks Hello (its Beacon lists it, or it sent a
   * hello), so upstream never sees a throttle flag nor a hop ack. Default false: meant for links
   * without link-layer retries (ESP-NOW with retries off, LoRa), where it pays for itself.
   */
  readonly hopRecovery?: boolean | ((peer: Peer) => boolean);
}

export const DEFAULT_TIMINGS: Timings = Object.freeze({
  sendRetryDelayMs: SEND_RETRY_DELAY_MS,
  sendRetryCount: SEND_RETRY_COUNT,
  seqSyncDelayMs: SEQ_SYNC_DELAY_MS,
  seqSyncRetries: 3,
  rnsProbes: MODEM_INTERSECT_RTX_TIMES,
  rnsIntervalMs: MODEM_INTERSECT_INTERVAL,
  peerAwakeMs: PEER_AWAKE_WINDOW_MS,
  peerTimeoutStart: PEER_TIMEOUT_START,
  peerIdleMs: 90_000,
  outboundTtlMs: 60_000,
  duplicateWindowMs: 10_000,
  slowFragmentMs: 3_000,
  hopAckTimeoutMs: 50,
  hopRetries: 5,
  hopDuplicateWindowMs: 1_500,
  routeLifetimeMs: 480_000,
  loopWindowMs: 150,
  relayHoldMs: 10_000,
  sendRetryJitterMs: 0,
  sendRetryMaxBackoff: 1,
  learnedPathMs: 120_000,
  linkStaleMs: 150_000,
  broadcastSpacingMs: 0,
  endToEndAcks: 1,
  endToEndAckDutyMs: 0,
  sendSpreadMs: 0,
});

export const DEFAULT_LIMITS: Limits = Object.freeze({
  peers: 64,
  routes: 256,
  banned: 64,
  peerQueue: 32,
  events: 256,
  linksPerPeer: 4,
  eventsPerOwner: 96,
  packetCache: 32,
  sequenceCache: 10,
  sequenceCacheBytes: 128 * 1024,
  inboundSequenceBytes: 64 * 1024,
  inboundPerOrigin: 2,
  inboundOriginBytes: 64 * 1024,
  inboundTotal: 8,
  inboundTotalBytes: 128 * 1024,
  duplicates: 128,
  rtxPerRound: 8,
  sleepSkips: 10,
  flowWindowMax: 8,
  flowWindowStart: 4,
  flowInFlight: 12,
  hopCustody: 48,
  hopReceipts: 128,
  recentForwards: 64,
  relayPerSecond: 100,
  relayBurst: 40,
  relayBuckets: 32,
  learnedPaths: 64,
});
