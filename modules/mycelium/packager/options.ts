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

export interface Timings {
  /** Unicast retry delay (upstream 2 s) — single packets and our sequence resends. */
  readonly sendRetryDelayMs: number;
  /** Retries after the first attempt (upstream 3). */
  readonly sendRetryCount: number;
  /**
   * Each single-packet retry waits a random extra in [0, this) ms (default 0: upstream's fixed
   * delay). On LoRa two neighbours whose frames collided once would retry in step for ever.
   */
  readonly sendRetryJitterMs: number;
  /** Receiver waits this long without progress before requesting missing fragments (10 s). */
  readonly seqSyncDelayMs: number;
  /** RTX rounds without progress before an inbound sequence is abandoned (3). */
  readonly seqSyncRetries: number;
  /** RNS probes to a sleeping peer (4) and their spacing (36 ms). */
  readonly rnsProbes: number;
  readonly rnsIntervalMs: number;
  /** A peer can receive for this long after it was last heard (800 ms). */
  readonly peerAwakeMs: number;
  /** Beacon cycles a silent peer survives (4); counted down by the Beacon app. */
  readonly peerTimeoutStart: number;
  /** A full peer table gives a new id the slot of a peer silent this long, else refuses it (`peer_refused`). */
  readonly peerIdleMs: number;
  /** Outbound packets and sequences stay available for RTX this long (upstream 60 s). */
  readonly outboundTtlMs: number;
  /** A delivered unicast single packet is recognised as a duplicate for this long (a retry after a lost ack). Completed sequences are remembered for `outboundTtlMs`, as long as their sender may resend. */
  readonly duplicateWindowMs: number;
  /**
   * An inbound sequence averaging more than this many ms per fragment since it started is *slow*:
   * a new sequence may take its room when the inbound budget is full (issue 19, slow sequence
   * bomb). Far above what an honest sender needs on the radio (ESP-NOW: a few ms per fragment,
   * a 2 s retry now and then); LoRa hosts raise it with the airtime and duty cycle.
   */
  readonly slowFragmentMs: number;
  /** Hop recovery: a frame not hop-acked after this long is sent again (doubling, at most ×4). */
  readonly hopAckTimeoutMs: number;
  /** Hop recovery: resends of one frame to one neighbour before it is left to end-to-end recovery. */
  readonly hopRetries: number;
  /** Hop recovery: a frame heard again within this long is a hop resend (its hop ack was lost): acked, not handled twice. Must stay below `sendRetryDelayMs`, the floor of end-to-end resends. */
  readonly hopDuplicateWindowMs: number;
  /** A route lapses this long after its last advert (3 × SpanningTree's longest advert period, 160 s): a false or stale one does not outlive its lie. */
  readonly routeLifetimeMs: number;
  /** A relayed packet seen again within this long with a lower ttl has gone round a loop: dropped, and the route that sent it there forgotten. Below the 200 ms floor of our resends, so a resend on a longer path is never taken for a loop. */
  readonly loopWindowMs: number;
  /** The relay budget per previous hop is enforced for this long after the radio last refused a frame (transmit queue full); an idle relay relays everything. */
  readonly relayHoldMs: number;
  /** A path learnt from traffic lapses this long after the last packet that showed it, less 1 s per hop (learned-paths.ts). */
  readonly learnedPathMs: number;
  /**
   * A peer reached on several interfaces (a bridge: ESP-NOW and LoRa) is sent to on its fastest
   * link, unless that link has been silent this much longer than another of its links: then the
   * one heard last (peer.ts `bestLink`). Per interface: the fast link's own figure decides.
   * 150 s covers two beacon minutes of an upstream neighbour, which is heard only by its beacons.
   */
  readonly linkStaleMs: number;
  /**
   * Broadcasts of one app go out on this interface at most once per this many ms; a newer one
   * made meanwhile replaces the held one and leaves when the spacing has passed (0: every
   * broadcast at once). Set on a slow interface beside a fast one (a bridge's LoRa next to its
   * ESP-NOW), where the apps' periods are the fast interface's (broadcast-pacing.ts).
   */
  readonly broadcastSpacingMs: number;
}

/** How one radio is attached (Packager.addInterface): its own timings over the node's. */
export interface InterfaceOptions {
  /** Timings for frames on this interface (retries, awake window, hop acks, link staleness, pacing). */
  readonly timings?: Partial<Timings>;
  /**
   * Apps (by id) kept off this interface: their broadcasts do not go on it, and their direct sends
   * to a neighbour reached on it are refused (`no_interface`). Relayed traffic is not affected. On a
   * bridge's LoRa: Hello (built for seconds) and Gossip (unicast anti-entropy with every peer).
   */
  readonly quietApps?: readonly Uint8Array[];
}

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
  learnedPathMs: 120_000,
  linkStaleMs: 150_000,
  broadcastSpacingMs: 0,
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
