/**
 * What we sent, kept until it is acknowledged (protocol.md §3.6): single unicast packets by
 * packet_id, retried every `sendRetryDelayMs` until acked; sequences by seq_id, whose missing
 * fragments are resent on the same timer (fix: upstream never retries or caches unicast
 * sequences) — or, when every fragment asks for an ack, sent through a window paced by the acks
 * (flow-window.ts; docs/routing.md "Flow control for sequences"); and the RTX service that resends a fragment or packet on request. An ack or RTX
 * only counts when it comes from the destination of what we sent.
 */
import type { Packet } from '../wire/packet.js';
import type { Result } from '../wire/result.js';
import type { AttachedInterface, TableSize } from './attached.js';
import type { Timings } from './options.js';
import type { PackagerContext } from './context.js';
import type { Datagrams } from './datagrams.js';
import type { Forwarding } from './forwarding.js';
import { FlowWindow } from './flow-window.js';
import type { Destination, OutboundPacket, OutboundSequence } from './outbound-store.js';
import type { Peer } from './peer.js';
import { TtlCache, type TtlEvictions } from './ttl-cache.js';

/** Send an unacked packet's blob again with one retry less (the Packager's `send`). */
export type Resend = (entry: OutboundPacket) => Result<unknown>;

export class Reliability {
  private readonly ctx: PackagerContext;
  private readonly forwarding: Forwarding;
  private readonly datagrams: Datagrams;
  /** Sends an unacked packet's blob again (wiring.ts: the Packager's send). */
  private readonly resend: { resend: Resend };
  private readonly packets: TtlCache<OutboundPacket>;
  private readonly sequences: TtlCache<OutboundSequence>;

  constructor(ctx: PackagerContext, forwarding: Forwarding, datagrams: Datagrams, resend: { resend: Resend }) {
    this.ctx = ctx;
    this.forwarding = forwarding;
    this.datagrams = datagrams;
    this.resend = resend;
    this.packets = new TtlCache(ctx.limits.packetCache, ctx.platform);
    this.sequences = new TtlCache(ctx.limits.sequenceCache, ctx.platform);
    // Both caches tell `evicted` below: no closure each (issue 21).
    this.sequences.evictions = this as TtlEvictions<OutboundSequence>;
    this.packets.evictions = this as TtlEvictions<OutboundPacket>;
  }

  /** A cache's limit pushed out an entry still waiting (TtlEvictions). */
  evicted(cache: TtlCache<OutboundPacket> | TtlCache<OutboundSequence>, _key: string, value: OutboundPacket | OutboundSequence): void {
    if (cache === this.sequences) {
      const s = value as OutboundSequence;
      this.ctx.counters.inc('outbound_sequence_evicted');
      this.failed(s.message, s.awaitingCount > 0 ? 'evicted' : '');
    } else {
      const p = value as OutboundPacket;
      this.ctx.counters.inc('outbound_packet_evicted');
      if (!p.acked) this.failed(p.message, 'evicted');
    }
  }

  /** Keep a single packet sent as `packetId` and retry it until acked. */
  rememberPacket(packetId: number, entry: OutboundPacket): void {
    this.packets.add(String(packetId), entry, this.ctx.timings.outboundTtlMs);
  }

  /** True when every packet slot holds a packet still waiting for its ack (`send` refuses, `busy`). */
  packetsFull(): boolean {
    return this.packets.size >= this.ctx.limits.packetCache;
  }

  /** Retry the packet under `packetId` after `periods` retry delays (retry-backoff.ts), unless acked meanwhile. */
  scheduleRetry(packetId: number, timings: Timings = this.ctx.timings, heldMs = 0, periods = 1): void {
    const { sendRetryDelayMs, sendRetryJitterMs } = timings;
    // Counted from when the frame leaves: a spread message is held `heldMs` first (send-spread.ts).
    let delay = heldMs + periods * sendRetryDelayMs;
    if (sendRetryJitterMs > 0) {
      const r = this.ctx.platform.randomBytes(new Uint8Array(2));
      delay += Math.floor((((r[0] << 8) | r[1]) / 65536) * sendRetryJitterMs);
    }
    this.ctx.schedule('RP' + packetId, delay, () => this.retrySend(packetId));
  }

