/** Counters the medium keeps, globally and per node, and the per-frame trace record. */

/** Why a frame did not reach a receiver (or was refused by its sender). */
export type LossReason =
  /** the receiver is beyond reach (unicast to a node out of range, or to an unknown MAC) */
  | 'range'
  /** the loss model's (or a link override's) random draw */
  | 'loss'
  /** overlapped another frame at the receiver, or the receiver was transmitting (collisions on) */
  | 'collision'
  /** the radio was off (modem sleep): a sender's refusal, or a receiver that missed it */
  | 'asleep'
  /** the node is down (churn) */
  | 'down'
  /** refused: frame longer than the interface MTU */
  | 'mtu'
  /** the link is cut (churn or scenario override) */
  | 'cut'
  /** refused: the sender's transmit queue is full */
  | 'queue';

export type Outcome = 'delivered' | LossReason;

export const LOSS_REASONS: readonly LossReason[] = Object.freeze(['range', 'loss', 'collision', 'asleep', 'down', 'mtu', 'cut', 'queue']);

export type ReasonCounts = Record<LossReason, number>;

export function zeroReasons(): ReasonCounts {
  return { range: 0, loss: 0, collision: 0, asleep: 0, down: 0, mtu: 0, cut: 0, queue: 0 };
}

export interface MediumStats {
  /** Frames accepted by a radio and put on air. */
  sent: number;
  /** Receptions handed to a receiver's onReceive (a broadcast counts once per receiver). */
  delivered: number;
  /** Refusals (mtu, queue, asleep/down sender) and per-receiver losses, by reason. */
  lost: ReasonCounts;
  /** Total channel time of all transmissions, ms. */
  airtimeMs: number;
  /** Unicasts sent again by the link layer because they collided at their destination (no ack). */
  collisionRetries: number;
}

export interface NodeStats {
  /** Frames this node put on air. */
  sent: number;
  /** Frames this node's radio refused, by reason (mtu, queue, asleep, down). */
  refused: ReasonCounts;
  /** Frames this node received. */
  received: number;
  /** Frames meant for this node (unicast to it, or broadcast in its reach) that it lost. */
  rxLost: ReasonCounts;
  /** Per intended receiver, why frames this node sent did not arrive. */
  txLost: ReasonCounts;
  /** Channel time this node used, ms. */
  airtimeMs: number;
}

export function newNodeStats(): NodeStats {
  return { sent: 0, refused: zeroReasons(), received: 0, rxLost: zeroReasons(), txLost: zeroReasons(), airtimeMs: 0 };
}

/**
 * One frame's fate at one receiver (or a refusal at the sender: `to` = -1). Emitted at the
 * time the outcome is settled: delivery time, or send time for refusals.
 */
export interface FrameEvent {
  /** Simulated ms. */
  readonly time: number;
  /** Transmission id, shared by all receivers of one frame; -1 for a refusal. */
  readonly tx: number;
  /** Sender node index. */
  readonly from: number;
  /** Receiver node index; -1 for a refusal or a unicast to an unknown MAC. */
  readonly to: number;
  readonly broadcast: boolean;
  /** Frame length in bytes. */
  readonly bytes: number;
  readonly outcome: Outcome;
  /** The frame itself (the medium's copy: do not modify). */
  readonly frame: Uint8Array;
}

export type FrameListener = (event: FrameEvent) => void;

/** A frame a radio accepted: the sender's index and the frame (the medium's copy: do not modify). */
/** `destMac`: the unicast's destination, undefined for a broadcast. */
export type TransmitListener = (from: number, frame: Uint8Array, destMac: Uint8Array | undefined) => void;
