/**
 * Hop recovery, sending side (docs/routing.md, "Flow control for sequences"). With link-layer
 * retries off, a frame crossing 8 links that each lose 30 % arrives 0.7^8 ≈ 6 % of the time:
 * end-to-end resends alone never get a 10 KB blob through. So every unicast frame we hand to a
 * neighbour that speaks hop recovery carries the throttle flag ("hop ack, please"), is held here,
 * and is sent again — 50, 100, 200, 200 … ms apart — until that neighbour's hop ack names it or
 * `hopRetries` resends have gone; then it is left to end-to-end recovery (`hop_gave_up`).
 *
 * A frame is named by the CRC-32 of its bytes as sent: its receiver computes the same value from
 * the bytes it got, and no hop changes a frame between our radio and theirs. Upstream never sees
 * any of it: frames to an upstream neighbour go out unchanged and unheld.
 */
import { FLAG_THROTTLE } from '../wire/flags.js';
import type { Link } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Peer } from './peer.js';

/** Hands a held frame to the link again (the Datagrams' send without custody). */
export interface HeldSender {
  resendHeld(frame: Uint8Array, peer: Peer, link: Link): void;
}

interface Held {
  readonly frame: Uint8Array;
  readonly peer: Peer;
  readonly link: Link;
  /** Resends so far. */
  resends: number;
  /** Platform ms when the next resend is due. */
  due: number;
}

/** One timer serves every held frame, so the event table is not filled by them. */
const TIMER = 'HC';
/** Resend back-off doubles up to this many times the first timeout. */
const MAX_BACKOFF = 4;

export class HopCustody {
  readonly #ctx: PackagerContext;
  readonly #emit: HeldSender;
  readonly #speaks: (peer: Peer) => boolean;
  /** peer key + ':' + CRC-32 of the frame → held frame, in the order they were sent. */
  // Made on the first set: empty until then costs nothing (issue 21).
  #held: Map<string, Held> | undefined;

  constructor(ctx: PackagerContext, emit: HeldSender, speaks: (peer: Peer) => boolean) {
    this.#ctx = ctx;
    this.#emit = emit;
    this.#speaks = speaks;
  }

  /** True when frames to `peer` go with hop recovery. */
  speaks(peer: Peer): boolean {
    return this.#speaks(peer);
  }

  /**
   * The frame to put on the air for `peer`: `frame` itself when hop recovery does not apply,
   * otherwise a copy with the throttle flag, held until it is hop-acked.
   */
  hold(frame: Uint8Array, peer: Peer, link: Link): Uint8Array {
    if (frame.length < 4 || (frame[3] & FLAG_THROTTLE) !== 0 || !this.#speaks(peer)) return frame;
    const ctx = this.#ctx;
    const marked = frame.slice();
    marked[3] |= FLAG_THROTTLE;
    const key = peer.key + ':' + (ctx.platform.crc32(marked) >>> 0);
    if (this.#held?.has(key)) return marked; // an end-to-end resend of a frame still held: one entry
    if ((this.#held?.size ?? 0) >= ctx.limits.hopCustody) {
      ctx.counters.inc('hop_custody_full');
      return frame;
    }
    const now = ctx.platform.now();
    // The timeout is the link's: a hop ack over LoRa takes a frame's airtime or more.
    const timeout = link.iface.timings.hopAckTimeoutMs;
    (this.#held ??= new Map()).set(key, { frame: marked, peer, link, resends: 0, due: now + timeout });
    ctx.counters.inc('hop_held');
    const pending = ctx.scheduler.due(TIMER);
    if (pending === undefined || pending > now + timeout) ctx.schedule(TIMER, timeout, () => this.tick());
    return marked;
  }

  /** A hop ack from `peer`: its body lists the CRC-32 of each frame it names, 4 bytes each. */
  onHopAck(body: Uint8Array, peer: Peer | undefined): void {
    const counters = this.#ctx.counters;
    if (!peer || body.length % 4 !== 0) {
      counters.inc('hop_ack_unmatched');
      return;
    }
    for (let i = 0; i < body.length; i += 4) {
      const crc = ((body[i] << 24) | (body[i + 1] << 16) | (body[i + 2] << 8) | body[i + 3]) >>> 0;
      if (this.#held?.delete(peer.key + ':' + crc)) counters.inc('hop_acked');
      else counters.inc('hop_ack_unmatched');
    }
  }

  get size(): number {
    return (this.#held?.size ?? 0);
  }

  clear(): void {
    this.#held?.clear();
    this.#ctx.cancel(TIMER);
  }

  /** Resend what is due, give up on what has had its resends, and wait for the next due one. */
  private tick(): void {
    const ctx = this.#ctx;
    const now = ctx.platform.now();
    let next = Infinity;
    for (const [key, h] of this.#held ?? []) {
      if (h.due > now) {
        if (h.due < next) next = h.due;
        continue;
      }
      const timings = h.link.iface.timings;
      if (h.resends >= timings.hopRetries) {
        this.#held?.delete(key);
        ctx.counters.inc('hop_gave_up');
        continue;
      }
      h.resends++;
      h.due = now + timings.hopAckTimeoutMs * Math.min(MAX_BACKOFF, 2 ** h.resends);
      if (h.due < next) next = h.due;
      ctx.counters.inc('hop_resent');
      this.#emit.resendHeld(h.frame, h.peer, h.link);
    }
    if (next !== Infinity) ctx.schedule(TIMER, Math.max(1, next - now), () => this.tick());
  }
}
