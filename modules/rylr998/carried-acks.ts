/**
 * Carried acks between our RYLR-998 radios (Rylr998Radio `carriedAcks`): hop-by-hop recovery
 * that costs a relay almost no airtime. Under a duty limit a routed message goes once with no
 * end-to-end ack (timings.ts `endToEndAcks`), so a frame lost on any hop to a collision or a fade
 * was lost for good: 60 % of `lora-20`'s losses (docs/lora.md "Carried acks"). Link acks
 * (link-acks.ts) won them back with a 45-ms ack frame per hop, which the relays at their limit
 * could not pay for. Here a relay's ack rides on the frame it sends next — usually the forward
 * of the very frame it acks — so only the last hop (or a relay with nothing to send soon) pays an
 * ack frame of its own.
 *
 * The RYLR-998 filters unicasts by address, so the previous hop hears a relay's forward only when
 * it goes to address 0: a carried frame names its next hop inside. On the air (below upstream's
 * protocol version byte: an upstream parser, or an older build of ours, drops it as a newer
 * version, counted):
 *
 *     CB <to: 2 bytes> <n> <hash: 2 bytes> × n <compact frame (CF …)>   sent to address 0
 *     CB 00 00 <n> <hash> × n                                            acks alone, to address 0
 *     CB 00 00 00                                                        "I speak carried acks", to one address
 *
 * Each hash is the 16-bit FNV hash (link-acks.ts `frameHash`) of a compact frame the sender
 * received for itself; every radio that hears a CB frame checks the hashes against the frames it
 * sent to that sender and still waits for. The frame for `to` is passed up as the plain CF frame.
 *
 * - **Negotiated, no frames in steady state.** Compact frames (CF) go only to neighbours whose
 *   Beacon lists CompactFrames (ours); a radio that hears a CF unicast from an address introduces
 *   itself to it (once per address and minute); any CB from an address marks it as speaking.
 *   Upstream neighbours and older builds never get a carried frame for them; older builds drop
 *   the introduction (counted), and upstream nodes drop the carried frames they overhear.
 * - **Acked within a window from airtimes.** The receiver owes the ack for `OWED_WAIT_FRAMES`
 *   airtimes of the frame (its forward: a unicast backoff, its own airtime, the UART), then sends
 *   it alone; the sender gives up waiting after that, the ack's backoff and airtime and
 *   `ACK_SLACK_MS`, and resends once, if its budget has room outside the unicasts' reserve.
 * - **Bounded**: neighbours known `PEER_CAP` (least recently heard forgotten), frames waiting
 *   for an ack `AWAIT_CAP` (the oldest given up), acks owed `OWED_CAP` (the oldest dropped: its
 *   sender resends once and is acked then), frames received `RECENT_CAP` (a resend is acked again
 *   and not passed up twice). A flood of carried frames can make a node owe acks or evict its
 *   entries, never send more than its duty limit allows.
 */
import { COMPACT_MARKER_BYTE, frameHash } from './link-acks.js';

export const CARRIED_MARKER = 0xcb;
/** Bytes before the hashes: marker, next hop (2), count. */
export const CARRIED_HEADER_BYTES = 4;
/** Acks one frame carries at most. */
export const MAX_CARRIED = 4;

const PEER_CAP = 32;
const AWAIT_CAP = 8;
const OWED_CAP = 8;
const RECENT_CAP = 16;
const RECENT_MS = 30_000;
/**
 * A neighbour is introduced to at most once this often, and not at all while we sent a carried
 * frame that recently (every neighbour that heard it learnt that we speak): a busy radio that sends
 * plain frames must not be answered by an introduction from each neighbour every minute.
 */
const INTRODUCE_EVERY_MS = 600_000;
/** Frames to one neighbour given up unacked in a row after which it gets plain frames for QUIET_MS. */
const QUIET_AFTER = 3;
const QUIET_MS = 300_000;
/** How long (in airtimes of the frame) a receiver waits for a frame of its own to carry an ack: its forward's backoff (≤ 1.5), airtime, UART. */
export const OWED_WAIT_FRAMES = 3;
/** UART lines and module turnaround at both ends, beyond the airtimes (to check on hardware). */
export const ACK_SLACK_MS = 200;

interface Peer {
  speaks: boolean;
  failures: number;
  quietUntil: number;
  introducedAt: number;
}