  /** Keep a sequence's frames for RTX (and resends of the fragments in `awaiting`), within the byte budget. */
  rememberSequence(seqId: number, frames: Uint8Array[], dest: Destination, awaiting: Uint8Array, retries: number, message: number): OutboundSequence {
    let bytes = 0;
    for (const f of frames) bytes += f.length;
    const old = this.sequences.get(String(seqId));
    if (old) this.sequences.delete(String(seqId));
    let awaitingCount = 0;
    for (const a of awaiting) awaitingCount += a;
    const everyFragmentAsked = awaitingCount === frames.length;
    const entry: OutboundSequence = { seqId, frames, dest, awaiting, awaitingCount, everyFragmentAsked, retryBudget: retries, retries, progressed: false, bytes, message };
    // Make room from sequences no window is sending first (kept only for RTX), oldest first.
    while (this.sequences.size >= this.ctx.limits.sequenceCache && this.evictOne(false));
    this.sequences.add(String(seqId), entry, this.ctx.timings.outboundTtlMs);
    while (this.heldBytes() > this.ctx.limits.sequenceCacheBytes && this.sequences.size > 1 && (this.evictOne(false) || this.evictOne(true)));
    return entry;
  }

  /**
   * Back-pressure: true when a new sequence of `bytes` could only be kept by evicting one a
   * window is still sending (`send` then refuses with `busy` instead of losing a blob).
   */
  busy(bytes: number): boolean {
    let count = 0;
    let held = bytes;
    for (const s of this.sequences.values()) {
      if (!isSending(s)) continue;
      count++;
      held += s.bytes;
    }
    return count >= this.ctx.limits.sequenceCache || held > this.ctx.limits.sequenceCacheBytes;
  }

  /** Send a remembered sequence through its window; `via` is the first hop the send plan chose. */
  startFlow(seq: OutboundSequence, via?: Peer): void {
    const { limits, platform } = this.ctx;
    const n = seq.frames.length;
    // With hop recovery the hops drop a copy heard again within hopDuplicateWindowMs: an
    // end-to-end resend must come later than that, or the first relay would swallow it.
    const first = via ?? (seq.dest.kind === 'peer' ? seq.dest.peer : undefined);
    // The first hop's interface sets the pace (a bridge's LoRa link waits seconds, ESP-NOW ms).
    const timings = first?.bestLink()?.iface.timings ?? this.ctx.timings;
    const hops = first !== undefined && this.datagrams.custody.speaks(first);
    const floor = hops ? Math.max(timings.sendRetryDelayMs, 2 * timings.hopDuplicateWindowMs) : MIN_RESEND_MS;
    seq.flow = {
      window: new FlowWindow(limits.flowWindowStart, limits.flowWindowMax, floor, timings.sendRetryDelayMs),
      sentAt: new Float64Array(n).fill(-1),
      tries: new Uint8Array(n),
      next: 0,
      inFlight: 0,
      lastProgress: platform.now(),
      retryDelayMs: timings.sendRetryDelayMs,
    };
    this.pump(seq, via);
  }

  scheduleSequenceRetry(seqId: number, delayMs = this.ctx.timings.sendRetryDelayMs): void {
    this.ctx.schedule('RS' + seqId, delayMs, () => this.retrySequence(seqId));
  }

  onAck(p: Packet, src: Peer | undefined): void {
    const counters = this.ctx.counters;
    counters.inc('rx_acks');
    if (p.seqId !== undefined) {
      const seq = this.sequences.get(String(p.seqId));
      if (!seq || seq.dest.kind === 'broadcast' || !fromDestination(seq.dest, p, src) || p.seqSize !== seq.frames.length - 1) {
        counters.inc('ack_unmatched');
        return;
      }
      const i = p.packetId;
      if (seq.awaiting[i]) {
        seq.awaiting[i] = 0;
        seq.awaitingCount--;
        seq.progressed = true;
        const flow = seq.flow;
        if (flow) flow.lastProgress = this.ctx.platform.now();
        if (flow && flow.sentAt[i] >= 0) {
          flow.inFlight--;
          flow.window.onAck(flow.tries[i] === 1 ? this.ctx.platform.now() - flow.sentAt[i] : undefined);
        }
        if (seq.awaitingCount === 0) {
          // Every ack we asked for came: no more resend rounds.
          this.ctx.cancel('RS' + seq.seqId);
          if (seq.everyFragmentAsked) this.ctx.hooks.call('message_acked', seq.message);
          if (seq.everyFragmentAsked) {
            // The whole sequence arrived, so no RTX will come either: free the cache slot.
            this.sequences.delete(String(seq.seqId));
          }
        } else if (flow) {
          // Still in progress: keep it past the TTL a long transfer would outlast.
          this.sequences.add(String(seq.seqId), seq, this.ctx.timings.outboundTtlMs);
        }
        if (flow) this.pumpAll(seq);
      }
      return;
    }
    const entry = this.packets.get(String(p.packetId));
    if (!entry || !fromDestination(entry.dest, p, src)) {
      counters.inc('ack_unmatched');
      return;
    }
    entry.acked = true;
    this.ctx.cancel('RP' + p.packetId);
    this.ctx.hooks.call('message_acked', entry.message);
    this.packets.delete(String(p.packetId)); // delivered: free the slot for packets still in flight
  }

