/**
 * How the Packager's parts call back into each other at run time: one object whose methods are
 * shared on its prototype, filled in by the Packager's constructor as the parts are built, instead
 * of a closure per call-back. Each such closure cost ≈ 200 B on XS (`node
 * scripts/bench-xs-sizes.mjs`, "arrow function closing over a variable"; issue 21), and a
 * Packager had eleven. Called only once frames and peers arrive, after construction.
 */
import type { Applications } from './applications.js';
import type { DatagramCalls, Datagrams } from './datagrams.js';
import type { Forwarding } from './forwarding.js';
import type { WatchedUnicast } from './unacked.js';
import type { AttachedInterface, Link } from './attached.js';
import type { NeighbourCalls, Neighbours } from './neighbours.js';
import type { FragmentCalls } from './fragments.js';
import type { OutboundPacket } from './outbound-store.js';
import type { Packet } from '../wire/packet.js';
import type { Peer } from './peer.js';
import type { Result } from '../wire/result.js';
import type { Sending } from './sending.js';

/** The Packager's entry point for a radio's frames. */
export interface FrameSink {
  receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void;
}

export class Wiring implements NeighbourCalls, FragmentCalls, DatagramCalls {
  packager!: FrameSink;
  neighbours!: Neighbours;
  datagrams!: Datagrams;
  applications!: Applications;
  sending!: Sending;
  forwarding!: Forwarding;

  /** A radio's frame, from the interface it came in on. */
  receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void {
    this.packager.receive(frame, mac, iface);
  }

  /** A peer was added or refreshed: it is awake now, so its queued datagrams may go. */
  peerHeard(peer: Peer): void {
    this.datagrams.flush(peer);
  }

  hasPeer(key: string): boolean {
    return this.neighbours.hasPeer(key);
  }

  peerByKey(key: string): Peer | undefined {
    return this.neighbours.peerByKey(key);
  }

  isAttached(iface: AttachedInterface): boolean {
    return this.neighbours.interfaces.includes(iface);
  }

  /** A unicast no ack answered: avoid its neighbour, send a routed packet on (forwarding.ts). */
  unicastFailed(w: WatchedUnicast): void {
    this.forwarding.unacked(w);
  }

  /** A unicast was acked: its neighbour lives, whatever an earlier failure said. */
  unicastAcked(peer: Peer): void {
    const marks = this.neighbours.unacked;
    if (marks?.marked) marks.lift(peer.key); // a key is made only while some neighbour is marked
  }

  /** A held frame is sent again by hop recovery, if its peer is still one. */
  resendHeld(frame: Uint8Array, peer: Peer, link: Link): void {
    this.datagrams.resendHeld(frame, peer, link);
  }

  deliver(pkgBytes: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined, src: Peer | undefined, p: Packet, copy: boolean, assembledMs?: number): void {
    this.applications.deliver(pkgBytes, iface, mac, src, p, copy, assembledMs);
  }

  /**
   * Send an unacked packet's blob again with one retry less. It keeps the message's packet_id
   * and number: receivers recognise it as the same message.
   */
  resend(e: OutboundPacket): Result<unknown> {
    return this.sending.send(e.appId, e.blob, e.target, { metric: e.metric, retries: e.retries - 1 }, { packetId: e.packetId, message: e.message, way: e.way, copies: e.copies });
  }
}
