/**
 * Room notices between our RYLR-998 radios (docs/lora.md "Session 13: room notices"): a radio
 * whose sliding hour passes `busyAt` of its duty budget says so in a 3-byte broadcast, and says
 * again when it falls under `relievedAt`; its neighbours' routing then prefers, among next hops
 * that make the same progress toward the target, one that has room (packager/next-hop.ts). Under a 1 % limit
 * the relays the traffic crosses spend their hour and drop what they cannot carry; a neighbour that
 * has room and makes progress too can take some of it.
 *
 *     CA 01 <state>      state 0: room, 1: busy      to address 0
 *
 * - **Negotiated.** 0xCA sits where upstream has the protocol version: upstream and our older
 *   builds drop the frame as a newer version (counted), as they drop every other marker of ours
 *   (CF, CE, CD, CB). A radio with the option announces itself with its first busy notice; after
 *   that it sends notices only while some neighbour has announced itself (the table below is not
 *   empty), so a radio among upstream or older nodes sends one frame a boot at most. (An
 *   announcement at start instead cost 20 frames among the boot's beacons, and measured worse.)
 * - **Cheap.** 11 bytes on air with the module's (41 ms at SF7/BW125); a change of state, and a
 *   repeat every `REPEAT_MS` while busy (a notice lost to a collision is not lost for long); sent
 *   with the unicasts' priority, since a relay near its limit is the one that must be heard.
 * - **Bounded and forgiving.** `MAX_NEIGHBOURS` addresses, the least recently heard forgotten; a
 *   busy mark not heard again within `MARK_TTL_MS` counts as room. Anyone can send a notice under
 *   any module address (the module does not authenticate), so a notice only ever changes a
 *   preference among next hops that make the same progress: a forged "busy" moves traffic to
 *   another neighbour exactly as close to the target, never refuses or loops it.
 */

export const ROOM_MARKER = 0xca;
export const ROOM_VERSION = 1;
export const ROOM_NOTICE_BYTES = 3;
/**
 * Share of the duty budget at which a radio calls itself busy, and under which it has room again
 * (0.6 / 0.45 measured worse: neighbours with room took detours that filled them in turn).
 */
export const BUSY_AT = 0.85;
export const RELIEVED_AT = 0.7;
/** A busy radio repeats its notice this often. */
export const REPEAT_MS = 300_000;
/** A busy mark not refreshed within this long counts as room (two repeats lost, and a margin). */
export const MARK_TTL_MS = 660_000;
export const MAX_NEIGHBOURS = 32;

export function roomNotice(busy: boolean): Uint8Array {
  return Uint8Array.of(ROOM_MARKER, ROOM_VERSION, busy ? 1 : 0);
}

/** What `heard` made of a frame: not a notice (pass it on), a notice, or a malformed one (drop, count). */
export type RoomHeard = 'other' | 'notice' | 'invalid';

export class RoomNotices {
  #busy = false;
  #announced = false;
  #lastSent = -Infinity;
  /** Module address → its last notice (insertion order = least recently heard first). */
  readonly #marks = new Map<number, { busy: boolean; heard: number }>();

  /** Whether we call ourselves busy now. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Neighbours that have announced themselves (and are remembered). */
  get speakers(): number {
    return this.#marks.size;
  }

  /**
   * The notice to broadcast now, given the share of the duty budget used (0..1), or undefined.
   * Called whenever the share may have changed (after each frame sent, and as frames are queued).
   */
  due(now: number, usedShare: number): Uint8Array | undefined {
    const busy = this.#busy ? usedShare >= RELIEVED_AT : usedShare >= BUSY_AT;
    const changed = busy !== this.#busy;
    this.#busy = busy;
    // Our first busy notice announces us; later ones go only while a neighbour has announced itself.
    if (!this.#announced) {
      if (!busy) return undefined;
      this.#announced = true;
      this.#lastSent = now;
      return roomNotice(true);
    }
    if (this.#marks.size === 0) return undefined;
    if (changed || (busy && now - this.#lastSent >= REPEAT_MS)) {
      this.#lastSent = now;
      return roomNotice(busy);
    }
    return undefined;
  }

  /** A frame from module `address`: a notice is taken (the sender marked as speaking), anything else left alone. */
  heard(address: number, frame: Uint8Array, now: number): RoomHeard {
    if (frame.length === 0 || frame[0] !== ROOM_MARKER) return 'other';
    if (frame.length !== ROOM_NOTICE_BYTES || frame[1] !== ROOM_VERSION || frame[2] > 1 || address === 0) return 'invalid';
    this.#marks.delete(address);
    this.#marks.set(address, { busy: frame[2] === 1, heard: now });
    if (this.#marks.size > MAX_NEIGHBOURS) this.#marks.delete(this.#marks.keys().next().value as number);
    return 'notice';
  }

  /** Whether module `address` last said it is busy, recently enough to believe it. */
  peerBusy(address: number, now: number): boolean {
    const m = this.#marks.get(address);
    return m !== undefined && m.busy && now - m.heard < MARK_TTL_MS;
  }
}