  /** Serve a retransmission request (fix: both upstream paths are broken, §9.2 item 3). */
  onRtx(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const counters = this.ctx.counters;
    if (p.seqId !== undefined) {
      const seq = this.sequences.get(String(p.seqId));
      const frame = seq?.frames[p.packetId];
      if (!seq || !frame || p.seqSize !== seq.frames.length - 1 || (seq.dest.kind !== 'broadcast' && !fromDestination(seq.dest, p, src))) {
        counters.inc('rtx_unknown');
        return;
      }
      counters.inc('rtx_served');
      if (seq.dest.kind === 'broadcast') this.datagrams.reply(frame, src, iface, mac);
      else this.forwarding.toDestination(frame, seq.dest);
      return;
    }
    const entry = this.packets.get(String(p.packetId));
    if (!entry || !fromDestination(entry.dest, p, src)) {
      counters.inc('rtx_unknown');
      return;
    }
    counters.inc('rtx_served');
    this.forwarding.toDestination(entry.frame, entry.dest);
  }

  /**
   * Bytes of the sequences still held, summed when asked (at most `sequenceCache` of them): a
   * running count missed sequences that expired unread, and its phantom bytes pushed live
   * blobs out of the cache.
   */
  private heldBytes(): number {
    let bytes = 0;
    for (const s of this.sequences.values()) bytes += s.bytes;
    return bytes;
  }

  sizes(): { packetCache: TableSize; sequenceCache: TableSize; sequenceCacheBytes: TableSize } {
    const l = this.ctx.limits;
    return {
      packetCache: { size: this.packets.size, limit: l.packetCache },
      sequenceCache: { size: this.sequences.size, limit: l.sequenceCache },
      sequenceCacheBytes: { size: this.heldBytes(), limit: l.sequenceCacheBytes },
    };
  }

  clear(): void {
    this.packets.clear();
    this.sequences.clear();
  }

  private retrySend(packetId: number): void {
    const key = String(packetId);
    const entry = this.packets.get(key);
    if (!entry || entry.acked) return;
    this.packets.delete(key);
    if (entry.retries <= 0) {
      this.ctx.counters.inc('send_unacked');
      this.failed(entry.message, 'unacked');
      return;
    }
    this.ctx.counters.inc('send_retries');
    const r = this.resend.resend(entry);
    if (!r.ok) {
      this.ctx.counters.inc('send_retry_failed');
      this.failed(entry.message, r.error.code);
    }
  }

  /** Tell the sender's hooks that message `message` was given up (0: a broadcast, nobody waits). */
  private failed(message: number, reason: string): void {
    if (message > 0 && reason) this.ctx.hooks.call('message_failed', message, reason);
  }

  /** Send what the windows allow: `first`'s sequence first, then the others in age order. */
  private pumpAll(first: OutboundSequence): void {
    this.pump(first);
    for (const s of this.sequences.values()) if (s !== first && s.flow && s.flow.next < s.frames.length) this.pump(s);
  }

  /** Send the next fragments of `seq` while its window and the node's in-flight budget allow. */
  private pump(seq: OutboundSequence, via?: Peer): void {
    const flow = seq.flow;
    if (!flow) return;
    const ctx = this.ctx;
    const now = ctx.platform.now();
    let budget = ctx.limits.flowInFlight - this.inFlight();
    while (flow.next < seq.frames.length) {
      const i = flow.next;
      if (!seq.awaiting[i]) {
        flow.next++; // acked already (an RTX served it early)
        continue;
      }
      if (flow.inFlight >= flow.window.size || budget <= 0) {
        ctx.counters.inc('flow_waiting');
        break;
      }
      flow.sentAt[i] = now;
      flow.tries[i] = 1;
      flow.inFlight++;
      flow.next++;
      budget--;
      this.forwarding.toDestination(seq.frames[i], seq.dest, via);
    }
    if (flow.inFlight > 0 && !ctx.scheduler.has('RS' + seq.seqId)) {
      ctx.schedule('RS' + seq.seqId, flow.window.timeoutMs, () => this.retryFlow(seq.seqId));
    }
  }

