/**
 * Unicasts no ack answered (docs/routing.md "Unicasts no ack answered"). ESP-NOW's MAC retries a
 * unicast until the receiver acks it and then tells the sender how it went (the driver's
 * `onSent`; the simulator's medium does the same): a frame that failed every retry went to a
 * neighbour that is down, gone out of reach or deaf for the moment. Before, the Packager never
 * heard of it: the frame was lost, and so were the next ones sent that way until the neighbour's
 * hellos had been silent past their limit (3–8 periods). Now a relay sends such a frame on once
 * by another neighbour (Forwarding.unacked) and prefers other ways to that neighbour until a frame
 * from it shows it alive (RFC 4861's unreachability detection with the link layer's hint, as RPL
 * and Thread stacks take it from 802.15.4's acks).
 *
 * Two small tables, both capped, neither filled by what others send us: the frames handed to
 * radios that report, matched to the radio's word by interface and MAC, oldest first (a radio
 * reports its frames in the order it sent them); and the neighbours whose last unicast failed.
 */
import type { AttachedInterface } from './attached.js';
import { macKey, type MacKey } from './link-index.js';
import type { Peer } from './peer.js';

/** Unicasts awaiting the radio's word at once (the oldest forgotten: its report was lost). */
export const WATCHED_UNICASTS = 8;

/** Neighbours marked at once (the oldest mark forgotten first). */
export const UNACKED_MARKS = 8;

export interface WatchedUnicast {
  readonly frame: Uint8Array;
  /** The neighbour it went to (the object: its key is made only if the frame fails, issue 21). */
  readonly peer: Peer;
  readonly iface: AttachedInterface;
  readonly mac: MacKey;
  /**
   * How many times this frame was sent on after a failure already. A frame sent on to a neighbour
   * that sleeps keeps the count while it waits in its queue (QueuedDatagram `rerouted`): watched
   * afresh at 0, it was sent on again at each failure, between two sleeping neighbours for
   * seconds, every window (session 28; marks only make other ways preferred, they exclude none).
   */
  readonly rerouted: number;
  /** Times it was sent again in a later window of its sleeping neighbour (datagrams.ts). */
  readonly windowRetries: number;
}

/** Sends of one frame after failures: the first and one other way, never a chase round the mesh. */
export const REROUTES = 1;

/** The unicasts handed to radios that report how they went, oldest first. */
export class WatchedUnicasts {
  readonly #list: WatchedUnicast[] = [];

  watch(frame: Uint8Array, peer: Peer, iface: AttachedInterface, mac: Uint8Array, rerouted: number, windowRetries: number): void {
    const list = this.#list;
    list.push({ frame, peer, iface, mac: macKey(mac), rerouted, windowRetries });
    if (list.length > WATCHED_UNICASTS) list.shift();
  }

  /** The radio's word on its oldest unicast to `mac` on `iface`: that unicast, no longer watched. */
  settle(iface: AttachedInterface, mac: Uint8Array | undefined): WatchedUnicast | undefined {
    const list = this.#list;
    const key = macKey(mac);
    const i = list.findIndex((w) => w.iface === iface && w.mac === key);
    return i < 0 ? undefined : list.splice(i, 1)[0];
  }
}

/** Neighbours whose last unicast went unacked, and when; a frame from one lifts its mark. */
export class UnackedMarks {
  readonly #at = new Map<string, number>();

  mark(peerKey: string, now: number): void {
    const at = this.#at;
    at.delete(peerKey); // newest last: the oldest goes first when full
    at.set(peerKey, now);
    if (at.size > UNACKED_MARKS) at.delete(at.keys().next().value as string);
  }

  /** Whether any neighbour is marked. */
  get marked(): boolean {
    return this.#at.size > 0;
  }

  lift(peerKey: string): void {
    this.#at.delete(peerKey);
  }

  /**
   * `exclude` with the marked neighbours added, undefined when none stands: a mark lapses once
   * the neighbour is heard after it (its `lastRx`) or is no peer any more.
   */
  avoiding(peers: { peerByKey(key: string): { readonly lastRx: number } | undefined }, exclude: ReadonlySet<string>): ReadonlySet<string> | undefined {
    const at = this.#at;
    if (at.size === 0) return undefined;
    let avoid: Set<string> | undefined;
    for (const [key, when] of at) {
      const heard = peers.peerByKey(key)?.lastRx;
      if (heard === undefined || heard > when) at.delete(key);
      else if (!exclude.has(key)) (avoid ??= new Set(exclude)).add(key);
    }
    return avoid;
  }
}
