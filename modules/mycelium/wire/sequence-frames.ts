/**
 * All frames of an outbound sequence at once. The fragments of a sequence differ only in
 * packet_id, the `ask` flag, the body and its checksum: the first frame is serialized (and so
 * checked field by field) by `serializePacket`; the others copy its header and patch those fields.
 * Byte for byte what serializing each fragment gives (tests/wire/sequence-frames.test.ts), at a
 * fraction of the cost on XS, where a 10 KB split is 43 to 50 frames.
 */
import type { Hashes } from '../platform/platform.js';
import { setFlag } from './flags.js';
import { bodyChecksum, serializePacket, type Packet } from './packet.js';
import { COMMON_HEADER_BYTES } from './schemas.js';
import { isAskFragment, type FragmentFields, type OutboundSequence } from './sequence.js';
import { fail, ok, type Result } from './result.js';

/** Where packet_id and the checksum sit in a schema's header (-1: no checksum). */
function offsets(seq: OutboundSequence): { packetId: number; checksum: number } {
  let o = COMMON_HEADER_BYTES;
  let packetId = -1;
  let checksum = -1;
  for (let i = 0; i < seq.schema.fields.length; i++) {
    const f = seq.schema.fields[i];
    if (f.name === 'packetId') packetId = o;
    else if (f.name === 'checksum') checksum = o;
    o += f.size;
  }
  return { packetId, checksum };
}

/**
 * The frames of every fragment of `seq`, as `seq.fragment(i, flags, fields, askSample)` then
 * `serializePacket` would give them, with the schema's checksum field filled when it has one.
 */
export function sequenceFrames(hashes: Hashes, seq: OutboundSequence, flags: number, fields: FragmentFields, askSample: boolean): Result<Uint8Array[]> {
  const schema = seq.schema;
  const first = seq.fragment(0, flags, fields, askSample) as Packet;
  if (schema.hasChecksum) first.checksum = bodyChecksum(hashes, first.body);
  const head = serializePacket(first);
  if (!head.ok) return head as Result<never>;
  const frames: Uint8Array[] = [head.value];
  const at = offsets(seq);
  if (at.packetId < 0) return fail('bad_sequence', `schema ${schema.id} has no packet_id`);
  const wide = schema.packetIdSize === 2;
  const header = head.value.subarray(0, schema.headerLength);
  const asking = askSample ? setFlag(flags, 'ask', true) : flags; // as OutboundSequence.fragment sets it
  const maxBody = schema.maxBody;
  for (let i = 1; i < seq.count; i++) {
    const body = seq.data.subarray(i * maxBody, Math.min((i + 1) * maxBody, seq.data.length));
    const out = new Uint8Array(schema.headerLength + body.length);
    out.set(header, 0);
    out[3] = isAskFragment(i, seq.count) ? asking : flags;
    if (wide) {
      out[at.packetId] = i >> 8;
      out[at.packetId + 1] = i & 0xff;
    } else {
      out[at.packetId] = i;
    }
    if (at.checksum >= 0) {
      const c = hashes.crc32(body);
      out[at.checksum] = c >>> 24;
      out[at.checksum + 1] = (c >>> 16) & 0xff;
      out[at.checksum + 2] = (c >>> 8) & 0xff;
      out[at.checksum + 3] = c & 0xff;
    }
    out.set(body, schema.headerLength);
    frames.push(out);
  }
  return ok(frames);
}
