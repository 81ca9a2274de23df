/**
 * Hostile input: 200,000 frames (random bytes and mutations of valid frames) through the whole
 * receive-side parse chain: parsePacket → parsePackage(body) → every app message parser (on the
 * body and on the Package blob). Nothing may throw; every refusal carries a known error code and
 * a message; every accepted frame is zero-copy (views into the frame) and re-serializes to its
 * own bytes. Inputs come from a seeded PRNG, so any failure reproduces; failures are collected
 * with the offending input in hex and reported together.
 */
import fc from 'fast-check';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';
import { SCHEMAS, getSchema, type Schema } from '../../modules/mycelium/wire/schemas.js';
import { bodyChecksum, checksumValid, parsePacket, serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { buildPackage, parsePackage, verifyPackage, type Package } from '../../modules/mycelium/wire/package.js';
import { Reassembly } from '../../modules/mycelium/wire/sequence.js';
import { frameAck } from '../../modules/mycelium/wire/outbound.js';
import { Encoded, encodedValue } from '../../modules/mycelium/wire/flags.js';
import { Address, decodeAddress } from '../../modules/mycelium/wire/address.js';
import { BeaconOp, parseBeacon, serializeBeacon, type BeaconMessage } from '../../modules/mycelium/wire/messages/beacon.js';
import { GossipOp, parseGossip, serializeGossip, type GossipMessage } from '../../modules/mycelium/wire/messages/gossip.js';
import { TreeOp, parseTree, serializeTree, type TreeMessage } from '../../modules/mycelium/wire/messages/tree.js';
import { parsePing, serializePing, type PingMessage } from '../../modules/mycelium/wire/messages/ping.js';
import { DebugOp, parseDebug, serializeDebug, type DebugMessage } from '../../modules/mycelium/wire/messages/debug.js';
import type { Result } from '../../modules/mycelium/wire/result.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { FIELD_NAMES, Prng, fieldOf, isKnownErrorCode } from './support.js';

const SEED = 0xc0ffee;
const TOTAL_FRAMES = 200_000;
const CHUNK = 10_000;
const MAX_RANDOM_LENGTH = 300;
const SLOT = MAX_RANDOM_LENGTH + 1;

// ---------------------------------------------------------------------------------------------
// An independent statement of the schema table (protocol.md §2.3), used as the oracle: field
// bytes after the 4-byte common header, for ids 0–13 (20–33 repeat them). Relay schemas 11–13
// size their body without the common header, as upstream does.
const FIELD_BYTES = [1, 5, 3, 7, 9, 35, 39, 37, 41, 39, 43, 34, 36, 38];
function expectedLayout(id: number): { headerLength: number; maxBody: number } | undefined {
  const base = id >= 20 ? id - 20 : id;
  if (!Number.isInteger(id) || base < 0 || base > 13 || (id > 13 && id < 20)) return undefined;
  const mtu = id >= 20 ? 240 : 250;
  const relay = base >= 11;
  return { headerLength: 4 + FIELD_BYTES[base], maxBody: mtu - FIELD_BYTES[base] - (relay ? 0 : 4) };
}

/** What parsePacket must answer for `f`: 'ok' or the error code its documentation implies. */
function expectedPacketOutcome(f: Uint8Array): string {
  if (f.length < 4) return 'truncated';
  if (f[0] > 0) return 'bad_version';
  const layout = expectedLayout(f[2]);
  if (!layout) return 'unknown_schema';
  if (f.length < layout.headerLength) return 'truncated';
  if (f.length - layout.headerLength > layout.maxBody) return 'body_too_large';
  return 'ok';
}

const BEACON_OPS: readonly number[] = Object.values(BeaconOp);
const GOSSIP_OPS: readonly number[] = Object.values(GossipOp);
const TREE_OPS: readonly number[] = Object.values(TreeOp);
const DEBUG_OPS: readonly number[] = Object.values(DebugOp);

type AnyMessage = BeaconMessage | GossipMessage | TreeMessage | PingMessage | DebugMessage;

interface MessageCodec {
  readonly name: string;
  parse(b: Uint8Array): Result<AnyMessage>;
  /** Must the parser accept `b`? (the message format: length and op) */
  accepts(b: Uint8Array): boolean;
  /** The bytes an accepted message re-serializes to (a beacon ignores a partial trailing app id). */
  reserialized(b: Uint8Array, m: AnyMessage): Result<Uint8Array>;
  expectedBytes(b: Uint8Array): Uint8Array;
  /** Byte-array fields of the parsed message (must be views into `b`). */
  views(m: AnyMessage): Uint8Array[];
}

const CODECS: readonly MessageCodec[] = [
  {
    name: 'beacon',
    parse: parseBeacon,
    accepts: (b) => b.length >= 33 && BEACON_OPS.includes(b[0]),
    reserialized: (_b, m) => serializeBeacon(m as BeaconMessage),
    expectedBytes: (b) => b.subarray(0, 33 + 16 * Math.floor((b.length - 33) / 16)),
    views: (m) => [(m as BeaconMessage).nodeId, ...(m as BeaconMessage).apps],
  },
  {
    name: 'gossip',
    parse: parseGossip,
    accepts: (b) => b.length >= 17 && GOSSIP_OPS.includes(b[0]),
    reserialized: (_b, m) => serializeGossip(m as GossipMessage),
    expectedBytes: (b) => b,
    views: (m) => [(m as GossipMessage).topic, (m as GossipMessage).data],
  },
  {
    name: 'tree',
    parse: parseTree,
    accepts: (b) => b.length === 90 && TREE_OPS.includes(b[0]),
    reserialized: (_b, m) => serializeTree(m as TreeMessage),
    expectedBytes: (b) => b,
    views: (m) => [(m as TreeMessage).claim, (m as TreeMessage).address, (m as TreeMessage).nodeId],
  },
  {
    name: 'ping',
    parse: parsePing,
    accepts: (b) => b.length === 76 && b[0] <= 3,
    reserialized: (_b, m) => serializePing(m as PingMessage),
    expectedBytes: (b) => b,
    views: (m) => [(m as PingMessage).address, (m as PingMessage).nodeId],
  },
  {
    name: 'debug',
    parse: parseDebug,
    accepts: (b) => b.length >= 39 && DEBUG_OPS.includes(b[0]),
    reserialized: (_b, m) => serializeDebug(m as DebugMessage),
    expectedBytes: (b) => b,
    views: (m) => [(m as DebugMessage).fromId, (m as DebugMessage).data],
  },
];

// ---------------------------------------------------------------------------------------------
// Valid seed frames to mutate: every schema, with bodies that are random bytes, raw app
// messages, or Packages wrapping app messages (so the message parsers see well-formed input).

function randomMessage(rng: Prng): Uint8Array {
  const kind = rng.int(5);
  const fill = (op: number, length: number) => {
    const m = rng.fill(new Uint8Array(length));
    m[0] = op;
    return m;
  };
  if (kind === 0) return fill(rng.pick(BEACON_OPS), 33 + 16 * rng.int(13) + (rng.int(4) === 0 ? rng.int(16) : 0));
  if (kind === 1) return fill(rng.pick(GOSSIP_OPS), 17 + rng.int(120));
  if (kind === 2) return fill(rng.pick(TREE_OPS), 90);
  if (kind === 3) return fill(rng.int(4), 76);
  return fill(rng.pick(DEBUG_OPS), 39 + rng.int(80));
}

function seedFrames(rng: Prng): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const schema of SCHEMAS) {
    for (let k = 0; k < 60; k++) {
      let body: Uint8Array;
      const style = k % 3;
      if (style === 0) body = rng.fill(new Uint8Array(rng.int(schema.maxBody + 1)));
      else if (style === 1) body = randomMessage(rng);
      else {
        const r = buildPackage(nodeHashes, rng.fill(new Uint8Array(16)), randomMessage(rng));
        if (!r.ok) throw new Error(r.error.message);
        body = r.value;
      }
      if (body.length > schema.maxBody) body = body.subarray(0, schema.maxBody);
      const p: Packet = { schemaId: schema.id, flags: rng.byte(), packetId: 0, body };
      for (const f of schema.fields) {
        (p as unknown as Record<string, unknown>)[f.name] = f.kind === 'int' ? rng.int(f.size === 1 ? 256 : 65536) : rng.fill(new Uint8Array(f.size));
      }
      if (schema.hasChecksum && rng.int(2) === 0) p.checksum = bodyChecksum(nodeHashes, body);
      const r = serializePacket(p);
      if (!r.ok) throw new Error(`seed frame for schema ${schema.id}: ${r.error.message}`);
      out.push(r.value);
    }
  }
  return out;
}

