/**
 * Byte encoding of the simulator hub protocol (simulator/HUB.md, version 1). Pure functions,
 * no Node APIs: the hub uses the node→hub decoder and hub→node encoder, test clients and
 * external nodes the other two. Decoders never throw: malformed bytes give an error code.
 *
 * (modules/espnow/hub-codec.ts is the device side's codec, written in parallel; the two are to
 * be unified into one module.)
 */

export const HUB_VERSION = 1;
export const DEFAULT_HUB_PORT = 47800;

export const MSG = Object.freeze({
  HELLO: 0x01,
  SEND: 0x02,
  RADIO: 0x03,
  KEEPALIVE: 0x04,
  BYE: 0x05,
  WELCOME: 0x81,
  RECV: 0x82,
  SENT: 0x83,
  ERROR: 0x8f,
});

/** ERROR codes (HUB.md §Errors). */
export const ERR = Object.freeze({
  UNKNOWN_TYPE: 1,
  BAD_LENGTH: 2,
  BAD_VERSION: 3,
  DUPLICATE_MAC: 4,
  TOO_LARGE: 5,
  NOT_REGISTERED: 6,
  BAD_FIELD: 7,
});
export type ErrorCode = (typeof ERR)[keyof typeof ERR];
export const ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'unknown_type',
  2: 'bad_length',
  3: 'bad_version',
  4: 'duplicate_mac',
  5: 'too_large',
  6: 'not_registered',
  7: 'bad_field',
});

/** SENT status values. */
export const SENT = Object.freeze({ DELIVERED: 0, NO_ACK: 1, RADIO_OFF: 2, QUEUE_FULL: 3 });

/** Interface kinds in HELLO. */
export const KIND_CODES = Object.freeze({ espnow: 0, rylr998: 1 });
export type KindName = keyof typeof KIND_CODES;

export const MAX_NAME_BYTES = 32;
/** Largest payload any interface carries (ESP-NOW); the hub checks the node's own MTU. */
export const MAX_PAYLOAD = 250;
export const MAX_ERROR_TEXT = 200;

export type NodeMessage =
  | { type: 'hello'; version: number; mac: Uint8Array; kind: KindName; x: number; y: number; name: string }
  | { type: 'send'; dest: Uint8Array; payload: Uint8Array }
  | { type: 'radio'; on: boolean; durationMs: number }
  | { type: 'keepalive' }
  | { type: 'bye' };

export type HubMessage =
  | { type: 'welcome'; version: number; mac: Uint8Array; clockMs: number; channel: number }
  | { type: 'recv'; source: Uint8Array; rssi: number; payload: Uint8Array }
  | { type: 'sent'; dest: Uint8Array; status: number }
  | { type: 'error'; code: number; message: string };

export type Decoded<T> = { ok: true; msg: T } | { ok: false; code: ErrorCode; message: string };

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const looseUtf8 = new TextDecoder('utf-8');

function bad(code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message };
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// ---- node → hub ---------------------------------------------------------------------------

export function decodeNodeMessage(b: Uint8Array): Decoded<NodeMessage> {
  if (b.length === 0) return bad(ERR.BAD_LENGTH, 'empty datagram');
  const type = b[0];
  switch (type) {
    case MSG.HELLO: {
      if (b.length < 17) return bad(ERR.BAD_LENGTH, `HELLO needs at least 17 bytes, got ${b.length}`);
      const version = b[1];
      if (version !== HUB_VERSION) return bad(ERR.BAD_VERSION, `hub speaks version ${HUB_VERSION}, HELLO has ${version}`);
      const kindCode = b[8];
      const kind = kindCode === 0 ? 'espnow' : kindCode === 1 ? 'rylr998' : undefined;
      if (!kind) return bad(ERR.BAD_FIELD, `interface kind ${kindCode} is not 0 (ESP-NOW) or 1 (RYLR-998)`);
      const v = view(b);
      const x = v.getFloat32(9);
      const y = v.getFloat32(13);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return bad(ERR.BAD_FIELD, 'position x, y must be finite');
      const nameBytes = b.subarray(17);
      if (nameBytes.length > MAX_NAME_BYTES) return bad(ERR.BAD_LENGTH, `name is at most ${MAX_NAME_BYTES} bytes, got ${nameBytes.length}`);
      let name: string;
      try {
        name = strictUtf8.decode(nameBytes);
      } catch {
        return bad(ERR.BAD_FIELD, 'name is not valid UTF-8');
      }
      return { ok: true, msg: { type: 'hello', version, mac: b.slice(2, 8), kind, x, y, name } };
    }
    case MSG.SEND:
      if (b.length < 7) return bad(ERR.BAD_LENGTH, `SEND needs at least 7 bytes, got ${b.length}`);
      if (b.length - 7 > MAX_PAYLOAD) return bad(ERR.TOO_LARGE, `payload of ${b.length - 7} bytes exceeds ${MAX_PAYLOAD}`);
      return { ok: true, msg: { type: 'send', dest: b.slice(1, 7), payload: b.slice(7) } };
    case MSG.RADIO: {
      if (b.length !== 6) return bad(ERR.BAD_LENGTH, `RADIO is 6 bytes, got ${b.length}`);
      if (b[1] > 1) return bad(ERR.BAD_FIELD, `radio state must be 0 (off) or 1 (on), got ${b[1]}`);
      return { ok: true, msg: { type: 'radio', on: b[1] === 1, durationMs: view(b).getUint32(2) } };
    }
    case MSG.KEEPALIVE:
    case MSG.BYE:
      if (b.length !== 1) return bad(ERR.BAD_LENGTH, `${type === MSG.BYE ? 'BYE' : 'KEEPALIVE'} is 1 byte, got ${b.length}`);
      return { ok: true, msg: { type: type === MSG.BYE ? 'bye' : 'keepalive' } };
    default:
      return bad(ERR.UNKNOWN_TYPE, `unknown message type 0x${type.toString(16).padStart(2, '0')}`);
  }
}

