import { getSchema, type Schema } from '../../modules/mycelium/wire/schemas.js';
import { OutboundSequence, Reassembly } from '../../modules/mycelium/wire/sequence.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const s2 = getSchema(2) as Schema;

function roundTrip(data: Uint8Array, order: (n: number) => number[]): Uint8Array | undefined {
  const seq = unwrap(OutboundSequence.create(s2, 7, data));
  const r = unwrap(Reassembly.start(s2, 7, seq.count - 1, 1 << 20));
  for (const i of order(seq.count)) {
    const f = seq.fragment(i, 0, {}, true);
    if (f) unwrap(r.add(f.packetId, f.body));
  }
  return r.assemble();
}

test('a blob that is an exact multiple of the body size reassembles whole (upstream yields 0 bytes)', () => {
  const data = Uint8Array.from({ length: 243 * 3 }, (_v, i) => i & 255);
  expect(roundTrip(data, (n) => [...Array(n).keys()])).toEqual(data);
  // last fragment first and twice: upstream truncates twice; we ignore the duplicate
  expect(roundTrip(data, (n) => [n - 1, n - 1, ...Array(n).keys()])).toEqual(data);
});

test('fragments carry ask on first, middle and last only when sampling', () => {
  const seq = unwrap(OutboundSequence.create(s2, 1, new Uint8Array(243 * 9)));
  const asks = [...Array(seq.count).keys()].filter((i) => (seq.fragment(i, 0, {}, true)?.flags ?? 0) & 0x08);
  expect(asks).toEqual([0, 4, 8]);
});

test('a sequence claiming 65,536 fragments is refused before anything is allocated', () => {
  const s4 = getSchema(4) as Schema;
  const r = Reassembly.start(s4, 1, 65535, 64 * 1024);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe('bad_sequence');
});

test('memory follows received fragments, not the claimed size; bad fragments are refused', () => {
  const s4 = getSchema(4) as Schema;
  const r = unwrap(Reassembly.start(s4, 1, 65535, Number.MAX_SAFE_INTEGER));
  expect(unwrap(r.add(10, new Uint8Array(s4.maxBody)))).toBe(false);
  expect(r.heldBytes).toBe(s4.maxBody);
  expect(r.add(11, new Uint8Array(5)).ok).toBe(false); // short fragment that is not the last
  expect(r.add(65536, new Uint8Array(1)).ok).toBe(false); // beyond the sequence
  expect(r.missing(3)).toEqual([0, 1, 2]);
});
