/**
 * One datagram to one peer over one link (protocol.md §4.9–§4.10): sent at once while the peer
 * is known to be awake, otherwise queued (capped, oldest dropped) and the peer woken with RNS
 * probes; its NIA answer, or any frame from it, flushes the queue. We answer RNS with NIA.
 * Every frame handed to a radio is counted (`tx_frames`, or `radio_refused`).
 */
import { compactFrame } from '../wire/compact-frame.js';
import { FLAG_THROTTLE } from '../wire/flags.js';
import { frameControl } from '../wire/outbound.js';
import { getSchema } from '../wire/schemas.js';
import type { Packet } from '../wire/packet.js';
import type { AttachedInterface, Link } from './attached.js';
import type { PackagerContext } from './context.js';
import { HopCustody } from './hop-custody.js';
import type { Peer, QueuedDatagram } from './peer.js';
import { BROADCAST_MAC, type Radio } from './radio.js';
import { msUntilWindow } from './wake-schedule.js';
import { frameForRadio } from './link-schema.js';
import { WatchedUnicasts, type WatchedUnicast } from './unacked.js';

/** What Datagrams calls back (wiring.ts). */
export interface DatagramCalls {
  /** Whether a key is still a peer's. */
  hasPeer(key: string): boolean;
  /** A unicast the radio said no ack answered (unacked.ts). */
  unicastFailed?(w: WatchedUnicast): void;
  /** A unicast the radio said was acked: its neighbour lives. */
  unicastAcked?(peer: Peer): void;
}

/** Later windows a failed routed packet to a sleeping neighbour is sent again in (retryAtWindow). */
export const WINDOW_RETRIES = 1;

/** No neighbour: the default partner test (a module function, not a closure per instance). */
const never = (): boolean => false;

export class Datagrams {
  private readonly ctx: PackagerContext;
  /** Whether a key is still a peer's, and what a radio said of a unicast (wiring.ts). */
  private readonly peers: DatagramCalls;
  /** Hop recovery for neighbours that speak it (hop-custody.ts). */
  readonly custody: HopCustody;
  /**
   * Neighbours that expand compact frames (their Beacon lists the capability; apps/beacon.ts
   * `compact_frames`): frames to them go out compact (wire/compact-frame.ts). None by default.
   */
  compactTo: (peer: Peer) => boolean = never;
  /** What `compactTo` is called on (an app's method and the app: no closure, issue 21). */
  compactThis: object | undefined;
  /** Compact on every interface (Beacon `compact_frames`), or only on those that ask (`AttachedInterface.compacts`). */
  compactEverywhere = true;
  /**
   * Of those, the ones that resolve `appId` from its first bytes (their Beacon lists the app and
   * the CompactAppIds capability): the app id goes as its prefix. None by default.
   */
  declare appIdPrefixTo: ((peer: Peer, appId: Uint8Array) => boolean) | undefined; // no slot until set (issue 21)
  /** Unicasts to radios that report their fate, until they do (declared: made with the first). */
  declare private watched: WatchedUnicasts | undefined;
  /** While a frame is sent on after a failure: how many times it has been (sendRerouted). */
  declare private rerouting: number | undefined;

  constructor(ctx: PackagerContext, peers: DatagramCalls, speaksHopRecovery: (peer: Peer) => boolean = never) {
    this.ctx = ctx;
    this.peers = peers;
    this.custody = new HopCustody(ctx, this, speaksHopRecovery);
  }

  /** A frame held by hop recovery goes again, if its peer is still one (hop-custody.ts). */
  resendHeld(frame: Uint8Array, peer: Peer, link: Link): void {
    if (this.peers.hasPeer(peer.key)) this.toPeer(frame, peer, link);
  }

  /** upstream `_send_datagram`: send now if the peer is awake, else queue and wake it with RNS. */
  send(frame: Uint8Array, peer: Peer, link: Link): void {
    this.ctx.hooks.call('_send_datagram', frame, peer);
    this.ctx.skipSleep();
    // Framed for another radio (relayed across a bridge): carried under its twin schema id.
    const fit = frameForRadio(frame, link.iface.radio);
    if (!fit) {
      this.ctx.counters.inc('drop_frame_unfit_for_link');
      return;
    }
    this.toPeer(this.custody.hold(fit, peer, link), peer, link);
  }

