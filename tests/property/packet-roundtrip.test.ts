/**
 * Round-trip properties of the wire layer: whatever a sender can encode, a receiver decodes to
 * the same values, and whatever valid bytes a receiver accepts re-encode to the same bytes.
 * Seeds are fixed so a failure reproduces; fast-check prints the shrunk counterexample.
 */
import fc from 'fast-check';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { SCHEMAS, getSchema, type Schema } from '../../modules/mycelium/wire/schemas.js';
import {
  bodyChecksum,
  checksumValid,
  parsePacket,
  serializePacket,
  withChecksum,
  type Packet,
} from '../../modules/mycelium/wire/packet.js';
import { buildPackage, parsePackage, verifyPackage, PACKAGE_HEADER_BYTES } from '../../modules/mycelium/wire/package.js';
import { Address, decodeAddress, encodeCoords, MAX_COORDINATE } from '../../modules/mycelium/wire/address.js';
import { OutboundSequence, Reassembly, maxSequenceData, type FragmentFields } from '../../modules/mycelium/wire/sequence.js';
import { BeaconOp, BEACON_MAX_APPS, parseBeacon, serializeBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { GossipOp, parseGossip, serializeGossip } from '../../modules/mycelium/wire/messages/gossip.js';
import { TreeOp, TREE_MESSAGE_BYTES, parseTree, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { PING_MESSAGE_BYTES, parsePing, serializePing } from '../../modules/mycelium/wire/messages/ping.js';
import { DebugOp, DEBUG_HEADER_BYTES, parseDebug, serializeDebug } from '../../modules/mycelium/wire/messages/debug.js';
import type { Result } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { FIELD_NAMES, Prng, bytes, fieldOf, packetArb, shuffled } from './support.js';

const SEED = 0x5eed_2024;
const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns });

