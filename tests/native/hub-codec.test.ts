/** The simulator hub protocol codec (modules/espnow/hub-codec.ts): round trips, byte layout, hostile input. */
import fc from 'fast-check';
import {
  DEFAULT_HUB_PORT,
  HUB_ERROR,
  HUB_MSG,
  HUB_SENT,
  decodeHubMessage,
  encodeHubMessage,
  isBroadcastMac,
  utf8Decode,
  utf8Encode,
  type HubMessage,
} from '../../modules/espnow/hub-codec.js';

const MAC = Uint8Array.of(0x02, 0x11, 0x22, 0x33, 0x44, 0x55);
const BCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);

function encode(m: HubMessage): Uint8Array {
  const r = encodeHubMessage(m);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function roundTrip(m: HubMessage): HubMessage {
  const r = decodeHubMessage(encode(m));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Typed arrays compare by content once turned into plain arrays. */
const plain = (m: HubMessage): Record<string, unknown> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v instanceof Uint8Array ? Array.from(v) : v]));

describe('hub codec: byte layout of design/hub.md v1', () => {
  test('constants', () => {
    expect(DEFAULT_HUB_PORT).toBe(47800);
    expect(HUB_MSG).toMatchObject({ HELLO: 1, SEND: 2, RADIO: 3, KEEPALIVE: 4, BYE: 5, WELCOME: 0x81, RECV: 0x82, SENT: 0x83, ERROR: 0x8f });
    expect(Object.isFrozen(HUB_MSG)).toBe(true);
  });

  test('HELLO: type, version, mac, kind, x f32 BE, y f32 BE, utf-8 name', () => {
    const bytes = encode({ type: 'hello', mac: MAC, kind: 1, x: 1.5, y: -2, name: 'né' });
    expect(Array.from(bytes)).toEqual([
      0x01, 0x01, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x01,
      0x3f, 0xc0, 0x00, 0x00, // 1.5
      0xc0, 0x00, 0x00, 0x00, // -2
      0x6e, 0xc3, 0xa9, // "né"
    ]);
  });

  test('SEND, RADIO, KEEPALIVE, BYE', () => {
    expect(Array.from(encode({ type: 'send', dest: BCAST, payload: Uint8Array.of(9, 8) }))).toEqual([2, 255, 255, 255, 255, 255, 255, 9, 8]);
    expect(Array.from(encode({ type: 'radio', on: false, durationMs: 90 }))).toEqual([3, 0, 0, 0, 0, 90]);
    expect(Array.from(encode({ type: 'radio', on: true, durationMs: 0x01020304 }))).toEqual([3, 1, 1, 2, 3, 4]);
    expect(Array.from(encode({ type: 'keepalive' }))).toEqual([4]);
    expect(Array.from(encode({ type: 'bye' }))).toEqual([5]);
  });

  test('WELCOME clock is a u64 big-endian', () => {
    const bytes = encode({ type: 'welcome', mac: MAC, clockMs: 2 ** 40 + 7, channel: 14 });
    expect(Array.from(bytes.subarray(8, 16))).toEqual([0, 0, 1, 0, 0, 0, 0, 7]);
    expect(bytes[16]).toBe(14);
    expect(bytes.length).toBe(17);
  });

  test('RECV rssi is signed; SENT status; ERROR code and message', () => {
    expect(Array.from(encode({ type: 'recv', source: MAC, rssi: -60, payload: Uint8Array.of(1) }))).toEqual([0x82, 2, 0x11, 0x22, 0x33, 0x44, 0x55, 0xc4, 1]);
    expect(Array.from(encode({ type: 'sent', dest: MAC, status: HUB_SENT.RADIO_OFF }))).toEqual([0x83, 2, 0x11, 0x22, 0x33, 0x44, 0x55, 2]);
    expect(Array.from(encode({ type: 'error', code: HUB_ERROR.BAD_LENGTH, message: 'x' }))).toEqual([0x8f, 2, 0x78]);
  });
});

