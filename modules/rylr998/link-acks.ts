/**
 * Link acks between our RYLR-998 radios (Rylr998Radio `linkAcks`, off by default: measured not
 * to pay on lora-20, with or without a duty limit): a unicast lost on one hop (a collision, a
 * weak link) is sent again by that hop, not lost. Under a duty limit the mesh sends routed messages once with
 * no end-to-end ack (timings.ts `endToEndAcks`), so before this a frame lost on any hop was lost
 * for good: on `lora-20` seed 1, 259 of the 455 messages lost died of a collision or a fade on
 * one hop (docs/lora.md "Link acks").
 *
 * On the air, all below upstream's protocol version byte (an upstream parser, or an older build
 * of ours, drops these as a newer version, counted):
 *
 *     CE <a compact frame after its CF marker>    a compact unicast that asks for a link ack
 *     CD <h> <h>                                  a link ack: 16-bit hash of the frame as sent
 *     CD 00 00                                    "my radio speaks link acks" (an introduction)
 *
 * - **Negotiated, with no extra frames in steady state.** Compact frames (CF) go only to
 *   neighbours whose Beacon lists CompactFrames: ours. A radio that hears a CF frame from an address
 *   (a node of ours that does not know we ack) introduces itself to it (at most once per address
 *   and minute); a radio that hears a CE frame or a CD from an address marks it as speaking. Frames
 *   to a neighbour go as CE only once it is known to speak: upstream neighbours never get any of
 *   this, older builds of ours get at most one introduction a minute, which they drop.
 * - **Cheap.** An ack is 3 bytes (11 with the module's header: 45 ms at SF7/BW125, preamble 12,
 *   against 86–94 ms for a routed message) and goes at once, without backoff, as a MAC ack would:
 *   the sender's radio holds its next frame until the ack's window has passed (it cannot hear
 *   while it transmits).
 * - **Bounded.** Peers known: `PEER_CAP`, the least recently heard forgotten first (a forgotten
 *   neighbour only goes back to frames without acks until it is heard again). Frames received:
 *   the last `RECENT_CAP` (address, hash) pairs, so a resend whose ack was lost is acked again and
 *   not passed up twice.
 */

/** A compact unicast that asks for a link ack (the CF compact frame with this first byte). */
export const ACKED_MARKER = 0xce;
/** A link ack, or with hash 0 an introduction. */
export const LINK_ACK_MARKER = 0xcd;
/** The compact frame marker (wire/compact-frame.ts COMPACT_MARKER; a test keeps them equal). */
export const COMPACT_MARKER_BYTE = 0xcf;
export const LINK_ACK_BYTES = 3;

const PEER_CAP = 32;
const RECENT_CAP = 16;
/** An older build (or a radio that forgot us) is introduced to at most once this often. */
const INTRODUCE_EVERY_MS = 60_000;
/** Frames given up unacked in a row after which a neighbour gets plain frames for QUIET_MS (gone, or not acking). */
const QUIET_AFTER = 3;
const QUIET_MS = 300_000;
/** A copy heard again within this long is a resend whose ack was lost. */
const RECENT_MS = 30_000;

interface PeerState {
  speaks: boolean;
  /** Frames to it given up unacked in a row; at QUIET_AFTER it is sent plain until quietUntil. */
  failures: number;
  quietUntil: number;
  /** When we last introduced ourselves to it (-Infinity: never). */
  introducedAt: number;
}