/** 1 MiB of seeded noise: random runs are copied from random offsets in it (fast, no allocation). */
const NOISE = new Prng(SEED ^ 0x4e015e).fill(new Uint8Array(1 << 20));

function randomRun(rng: Prng, into: Uint8Array, at: number, n: number): void {
  const from = rng.int(NOISE.length - n);
  into.set(NOISE.subarray(from, from + n), at);
}

/**
 * Write the next hostile frame into `pool` at `at` and return its length. 3/8 are random bytes
 * (2/3 of those with a plausible header), 5/8 mutations of a valid frame. No allocation.
 */
function writeFrame(rng: Prng, seeds: readonly Uint8Array[], pool: Uint8Array, at: number): number {
  const kind = rng.int(8);
  if (kind <= 2) {
    const n = rng.int(MAX_RANDOM_LENGTH + 1);
    randomRun(rng, pool, at, n);
    if (kind >= 1 && n >= 4) {
      // plausible header: version 0, usually reserved 0, a defined (or nearby) schema id
      pool[at] = 0;
      if (rng.int(4) !== 0) pool[at + 1] = 0;
      pool[at + 2] = rng.int(4) === 0 ? rng.int(40) : rng.pick(SCHEMAS).id;
    }
    return n;
  }
  const seed = rng.pick(seeds);
  let n = seed.length;
  pool.set(seed, at);
  const mutations = 1 + rng.int(3);
  for (let m = 0; m < mutations; m++) {
    const op = rng.int(8);
    if (op <= 1 && n > 0) {
      const flips = 1 + rng.int(4); // bit flips
      for (let k = 0; k < flips; k++) pool[at + rng.int(n)] ^= 1 << rng.int(8);
    } else if (op === 2) {
      n = rng.int(n + 1); // truncation
    } else if (op === 3) {
      const extra = Math.min(1 + rng.int(40), MAX_RANDOM_LENGTH - n); // extension
      randomRun(rng, pool, at + n, extra);
      n += extra;
    } else if (op === 4 && n > 2) {
      pool[at + 2] = rng.int(2) === 0 ? rng.byte() : rng.pick(SCHEMAS).id; // schema byte replaced
    } else if (op === 5 && n > 0) {
      pool[at] = rng.int(3) === 0 ? 0 : 1 + rng.int(255); // version byte changed
    } else if (op === 6 && n > 1) {
      pool[at + 1] = rng.byte(); // reserved byte changed
    } else if (op === 7 && n > 3) {
      pool[at + 3] = rng.byte(); // flags changed
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------

interface Parsed {
  packet: Result<Packet>;
  pkg?: Result<Package>;
  /** Message results on the body, then (if the body is a Package) on its blob. */
  onBody?: Result<AnyMessage>[];
  onBlob?: Result<AnyMessage>[];
}

/** The whole receive-side parse chain; throws are turned into a descriptive error. */
function parseChain(frame: Uint8Array): Parsed {
  let stage = 'parsePacket';
  try {
    const packet = parsePacket(frame);
    if (!packet.ok) return { packet };
    const body = packet.value.body;
    stage = 'parsePackage';
    const pkg = parsePackage(body);
    const onBody: Result<AnyMessage>[] = [];
    for (const c of CODECS) {
      stage = `${c.name} on body`;
      onBody.push(c.parse(body));
    }
    if (!pkg.ok) return { packet, pkg, onBody };
    const onBlob: Result<AnyMessage>[] = [];
    for (const c of CODECS) {
      stage = `${c.name} on Package blob`;
      onBlob.push(c.parse(pkg.value.blob));
    }
    return { packet, pkg, onBody, onBlob };
  } catch (e) {
    throw new Error(`${stage} threw ${String(e)} on frame ${toHex(frame)}`);
  }
}

const isView = (v: Uint8Array, of: Uint8Array) =>
  v.buffer === of.buffer && v.byteOffset >= of.byteOffset && v.byteOffset + v.length <= of.byteOffset + of.length;

describe('200,000 hostile frames', () => {
  test('no throw, typed refusals, zero-copy acceptance, exact re-serialization, no ArrayBuffer growth', () => {
    const rng = new Prng(SEED);
    const seeds = seedFrames(rng);
    // One pool, allocated up front: frames are views into it (offset by 3 so byteOffset ≠ 0),
    // so the parse pass itself allocates no ArrayBuffer unless a parser copies.
    const pool = new Uint8Array(3 + CHUNK * SLOT);
    const starts = new Int32Array(CHUNK);
    const lengths = new Int32Array(CHUNK);
    const parsed: Parsed[] = new Array<Parsed>(CHUNK);

    const failures: string[] = [];
    const problem = (what: string, input: Uint8Array) => {
      if (failures.length < 25) failures.push(`${what} — input ${toHex(input)}`);
    };
    const outcomes = new Map<string, number>();
    const count = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    const checkRefusal = (what: string, r: Result<unknown>, input: Uint8Array) => {
      if (r.ok) return;
      if (!isKnownErrorCode(r.error.code)) problem(`${what}: unknown error code ${String(r.error.code)}`, input);
      if (typeof r.error.message !== 'string' || r.error.message.length === 0) problem(`${what}: empty error message`, input);
    };

    let peakGrowth = 0;
    let parsedBytes = 0;
    let minChunkBytes = Infinity;
    for (let done = 0; done < TOTAL_FRAMES; done += CHUNK) {
      // 1. generate a chunk into the pool (no allocation)
      let at = 3;
      let chunkBytes = 0;
      for (let i = 0; i < CHUNK; i++) {
        starts[i] = at;
        lengths[i] = writeFrame(rng, seeds, pool, at);
        chunkBytes += lengths[i];
        at += SLOT;
      }
      minChunkBytes = Math.min(minChunkBytes, chunkBytes);
      parsedBytes += chunkBytes;

      // 2. parse pass, results kept alive: measure ArrayBuffer memory around it
      const base = process.memoryUsage().arrayBuffers;
      for (let i = 0; i < CHUNK; i++) {
        parsed[i] = parseChain(pool.subarray(starts[i], starts[i] + lengths[i]));
        if ((i & 511) === 511) peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - base);
      }
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().arrayBuffers - base);

      // 3. check pass (allocates freely: re-serialization, hashing)
      for (let i = 0; i < CHUNK; i++) {
        const frame = pool.subarray(starts[i], starts[i] + lengths[i]);
        const { packet, pkg, onBody, onBlob } = parsed[i];
        const expected = expectedPacketOutcome(frame);
        const got = packet.ok ? 'ok' : packet.error.code;
        count(`packet:${got}`);
        if (got !== expected) problem(`parsePacket answered ${got}, expected ${expected}`, frame);
        checkRefusal('parsePacket', packet, frame);
        if (!packet.ok) continue;

        const p = packet.value;
        const schema = getSchema(p.schemaId) as Schema;
        // zero copy: the body and byte fields are views at their wire offsets
        if (p.body.buffer !== frame.buffer || p.body.byteOffset !== frame.byteOffset + schema.headerLength || p.body.length !== frame.length - schema.headerLength) {
          problem('body is not a view of the frame after the header', frame);
        }
        let o = 4;
        for (const f of schema.fields) {
          const v = fieldOf(p, f.name);
          if (f.kind === 'int') {
            const want = f.size === 1 ? frame[o] : (frame[o] << 8) | frame[o + 1];
            if (v !== want) problem(`${f.name} is ${String(v)}, wire says ${want}`, frame);
          } else if (!(v instanceof Uint8Array) || v.buffer !== frame.buffer || v.byteOffset !== frame.byteOffset + o || v.length !== f.size) {
            problem(`${f.name} is not a ${f.size}-byte view at offset ${o}`, frame);
          }
          o += f.size;
        }
        for (const name of FIELD_NAMES) {
          if (!schema.fields.some((f) => f.name === name) && fieldOf(p, name) !== undefined) problem(`schema ${schema.id} packet has a ${name}`, frame);
        }
        if (p.flags !== frame[3] || p.reserved !== frame[1]) problem('flags/reserved differ from the wire', frame);
        if (p.checksum && checksumValid(nodeHashes, p) !== (bytesEqual(p.checksum, bodyChecksum(nodeHashes, p.body)))) {
          problem('checksumValid disagrees with the CRC-32 of the body', frame);
        }

        // re-serialization: exactly the input (the reserved byte is always sent as 0)
        const again = serializePacket(p);
        if (!again.ok) problem(`accepted frame does not re-serialize: ${again.error.code}`, frame);
        else {
          const want = frame.slice();
          want[1] = 0;
          if (!bytesEqual(again.value, want)) problem(`re-serialized as ${toHex(again.value)}`, frame);
          if (frame[1] === 0 && !bytesEqual(again.value, frame)) problem('reserved 0 frame re-serialized differently', frame);
        }

        // a receiver acks what it accepted: the ack of any accepted frame must be encodable
        const ack = frameAck(nodeHashes, p);
        if (!ack.ok) problem(`frameAck refused an accepted packet: ${ack.error.code}`, frame);
        else {
          const a = parsePacket(ack.value);
          if (!a.ok) problem(`the ack does not parse: ${a.error.code}`, frame);
          else {
            const q = a.value;
            const swapped = !p.toAddr || (bytesEqual(q.toAddr as Uint8Array, p.fromAddr as Uint8Array) && bytesEqual(q.fromAddr as Uint8Array, p.toAddr));
            if (q.schemaId !== p.schemaId || q.packetId !== p.packetId || q.seqId !== p.seqId || q.seqSize !== p.seqSize || q.treeState !== p.treeState || !swapped) {
              problem('the ack does not mirror the packet', frame);
            }
            if (encodedValue(q.flags) !== Encoded.ack || q.body.length !== 0 || !checksumValid(nodeHashes, q)) problem('the ack is not an empty, valid ack', frame);
          }
        }

        // Package of the body
        const body = p.body;
        if (!pkg || pkg.ok !== body.length >= 32) problem(`parsePackage on a ${body.length}-byte body answered ${pkg?.ok}`, frame);
        if (pkg) checkRefusal('parsePackage', pkg, frame);
        count(`package:${pkg?.ok ? 'ok' : 'refused'}`);
        if (pkg?.ok) {
          const k = pkg.value;
          if (!isView(k.appId, body) || !isView(k.halfHash, body) || !isView(k.blob, body) || k.appId.length !== 16 || k.halfHash.length !== 16 || k.blob.length !== body.length - 32) {
            problem('Package parts are not views of the body', frame);
          }
          const rebuilt = buildPackage(nodeHashes, k.appId, k.blob);
          const verified = verifyPackage(nodeHashes, k);
          if (rebuilt.ok && verified !== bytesEqual(rebuilt.value, body)) problem(`verifyPackage answered ${verified}`, frame);
          if (verified) count('package:verified');
        }

        // every app message parser, on the body and on the Package blob
        const runs: [Uint8Array, Result<AnyMessage>[] | undefined][] = [[body, onBody]];
        if (pkg?.ok) runs.push([pkg.value.blob, onBlob]);
        for (const [input, results] of runs) {
          CODECS.forEach((c, j) => {
            const r = results?.[j];
            if (!r) return problem(`${c.name} was not run`, frame);
            count(`${c.name}:${r.ok ? 'ok' : 'refused'}`);
            if (r.ok !== c.accepts(input)) problem(`${c.name} answered ok=${r.ok} on ${toHex(input)}`, frame);
            checkRefusal(c.name, r, frame);
            if (!r.ok) return;
            if (c.views(r.value).some((v) => !isView(v, input))) problem(`${c.name} fields are not views of its input`, frame);
            const s = c.reserialized(input, r.value);
            if (!s.ok) problem(`${c.name} does not re-serialize: ${s.error.code}`, frame);
            else if (!bytesEqual(s.value, c.expectedBytes(input))) problem(`${c.name} re-serialized as ${toHex(s.value)} from ${toHex(input)}`, frame);
          });
        }
      }
    }

    expect(failures).toEqual([]);

    // The run must exercise both sides of every parser, or it proves little.
    for (const k of ['packet:ok', 'packet:truncated', 'packet:bad_version', 'packet:unknown_schema', 'packet:body_too_large', 'package:ok', 'package:refused', 'package:verified']) {
      expect([k, (outcomes.get(k) ?? 0) > 100]).toEqual([k, true]);
    }
    for (const c of CODECS) {
      expect([c.name, (outcomes.get(`${c.name}:ok`) ?? 0) > 100]).toEqual([c.name, true]);
      expect([c.name, (outcomes.get(`${c.name}:refused`) ?? 0) > 100]).toEqual([c.name, true]);
    }

    // No ArrayBuffer memory grows while 10,000 parse results per chunk are held alive: the
    // parsers return views. Each chunk carries well over 1 MB of frame bytes, so a parser that
    // copied bodies (even once per frame) would exceed this bound many times over.
    expect(minChunkBytes).toBeGreaterThan(1_000_000);
    expect(peakGrowth).toBeLessThan(256 * 1024);
    expect(parsedBytes).toBeGreaterThan(20_000_000);
  });

  test('the schema table matches the protocol layout used as the oracle above', () => {
    for (let id = 0; id < 256; id++) {
      const s = getSchema(id);
      const want = expectedLayout(id);
      expect([id, s && { headerLength: s.headerLength, maxBody: s.maxBody }]).toEqual([id, want]);
    }
  });

  test('each message parser, fed random blobs directly, never throws and accepts exactly the well-formed ones', () => {
    const blobs = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 300, size: 'max' }),
        fc.integer({ min: 0, max: 140 }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      ),
      { numRuns: 20_000, seed: SEED },
    );
    const failures: string[] = [];
    for (const b of blobs) {
      for (const c of CODECS) {
        let r: Result<AnyMessage>;
        try {
          r = c.parse(b);
        } catch (e) {
          failures.push(`${c.name} threw ${String(e)} on ${toHex(b)}`);
          continue;
        }
        if (r.ok !== c.accepts(b)) failures.push(`${c.name} ok=${r.ok} on ${toHex(b)}`);
        if (!r.ok && (!isKnownErrorCode(r.error.code) || !r.error.message)) failures.push(`${c.name} bad error ${JSON.stringify(r.error)}`);
      }
      const k = parsePackage(b);
      if (k.ok !== b.length >= 32) failures.push(`parsePackage ok=${k.ok} on ${b.length} bytes`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});

describe('hostile addresses', () => {
  test('Address.parse never throws on arbitrary text; what it accepts prints and re-parses to the same address', () => {
    const piece = fc.oneof(
      fc.constantFrom('::', ':', '-', '(', ')', ' ', 'Address', '0', '00', 'ff', 'AB', '7', 'g', '255', '256', '1e3'),
      fc.stringMatching(/^[0-9a-fA-F]{1,8}$/),
      fc.string({ maxLength: 3 }),
    );
    const text = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((ps) => ps.join('')),
      fc.tuple(fc.integer({ min: 0, max: 300 }), fc.array(piece, { maxLength: 10 })).map(([ts, ps]) => `${ts}-${ps.join('')}`),
    );
    const failures: string[] = [];
    let accepted = 0;
    for (const t of fc.sample(text, { numRuns: 20_000, seed: SEED })) {
      let r: Result<Address>;
      try {
        r = Address.parse(t);
      } catch (e) {
        failures.push(`Address.parse threw ${String(e)} on ${JSON.stringify(t)}`);
        continue;
      }
      if (!r.ok) {
        if (!['bad_address', 'field_range'].includes(r.error.code) || !r.error.message) failures.push(`${JSON.stringify(t)}: ${JSON.stringify(r.error)}`);
        continue;
      }
      accepted++;
      const again = Address.parse(r.value.toString());
      if (!again.ok || !again.value.equals(r.value)) failures.push(`${JSON.stringify(t)} → ${r.value.toString()} does not re-parse to itself`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(accepted).toBeGreaterThan(500);
  });

  test('decodeAddress accepts exactly 16 bytes, whatever they hold, and refuses other lengths with bad_address', () => {
    const rng = new Prng(SEED ^ 0xad);
    for (let k = 0; k < 20_000; k++) {
      const b = rng.fill(new Uint8Array(rng.int(3) === 0 ? 16 : rng.int(40)));
      const r = decodeAddress(b);
      if (r.ok !== (b.length === 16)) throw new Error(`decodeAddress ok=${r.ok} on ${toHex(b)}`);
      if (!r.ok && r.error.code !== 'bad_address') throw new Error(`decodeAddress code ${r.error.code}`);
      if (r.ok && r.value.some((c) => !Number.isInteger(c) || c < 0 || c > 135)) throw new Error(`coordinate out of range from ${toHex(b)}`);
    }
  });
});

describe('Reassembly under hostile sequence headers', () => {
  const s4 = getSchema(4) as Schema;
  const LIMIT = 64 * 1024;

  test('a schema 4 header claiming 65,536 fragments is refused under a 64 KiB limit, allocating nothing', () => {
    expect(s4.maxSeq).toBe(65_536);
    const before = process.memoryUsage().arrayBuffers;
    const r = Reassembly.start(s4, 9, 65_535, LIMIT);
    const growth = process.memoryUsage().arrayBuffers - before;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad_sequence');
      expect(r.error.message.length).toBeGreaterThan(0);
    }
    // the claimed sequence would need ≈ 65,536 × 237 B = 15.5 MB
    expect(growth).toBeLessThan(64 * 1024);
  });

  test('the limit is applied to every claimed size: accepted exactly when the largest such sequence fits', () => {
    for (let seqSize = 0; seqSize < 65_536; seqSize++) {
      const r = Reassembly.start(s4, 1, seqSize, LIMIT);
      const fits = (seqSize + 1) * s4.maxBody <= LIMIT;
      if (r.ok !== fits) throw new Error(`seq_size ${seqSize}: ok=${r.ok}, expected ${fits}`);
      if (!r.ok && r.error.code !== 'bad_sequence') throw new Error(`seq_size ${seqSize}: code ${r.error.code}`);
    }
    for (const bad of [-1, 65_536, 1e9, 0.5, NaN]) {
      const r = Reassembly.start(s4, 1, bad, Number.MAX_SAFE_INTEGER);
      expect([bad, r.ok ? 'ok' : r.error.code]).toEqual([bad, 'bad_sequence']);
    }
  });

  test('with a big limit, a 65,536-fragment sequence holds only the bytes of the fragments received', () => {
    const before = process.memoryUsage().arrayBuffers;
    const r = Reassembly.start(s4, 9, 65_535, 2 ** 31);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const reassembly = r.value;
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024);

    const fragment = new Uint8Array(s4.maxBody).fill(0xab);
    const added = reassembly.add(1234, fragment);
    expect(added).toEqual({ ok: true, value: false });
    expect(reassembly.heldBytes).toBe(s4.maxBody);
    expect(reassembly.received).toBe(1);
    expect(reassembly.assemble()).toBeUndefined();
    expect(reassembly.missing(3)).toEqual([0, 1, 2]);
    fragment.fill(0); // the fragment was copied: the caller may reuse its buffer
    expect(reassembly.add(1234, new Uint8Array(s4.maxBody))).toEqual({ ok: true, value: false }); // duplicate: ignored
    expect(reassembly.heldBytes).toBe(s4.maxBody);
    const last = reassembly.add(65_535, new Uint8Array(5));
    expect(last).toEqual({ ok: true, value: false });
    expect(reassembly.heldBytes).toBe(s4.maxBody + 5);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024);
  });

  test('hostile fragment indices and lengths are refused with bad_sequence and never change what is held', () => {
    const rng = new Prng(SEED ^ 0x51);
    const schemas = SCHEMAS.filter((s) => s.supportsSequence);
    const failures: string[] = [];
    for (let round = 0; round < 300; round++) {
      const schema = rng.pick(schemas);
      const count = 1 + rng.int(Math.min(schema.maxSeq, 300));
      const r = Reassembly.start(schema, rng.byte(), count - 1, 2 ** 31);
      if (!r.ok) {
        failures.push(`start refused ${count} fragments on schema ${schema.id}`);
        continue;
      }
      const re = r.value;
      for (let k = 0; k < 60; k++) {
        const index = rng.int(4) === 0 ? [-1, count, count + 1, 0.5, NaN, 2 ** 40][rng.int(6)] : rng.int(count);
        const length = rng.int(3) === 0 ? schema.maxBody : rng.int(schema.maxBody + 20);
        const held = re.heldBytes;
        const had = Number.isInteger(index) && re.has(index);
        let res: Result<boolean>;
        try {
          res = re.add(index, new Uint8Array(length));
        } catch (e) {
          failures.push(`add(${index}, ${length} bytes) threw ${String(e)}`);
          continue;
        }
        const isLast = index === count - 1;
        const valid = Number.isInteger(index) && index >= 0 && index < count && (isLast ? length >= 1 && length <= schema.maxBody : length === schema.maxBody);
        if (res.ok !== valid) failures.push(`schema ${schema.id}, ${count} fragments: add(${index}, ${length} bytes) ok=${res.ok}`);
        if (!res.ok && res.error.code !== 'bad_sequence') failures.push(`add refused with ${res.error.code}`);
        const grew = re.heldBytes - held;
        if (grew !== (res.ok && !had ? length : 0)) failures.push(`add(${index}, ${length}) changed heldBytes by ${grew}`);
      }
      if (re.heldBytes > count * schema.maxBody) failures.push(`holds ${re.heldBytes} bytes for ${count} fragments`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