describe('hub codec: round trips', () => {
  const samples: HubMessage[] = [
    { type: 'hello', mac: MAC, kind: 0, x: 12.25, y: -3.5, name: 'node-1 ✓ 🍄' },
    { type: 'hello', mac: MAC, kind: 1, x: 0, y: 0, name: '' },
    { type: 'send', dest: MAC, payload: new Uint8Array(250).fill(7) },
    { type: 'send', dest: BCAST, payload: new Uint8Array(0) },
    { type: 'radio', on: false, durationMs: 0xffffffff },
    { type: 'keepalive' },
    { type: 'bye' },
    { type: 'welcome', mac: MAC, clockMs: Number.MAX_SAFE_INTEGER, channel: 1 },
    { type: 'recv', source: MAC, rssi: -128, payload: Uint8Array.of(0, 255) },
    { type: 'recv', source: MAC, rssi: 127, payload: new Uint8Array(250) },
    { type: 'sent', dest: BCAST, status: HUB_SENT.DELIVERED },
    { type: 'sent', dest: MAC, status: HUB_SENT.NO_RECEIVER },
    { type: 'error', code: 255, message: 'duplicate MAC 02:11:22:33:44:55' },
  ];
  test.each(samples.map((m) => [m.type, m] as const))('%s', (_type, m) => {
    expect(plain(roundTrip(m))).toEqual(plain(m));
  });

  test('property: SEND and RECV of any payload up to 250 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.uint8Array({ maxLength: 250 }), fc.integer({ min: -128, max: 127 }), (mac, payload, rssi) => {
        expect(plain(roundTrip({ type: 'send', dest: mac, payload }))).toEqual(plain({ type: 'send', dest: mac, payload }));
        expect(plain(roundTrip({ type: 'recv', source: mac, rssi, payload }))).toEqual(plain({ type: 'recv', source: mac, rssi, payload }));
      }),
    );
  });

  test('property: HELLO of any name up to 32 UTF-8 bytes and any f32 position', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.float({ noNaN: true, noDefaultInfinity: true }), (name, x) => {
        fc.pre(utf8Encode(name).length <= 32);
        const back = roundTrip({ type: 'hello', mac: MAC, kind: 0, x, y: -x, name });
        expect(back).toMatchObject({ type: 'hello', kind: 0, x, y: -x, name });
      }),
    );
  });

  test('decoded byte fields are views, not copies', () => {
    const bytes = encode({ type: 'recv', source: MAC, rssi: 0, payload: Uint8Array.of(1, 2, 3) });
    const r = decodeHubMessage(bytes);
    expect(r.ok && r.value.type === 'recv' && r.value.payload.buffer === bytes.buffer).toBe(true);
  });
});

describe('hub codec: malformed input gives an error result and never throws', () => {
  const cases: Array<[string, number[], number]> = [
    ['empty datagram', [], HUB_ERROR.BAD_LENGTH],
    ['unknown type', [0x42], HUB_ERROR.UNKNOWN_TYPE],
    ['HELLO version 2', [1, 2, ...MAC, 0, 0, 0, 0, 0, 0, 0, 0, 0], HUB_ERROR.BAD_VERSION],
    ['HELLO truncated', [1, 1, ...MAC, 0, 0, 0], HUB_ERROR.BAD_LENGTH],
    ['HELLO name over 32 bytes', [1, 1, ...MAC, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...new Array(33).fill(0x61)], HUB_ERROR.BAD_LENGTH],
    ['HELLO unknown kind', [1, 1, ...MAC, 7, 0, 0, 0, 0, 0, 0, 0, 0], HUB_ERROR.BAD_VALUE],
    ['HELLO NaN position', [1, 1, ...MAC, 0, 0x7f, 0xc0, 0, 0, 0, 0, 0, 0], HUB_ERROR.BAD_VALUE],
    ['HELLO invalid UTF-8 name', [1, 1, ...MAC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc3], HUB_ERROR.BAD_VALUE],
    ['SEND without full MAC', [2, 1, 2, 3], HUB_ERROR.BAD_LENGTH],
    ['SEND over 250 bytes', [2, ...BCAST, ...new Array(251).fill(0)], HUB_ERROR.OVER_MTU],
    ['RADIO short', [3, 0, 0, 0, 0], HUB_ERROR.BAD_LENGTH],
    ['RADIO state 2', [3, 2, 0, 0, 0, 0], HUB_ERROR.BAD_VALUE],
    ['KEEPALIVE with a body', [4, 0], HUB_ERROR.BAD_LENGTH],
    ['BYE with a body', [5, 0], HUB_ERROR.BAD_LENGTH],
    ['WELCOME wrong version', [0x81, 0, ...MAC, 0, 0, 0, 0, 0, 0, 0, 0, 1], HUB_ERROR.BAD_VERSION],
    ['WELCOME long', [0x81, 1, ...MAC, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0], HUB_ERROR.BAD_LENGTH],
    ['WELCOME clock beyond 2^53', [0x81, 1, ...MAC, 0, 0x20, 0, 0, 0, 0, 0, 0, 1], HUB_ERROR.BAD_VALUE],
    ['RECV without rssi', [0x82, ...MAC], HUB_ERROR.BAD_LENGTH],
    ['SENT unknown status', [0x83, ...MAC, 4], HUB_ERROR.BAD_VALUE],
    ['SENT long', [0x83, ...MAC, 0, 0], HUB_ERROR.BAD_LENGTH],
    ['ERROR without code', [0x8f], HUB_ERROR.BAD_LENGTH],
    ['ERROR overlong UTF-8', [0x8f, 1, 0xc0, 0x80], HUB_ERROR.BAD_VALUE],
  ];
  test.each(cases)('%s', (_name, bytes, code) => {
    const r = decodeHubMessage(Uint8Array.from(bytes));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(0);
    }
  });

  test('property: any bytes decode to a result without throwing; successes re-encode to the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.tuple(fc.constantFrom(1, 2, 3, 4, 5, 0x81, 0x82, 0x83, 0x8f), fc.uint8Array({ maxLength: 60 })).map(([t, rest]) => Uint8Array.of(t, ...rest))), (bytes) => {
        const r = decodeHubMessage(bytes);
        if (r.ok) expect(Array.from(encode(r.value))).toEqual(Array.from(bytes));
        else expect(typeof r.error.code).toBe('number');
      }),
      { numRuns: 2000 },
    );
  });

  test('a decoded view into a larger buffer reads only its own bytes', () => {
    const big = Uint8Array.of(99, 99, 4, 99);
    expect(decodeHubMessage(big.subarray(2, 3))).toEqual({ ok: true, value: { type: 'keepalive' } });
  });
});

