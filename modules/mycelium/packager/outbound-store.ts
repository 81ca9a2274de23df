/**
 * What a sender keeps after transmitting, for retries and RTX (protocol.md §3.6): single
 * unicast packets by packet_id, and sequences (broadcast and unicast, each with its own seq_id —
 * upstream never caches unicast sequences) by seq_id. Entries expire after `outboundTtlMs`.
 */
import type { Metric } from '../wire/constants.js';
import type { Address } from '../wire/address.js';
import type { FlowWindow } from './flow-window.js';
import type { Peer } from './peer.js';

/** Where a unicast goes: a neighbour, or a tree address reached hop by hop. */
export type Destination =
  | { readonly kind: 'peer'; readonly peer: Peer }
  | { readonly kind: 'routed'; readonly to: Address; readonly metric: Metric }
  | { readonly kind: 'broadcast' };

export interface SendTarget {
  readonly nodeId?: Uint8Array;
  readonly address?: Address;
}

/**
 * The hop our own message's last copy took, kept with it while it waits for its ack, and how
 * many copies died through it in a row before: a resend goes around it (resend-around.ts).
 */
export interface OwnWay {
  via?: Peer;
  fails?: number;
}

export interface OutboundPacket {
  readonly frame: Uint8Array;
  readonly dest: Destination;
  readonly appId: Uint8Array;
  readonly blob: Uint8Array;
  readonly target: SendTarget;
  readonly metric: Metric;
  readonly retries: number;
  acked: boolean;
  /** Kept by every retry, so receivers recognise the retry (id-leases.ts). */
  readonly packetId: number;
  /** The message's local number (SendReport.message). */
  readonly message: number;
  /** The hop its last copy took, for a resend to go around. */
  readonly way: OwnWay;
  /** Copies sent so far, this one included (retry-backoff.ts). */
  readonly copies: number;
}

export interface OutboundSequence {
  readonly seqId: number;
  readonly frames: readonly Uint8Array[];
  readonly dest: Destination;
  /** 1 for fragments we expect an ack for and have not had one. */
  readonly awaiting: Uint8Array;
  awaitingCount: number;
  /**
   * Every fragment asked for an ack. Only then does the last ack prove the whole sequence
   * arrived; with upstream's sampling (fragments 0, middle, last) the receiver may still ask
   * for the others by RTX, so the frames stay until their TTL.
   */
  readonly everyFragmentAsked: boolean;
  /** Retry rounds allowed without a new ack, and how many are left. */
  readonly retryBudget: number;
  retries: number;
  progressed: boolean;
  readonly bytes: number;
  /** The message's local number (SendReport.message); 0 for a broadcast. */
  readonly message: number;
  /** Set once the sequence is sent through a window (every fragment asked); see reliability.ts. */
  flow?: SequenceFlow;
}

/** Where a windowed sequence stands: fragments go out as acks make room. */
export interface SequenceFlow {
  readonly window: FlowWindow;
  /** Platform ms each fragment was last sent, −1 before its first send. */
  readonly sentAt: Float64Array;
  /** Sends of each fragment (capped at 255); only fragments sent once measure the round trip. */
  readonly tries: Uint8Array;
  /** The first fragment never sent yet. */
  next: number;
  /** Fragments sent and not acked. */
  inFlight: number;
  /** Platform ms of the last new ack (or of the start): a sequence idle too long is given up. */
  lastProgress: number;
  /** The retry delay of the first hop's interface when the flow started. */
  readonly retryDelayMs: number;
}
