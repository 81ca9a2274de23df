/**
 * Inbound sequences (protocol.md §3.5, §4.11): fragments are reassembled per (origin, seq_id);
 * a sequence that stalls for `seqSyncDelayMs` asks its origin for the missing fragments (RTX),
 * and is abandoned after `seqSyncRetries` rounds without progress. A late duplicate of a
 * sequence already delivered is acked and dropped.
 */
import { TTL_START } from '../wire/constants.js';
import { Encoded, encodedValue, hasFlag, setFlag, withEncoded } from '../wire/flags.js';
import { bodyChecksum, serializePacket, type Packet } from '../wire/packet.js';
import { getSchema, type Schema } from '../wire/schemas.js';
import { Reassembly } from '../wire/sequence.js';
import type { AttachedInterface, TableSize } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Datagrams } from './datagrams.js';
import type { Forwarding } from './forwarding.js';
import { CompletedSequences, InboundTable, originKey, type InboundSequence } from './inbound-tables.js';
import type { Peer } from './peer.js';

/** Peers by key, and where complete messages go (the Packager's wiring.ts). */
export interface FragmentCalls {
  peerByKey(key: string): Peer | undefined;
  /** Hand a reassembled Package to the apps; `assembledMs`: from its first fragment to its last. */
  deliver(pkgBytes: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined, src: Peer | undefined, p: Packet, copy: boolean, assembledMs: number): void;
}

export class Fragments {
  private readonly ctx: PackagerContext;
  private readonly wiring: FragmentCalls;
  private readonly forwarding: Forwarding;
  private readonly datagrams: Datagrams;
  private readonly inbound: InboundTable;
  private readonly completed: CompletedSequences;

  constructor(ctx: PackagerContext, wiring: FragmentCalls, forwarding: Forwarding, datagrams: Datagrams) {
    this.ctx = ctx;
    this.wiring = wiring;
    this.forwarding = forwarding;
    this.datagrams = datagrams;
    const limits = ctx.limits;
    this.inbound = new InboundTable(limits.inboundPerOrigin, limits.inboundTotal, limits.inboundTotalBytes, limits.inboundOriginBytes);
    this.completed = new CompletedSequences(limits.duplicates);
  }

  onFragment(p: Packet, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined): void {
    const { counters, timings, platform } = this.ctx;
    const schema = getSchema(p.schemaId) as Schema;
    const seqId = p.seqId as number;
    const count = (p.seqSize as number) + 1;
    const origin = originKey(p, src, iface, mac);
    const key = origin + '/' + seqId;
    const now = platform.now();
    const asked = encodedValue(p.flags) === Encoded.ask;
    // The check byte costs a CRC: only fragments of a recently completed sequence need it.
    const seen = this.completed.has(key) ? this.completed.classify(key, count, p.packetId, platform.crc32(p.body) & 0xff, now) : 'unknown';
    if (seen === 'duplicate') {
      counters.inc('duplicate_fragment');
      if (asked) this.forwarding.ack(p, src, iface, mac);
      return;
    }
    let entry = this.inbound.get(key);
    if (entry && entry.reassembly.count !== count) {
      // The same origin reused the seq_id for a new sequence (upstream does for every unicast).
      this.inbound.delete(key);
      this.ctx.cancel('SS' + key);
      entry = undefined;
    }
    if (!entry) {
      entry = this.start(p, schema, count, key, origin, src, iface, mac, now);
      if (!entry) return;
    }
    const before = entry.reassembly.received;
    const added = entry.reassembly.add(p.packetId, p.body);
    if (!added.ok) {
      counters.inc(`drop_${added.error.code}`);
      return;
    }
    if (entry.reassembly.received > before) {
      entry.retries = timings.seqSyncRetries;
      entry.updated = now;
    }
    if (asked) this.forwarding.ack(p, src, iface, mac);
    if (added.value) {
      const data = entry.reassembly.assemble() as Uint8Array;
      this.inbound.delete(key);
      this.ctx.cancel('SS' + key);
      this.completed.remember(key, count, this.fragmentChecks(data, schema.maxBody, count), now + timings.outboundTtlMs, now);
      this.wiring.deliver(data, iface, mac, src, p, false, now - entry.started);
      return;
    }
    this.ctx.schedule('SS' + key, timings.seqSyncDelayMs, () => this.syncSequence(key));
  }