  private toPeer(frame: Uint8Array, peer: Peer, link: Link): void {
    // The awake window is the link's: a LoRa module in receive mode hears at any time.
    if (peer.canTx(this.ctx.platform.now(), link.iface.timings.peerAwakeMs)) {
      this.transmit(link.iface.radio, link.mac ?? BROADCAST_MAC, this.onAir(frame, peer, link.iface), asksHopAck(frame));
      this.watchUnicast(frame, peer, link, 0);
      return;
    }
    if (peer.queue.some((q) => q.frame === frame)) return; // a hop resend of a frame still queued
    // A frame sent on after a failure keeps its count while it waits, or it would be sent on
    // again at its next failure, and so on between two sleeping neighbours (session 28).
    this.enqueue(peer, this.rerouting ? { frame, link, rerouted: this.rerouting } : { frame, link });
    // A neighbour on an announced schedule is not probed: it listens at its next window.
    if (this.waitsForWindow(peer)) this.flushAtWindow(peer);
    else this.rns(peer, link.iface);
  }

  /** Queue for a neighbour, the oldest dropped when its queue is full. */
  private enqueue(peer: Peer, q: QueuedDatagram): void {
    if (peer.queue.length >= this.ctx.limits.peerQueue) {
      peer.dequeue();
      this.ctx.counters.inc('drop_peer_queue_full');
    }
    peer.enqueue(q);
  }

  /** The bytes that go on air for `peer` on `iface`: compact when it expands them and that is shorter. */
  private onAir(frame: Uint8Array, peer: Peer, iface: AttachedInterface): Uint8Array {
    if (!this.compactEverywhere && !iface.compacts) return frame;
    if (!this.compactTo.call(this.compactThis, peer)) return frame;
    const byPrefix = this.appIdPrefixTo;
    const compact = compactFrame(this.ctx.platform, frame, byPrefix && ((appId) => byPrefix(peer, appId)));
    if (!compact) return frame;
    this.ctx.counters.inc('tx_compact');
    return compact;
  }

  private waitsForWindow(peer: Peer): boolean {
    return peer.wakes !== undefined && peer.link?.sleeps === true;
  }

  /** Send the queue a few ms into the peer's next window (jittered: its other neighbours wait for it too). */
  private flushAtWindow(peer: Peer): void {
    const wakes = peer.wakes;
    const id = 'wk' + peer.key;
    if (!wakes || this.ctx.scheduler.has(id)) return;
    const now = this.ctx.platform.now();
    const r = this.ctx.platform.randomBytes(new Uint8Array(1))[0];
    const wait = msUntilWindow(wakes, now + 1) + 1 + Math.floor((r / 256) * (wakes.windowMs / 4));
    this.ctx.schedule(id, wait, () => {
      if (this.peers.hasPeer(peer.key)) this.flush(peer);
    });
  }

  /** A unicast to a radio that reports its fate (Radio.reportsSent): watched until it does. */
  private watchUnicast(frame: Uint8Array, peer: Peer, link: Link, windowRetries: number, rerouted = this.rerouting ?? 0): void {
    if (link.iface.radio.reportsSent !== true || link.mac === undefined) return;
    (this.watched ??= new WatchedUnicasts()).watch(frame, peer, link.iface, link.mac, rerouted, windowRetries);
  }

