/**
 * sequenceFrames patches the first frame's header for the other fragments: its frames must be
 * exactly those of serializing every fragment on its own, on every schema that carries a sequence.
 */
import { sequenceFrames } from '../../modules/mycelium/wire/sequence-frames.js';
import { OutboundSequence, type FragmentFields } from '../../modules/mycelium/wire/sequence.js';
import { bodyChecksum, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { SCHEMAS } from '../../modules/mycelium/wire/schemas.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

function oneByOne(seq: OutboundSequence, flags: number, fields: FragmentFields, askSample: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < seq.count; i++) {
    const p = seq.fragment(i, flags, fields, askSample) as Packet;
    if (seq.schema.hasChecksum) p.checksum = bodyChecksum(portableHashes, p.body);
    const r = serializePacket(p);
    if (!r.ok) throw new Error(r.error.message);
    out.push(toHex(r.value));
  }
  return out;
}

test('every sequence schema: the frames equal serializing each fragment (ask sampling, flags, routes, checksums, 2-byte ids)', () => {
  const route: FragmentFields = { ttl: 7, treeState: 3, toAddr: new Uint8Array(16).fill(0x21), fromAddr: new Uint8Array(16).fill(0x13) };
  let checked = 0;
  for (const schema of SCHEMAS.filter((s) => s.supportsSequence)) {
    // 1 fragment, a few, and (2-byte packet ids) past 256 fragments
    const sizes = [1, schema.maxBody * 3 + 17, ...(schema.packetIdSize === 2 ? [schema.maxBody * 300 + 1] : [])];
    for (const size of sizes) {
      const data = Uint8Array.from({ length: size }, (_v, i) => (i * 29 + size) & 255);
      const seq = OutboundSequence.create(schema, 77, data);
      if (!seq.ok) throw new Error(seq.error.message);
      const fields = schema.supportsRouting || schema.relayOnly ? route : {};
      for (const [flags, askSample] of [[0, true], [0x01, false], [0x09, true]] as const) {
        const got = sequenceFrames(portableHashes, seq.value, flags, fields, askSample);
        if (!got.ok) throw new Error(got.error.message);
        expect(got.value.map(toHex)).toEqual(oneByOne(seq.value, flags, fields, askSample));
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(40);
});