interface Awaiting<T> {
  readonly to: number;
  readonly hash: number;
  readonly until: number;
  readonly item: T;
}

/** What a heard frame is, for the radio. */
export type CarriedHeard<T> =
  /** Not a carried frame: pass it up; `introduce`: tell the sender we speak carried acks. */
  | { readonly kind: 'plain'; readonly introduce: boolean }
  /**
   * A carried frame: `acked` are our frames it acks (no longer awaited); `frame` the CF frame for
   * us to pass up (undefined: for another node, acks alone, or a copy already passed up);
   * `hash`: the ack we owe once the frame is taken (0: none).
   */
  | { readonly kind: 'carried'; readonly acked: readonly T[]; readonly frame: Uint8Array | undefined; readonly hash: number; readonly duplicate: boolean };

/** An introduction: acks alone, none of them. */
export function carriedIntroduction(): Uint8Array {
  return Uint8Array.of(CARRIED_MARKER, 0, 0, 0);
}

export class CarriedAcks<T> {
  readonly #self: number;
  /** Module address → what we know; Map order = least recently heard first. */
  readonly #peers = new Map<number, Peer>();
  readonly #awaiting: Awaiting<T>[] = [];
  /** Acks owed: `address:hash` → when it must go out alone; insertion order = age. */
  readonly #owed = new Map<string, { readonly hash: number; readonly due: number }>();
  readonly #recent = new Map<string, number>();
  /** When we last sent a carried frame (or an introduction). */
  #carriedAt = -Infinity;

  constructor(ownAddress: number) {
    this.#self = ownAddress;
  }

  /** May a compact unicast to `address` go carried (it acks, and has lately)? */
  speaks(address: number, now: number): boolean {
    const p = this.#peers.get(address);
    return p?.speaks === true && now >= p.quietUntil;
  }

  /** Is this a frame we may carry (a compact frame after its CF marker)? */
  static carries(frame: Uint8Array): boolean {
    return frame.length >= 4 && frame[0] === COMPACT_MARKER_BYTE;
  }

