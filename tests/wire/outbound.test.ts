import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { ascendingSchemaIds, chooseSchema, frameBlob, frameAck, frameControl, intersectSchemaIds } from '../../modules/mycelium/wire/outbound.js';
import { ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS, SCHEMA_IDS, getSchema } from '../../modules/mycelium/wire/schemas.js';
import { maxSequenceData } from '../../modules/mycelium/wire/sequence.js';
import { parsePacket, checksumValid } from '../../modules/mycelium/wire/packet.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

// protocol.md §4.5 ESP-NOW results, by Package size.
test.each([
  ['direct', 245, 0],
  ['direct', 246, 2],
  ['direct', 62_207, 2],
  ['direct', 62_208, 4], // upstream picks 2 here and then cannot split it; 4 carries it
  ['routed', 211, 5],
  ['routed', 212, 7],
  ['routed', 53_503, 7],
  ['routed', 60_000, 9],
  ['broadcast', 245, 0],
] as const)('%s of a %i-byte Package over ESP-NOW uses schema %i', (purpose, size, schema) => {
  expect(chooseSchema(ESPNOW_SCHEMA_IDS, size, purpose)?.id).toBe(schema);
});

test('a checksum schema gets a correct CRC on every fragment', () => {
  const framed = unwrap(frameBlob(nodeHashes, 'direct', ESPNOW_SCHEMA_IDS, new Uint8Array(16), new Uint8Array(62_300), { packetId: 0, seqId: 3 }));
  expect(framed.schema.id).toBe(4);
  for (const f of framed.frames) expect(checksumValid(nodeHashes, unwrap(parsePacket(f)))).toBe(true);
});

test('no schema for a routed send on interfaces without routing schemas', () => {
  const to = unwrap(Address.fromCoords(1, [2]));
  const r = frameBlob(nodeHashes, 'routed', [0, 1, 2], new Uint8Array(16), new Uint8Array(4), { packetId: 0, seqId: 0 }, { to, from: to });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe('no_schema');
});

test('ack of a routed packet swaps addresses, keeps mode, resets ttl', () => {
  const to = unwrap(Address.fromCoords(9, [2, 3]));
  const from = unwrap(Address.fromCoords(9, [1]));
  const sent = unwrap(frameBlob(nodeHashes, 'routed', ESPNOW_SCHEMA_IDS, new Uint8Array(16), new Uint8Array(4), { packetId: 42, seqId: 0 }, { to, from }));
  const received = unwrap(parsePacket(sent.frames[0]));
  received.flags |= 0x01; // dCPL
  received.ttl = 7;
  const ack = unwrap(parsePacket(unwrap(frameAck(nodeHashes, received))));
  expect(ack.flags).toBe(0x11);
  expect(ack.packetId).toBe(42);
  expect(ack.ttl).toBe(255);
  expect(toHex(ack.toAddr as Uint8Array)).toBe(toHex(from.bytes));
  expect(ack.body.length).toBe(0);
  expect(toHex(unwrap(frameControl(nodeHashes, 0, 'nia', 5)))).toBe('0000002805');
});

test('intersectSchemaIds keeps the first list’s order and only ids every list has', () => {
  expect(intersectSchemaIds([])).toEqual([]);
  const espnow = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const one = intersectSchemaIds([espnow]);
  expect(one).toEqual([...espnow]);
  one.push(99); // a copy: the radio's own list is not the caller's to change
  expect(espnow).toHaveLength(11);
  expect(intersectSchemaIds([espnow, [9, 2, 30, 0]])).toEqual([0, 2, 9]);
  expect(intersectSchemaIds([espnow, [20, 21, 30]])).toEqual([]); // an ESP-NOW + LoRa bridge
  expect(intersectSchemaIds([[5, 1, 3], [3, 5], [1, 3, 5, 7]])).toEqual([5, 3]);
});

test('a list ascendingSchemaIds accepts is its own intersection with every schema (the loopback beside a radio)', () => {
  const accepted: (readonly number[])[] = [ESPNOW_SCHEMA_IDS, RYLR998_SCHEMA_IDS, SCHEMA_IDS, [], [0], [3, 7, 21], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]];
  for (const ids of accepted) {
    expect(ascendingSchemaIds(ids)).toBe(true);
    expect(intersectSchemaIds([SCHEMA_IDS, ids])).toEqual([...ids]);
  }
  // Out of order, repeated or unknown ids: the intersection differs, so the shortcut is refused.
  const refused: (readonly number[])[] = [[1, 0], [2, 2], [0, 14], [10, 40], [-1, 0], [0.5], [Number.NaN]];
  for (const ids of refused) {
    expect(ascendingSchemaIds(ids)).toBe(false);
    expect(intersectSchemaIds([SCHEMA_IDS, ids])).not.toEqual([...ids]);
  }
});

test('chooseSchema takes, of the schemas able to carry the Package, the first with the largest max body', () => {
  // The rule written plainly (upstream's): qualifying schemas, then the largest body, first of equals.
  const plain = (ids: readonly number[], length: number, purpose: 'broadcast' | 'direct' | 'routed') => {
    const able = ids
      .map((id) => getSchema(id))
      .filter((s) => s !== undefined)
      .filter((s) => (purpose === 'routed' ? s.supportsRouting : !s.supportsRouting && !s.relayOnly))
      .filter((s) => (s.supportsSequence ? maxSequenceData(s) : s.maxBody) >= length);
    return able.reduce<(typeof able)[number] | undefined>((best, s) => (!best || s.maxBody > best.maxBody ? s : best), undefined)?.id;
  };
  let seed = 7;
  const next = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n);
  for (let round = 0; round < 2_000; round++) {
    const ids = Array.from({ length: 1 + next(12) }, () => next(36)); // any order, repeats, unknown ids
    const length = [1, 200, 236, 240, 245, 246, 5_000, 62_208, 70_000][next(9)];
    const purpose = (['broadcast', 'direct', 'routed'] as const)[next(3)];
    expect(chooseSchema(ids, length, purpose)?.id).toBe(plain(ids, length, purpose));
  }
});