/** 16-bit FNV-1a over a frame: names the frame in its ack (never 0: 0 is the introduction). */
export function frameHash(frame: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < frame.length; i++) {
    h ^= frame[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const x = (h >>> 16) ^ (h & 0xffff);
  return x === 0 ? 1 : x;
}

export function linkAckFrame(hash: number): Uint8Array {
  return Uint8Array.of(LINK_ACK_MARKER, (hash >> 8) & 0xff, hash & 0xff);
}

/** What a received frame is, for the radio. */
export type Heard =
  /** An upstream or plain compact frame: pass it up as it is; `introduce` says to send an introduction first. */
  | { readonly kind: 'frame'; readonly frame: Uint8Array; readonly introduce: boolean }
  /** A frame that asked for a link ack: ack `hash`, pass `frame` (now a CF frame) up unless `duplicate`. */
  | { readonly kind: 'acked'; readonly frame: Uint8Array; readonly hash: number; readonly duplicate: boolean }
  /** A link ack (or an introduction, hash 0). */
  | { readonly kind: 'ack'; readonly hash: number };

export class LinkAcks {
  /** Module address → what we know; Map order = least recently heard first. */
  readonly #peers = new Map<number, PeerState>();
  /** "address:hash" → when heard; insertion order = age. */
  readonly #recent = new Map<string, number>();

  /** Does the neighbour at `address` ack frames we mark (and has it lately)? */
  speaks(address: number, now: number): boolean {
    const p = this.#peers.get(address);
    return p?.speaks === true && now >= p.quietUntil;
  }

  /** A frame to `address` was acked. */
  acked(address: number): void {
    const p = this.#peers.get(address);
    if (p) p.failures = 0;
  }

  /**
   * A frame to `address` got no ack after its resends: the link is bad, or the neighbour is
   * out of budget and does not ack. After a few in a row, frames to it go plain for a while.
   */
  unacked(address: number, now: number): void {
    const p = this.#peers.get(address);
    if (!p || ++p.failures < QUIET_AFTER) return;
    p.failures = 0;
    p.quietUntil = now + QUIET_MS;
  }

  /** The frame to send to a neighbour that speaks link acks: the CF frame with the CE marker. */
  mark(frame: Uint8Array): Uint8Array | undefined {
    if (frame.length < 4 || frame[0] !== COMPACT_MARKER_BYTE) return undefined;
    const marked = frame.slice();
    marked[0] = ACKED_MARKER;
    return marked;
  }

  /** Classify a frame heard from `address` at `now` (never throws; a bad one is passed up as it is, for the Packager to count). */
  heard(address: number, frame: Uint8Array, now: number): Heard {
    const first = frame.length > 0 ? frame[0] : -1;
    if (first === LINK_ACK_MARKER && frame.length === LINK_ACK_BYTES) {
      this.#touch(address).speaks = true;
      return { kind: 'ack', hash: (frame[1] << 8) | frame[2] };
    }
    if (first === ACKED_MARKER && frame.length >= 4) {
      this.#touch(address).speaks = true;
      const hash = frameHash(frame);
      const key = address + ':' + hash;
      const at = this.#recent.get(key);
      const duplicate = at !== undefined && now - at < RECENT_MS;
      this.#recent.delete(key);
      this.#recent.set(key, now);
      while (this.#recent.size > RECENT_CAP) this.#recent.delete(this.#recent.keys().next().value as string);
      const plain = frame.slice();
      plain[0] = COMPACT_MARKER_BYTE;
      return { kind: 'acked', frame: plain, hash, duplicate };
    }
    let introduce = false;
    if (first === COMPACT_MARKER_BYTE && address !== 0) {
      // Only our nodes send compact frames, and one that knew we ack would have marked it: tell
      // it, now and then (whether or not we know that it acks).
      const p = this.#touch(address);
      if (now - p.introducedAt >= INTRODUCE_EVERY_MS) {
        p.introducedAt = now;
        introduce = true;
      }
    }
    return { kind: 'frame', frame, introduce };
  }

  /** The peer's entry, made most recently heard (the least recently heard evicted when full). */
  #touch(address: number): PeerState {
    let p = this.#peers.get(address);
    if (p) this.#peers.delete(address);
    else {
      p = { speaks: false, introducedAt: -Infinity, failures: 0, quietUntil: -Infinity };
      if (this.#peers.size >= PEER_CAP) this.#peers.delete(this.#peers.keys().next().value as number);
    }
    this.#peers.set(address, p);
    return p;
  }
}