  /**
   * The bytes for the air: `frame` for `to` with the acks we owe (up to MAX_CARRIED, taken), or
   * with `to` 0 and no frame the acks alone (undefined when none are owed). A frame for a
   * neighbour is awaited until `now + windowMs`, with `item` handed back when acked or overdue.
   */
  wrap(to: number, frame: Uint8Array | undefined, now: number, windowMs: number, item?: T): Uint8Array | undefined {
    const hashes: number[] = [];
    for (const [key, o] of this.#owed) {
      if (hashes.length >= MAX_CARRIED) break;
      hashes.push(o.hash);
      this.#owed.delete(key);
    }
    if (!frame && hashes.length === 0) return undefined;
    this.#carriedAt = now;
    const body = frame ?? new Uint8Array(0);
    const out = new Uint8Array(CARRIED_HEADER_BYTES + 2 * hashes.length + body.length);
    out[0] = CARRIED_MARKER;
    out[1] = (to >> 8) & 0xff;
    out[2] = to & 0xff;
    out[3] = hashes.length;
    hashes.forEach((h, i) => {
      out[CARRIED_HEADER_BYTES + 2 * i] = h >> 8;
      out[CARRIED_HEADER_BYTES + 2 * i + 1] = h & 0xff;
    });
    out.set(body, CARRIED_HEADER_BYTES + 2 * hashes.length);
    if (frame && item !== undefined) {
      const hash = frameHash(frame);
      const i = this.#awaiting.findIndex((a) => a.item === item);
      if (i >= 0) this.#awaiting.splice(i, 1);
      if (this.#awaiting.length >= AWAIT_CAP) this.#awaiting.shift();
      this.#awaiting.push({ to, hash, until: now + windowMs, item });
    }
    return out;
  }

  /** When the next owed ack must go alone or the next awaited frame is overdue (Infinity: none). */
  nextDue(): number {
    let t = Infinity;
    for (const o of this.#owed.values()) t = Math.min(t, o.due);
    for (const a of this.#awaiting) t = Math.min(t, a.until);
    return t;
  }

  /**
   * Are acks owed whose wait is over? They are then no longer timed: they go with the acks-alone
   * frame the radio queues for them, or with any frame before it.
   */
  takeDueAcks(now: number): boolean {
    let due = false;
    for (const [key, o] of this.#owed) {
      if (o.due > now) continue;
      this.#owed.set(key, { hash: o.hash, due: Infinity });
      due = true;
    }
    return due;
  }

  /** The awaited frames whose window has passed, no longer awaited (the radio resends or gives up). */
  takeOverdue(now: number): T[] {
    const out: T[] = [];
    for (let i = this.#awaiting.length - 1; i >= 0; i--) {
      if (this.#awaiting[i].until > now) continue;
      out.unshift(this.#awaiting[i].item);
      this.#awaiting.splice(i, 1);
    }
    return out;
  }

  /** A frame to `address` was given up unacked: after a few in a row it gets plain frames a while. */
  unacked(address: number, now: number): void {
    const p = this.#peers.get(address);
    if (!p || ++p.failures < QUIET_AFTER) return;
    p.failures = 0;
    p.quietUntil = now + QUIET_MS;
  }

  /** The ack for a frame taken from `address` (its hash): owed until `now + waitMs`, then alone. */
  owe(address: number, hash: number, now: number, waitMs: number): void {
    const key = address + ':' + hash;
    if (this.#owed.has(key)) return;
    if (this.#owed.size >= OWED_CAP) this.#owed.delete(this.#owed.keys().next().value as string);
    this.#owed.set(key, { hash, due: now + waitMs });
  }

  /** Classify a frame heard from `address` (never throws: a short CB frame is acks-alone or nothing). */
  heard(address: number, frame: Uint8Array, now: number): CarriedHeard<T> {
    if (frame.length === 0 || frame[0] !== CARRIED_MARKER) {
      let introduce = false;
      if (CarriedAcks.carries(frame) && address !== 0) {
        // Only our nodes send compact frames; one that knew we speak would have carried it.
        const p = this.#touch(address);
        if (now - p.introducedAt >= INTRODUCE_EVERY_MS && now - this.#carriedAt >= INTRODUCE_EVERY_MS) {
          p.introducedAt = now;
          introduce = true;
        }
      }
      return { kind: 'plain', introduce };
    }
    const peer = this.#touch(address);
    peer.speaks = true;
    const n = frame.length >= CARRIED_HEADER_BYTES ? frame[3] : 0;
    const start = CARRIED_HEADER_BYTES + 2 * n;
    const acked: T[] = [];
    if (start <= frame.length) {
      for (let i = 0; i < n; i++) {
        const h = (frame[CARRIED_HEADER_BYTES + 2 * i] << 8) | frame[CARRIED_HEADER_BYTES + 2 * i + 1];
        const j = this.#awaiting.findIndex((a) => a.to === address && a.hash === h);
        if (j < 0) continue;
        acked.push(this.#awaiting[j].item);
        this.#awaiting.splice(j, 1);
      }
    }
    if (acked.length > 0) peer.failures = 0;
    const to = frame.length >= 3 ? (frame[1] << 8) | frame[2] : 0;
    if (to !== this.#self || to === 0 || start > frame.length || !CarriedAcks.carries(frame.subarray(start))) return { kind: 'carried', acked, frame: undefined, hash: 0, duplicate: false };
    const inner = frame.slice(start);
    const hash = frameHash(inner);
    const key = address + ':' + hash;
    const at = this.#recent.get(key);
    const duplicate = at !== undefined && now - at < RECENT_MS;
    this.#recent.delete(key);
    this.#recent.set(key, now);
    while (this.#recent.size > RECENT_CAP) this.#recent.delete(this.#recent.keys().next().value as string);
    return { kind: 'carried', acked, frame: duplicate ? undefined : inner, hash, duplicate };
  }

  /** A frame `heard` passed up could not be taken (the radio's buffer was full): its resend is not a copy. */
  forget(address: number, hash: number): void {
    this.#recent.delete(address + ':' + hash);
  }

  #touch(address: number): Peer {
    let p = this.#peers.get(address);
    if (p) this.#peers.delete(address);
    else {
      p = { speaks: false, failures: 0, quietUntil: -Infinity, introducedAt: -Infinity };
      if (this.#peers.size >= PEER_CAP) this.#peers.delete(this.#peers.keys().next().value as number);
    }
    this.#peers.set(address, p);
    return p;
  }
}