  sizes(): { inbound: TableSize; inboundBytes: TableSize } {
    const l = this.ctx.limits;
    return {
      inbound: { size: this.inbound.size, limit: l.inboundTotal },
      inboundBytes: { size: this.inbound.reservedBytes, limit: l.inboundTotalBytes },
    };
  }

  clear(): void {
    this.inbound.clear();
    this.completed.clear();
  }

  /** Admit a new inbound sequence under the table's caps; undefined (and counted) when refused. */
  private start(p: Packet, schema: Schema, count: number, key: string, origin: string, src: Peer | undefined, iface: AttachedInterface, mac: Uint8Array | undefined, now: number): InboundSequence | undefined {
    const { counters, timings, limits } = this.ctx;
    const started = Reassembly.start(schema, p.seqId as number, count - 1, limits.inboundSequenceBytes);
    if (!started.ok) {
      counters.inc('drop_sequence_too_large');
      return undefined;
    }
    const route =
      p.fromAddr && p.toAddr && p.treeState !== undefined
        ? { treeState: p.treeState, fromAddr: p.fromAddr.slice(), toAddr: p.toAddr.slice(), dcpl: hasFlag(p.flags, 'mode') }
        : undefined;
    const fresh: InboundSequence = {
      key,
      origin,
      reassembly: started.value,
      reserved: count * schema.maxBody,
      iface,
      mac: mac?.slice(),
      peerKey: src?.key,
      route,
      retries: timings.seqSyncRetries,
      updated: now,
      started: now,
    };
    const admitted = this.inbound.admit(fresh, now, timings.seqSyncDelayMs, timings.slowFragmentMs);
    for (const e of admitted.evicted) {
      this.ctx.cancel('SS' + e.key);
      counters.inc('inbound_evicted');
    }
    if (!admitted.admitted) {
      counters.inc('drop_inbound_full');
      return undefined;
    }
    return fresh;
  }

  private fragmentChecks(data: Uint8Array, maxBody: number, count: number): Uint8Array {
    const checks = new Uint8Array(count);
    for (let i = 0; i < count; i++) checks[i] = this.ctx.platform.crc32(data.subarray(i * maxBody, (i + 1) * maxBody)) & 0xff;
    return checks;
  }

  /** Ask the origin for missing fragments; give up after `seqSyncRetries` rounds without progress. */
  private syncSequence(key: string): void {
    const entry = this.inbound.get(key);
    if (!entry) return;
    this.ctx.hooks.call('sync_sequence', entry.reassembly.seqId);
    if (entry.retries <= 0) {
      this.inbound.delete(key);
      this.ctx.counters.inc('sequence_abandoned');
      return;
    }
    const r = entry.reassembly;
    for (const index of r.missing(this.ctx.limits.rtxPerRound)) {
      const rtx: Packet = {
        schemaId: r.schema.id,
        flags: withEncoded(entry.route?.dcpl ? setFlag(0, 'mode', true) : 0, Encoded.rtx),
        packetId: index,
        seqId: r.seqId,
        seqSize: r.count - 1,
        body: new Uint8Array(0),
      };
      if (entry.route) {
        // fix: upstream builds these without routing fields and crashes (§9.2 item 7)
        rtx.ttl = TTL_START;
        rtx.treeState = entry.route.treeState;
        rtx.toAddr = entry.route.fromAddr;
        rtx.fromAddr = entry.route.toAddr;
      }
      if (r.schema.hasChecksum) rtx.checksum = bodyChecksum(this.ctx.platform, rtx.body);
      const frame = serializePacket(rtx);
      if (!frame.ok) break;
      this.ctx.counters.inc('rtx_requested');
      const peer = entry.peerKey === undefined ? undefined : this.wiring.peerByKey(entry.peerKey);
      if (entry.route) this.forwarding.sendRouted(frame.value, rtx, peer);
      else this.datagrams.reply(frame.value, peer, entry.iface, entry.mac);
    }
    entry.retries--;
    this.ctx.schedule('SS' + key, this.ctx.timings.seqSyncDelayMs, () => this.syncSequence(key));
  }
}