  /**
   * The radio is done with a frame of ours on `iface` to `mac` (Radio.onSent). A watched unicast
   * left unacked goes to routing (unacked.ts) before the sleep hears the frame is out, so that a
   * frame sent on in its place keeps the radio awake (modem-sleep.ts `frameDone`).
   */
  frameDone(iface: AttachedInterface, mac: Uint8Array | undefined, delivered: boolean): void {
    const w = mac === undefined ? undefined : this.watched?.settle(iface, mac);
    if (w !== undefined && delivered) this.peers.unicastAcked?.(w.peer);
    else if (w !== undefined) {
      this.ctx.counters.inc('unicast_unacked');
      // Inside the window the link failed: another way, as before (unacked.ts). Lost to a window
      // that closed on it, the timing failed, not the link: a routed packet waits for its
      // neighbour's next window, and past those it is given up, not sent on by another way and
      // its neighbour not marked. In a busy sleeping mesh every way is a neighbour whose window
      // closes as early, and packets sent on round such windows went in loops: with every node
      // pinging every 10 s, `sleep-random-lossy-40` delivered 57.6 % on seed 3 (docs/sleep.md).
      if (!this.closedOn(w)) this.peers.unicastFailed?.(w);
      else if (!this.retryAtWindow(w)) this.ctx.counters.inc('unicast_window_gave_up');
    }
    this.ctx.ownSleep?.frameDone();
  }

  /** Whether `w` failed once its sleeping neighbour's window had closed, or while our radio slept. */
  private closedOn(w: WatchedUnicast): boolean {
    if (!this.waitsForWindow(w.peer)) return false;
    return this.ctx.ownSleep?.asleep === true || !w.peer.canTx(this.ctx.platform.now(), 0);
  }

  /**
   * A routed packet to a neighbour on a wake schedule that the radio reports failed once the
   * neighbour's window had closed (or while our own radio slept) goes again in the neighbour's
   * next window, at most WINDOW_RETRIES times; true when it was queued. Carrier sense and the link
   * layer's retries ran it past the window's end, or our radio went to sleep with it still
   * queued: the timing lost it, not the link, so the neighbour is not marked and no other way is
   * tried (there may be none: the neighbour may be its target). Before, such packets were lost
   * and their origin's resend came 2 s later (docs/sleep.md "Session 21"). Only routed packets:
   * a neighbour's own messages (tree, gossip, probes) have their own repair, and retried too they
   * tripled the failed unicasts to sleepy leaves and split their trees.
   */
  private retryAtWindow(w: WatchedUnicast): boolean {
    const peer = w.peer;
    if (w.windowRetries >= WINDOW_RETRIES || !this.peers.hasPeer(peer.key) || !isRouted(w.frame)) return false;
    const link = peer.bestLink(w.iface);
    if (!link) return false;
    if (peer.queue.some((q) => q.frame === w.frame)) return true;
    this.ctx.counters.inc('unicast_window_retry');
    this.enqueue(peer, w.rerouted ? { frame: w.frame, link, windowRetries: w.windowRetries + 1, rerouted: w.rerouted } : { frame: w.frame, link, windowRetries: w.windowRetries + 1 });
    this.flushAtWindow(peer);
    return true;
  }

  /** Send `frame` on to `peer` after `rerouted` failures (Forwarding.unacked). */
  sendRerouted(frame: Uint8Array, peer: Peer, link: Link, rerouted: number): void {
    this.rerouting = rerouted;
    try {
      this.send(frame, peer, link);
    } finally {
      this.rerouting = undefined;
    }
  }

  /** Answer the sender of a frame on the link it came from. */
  reply(frame: Uint8Array, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (src) {
      const link = src.bestLink(iface) ?? src.bestLink();
      if (link) this.send(frame, src, link);
      return;
    }
    if (!mac) {
      // The loopback: our own frame came back.
      if (iface.radio.send(BROADCAST_MAC, frame)) this.sent();
      return;
    }
    this.transmit(iface.radio, mac, frame);
  }

  /** Hand one frame to a radio, counted; `hopAcked`: it asks for a hop ack (hop-custody.ts). */
  transmit(radio: Radio, mac: Uint8Array, built: Uint8Array, hopAcked = false): void {
    const frame = frameForRadio(built, radio);
    if (!frame) {
      this.ctx.counters.inc('drop_frame_unfit_for_link');
      return;
    }
    // Our own radio sleeps, but this receiver hears now (an awake or off-schedule neighbour):
    // wake to send rather than have the radio refuse the frame.
    if (this.ctx.ownSleep?.asleep) this.ctx.ownSleep.wakeToSend(hopAcked);
    if (radio.send(mac, frame)) this.sent();
    else this.ctx.counters.inc('radio_refused');
  }

