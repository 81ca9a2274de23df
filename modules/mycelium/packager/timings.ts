/**
 * The Packager's timings, which a node holds once and each attached radio may override
 * (InterfaceOptions): upstream's values are the defaults (options.ts DEFAULT_TIMINGS). Kept apart
 * from options.ts so that attached.ts reads them without importing the Packager's options.
 */
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
  /**
   * Each single-packet retry waits twice as long as the one before, up to this many retry delays
   * (retry-backoff.ts). Default 1: upstream's fixed delay; 4: copies at 0, 2, 6, 14 s.
   */
  readonly sendRetryMaxBackoff: number;
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
  /**
   * 1 (upstream): our routed single packets ask the destination for an end-to-end ack and are
   * retried `sendRetryCount` times without one. 0: they go once without asking (no ack frame back
   * over every hop, no `message_acked`/`message_failed`); the first hop's interface decides.
   * Direct sends to a neighbour keep their ack (it is the one hop's retry). 0 in the LoRa
   * defaults under a duty limit below 2 % (docs/lora.md "Routed messages without end-to-end
   * acks", "Session 27").
   */
  readonly endToEndAcks: number;
  /**
   * With `endToEndAcks` 1: a routed single packet asks for no ack (and gets no retry) while the
   * first hop's radio has spent more than this many ms of its duty-cycle hour (Radio.dutyUsedMs):
   * an ack and its retries cost about as much air again as the message, which only a radio with
   * room left can spend. 0 (upstream): no such limit. The LoRa defaults under a limit of 2 % or
   * more: half the hour's budget (docs/lora.md "Session 27").
   */
  readonly endToEndAckDutyMs: number;
  /**
   * A routed single packet waits a random time in [0, this) before its first attempt (an acked
   * one's retries count from then), so two apps' periods that start together do not collide on
   * every period (send-spread.ts). 0 (upstream): at once. The LoRa defaults under a duty limit.
   */
  readonly sendSpreadMs: number;
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
  /**
   * Unicasts on this interface go compact to neighbours that expand them (wire/compact-frame.ts),
   * whatever the node's Beacon `compact_frames` says for its other interfaces: a bridge's LoRa side,
   * where airtime is the budget, while its ESP-NOW side keeps upstream's bytes.
   */
  readonly compactFrames?: boolean;
}
