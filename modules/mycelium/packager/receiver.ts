/**
 * One frame from a radio, start to end (protocol.md §4.11): parsed and checksum-checked, the
 * sender's peer refreshed, then relayed when addressed to someone else, or handled by kind —
 * ack, RTX request, NIA/RNS, fragment, or a single packet (acked when asked, duplicates of a
 * retried one dropped) delivered to its app. Never throws: bad frames are counted `drop_<reason>`.
 */
import { retryWindowMs } from './retry-backoff.js';
import { Address } from '../wire/address.js';
import { Encoded, encodedValue, hasFlag, setFlag } from '../wire/flags.js';
import { checksumValid, parsePacket, type Packet } from '../wire/packet.js';
import { COMPACT_MARKER, expandFrame } from '../wire/compact-frame.js';
import type { Applications } from './applications.js';
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Datagrams } from './datagrams.js';
import type { Forwarding } from './forwarding.js';
import type { Fragments } from './fragments.js';
import type { HopReceipts } from './hop-receipts.js';
import { DeliveredMessages } from './delivered-messages.js';
import { originKey } from './inbound-tables.js';
import type { Neighbours } from './neighbours.js';
import type { Peer } from './peer.js';
import type { Reliability } from './reliability.js';

/** The parts a received frame may be handed to. */
export interface ReceiverParts {
  readonly neighbours: Neighbours;
  readonly datagrams: Datagrams;
  readonly forwarding: Forwarding;
  readonly reliability: Reliability;
  readonly fragments: Fragments;
  readonly applications: Applications;
  readonly hopReceipts: HopReceipts;
}

export class Receiver {
  readonly #ctx: PackagerContext;
  readonly #parts: ReceiverParts;
  /** Single packets delivered recently, to drop the copies a lost ack makes the sender retry. */
  readonly #recent: DeliveredMessages;

  constructor(ctx: PackagerContext, parts: ReceiverParts) {
    this.#ctx = ctx;
    this.#parts = parts;
    this.#recent = new DeliveredMessages(ctx.limits.duplicates);
  }

  receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void {
    try {
      this.#ctx.ownSleep?.frameHeard();
      this.#receive(frame, mac, iface);
    } catch {
      this.#ctx.counters.inc('receive_error');
    }
  }

  clear(): void {
    this.#recent.clear();
  }

  /** True when `p` is a retry of a single packet delivered within the window (delivered-messages.ts). */
  private isRetry(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): boolean {
    const ctx = this.#ctx;
    // A Package starts with the app id and SHA-256(blob)[:16]: a digest of the whole body.
    const digest = p.body.length >= 32 ? p.body.subarray(0, 32) : p.body;
    let node: string | undefined;
    if (p.fromAddr && p.treeState !== undefined) {
      const from = Address.fromBytes(p.treeState, p.fromAddr);
      node = from.ok ? this.#parts.neighbours.route(from.value)?.nodeKey : undefined;
    } else {
      node = src?.key;
    }
    const evicted = this.#recent.evictedEarly;
    const seen = this.#recent.seen(p.packetId, digest, originKey(p, src, iface, mac), node, ctx.platform.now(), retryWindowMs(ctx.timings));
    if (this.#recent.evictedEarly !== evicted) ctx.counters.inc('duplicate_record_evicted');
    return seen;
  }

  #receive(frame: Uint8Array, mac: Uint8Array | undefined, iface: AttachedInterface): void {
    const ctx = this.#ctx;
    // Each part read where it is used: a frame meets two or three of the seven (issue 21).
    const parts = this.#parts;
    ctx.counters.inc('rx_frames');
    if (frame[0] === COMPACT_MARKER) {
      // From one of our neighbours (compact-frame.ts): the upstream bytes it stands for, before
      // anything (hop receipts, duplicate checks, relaying) looks at the frame.
      const expanded = expandFrame(ctx.platform, frame, (prefix) => parts.applications.idByPrefix(prefix));
      if (!expanded) {
        ctx.counters.inc('drop_compact_invalid');
        return;
      }
      ctx.counters.inc('rx_compact');
      frame = expanded;
    }
    const parsed = parsePacket(frame);
    if (!parsed.ok) {
      ctx.counters.inc(`drop_${parsed.error.code}`);
      return;
    }
    const p = parsed.value;
    if (!checksumValid(ctx.platform, p)) {
      ctx.counters.inc('drop_checksum_mismatch'); // fix: upstream never checks
      return;
    }
    if (ctx.hooks.has('receive')) ctx.hooks.call('receive', p, iface, mac);
    ctx.skipSleep();
    const src = parts.neighbours.heardOn(mac, iface); // the peer bound to this link, marked awake
    if (src?.queue.length) parts.datagrams.flush(src);
    // Hop recovery among our own nodes (hop-custody.ts): a hop ack, or a frame asking for one.
    if (encodedValue(p.flags) === Encoded.encoded6) return parts.datagrams.custody.onHopAck(p.body, src);
    if (hasFlag(p.flags, 'throttle')) {
      if (!parts.hopReceipts.acknowledge(frame, src, iface, mac)) {
        ctx.counters.inc('hop_duplicate');
        return;
      }
      p.flags = setFlag(p.flags, 'throttle', false); // what we relay or ack carries our own choice
    }
    if (p.toAddr && p.treeState !== undefined && !parts.neighbours.isOwn(p.treeState, p.toAddr)) {
      parts.forwarding.forward(p, src);
      return;
    }
    if (p.toAddr) parts.forwarding.learnFrom(p, src); // a path back to its origin ("Short paths")
    const encoded = encodedValue(p.flags);
    if (encoded === Encoded.ack) return parts.reliability.onAck(p, src); // fix: never a fragment
    if (encoded === Encoded.rtx) return parts.reliability.onRtx(p, src, iface, mac);
    if (encoded === Encoded.nia) return parts.datagrams.onNia(p, src, iface, mac);
    if (encoded === Encoded.rns) return parts.datagrams.onRns(p, src, iface, mac);
    if (p.seqId !== undefined && p.seqSize !== undefined) return parts.fragments.onFragment(p, src, iface, mac);
    const asked = encoded === Encoded.ask;
    if (asked) parts.forwarding.ack(p, src, iface, mac);
    if (asked && this.isRetry(p, src, iface, mac)) {
      ctx.counters.inc('duplicate_packet');
      return;
    }
    parts.applications.deliver(p.body, iface, mac, src, p, true);
  }
}