  /** A radio took one of our frames. */
  private sent(): void {
    this.ctx.counters.inc('tx_frames');
    this.ctx.ownSleep?.frameHanded();
  }

  /** Send what waits for `peer` while it is awake. */
  flush(peer: Peer): void {
    const now = this.ctx.platform.now();
    while (peer.queue.length && peer.canTx(now, peer.queue[0].link.iface.timings.peerAwakeMs)) {
      const q = peer.dequeue() as QueuedDatagram;
      this.transmit(q.link.iface.radio, q.link.mac ?? BROADCAST_MAC, this.onAir(q.frame, peer, q.link.iface), asksHopAck(q.frame));
      this.watchUnicast(q.frame, peer, q.link, q.windowRetries ?? 0, q.rerouted ?? 0);
    }
    if (peer.queue.length && this.waitsForWindow(peer)) this.flushAtWindow(peer);
  }

  /** The peer answered our RNS: it is awake. */
  onNia(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (!src) {
      this.ctx.counters.inc('drop_nia_unknown_peer');
      return;
    }
    this.ctx.hooks.call('receive:nia', p, iface, mac);
    this.ctx.cancel('rns' + src.key + iface.key);
    src.lastRx = this.ctx.platform.now();
    this.flush(src);
  }

  /** Someone probes us: say we are awake. */
  onRns(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    if (!mac) {
      this.ctx.counters.inc('drop_rns_no_mac');
      return;
    }
    // fix: upstream ignores an RNS from a node it has not (yet) taken as a peer. Over a link
    // heard one way first, that sender then drops its whole queue as "asleep". NIA costs one
    // tiny frame and reveals nothing, so strangers get an answer too.
    if (!src) this.ctx.counters.inc('rns_from_stranger');
    this.ctx.hooks.call('receive:rns', p, iface, mac);
    const nia = frameControl(this.ctx.platform, iface.radio.schemaIds[0], 'nia', this.ctx.nextPacketId());
    if (!nia.ok) {
      this.ctx.counters.inc('nia_unsupported');
      return;
    }
    this.transmit(iface.radio, mac, nia.value);
  }

  /** Request Node Status: up to `rnsProbes` probes `rnsIntervalMs` apart until the peer answers NIA. */
  private rns(peer: Peer, iface: AttachedInterface, retries?: number): void {
    const id = 'rns' + peer.key + iface.key;
    if (retries === undefined) {
      if (this.ctx.scheduler.has(id)) return; // already probing: do not restart the count
      retries = iface.timings.rnsProbes;
    }
    // peer.id is made from the hex key on each read: only for a hook that listens.
    if (this.ctx.hooks.has('rns')) this.ctx.hooks.call('rns', peer.id, iface.id, retries);
    if (!this.peers.hasPeer(peer.key)) return;
    if (retries < 1) {
      this.ctx.counters.inc('drop_peer_asleep', peer.dropQueued());
      return;
    }
    const left = retries - 1;
    this.ctx.schedule(id, iface.timings.rnsIntervalMs, () => this.rns(peer, iface, left));
    const link = peer.bestLink(iface);
    const rns = frameControl(this.ctx.platform, iface.radio.schemaIds[0], 'rns', this.ctx.nextPacketId());
    if (!link || !rns.ok) return;
    if (this.ctx.ownSleep?.asleep) this.ctx.ownSleep.wakeToSend(true); // to hear the NIA
    if (iface.radio.send(link.mac ?? BROADCAST_MAC, rns.value)) this.sent();
  }
}

/** Whether a frame carries a packet for another node (a routed or relayed schema: protocol.md §3). */
function isRouted(frame: Uint8Array): boolean {
  const schema = frame.length > 2 ? getSchema(frame[2]) : undefined;
  return schema !== undefined && (schema.supportsRouting || schema.relayOnly);
}

/** Whether a frame asks its receiver for a hop ack (marked by hop-custody.ts before compacting). */
function asksHopAck(frame: Uint8Array): boolean {
  return frame.length >= 4 && (frame[3] & FLAG_THROTTLE) !== 0;
}