/** Unwrap with a readable failure (the error code and message) instead of a bare `ok: false`. */
function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Plain-data view of a parsed value: byte arrays as hex, so jest diffs are readable. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return `hex:${toHex(v)}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

const u8 = fc.integer({ min: 0, max: 255 });
const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe('packets', () => {
  test('there are exactly the 28 schemas 0–13 and 20–33', () => {
    expect(SCHEMAS.map((s) => s.id)).toEqual([...Array(14).keys(), ...Array.from({ length: 14 }, (_v, i) => i + 20)]);
  });

  test.each(SCHEMAS.map((s) => [s.id, s] as const))('schema %i: serializePacket → parsePacket gives back every field', (_id, schema) => {
    fc.assert(
      fc.property(packetArb(schema), (p) => {
        const frame = value(serializePacket(p));
        expect(frame.length).toBe(schema.headerLength + p.body.length);
        expect(frame.length).toBeLessThanOrEqual(schema.frameLimit);
        expect([frame[0], frame[1], frame[2], frame[3]]).toEqual([0, 0, schema.id, p.flags]);
        const q = value(parsePacket(frame));
        expect(q.schemaId).toBe(schema.id);
        expect(q.flags).toBe(p.flags);
        expect(q.reserved).toBe(0);
        const names = new Set(schema.fields.map((f) => f.name));
        for (const name of FIELD_NAMES) {
          const sent = fieldOf(p, name);
          const got = fieldOf(q, name);
          if (!names.has(name)) {
            expect(got).toBeUndefined(); // a field the schema lacks is not invented
          } else if (sent instanceof Uint8Array) {
            expect(got).toBeInstanceOf(Uint8Array);
            expect(toHex(got as Uint8Array)).toBe(toHex(sent));
          } else {
            expect(got).toBe(sent);
          }
        }
        expect(toHex(q.body)).toBe(toHex(p.body));
      }),
      params(150),
    );
  });

  test.each(SCHEMAS.map((s) => [s.id, s] as const))('schema %i: any valid frame re-serializes to itself; a non-zero reserved byte is cleared', (_id, schema) => {
    const frameArb = fc.record({
      flags: u8,
      reserved: u8,
      fields: bytes(schema.headerLength - 4),
      body: bytes(0, schema.maxBody),
    });
    fc.assert(
      fc.property(frameArb, ({ flags, reserved, fields, body }) => {
        const frame = new Uint8Array(schema.headerLength + body.length);
        frame.set([0, reserved, schema.id, flags]);
        frame.set(fields, 4);
        frame.set(body, schema.headerLength);
        const p = value(parsePacket(frame));
        expect(p.reserved).toBe(reserved);
        const again = value(serializePacket(p));
        const expected = frame.slice();
        expected[1] = 0; // the reserved byte is always sent as 0
        expect(toHex(again)).toBe(toHex(expected));
      }),
      params(100),
    );
  });

  test('serializePacket refuses out-of-width ints, wrong-length byte fields, missing fields and oversized bodies', () => {
    const caseArb = fc
      .constantFrom(...SCHEMAS)
      .chain((schema) =>
        fc.tuple(
          fc.constant(schema),
          packetArb(schema),
          fc.integer({ min: 0, max: schema.fields.length - 1 }),
          fc.constantFrom('range', 'length', 'missing', 'body', 'flags'),
          fc.integer({ min: 1, max: 1000 }),
        ),
      );
    fc.assert(
      fc.property(caseArb, ([schema, p, fieldIndex, kind, delta]) => {
        const f = schema.fields[fieldIndex];
        const bad = { ...p } as unknown as Record<string, unknown>;
        let expected: string;
        if (kind === 'body') {
          bad.body = new Uint8Array(schema.maxBody + delta);
          expected = 'body_too_large';
        } else if (kind === 'flags') {
          bad.flags = delta % 2 ? 255 + delta : -delta;
          expected = 'field_range';
        } else if (kind === 'missing') {
          delete bad[f.name];
          expected = 'missing_field';
        } else if (f.kind === 'int') {
          const max = f.size === 1 ? 0xff : 0xffff;
          bad[f.name] = [max + delta, -delta, delta + 0.5][delta % 3];
          expected = 'field_range';
        } else {
          // longer or shorter than the field (never the right length: delta ≥ 1)
          bad[f.name] = new Uint8Array(kind === 'length' ? f.size + delta : Math.max(0, f.size - delta));
          expected = 'field_length';
        }
        const r = serializePacket(bad as unknown as Packet);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe(expected);
      }),
      params(600),
    );
  });

  test('checksum schemas: withChecksum makes checksumValid true; any bit flip in the body makes it false', () => {
    const checksummed = SCHEMAS.filter((s) => s.hasChecksum);
    const arb = fc
      .constantFrom(...checksummed)
      .chain((schema) => fc.tuple(packetArb(schema), fc.nat(), fc.integer({ min: 0, max: 7 })));
    fc.assert(
      fc.property(arb, ([p, at, bit]) => {
        const sealed = value(withChecksum(nodeHashes, p));
        // through the wire, as a receiver sees it
        const received = value(parsePacket(value(serializePacket(sealed))));
        expect(checksumValid(nodeHashes, received)).toBe(true);
        expect(toHex(received.checksum as Uint8Array)).toBe(toHex(bodyChecksum(nodeHashes, p.body)));
        if (p.body.length > 0) {
          const body = p.body.slice();
          body[at % body.length] ^= 1 << bit;
          expect(checksumValid(nodeHashes, { ...received, body })).toBe(false);
        }
      }),
      params(300),
    );
    const noChecksum = withChecksum(nodeHashes, { schemaId: 0, flags: 0, packetId: 1, body: new Uint8Array(3) });
    expect(noChecksum.ok ? 'ok' : noChecksum.error.code).toBe('no_checksum_field');
  });
});

describe('app messages', () => {
  const beaconArb = fc.record({
    op: fc.constantFrom(...Object.values(BeaconOp)),
    nodeId: bytes(32),
    apps: fc.array(bytes(16), { maxLength: BEACON_MAX_APPS }),
  });
  const gossipArb = fc.record({
    op: fc.constantFrom(...Object.values(GossipOp)),
    topic: bytes(16),
    data: bytes(0, 400),
  });
  const treeArb = fc.record({
    op: fc.constantFrom(...Object.values(TreeOp)),
    ts: u64,
    age: u8,
    claim: bytes(32),
    address: bytes(16),
    nodeId: bytes(32),
  });
  const pingArb = fc.record({
    op: fc.integer({ min: 0, max: 3 }),
    nonce: u8,
    metric: u8,
    ts1: u64,
    ts2: u64,
    ts3: u64,
    treeState: u8,
    address: bytes(16),
    nodeId: bytes(32),
  });
  const debugArb = fc.record({
    op: fc.constantFrom(...Object.values(DebugOp)),
    ts: fc.integer({ min: 0, max: 0xffffffff }),
    nonce: fc.integer({ min: 0, max: 0xffff }),
    fromId: bytes(32),
    data: bytes(0, 400),
  });

  test('beacon: serialize → parse gives back op, node id and app ids; parse → serialize gives back the bytes', () => {
    fc.assert(
      fc.property(beaconArb, (m) => {
        const wire = value(serializeBeacon(m));
        expect(wire.length).toBe(33 + 16 * m.apps.length);
        const back = value(parseBeacon(wire));
        expect(plain(back)).toEqual(plain(m));
        expect(toHex(value(serializeBeacon(back)))).toBe(toHex(wire));
      }),
      params(300),
    );
  });

  test('gossip: serialize → parse → serialize is the identity', () => {
    fc.assert(
      fc.property(gossipArb, (m) => {
        const wire = value(serializeGossip(m));
        const back = value(parseGossip(wire));
        expect(plain(back)).toEqual(plain(m));
        expect(toHex(value(serializeGossip(back)))).toBe(toHex(wire));
      }),
      params(300),
    );
  });

  test('tree: 90 bytes; u64 ts survives exactly (no Number rounding); parse → serialize is the identity', () => {
    fc.assert(
      fc.property(treeArb, (m) => {
        const wire = value(serializeTree(m));
        expect(wire.length).toBe(TREE_MESSAGE_BYTES);
        const back = value(parseTree(wire));
        expect(typeof back.ts).toBe('bigint');
        expect(plain(back)).toEqual(plain(m));
        expect(toHex(value(serializeTree(back)))).toBe(toHex(wire));
      }),
      params(300),
    );
  });

  test('ping: 76 bytes; three u64 timestamps survive exactly; parse → serialize is the identity', () => {
    fc.assert(
      fc.property(pingArb, (m) => {
        const wire = value(serializePing(m));
        expect(wire.length).toBe(PING_MESSAGE_BYTES);
        const back = value(parsePing(wire));
        expect(plain(back)).toEqual(plain(m));
        expect(toHex(value(serializePing(back)))).toBe(toHex(wire));
      }),
      params(300),
    );
  });

  test('debug: u32 ts and u16 nonce survive; parse → serialize is the identity', () => {
    fc.assert(
      fc.property(debugArb, (m) => {
        const wire = value(serializeDebug(m));
        expect(wire.length).toBe(DEBUG_HEADER_BYTES + m.data.length);
        const back = value(parseDebug(wire));
        expect(plain(back)).toEqual(plain(m));
        expect(toHex(value(serializeDebug(back)))).toBe(toHex(wire));
      }),
      params(300),
    );
  });

  test('any well-formed message bytes (valid op, valid length) parse and re-serialize to themselves', () => {
    const cases = fc.oneof(
      fc.tuple(fc.constant('beacon' as const), fc.constantFrom(...Object.values(BeaconOp)), fc.integer({ min: 0, max: BEACON_MAX_APPS }).chain((n) => bytes(32 + 16 * n))),
      fc.tuple(fc.constant('gossip' as const), fc.constantFrom(...Object.values(GossipOp)), bytes(16, 300)),
      fc.tuple(fc.constant('tree' as const), fc.constantFrom(...Object.values(TreeOp)), bytes(TREE_MESSAGE_BYTES - 1)),
      fc.tuple(fc.constant('ping' as const), fc.integer({ min: 0, max: 3 }), bytes(PING_MESSAGE_BYTES - 1)),
      fc.tuple(fc.constant('debug' as const), fc.constantFrom(...Object.values(DebugOp)), bytes(DEBUG_HEADER_BYTES - 1, 300)),
    );
    fc.assert(
      fc.property(cases, ([kind, op, rest]) => {
        const wire = new Uint8Array(1 + rest.length);
        wire[0] = op;
        wire.set(rest, 1);
        let again: Uint8Array;
        if (kind === 'beacon') again = value(serializeBeacon(value(parseBeacon(wire))));
        else if (kind === 'gossip') again = value(serializeGossip(value(parseGossip(wire))));
        else if (kind === 'tree') again = value(serializeTree(value(parseTree(wire))));
        else if (kind === 'ping') again = value(serializePing(value(parsePing(wire))));
        else again = value(serializeDebug(value(parseDebug(wire))));
        expect(toHex(again)).toBe(toHex(wire));
      }),
      params(500),
    );
  });
});

describe('Package', () => {
  test('build → parse gives back app id and blob; verify accepts it; a flipped bit is caught unless it is in the app id', () => {
    const arb = fc.tuple(bytes(16), bytes(0, 2000), fc.nat(), fc.integer({ min: 0, max: 7 }));
    fc.assert(
      fc.property(arb, ([appId, blob, at, bit]) => {
        const wire = value(buildPackage(nodeHashes, appId, blob));
        expect(wire.length).toBe(PACKAGE_HEADER_BYTES + blob.length);
        const p = value(parsePackage(wire));
        expect(toHex(p.appId)).toBe(toHex(appId));
        expect(toHex(p.blob)).toBe(toHex(blob));
        expect(toHex(p.halfHash)).toBe(toHex(nodeHashes.sha256(blob).subarray(0, 16)));
        expect(verifyPackage(nodeHashes, p)).toBe(true);

        const tampered = wire.slice();
        const i = at % tampered.length;
        tampered[i] ^= 1 << bit;
        // the app id is not covered by the half hash; everything after it is
        expect(verifyPackage(nodeHashes, value(parsePackage(tampered)))).toBe(i < 16);
      }),
      params(300),
    );
  });

  test('buildPackage refuses an app id that is not 16 bytes', () => {
    fc.assert(
      fc.property(bytes(0, 40).filter((a) => a.length !== 16), bytes(0, 10), (appId, blob) => {
        const r = buildPackage(nodeHashes, appId, blob);
        expect(r.ok ? 'ok' : r.error.code).toBe('field_length');
      }),
      params(100),
    );
  });
});

describe('Address', () => {
  const nibbles = (c: number) => (c < 8 ? 1 : 2);
  const trimZeros = (cs: readonly number[]) => {
    let end = cs.length;
    while (end > 0 && cs[end - 1] === 0) end--;
    return cs.slice(0, end);
  };
  const coordinate = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 8, max: MAX_COORDINATE }));
  /** Coordinate lists needing at most 32 nibbles (the longest prefix that fits). */
  const validCoords = fc.array(coordinate, { maxLength: 32, size: 'max' }).map((cs) => {
    let n = 0;
    let k = 0;
    while (k < cs.length && n + nibbles(cs[k]) <= 32) n += nibbles(cs[k++]);
    return cs.slice(0, k);
  });
  /** 16 address bytes with many zero bytes, so the `::` compression gets exercised. */
  const addressBytes = fc.uint8Array({ minLength: 16, maxLength: 16 }).chain((b) =>
    fc.uint8Array({ minLength: 16, maxLength: 16 }).map((mask) => b.map((x, i) => (mask[i] < 128 ? 0 : x))),
  );

  test('encodeCoords → decodeAddress gives back the coordinates (trailing zeros trimmed)', () => {
    fc.assert(
      fc.property(validCoords, (coords) => {
        const encoded = value(encodeCoords(coords));
        expect(encoded.length).toBe(16);
        expect(value(decodeAddress(encoded))).toEqual(trimZeros(coords));
      }),
      params(1000),
    );
  });

  test('encodeCoords never silently mangles: on any list it either refuses or round-trips exactly', () => {
    // around the 32-nibble boundary, with trailing zeros (droppable) and long zero prefixes
    // (31 zeros then 8 fits: the last nibble stands alone), plus lists with one bad coordinate
    const longList = fc
      .tuple(fc.array(coordinate, { maxLength: 36, size: 'max' }), fc.integer({ min: 0, max: 6 }))
      .map(([cs, zeros]) => [...cs, ...Array<number>(zeros).fill(0)]);
    const zeroPrefixed = fc
      .tuple(fc.integer({ min: 25, max: 33 }), fc.array(coordinate, { maxLength: 4 }))
      .map(([zeros, cs]) => [...Array<number>(zeros).fill(0), ...cs]);
    const withBad = fc
      .tuple(longList, fc.nat(), fc.constantFrom(-1, 136, 255, 1000, 0.5, NaN))
      .map(([cs, at, bad]) => {
        const c = cs.slice();
        c.splice(at % (c.length + 1), 0, bad);
        return c;
      });
    fc.assert(
      fc.property(fc.oneof(longList, zeroPrefixed, withBad), (coords) => {
        const r = encodeCoords(coords);
        const inRange = coords.every((c) => Number.isInteger(c) && c >= 0 && c <= MAX_COORDINATE);
        const fits = trimZeros(coords).reduce((n, c) => n + nibbles(c), 0) <= 32;
        if (inRange && fits) expect(r.ok).toBe(true);
        if (!inRange) expect(r.ok).toBe(false);
        if (r.ok) expect(value(decodeAddress(r.value))).toEqual(trimZeros(coords));
        else expect(['coordinate_range', 'address_overflow']).toContain(r.error.code);
      }),
      {
        ...params(1500),
        examples: [
          [[...Array<number>(31).fill(0), 8]], // 33 nibbles, the dropped one is 0: lossless
          [[...Array<number>(31).fill(0), 9]], // 33 nibbles, the dropped one is 1: refused
          [[...Array<number>(32).fill(1), ...Array<number>(10).fill(0)]], // trailing zeros past 32 nibbles
          [[...Array<number>(16).fill(135)]], // exactly 32 nibbles of octets
          [[...Array<number>(15).fill(135), 1, 8]], // 33 nibbles ending in an octet: refused
        ],
      },
    );
  });

  test('decodeAddress → encodeCoords gives back the 16 bytes, except when a lone last nibble 9–15 ends the address', () => {
    // Upstream's rule reads a high nibble in the last position alone, so bytes ending in a lone
    // 9..15 decode to a coordinate that encodeCoords can only write as a 2-nibble octet.
    const loneHighLastNibble = (b: Uint8Array) => {
      let i = 0;
      while (i < 31) i += (i & 1 ? b[i >> 1] & 15 : b[i >> 1] >> 4) < 8 ? 1 : 2;
      return i === 31 && (b[15] & 15) >= 9;
    };
    fc.assert(
      fc.property(addressBytes, (raw) => {
        const r = encodeCoords(value(decodeAddress(raw)));
        if (loneHighLastNibble(raw)) expect(r.ok ? 'ok' : r.error.code).toBe('address_overflow');
        else expect(toHex(value(r))).toBe(toHex(raw));
      }),
      params(3000),
    );
  });

  test('Address.toString → Address.parse gives an equal address (from coordinates)', () => {
    fc.assert(
      fc.property(u8, validCoords, (ts, coords) => {
        const a = value(Address.fromCoords(ts, coords));
        expect(a.coords).toEqual(coords);
        const b = value(Address.parse(a.toString()));
        expect(b.equals(a)).toBe(true);
        expect(b.key).toBe(a.key);
        expect(b.treeState).toBe(ts);
        expect(b.coords).toEqual(trimZeros(coords));
      }),
      params(1000),
    );
  });

  test('Address.toString → Address.parse gives an equal address (any 16 bytes, also upper-case and wrapped in Address(…))', () => {
    fc.assert(
      fc.property(u8, addressBytes, (ts, raw) => {
        const a = value(Address.fromBytes(ts, raw));
        const text = a.toString();
        for (const form of [text, text.toUpperCase(), `Address(${text})`]) {
          const b = value(Address.parse(form));
          expect(toHex(b.bytes)).toBe(toHex(raw));
          expect(b.treeState).toBe(ts);
        }
      }),
      params(1500),
    );
  });
});

describe('sequences', () => {
  const seqSchemas = SCHEMAS.filter((s) => s.supportsSequence);
  const addr = (fill: number) => new Uint8Array(16).fill(fill);

  /** The fields a schema needs besides the sequence ones (routing/relay addresses). */
  function extraFields(schema: Schema): FragmentFields {
    const names = new Set(schema.fields.map((f) => f.name));
    const f: FragmentFields = {};
    if (names.has('ttl')) f.ttl = 255;
    if (names.has('treeState')) f.treeState = 42;
    if (names.has('toAddr')) f.toAddr = addr(0x11);
    if (names.has('fromAddr')) f.fromAddr = addr(0x22);
    return f;
  }

  test('OutboundSequence → frames → Reassembly in any order, with duplicates, gives back the data', () => {
    const arb = fc.record({
      schema: fc.constantFrom(...seqSchemas),
      size: fc.integer({ min: 1, max: 20_000 }),
      snapToBody: fc.boolean(), // exact multiples of the body size: the full-last-fragment edge
      seqId: u8,
      seed: fc.integer(),
      dupRate: fc.constantFrom(0, 0.1, 0.5),
    });
    fc.assert(
      fc.property(arb, ({ schema, size, snapToBody, seqId, seed, dupRate }) => {
        const rng = new Prng(seed);
        let n = snapToBody ? Math.max(1, Math.round(size / schema.maxBody)) * schema.maxBody : size;
        n = Math.min(n, maxSequenceData(schema));
        const data = rng.fill(new Uint8Array(n));
        const seq = value(OutboundSequence.create(schema, seqId, data));
        expect(seq.count).toBe(Math.ceil(n / schema.maxBody));

        const frames: Uint8Array[] = [];
        for (let i = 0; i < seq.count; i++) {
          const p = seq.fragment(i, 0, extraFields(schema), true) as Packet;
          if (schema.hasChecksum) p.checksum = bodyChecksum(nodeHashes, p.body);
          const frame = value(serializePacket(p));
          expect(frame.length).toBeLessThanOrEqual(schema.frameLimit);
          frames.push(frame);
        }
        expect(seq.fragment(seq.count, 0, extraFields(schema), true)).toBeUndefined();

        const order = shuffled([...frames.keys()], rng);
        const withDups: number[] = [];
        for (const i of order) {
          withDups.push(i);
          if (rng.int(1000) < dupRate * 1000) withDups.splice(rng.int(withDups.length + 1), 0, rng.pick(order));
        }

        let r: Reassembly | undefined;
        const seen = new Set<number>();
        for (const i of withDups) {
          const p = value(parsePacket(frames[i]));
          expect(checksumValid(nodeHashes, p)).toBe(true);
          expect(p.seqId).toBe(seqId);
          expect(p.packetId).toBe(i);
          r ??= value(Reassembly.start(getSchema(p.schemaId) as Schema, p.seqId as number, p.seqSize as number, 1 << 20));
          if (seen.size < seq.count) expect(r.assemble()).toBeUndefined(); // nothing before the last piece
          const done = value(r.add(p.packetId, p.body));
          seen.add(i);
          expect(done).toBe(seen.size === seq.count);
          expect(r.received).toBe(seen.size);
        }
        const out = (r as Reassembly).assemble();
        expect(out).toBeDefined();
        expect(bytesEqual(out as Uint8Array, data)).toBe(true);
        expect((r as Reassembly).heldBytes).toBe(n); // duplicates are not stored twice
        expect((r as Reassembly).missing()).toEqual([]);
      }),
      params(120),
    );
  });
});