describe('hub codec: encoding refuses bad fields with an error result', () => {
  const bad: Array<[string, HubMessage, number]> = [
    ['short MAC', { type: 'send', dest: Uint8Array.of(1, 2), payload: Uint8Array.of(1) }, HUB_ERROR.BAD_VALUE],
    ['payload over 250', { type: 'send', dest: MAC, payload: new Uint8Array(251) }, HUB_ERROR.OVER_MTU],
    ['name over 32 UTF-8 bytes', { type: 'hello', mac: MAC, kind: 0, x: 0, y: 0, name: 'é'.repeat(17) }, HUB_ERROR.BAD_VALUE],
    ['infinite position', { type: 'hello', mac: MAC, kind: 0, x: Infinity, y: 0, name: '' }, HUB_ERROR.BAD_VALUE],
    ['unknown kind', { type: 'hello', mac: MAC, kind: 2, x: 0, y: 0, name: '' }, HUB_ERROR.BAD_VALUE],
    ['negative duration', { type: 'radio', on: false, durationMs: -1 }, HUB_ERROR.BAD_VALUE],
    ['fractional duration', { type: 'radio', on: false, durationMs: 1.5 }, HUB_ERROR.BAD_VALUE],
    ['rssi out of i8', { type: 'recv', source: MAC, rssi: -129, payload: Uint8Array.of(1) }, HUB_ERROR.BAD_VALUE],
    ['unknown SENT status', { type: 'sent', dest: MAC, status: 9 }, HUB_ERROR.BAD_VALUE],
    ['channel over 255', { type: 'welcome', mac: MAC, clockMs: 0, channel: 256 }, HUB_ERROR.BAD_VALUE],
    ['unsafe clock', { type: 'welcome', mac: MAC, clockMs: 2 ** 53, channel: 1 }, HUB_ERROR.BAD_VALUE],
    ['unknown type', { type: 'nope' } as unknown as HubMessage, HUB_ERROR.UNKNOWN_TYPE],
  ];
  test.each(bad)('%s', (_name, m, code) => {
    const r = encodeHubMessage(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
});

describe('helpers', () => {
  test('isBroadcastMac', () => {
    expect(isBroadcastMac(BCAST)).toBe(true);
    expect(isBroadcastMac(MAC)).toBe(false);
    expect(isBroadcastMac(new Uint8Array(7).fill(255))).toBe(false);
  });

  test('UTF-8 matches the platform encoder and rejects malformed sequences', () => {
    const text = 'a é € 🍄 \u{10ffff}';
    expect(Array.from(utf8Encode(text))).toEqual(Array.from(new TextEncoder().encode(text)));
    expect(utf8Decode(new TextEncoder().encode(text))).toBe(text);
    expect(Array.from(utf8Encode('\ud800'))).toEqual([0xef, 0xbf, 0xbd]);
    for (const badBytes of [[0x80], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe0, 0x80, 0x80]]) {
      expect(utf8Decode(Uint8Array.from(badBytes))).toBeUndefined();
    }
  });
});
