/**
 * Hop recovery, receiving side (see hop-custody.ts). A frame with the throttle flag asks for a
 * hop ack: we answer at once on the link it came by with one small frame (encoded field 6, the
 * sender's default schema, body = the CRC-32 of the frame as received) and clear the flag before
 * the frame goes further, so nothing past us sees it. When the hop ack is lost the neighbour
 * sends the frame again: a copy heard within `hopDuplicateWindowMs` is acked again and dropped,
 * so one lost hop ack does not turn into a duplicate relayed all the way to the destination.
 * (End-to-end resends come later than that window and go through: the destination must ack them.)
 */
import { toHex } from '../wire/bytes.js';
import { Encoded, withEncoded } from '../wire/flags.js';
import { bodyChecksum, serializePacket, type Packet } from '../wire/packet.js';
import { getSchema } from '../wire/schemas.js';
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Datagrams } from './datagrams.js';
import type { Peer } from './peer.js';
import { BROADCAST_MAC } from './radio.js';

export class HopReceipts {
  private readonly ctx: PackagerContext;
  private readonly datagrams: Datagrams;
  /** sender + ':' + CRC-32 → until when a copy is a hop resend; insertion order = age. */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private seen: Map<string, number> | undefined;

  constructor(ctx: PackagerContext, datagrams: Datagrams) {
    this.ctx = ctx;
    this.datagrams = datagrams;
  }

  /**
   * Hop-ack a frame that asked for it. False when it is a hop resend of a frame already handled
   * (the caller drops it).
   */
  acknowledge(frame: Uint8Array, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): boolean {
    const ctx = this.ctx;
    const crc = ctx.platform.crc32(frame) >>> 0;
    this.sendHopAck(crc, iface, mac);
    const key = (src ? src.key : toHex(mac ?? new Uint8Array(0))) + ':' + crc;
    const now = ctx.platform.now();
    const until = this.seen?.get(key);
    if (until !== undefined && until > now) return false;
    this.seen?.delete(key);
    while ((this.seen?.size ?? 0) >= Math.max(1, ctx.limits.hopReceipts)) this.seen?.delete((this.seen as Map<string, number>).keys().next().value as string);
    (this.seen ??= new Map()).set(key, now + ctx.timings.hopDuplicateWindowMs);
    return true;
  }

  get size(): number {
    return (this.seen?.size ?? 0);
  }

  clear(): void {
    this.seen?.clear();
  }

  private sendHopAck(crc: number, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const ctx = this.ctx;
    const schemaId = iface.radio.schemaIds[0];
    const schema = getSchema(schemaId);
    if (!schema || schema.fields.some((f) => f.name !== 'packetId' && f.name !== 'checksum')) return;
    const body = Uint8Array.of(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
    const p: Packet = { schemaId, flags: withEncoded(0, Encoded.encoded6), packetId: 0, body };
    if (schema.hasChecksum) p.checksum = bodyChecksum(ctx.platform, body);
    const frame = serializePacket(p);
    if (!frame.ok) return;
    ctx.counters.inc('hop_acks_sent');
    this.datagrams.transmit(iface.radio, mac ?? BROADCAST_MAC, frame.value);
  }
}