export function encodeNodeMessage(m: NodeMessage): Uint8Array {
  switch (m.type) {
    case 'hello': {
      const name = utf8.encode(m.name);
      const b = new Uint8Array(17 + name.length);
      b[0] = MSG.HELLO;
      b[1] = m.version;
      b.set(m.mac.subarray(0, 6), 2);
      b[8] = KIND_CODES[m.kind];
      const v = view(b);
      v.setFloat32(9, m.x);
      v.setFloat32(13, m.y);
      b.set(name, 17);
      return b;
    }
    case 'send': {
      const b = new Uint8Array(7 + m.payload.length);
      b[0] = MSG.SEND;
      b.set(m.dest.subarray(0, 6), 1);
      b.set(m.payload, 7);
      return b;
    }
    case 'radio': {
      const b = new Uint8Array(6);
      b[0] = MSG.RADIO;
      b[1] = m.on ? 1 : 0;
      view(b).setUint32(2, m.durationMs >>> 0);
      return b;
    }
    case 'keepalive':
      return Uint8Array.of(MSG.KEEPALIVE);
    case 'bye':
      return Uint8Array.of(MSG.BYE);
  }
}

// ---- hub → node ---------------------------------------------------------------------------

export function encodeHubMessage(m: HubMessage): Uint8Array {
  switch (m.type) {
    case 'welcome': {
      const b = new Uint8Array(17);
      b[0] = MSG.WELCOME;
      b[1] = m.version;
      b.set(m.mac.subarray(0, 6), 2);
      const ms = Math.max(0, Math.floor(m.clockMs));
      const v = view(b);
      v.setUint32(8, Math.floor(ms / 4294967296));
      v.setUint32(12, ms >>> 0);
      b[16] = m.channel;
      return b;
    }
    case 'recv': {
      const b = new Uint8Array(8 + m.payload.length);
      b[0] = MSG.RECV;
      b.set(m.source.subarray(0, 6), 1);
      view(b).setInt8(7, Math.max(-128, Math.min(127, Math.round(m.rssi))));
      b.set(m.payload, 8);
      return b;
    }
    case 'sent': {
      const b = new Uint8Array(8);
      b[0] = MSG.SENT;
      b.set(m.dest.subarray(0, 6), 1);
      b[7] = m.status;
      return b;
    }
    case 'error': {
      let text = utf8.encode(m.message);
      if (text.length > MAX_ERROR_TEXT) text = utf8.encode(looseUtf8.decode(text.subarray(0, MAX_ERROR_TEXT)).replace(/\uFFFD$/, ''));
      const b = new Uint8Array(2 + text.length);
      b[0] = MSG.ERROR;
      b[1] = m.code;
      b.set(text, 2);
      return b;
    }
  }
}

export function decodeHubMessage(b: Uint8Array): Decoded<HubMessage> {
  if (b.length === 0) return bad(ERR.BAD_LENGTH, 'empty datagram');
  const v = view(b);
  switch (b[0]) {
    case MSG.WELCOME:
      if (b.length !== 17) return bad(ERR.BAD_LENGTH, `WELCOME is 17 bytes, got ${b.length}`);
      return { ok: true, msg: { type: 'welcome', version: b[1], mac: b.slice(2, 8), clockMs: v.getUint32(8) * 4294967296 + v.getUint32(12), channel: b[16] } };
    case MSG.RECV:
      if (b.length < 8) return bad(ERR.BAD_LENGTH, `RECV needs at least 8 bytes, got ${b.length}`);
      return { ok: true, msg: { type: 'recv', source: b.slice(1, 7), rssi: v.getInt8(7), payload: b.slice(8) } };
    case MSG.SENT:
      if (b.length !== 8) return bad(ERR.BAD_LENGTH, `SENT is 8 bytes, got ${b.length}`);
      return { ok: true, msg: { type: 'sent', dest: b.slice(1, 7), status: b[7] } };
    case MSG.ERROR:
      if (b.length < 2) return bad(ERR.BAD_LENGTH, `ERROR needs at least 2 bytes, got ${b.length}`);
      return { ok: true, msg: { type: 'error', code: b[1], message: looseUtf8.decode(b.subarray(2)) } };
    default:
      return bad(ERR.UNKNOWN_TYPE, `unknown message type 0x${b[0].toString(16).padStart(2, '0')}`);
  }
}