  /** Fragments of all windowed sequences sent and not yet acked. */
  private inFlight(): number {
    let n = 0;
    for (const s of this.sequences.values()) if (s.flow) n += s.flow.inFlight;
    return n;
  }

  /**
   * A windowed sequence's timeout: resend the fragments unacked for a timeout (a loss nothing
   * repaired: the window shrinks); give up when no new ack came for `retries` + 1 timeouts (at
   * least upstream's `sendRetryDelayMs` each).
   */
  private retryFlow(seqId: number): void {
    const seq = this.sequences.get(String(seqId));
    const flow = seq?.flow;
    if (!seq || !flow || seq.awaitingCount === 0) return;
    const ctx = this.ctx;
    const now = ctx.platform.now();
    const timeout = flow.window.timeoutMs;
    if (now - flow.lastProgress >= (seq.retryBudget + 1) * Math.max(flow.retryDelayMs, timeout)) {
      ctx.counters.inc('sequence_unacked');
      this.failed(seq.message, 'unacked');
      this.sequences.delete(String(seqId));
      for (const s of this.sequences.values()) if (s.flow && s.flow.next < s.frames.length) this.pump(s);
      return;
    }
    let lost = false;
    let oldest = Infinity;
    for (let i = 0; i < flow.next; i++) {
      if (!seq.awaiting[i] || flow.sentAt[i] < 0) continue;
      if (flow.sentAt[i] + timeout <= now) {
        flow.sentAt[i] = now;
        if (flow.tries[i] < 255) flow.tries[i]++;
        lost = true;
        ctx.counters.inc('fragment_resent');
        this.forwarding.toDestination(seq.frames[i], seq.dest);
      }
      if (flow.sentAt[i] < oldest) oldest = flow.sentAt[i];
    }
    if (lost) {
      flow.window.onLoss();
      ctx.counters.inc('flow_window_shrunk');
    }
    if (oldest !== Infinity) ctx.schedule('RS' + seqId, Math.max(1, oldest + timeout - now), () => this.retryFlow(seqId));
  }

  /** Evict the oldest sequence that is (`sending`) or is not still being sent; false when none. */
  private evictOne(sending: boolean): boolean {
    for (const key of this.sequences.keys()) {
      const s = this.sequences.get(key);
      if (!s || isSending(s) !== sending) continue;
      this.sequences.delete(key);
      this.ctx.cancel('RS' + s.seqId);
      this.ctx.counters.inc('outbound_sequence_evicted');
      if (s.awaitingCount > 0) this.failed(s.message, 'evicted');
      return true;
    }
    return false;
  }

  /** Resend the fragments whose ack has not come; stop after `retries` rounds without progress. */
  private retrySequence(seqId: number): void {
    const seq = this.sequences.get(String(seqId));
    if (!seq || seq.awaitingCount === 0) return;
    if (seq.progressed) {
      seq.progressed = false;
      seq.retries = seq.retryBudget; // progress resets the count, as upstream's receiver does
    } else if (--seq.retries < 0) {
      this.ctx.counters.inc('sequence_unacked');
      this.failed(seq.message, 'unacked');
      return;
    }
    for (let i = 0; i < seq.frames.length; i++) {
      if (seq.awaiting[i]) {
        this.ctx.counters.inc('fragment_resent');
        this.forwarding.toDestination(seq.frames[i], seq.dest);
      }
    }
    this.scheduleSequenceRetry(seqId);
  }
}

/** Shortest end-to-end resend timeout without hop recovery (a few ESP-NOW round trips). */
const MIN_RESEND_MS = 200;

/** A windowed sequence with fragments still unacked. */
function isSending(s: OutboundSequence): boolean {
  return s.flow !== undefined && s.awaitingCount > 0;
}

/** True when `p` (an ack or RTX) comes from the destination of what we sent. */
function fromDestination(dest: Destination, p: Packet, src: Peer | undefined): boolean {
  if (dest.kind === 'peer') return src !== undefined && src.key === dest.peer.key;
  if (dest.kind === 'routed') return p.fromAddr !== undefined && p.treeState === dest.to.treeState && dest.to.sameBytes(p.fromAddr);
  return true;
}
