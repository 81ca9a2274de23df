/**
 * The packager category: the datagrams a fresh upstream node puts on the air (counters at 0)
 * for broadcast, direct send and routed send (node 118-[1] → root 118-[] → 118-[2,3]), and the
 * RNS / NIA / ack control frames. Our framing must produce the same bytes.
 */
import * as W from '../../modules/mycelium/wire/index.js';
import { type Case, type Check, type Context, Mismatch, hex, refused, same, value } from './util.js';

const INTERFACE_SETS: Record<string, readonly number[]> = {
  all: W.SCHEMA_IDS,
  espnow_0_10: W.ESPNOW_SCHEMA_IDS,
  lora_20_30: W.RYLR998_SCHEMA_IDS,
  seq_only_2: [2],
  routing_5_10: [5, 6, 7, 8, 9, 10],
};

/** The blob inside captured datagrams (verified against the vector's SHA-256). */
function blobOf(c: Case, ctx: Context, frames: Uint8Array[]): { appId: Uint8Array; blob: Uint8Array } {
  const parts = frames.map((f) => value('parse datagram', W.parsePacket(f)).body);
  const pkg = value('package', W.parsePackage(W.concatBytes(...parts)));
  same('blob sha256', W.toHex(ctx.hashes.sha256(pkg.blob)), c.blob_sha256);
  return { appId: pkg.appId, blob: pkg.blob };
}

const PURPOSE: Record<string, W.Purpose> = { broadcast: 'broadcast', send_direct: 'direct', send_routed: 'routed' };

function framing(c: Case, ctx: Context): void {
  const ids = INTERFACE_SETS[c.interface_schemas];
  if (!ids) throw new Mismatch(`unknown interface set "${c.interface_schemas}"`);
  const expected = (c.datagrams as string[]).map(hex);
  const { appId, blob } = expected.length
    ? blobOf(c, ctx, expected)
    : { appId: hex(c.app_id), blob: new Uint8Array(c.blob_len) }; // content is irrelevant to a refusal
  same('blob length', blob.length, c.blob_len);
  let route: W.RouteFields | undefined;
  if (c.kind === 'send_routed') {
    route = {
      to: value('to', W.Address.fromCoords(c.tree_state, c.to_addr)),
      from: value('from', W.Address.fromCoords(c.tree_state, c.local_addr)),
    };
  }
  const framed = W.frameBlob(ctx.hashes, PURPOSE[c.kind], ids, appId, blob, { packetId: 0, seqId: 0 }, route);
  if ('error' in c.result) {
    refused(`${c.kind} over ${c.interface_schemas} (upstream: ${c.result.error.type} ${c.result.error.message})`, framed);
    return;
  }
  const ours = value('frame', framed);
  let theirs = expected;
  if (c.kind === 'broadcast' && ours.schema.supportsSequence && expected.length === 1) {
    // Upstream writes seq_size 1 on a one-packet broadcast over a sequence schema, which its
    // own receivers then wait on forever; we write 0 (a one-fragment sequence). Only that byte differs.
    const p = value('parse', W.parsePacket(expected[0]));
    same('upstream seq_size', p.seqSize, 1);
    theirs = [value('fix', W.serializePacket({ ...p, seqSize: 0 }))];
    ctx.deliberate++;
  }
  same('datagrams', ours.frames.map(W.toHex), theirs.map(W.toHex));
  if (c.schemas_used) same('schemas used', [ours.schema.id], c.schemas_used);
  if (c.macs) same('one mac per datagram', (c.macs as string[]).length, expected.length);
}

export const packager: Check = (c, ctx) => {
  switch (c.kind) {
    case 'broadcast':
    case 'send_direct':
    case 'send_routed':
      framing(c, ctx);
      return undefined;
    case 'send_to_sleeping_peer_emits_rns': {
      // The unicast is queued while the peer sleeps and an RNS goes out on the default schema.
      const queued = (c.queued as string[]).map(hex);
      const q = value('parse queued', W.parsePacket(queued[0]));
      const pkg = value('package', W.parsePackage(q.body));
      const again = value('frame', W.frameBlob(ctx.hashes, 'direct', [q.schemaId], pkg.appId, pkg.blob, { packetId: q.packetId, seqId: 0 }));
      same('queued', again.frames.map(W.toHex), c.queued);
      same('rns', [W.toHex(value('rns', W.frameControl(ctx.hashes, 0, 'rns', 0)))], c.datagrams);
      return undefined;
    }
    case 'receive_rns_emits_nia':
      same('nia', [W.toHex(value('nia', W.frameControl(ctx.hashes, 0, 'nia', 0)))], c.datagrams);
      return undefined;
    case 'receive_ask_emits_ack': {
      const received = value('parse', W.parsePacket(hex(c.input)));
      same('ack', [W.toHex(value('ack', W.frameAck(ctx.hashes, received)))], c.datagrams);
      return undefined;
    }
    default:
      throw new Mismatch(`unknown packager case kind ${c.kind}`);
  }
};
