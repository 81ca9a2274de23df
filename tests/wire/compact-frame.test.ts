/**
 * Compact frames (wire/compact-frame.ts): every frame we may compact comes back byte for byte,
 * the bytes a LoRa message pays for shrink, and malformed compact frames are refused without
 * throwing.
 */
import { compactFrame, expandFrame, COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { serializePacket, type Packet } from '../../modules/mycelium/wire/packet.js';
import { buildPackage } from '../../modules/mycelium/wire/package.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { portableHashes as hashes } from '../../modules/mycelium/platform/portable.js';
import { appId } from '../../modules/mycelium/wire/ids.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { seeded } from '../support/mesh.js';

const PING = unwrap(appId(hashes, 'Ping', 'Dev Ping App', 0));
const USER_APP = unwrap(appId(hashes, 'SimTraffic', 'a user app', 0));
const addr = (coords: number[]) => unwrap(Address.fromCoords(7, coords)).bytes;
const blob16 = Uint8Array.from({ length: 16 }, (_, i) => i * 7);

function routed(body: Uint8Array, flags = 0x08, schemaId = 25): Uint8Array {
  const p: Packet = { schemaId, flags, packetId: 42, ttl: 9, treeState: 7, toAddr: addr([1, 2]), fromAddr: addr([3]), body };
  return unwrap(serializePacket(p));
}

const roundTrip = (frame: Uint8Array) => {
  const c = compactFrame(hashes, frame);
  expect(c).toBeDefined();
  expect(toHex(expandFrame(hashes, c as Uint8Array) as Uint8Array)).toBe(toHex(frame));
  return c as Uint8Array;
};

describe('compactFrame / expandFrame', () => {
  test("a user app's 16-byte routed message: 87 bytes upstream, 43 compact, the same frame back", () => {
    const frame = routed(unwrap(buildPackage(hashes, USER_APP, blob16)));
    expect(frame.length).toBe(87);
    const c = roundTrip(frame);
    expect(c[0]).toBe(COMPACT_MARKER);
    expect(c.length).toBe(43);
  });

  test("a bundled app's message carries its app id as one byte", () => {
    const frame = routed(unwrap(buildPackage(hashes, PING, blob16)));
    expect(roundTrip(frame).length).toBe(28);
  });

  test('its end-to-end ack (empty body): 39 bytes upstream, 11 compact', () => {
    const ack = routed(new Uint8Array(0), 0x10);
    expect(ack.length).toBe(39);
    expect(roundTrip(ack).length).toBe(11);
  });

  test('a body whose half hash is not the blob\'s keeps its hash; a fragment keeps its body whole', () => {
    const pkg = unwrap(buildPackage(hashes, USER_APP, blob16));
    pkg[20] ^= 1; // a wrong half hash must arrive wrong, for the receiver to drop it
    roundTrip(routed(pkg));
    const fragment = unwrap(serializePacket({ schemaId: 27, flags: 0x08, packetId: 1, seqId: 3, seqSize: 2, ttl: 5, treeState: 7, toAddr: addr([1]), fromAddr: addr([]), body: pkg }));
    roundTrip(fragment);
    // Full-length addresses (no zero tail) and a one-hop schema with no addresses at all.
    const deep = Array.from({ length: 32 }, () => 3);
    roundTrip(unwrap(serializePacket({ schemaId: 25, flags: 0, packetId: 1, ttl: 5, treeState: 7, toAddr: addr(deep), fromAddr: addr([]), body: pkg })));
    roundTrip(unwrap(serializePacket({ schemaId: 20, flags: 0x08, packetId: 1, body: unwrap(buildPackage(hashes, PING, blob16)) })));
  });

  test('random frames of every schema come back exactly, or are left as they are', () => {
    const rnd = seeded(18);
    for (let n = 0; n < 2000; n++) {
      const schemaId = [20, 21, 22, 25, 26, 27, 29, 0, 5, 7][n % 10];
      const coords = Array.from({ length: Math.floor(rnd() * 6) }, () => 1 + Math.floor(rnd() * 20));
      const blob = Uint8Array.from({ length: Math.floor(rnd() * 60) }, () => Math.floor(rnd() * 256));
      const body = rnd() < 0.7 ? unwrap(buildPackage(hashes, rnd() < 0.5 ? PING : USER_APP, blob)) : blob;
      const flags = Math.floor(rnd() * 256);
      const p: Packet = { schemaId, flags, packetId: Math.floor(rnd() * 256), seqId: 1, seqSize: 4, ttl: 3, checksum: new Uint8Array(4), treeState: 9, toAddr: addr(coords), fromAddr: addr(coords.slice(1)), body };
      const frame = serializePacket(p);
      if (!frame.ok) continue;
      const c = compactFrame(hashes, frame.value);
      if (c === undefined) continue;
      expect(c.length).toBeLessThan(frame.value.length);
      expect(toHex(expandFrame(hashes, c) as Uint8Array)).toBe(toHex(frame.value));
    }
  });

  test('frames that are not version 0 with a zero reserved byte are not compacted', () => {
    const frame = routed(unwrap(buildPackage(hashes, USER_APP, blob16)));
    frame[1] = 1;
    expect(compactFrame(hashes, frame)).toBeUndefined();
  });

  test("an app the receiver runs: its id as 4 bytes (43 → 31), rebuilt by the receiver's resolver", () => {
    const frame = routed(unwrap(buildPackage(hashes, USER_APP, blob16)));
    const c = compactFrame(hashes, frame, (id) => toHex(id) === toHex(USER_APP)) as Uint8Array;
    expect(c.length).toBe(31);
    const resolve = (prefix: Uint8Array) => (toHex(USER_APP).startsWith(toHex(prefix)) ? USER_APP : undefined);
    expect(toHex(expandFrame(hashes, c, resolve) as Uint8Array)).toBe(toHex(frame));
    // A bundled app keeps its one-byte index; a receiver that does not resolve the prefix, or a
    // resolver naming an app with another prefix, refuses the frame (drop_compact_invalid).
    expect(compactFrame(hashes, routed(unwrap(buildPackage(hashes, PING, blob16))), () => true)?.length).toBe(28);
    expect(expandFrame(hashes, c)).toBeUndefined();
    expect(expandFrame(hashes, c, () => undefined)).toBeUndefined();
    expect(expandFrame(hashes, c, () => PING)).toBeUndefined();
  });

  test('malformed compact frames are refused, never thrown', () => {
    const good = compactFrame(hashes, routed(unwrap(buildPackage(hashes, PING, blob16)))) as Uint8Array;
    const bad = [
      new Uint8Array(0),
      Uint8Array.of(COMPACT_MARKER),
      Uint8Array.of(COMPACT_MARKER, 99, 0, 0), // unknown schema
      Uint8Array.of(COMPACT_MARKER, 25, 0, 0x08), // unknown shape bit
      Uint8Array.of(COMPACT_MARKER, 25, 0, 0x06, 1, 2, 3, 0, 0, 1), // app index and prefix at once
      Uint8Array.of(COMPACT_MARKER, 25, 0, 0, 1, 2, 3, 17), // address longer than 16
      Uint8Array.of(COMPACT_MARKER, 25, 0, 0, 1, 2, 3, 5, 1), // address cut short
      Uint8Array.of(COMPACT_MARKER, 25, 0, 0x02, 1, 2, 3, 0, 0, 200), // no such bundled app
      Uint8Array.of(COMPACT_MARKER, 27, 0, 0x01, 1, 2, 3, 4, 5, 0, 0), // a fragment cannot omit a hash
      good.subarray(0, 9),
    ];
    for (const b of bad) expect(expandFrame(hashes, b)).toBeUndefined();
    const rnd = seeded(5);
    for (let n = 0; n < 3000; n++) {
      const b = Uint8Array.from({ length: Math.floor(rnd() * 60) }, () => Math.floor(rnd() * 256));
      b[0] = COMPACT_MARKER;
      if (b.length > 1) b[1] = [20, 25, 27, 29][n % 4];
      expect(() => expandFrame(hashes, b)).not.toThrow();
      expect(() => expandFrame(hashes, b, () => USER_APP)).not.toThrow();
    }
  });
});
