/**
 * The simulator hub protocol, version 1 (design/hub.md): one message per UDP datagram,
 * `type u8` then the body, integers big-endian. Pure encoding and decoding, ECMAScript only,
 * the one codec of the hub (Node, simulator/hub) and the desktop ESP-NOW variant (XS, modules/espnow).
 *
 * Neither function ever throws: hostile or malformed bytes come back as an error result whose
 * numeric `code` is the one the hub puts in its ERROR answer.
 */
import { ESPNOW_MAX_PAYLOAD, MAC_BYTES } from './limits.js';

/** Protocol version carried by HELLO and WELCOME. */
export const HUB_VERSION = 1;
/** Suggested UDP port of the hub on 127.0.0.1. */
export const DEFAULT_HUB_PORT = 47800;

/** Message type bytes. Node → hub below 0x80, hub → node from 0x80. */
export const HUB_MSG = Object.freeze({
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

/** Interface kinds of HELLO; the index is the kind byte. */
export const HUB_INTERFACE = Object.freeze({ ESPNOW: 0, RYLR998: 1 });
/**
 * Largest payload per interface kind (ESP-NOW v1 250 B, RYLR-998 240 B). The RYLR-998 figure is a
 * copy of wire/constants' RYLR998_MTU, which this module cannot import (see ESPNOW_MAX_PAYLOAD in
 * limits.ts); tests/native/shared-constants.test.ts keeps the copies equal.
 */
export const HUB_MTU: readonly number[] = Object.freeze([ESPNOW_MAX_PAYLOAD, 240]);
/** The codec's own payload bound: the largest MTU. The hub applies the per-interface one. */
export const HUB_MAX_PAYLOAD = Math.max(...HUB_MTU);
/** HELLO's name, in UTF-8 bytes. */
export const HUB_MAX_NAME = 32;

/** SENT status byte. */
export const HUB_SENT = Object.freeze({ DELIVERED: 0, NO_RECEIVER: 1, RADIO_OFF: 2, QUEUE_FULL: 3 });

/** ERROR code byte; decode failures use the first three and BAD_VALUE. */
export const HUB_ERROR = Object.freeze({
  UNKNOWN_TYPE: 1, // the type byte is not a message of this protocol version
  BAD_LENGTH: 2, // body shorter or longer than the message's layout
  BAD_VERSION: 3, // HELLO/WELCOME version other than HUB_VERSION
  DUPLICATE_MAC: 4, // (hub) another node already uses this MAC
  OVER_MTU: 5, // payload longer than the interface allows
  NOT_REGISTERED: 6, // (hub) SEND/RADIO/KEEPALIVE before HELLO
  BAD_VALUE: 7, // a field out of range: kind, radio state, status, non-finite position, bad UTF-8
});

/** ERROR code → the name the hub counts it under (simulator/HUB.md). */
export const HUB_ERROR_NAMES: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(HUB_ERROR).map(([name, code]) => [code, name.toLowerCase()])),
);

export type HubMessage =
  // node → hub
  | { type: 'hello'; mac: Uint8Array; kind: number; x: number; y: number; name: string }
  | { type: 'send'; dest: Uint8Array; payload: Uint8Array }
  /** `durationMs` 0 = until changed. */
  | { type: 'radio'; on: boolean; durationMs: number }
  | { type: 'keepalive' }
  | { type: 'bye' }
  // hub → node
  | { type: 'welcome'; mac: Uint8Array; clockMs: number; channel: number }
  | { type: 'recv'; source: Uint8Array; rssi: number; payload: Uint8Array }
  | { type: 'sent'; dest: Uint8Array; status: number }
  | { type: 'error'; code: number; message: string };

export interface HubError {
  readonly code: number;
  readonly message: string;
}
export type HubResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: HubError };

function good<T>(value: T): HubResult<T> {
  return { ok: true, value };
}
function bad<T>(code: number, message: string): HubResult<T> {
  return { ok: false, error: { code, message } };
}

/** True for ff:ff:ff:ff:ff:ff, the broadcast destination of SEND and SENT. */
export function isBroadcastMac(mac: Uint8Array): boolean {
  if (mac.length !== MAC_BYTES) return false;
  for (let i = 0; i < MAC_BYTES; i++) if (mac[i] !== 0xff) return false;
  return true;
}

/**
 * Encode one message. Fields out of range (MAC not 6 bytes, payload over 250, name over 32 UTF-8
 * bytes, unknown kind/status, non-finite position, integers out of their byte range) give an
 * error result with HUB_ERROR.BAD_VALUE / OVER_MTU.
 */
export function encodeHubMessage(m: HubMessage): HubResult<Uint8Array> {
  switch (m.type) {
    case 'hello': {
      if (!isMac(m.mac)) return bad(HUB_ERROR.BAD_VALUE, 'HELLO mac must be 6 bytes');
      if (m.kind !== HUB_INTERFACE.ESPNOW && m.kind !== HUB_INTERFACE.RYLR998) return bad(HUB_ERROR.BAD_VALUE, `HELLO unknown interface kind ${m.kind}`);
      if (!Number.isFinite(m.x) || !Number.isFinite(m.y)) return bad(HUB_ERROR.BAD_VALUE, 'HELLO position must be finite');
      const name = utf8Encode(m.name);
      if (name.length > HUB_MAX_NAME) return bad(HUB_ERROR.BAD_VALUE, `HELLO name of ${name.length} bytes exceeds ${HUB_MAX_NAME}`);
      const out = new Uint8Array(17 + name.length);
      const view = new DataView(out.buffer);
      out[0] = HUB_MSG.HELLO;
      out[1] = HUB_VERSION;
      out.set(m.mac, 2); // 2..7 mac
      out[8] = m.kind;
      view.setFloat32(9, m.x); // 9..12 x, big-endian
      view.setFloat32(13, m.y); // 13..16 y
      out.set(name, 17); // name, no length byte: the datagram ends it
      return good(out);
    }
    case 'send':
      if (!isMac(m.dest)) return bad(HUB_ERROR.BAD_VALUE, 'SEND destination must be 6 bytes');
      if (m.payload.length > HUB_MAX_PAYLOAD) return bad(HUB_ERROR.OVER_MTU, `SEND payload of ${m.payload.length} bytes exceeds ${HUB_MAX_PAYLOAD}`);
      return good(concat(HUB_MSG.SEND, m.dest, m.payload));
    case 'radio': {
      if (!isUint(m.durationMs, 0xffffffff)) return bad(HUB_ERROR.BAD_VALUE, 'RADIO duration must be an integer 0..2^32-1 ms');
      const out = new Uint8Array(6);
      out[0] = HUB_MSG.RADIO;
      out[1] = m.on ? 1 : 0;
      new DataView(out.buffer).setUint32(2, m.durationMs); // 2..5 duration ms
      return good(out);
    }
    case 'keepalive':
      return good(Uint8Array.of(HUB_MSG.KEEPALIVE));
    case 'bye':
      return good(Uint8Array.of(HUB_MSG.BYE));
    case 'welcome': {
      if (!isMac(m.mac)) return bad(HUB_ERROR.BAD_VALUE, 'WELCOME mac must be 6 bytes');
      if (!isUint(m.clockMs, Number.MAX_SAFE_INTEGER)) return bad(HUB_ERROR.BAD_VALUE, 'WELCOME clock must be a safe non-negative integer');
      if (!isUint(m.channel, 0xff)) return bad(HUB_ERROR.BAD_VALUE, 'WELCOME channel must be 0..255');
      const out = new Uint8Array(17);
      const view = new DataView(out.buffer);
      out[0] = HUB_MSG.WELCOME;
      out[1] = HUB_VERSION;
      out.set(m.mac, 2); // 2..7 mac echo
      view.setUint32(8, Math.floor(m.clockMs / 0x100000000)); // 8..15 clock ms u64: high word
      view.setUint32(12, m.clockMs % 0x100000000); // low word
      out[16] = m.channel;
      return good(out);
    }
    case 'recv':
      if (!isMac(m.source)) return bad(HUB_ERROR.BAD_VALUE, 'RECV source must be 6 bytes');
      if (!Number.isInteger(m.rssi) || m.rssi < -128 || m.rssi > 127) return bad(HUB_ERROR.BAD_VALUE, 'RECV rssi must be an integer -128..127');
      if (m.payload.length > HUB_MAX_PAYLOAD) return bad(HUB_ERROR.OVER_MTU, `RECV payload of ${m.payload.length} bytes exceeds ${HUB_MAX_PAYLOAD}`);
      return good(concat(HUB_MSG.RECV, m.source, Uint8Array.of(m.rssi & 0xff), m.payload));
    case 'sent':
      if (!isMac(m.dest)) return bad(HUB_ERROR.BAD_VALUE, 'SENT destination must be 6 bytes');
      if (!isSentStatus(m.status)) return bad(HUB_ERROR.BAD_VALUE, `SENT unknown status ${m.status}`);
      return good(concat(HUB_MSG.SENT, m.dest, Uint8Array.of(m.status)));
    case 'error':
      if (!isUint(m.code, 0xff)) return bad(HUB_ERROR.BAD_VALUE, 'ERROR code must be 0..255');
      return good(concat(HUB_MSG.ERROR, Uint8Array.of(m.code), utf8Encode(m.message)));
    default:
      return bad(HUB_ERROR.UNKNOWN_TYPE, `unknown message type ${String((m as { type?: unknown }).type)}`);
  }
}

/**
 * Decode one datagram. Byte fields are views into `bytes` (copy what you keep if the buffer is
 * reused). Never throws.
 */
export function decodeHubMessage(bytes: Uint8Array): HubResult<HubMessage> {
  if (bytes.length < 1) return bad(HUB_ERROR.BAD_LENGTH, 'empty datagram');
  const type = bytes[0];
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case HUB_MSG.HELLO: {
      if (n < 2) return bad(HUB_ERROR.BAD_LENGTH, 'HELLO without version');
      if (bytes[1] !== HUB_VERSION) return bad(HUB_ERROR.BAD_VERSION, `HELLO version ${bytes[1]}, expected ${HUB_VERSION}`);
      if (n < 17 || n > 17 + HUB_MAX_NAME) return bad(HUB_ERROR.BAD_LENGTH, `HELLO of ${n} bytes, expected 17..${17 + HUB_MAX_NAME}`);
      const kind = bytes[8];
      if (kind !== HUB_INTERFACE.ESPNOW && kind !== HUB_INTERFACE.RYLR998) return bad(HUB_ERROR.BAD_VALUE, `HELLO unknown interface kind ${kind}`);
      const x = view.getFloat32(9);
      const y = view.getFloat32(13);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return bad(HUB_ERROR.BAD_VALUE, 'HELLO position is not finite');
      const name = utf8Decode(bytes.subarray(17));
      if (name === undefined) return bad(HUB_ERROR.BAD_VALUE, 'HELLO name is not valid UTF-8');
      return good({ type: 'hello', mac: bytes.subarray(2, 8), kind, x, y, name });
    }
    case HUB_MSG.SEND:
      if (n < 7) return bad(HUB_ERROR.BAD_LENGTH, `SEND of ${n} bytes is shorter than its 7-byte header`);
      if (n - 7 > HUB_MAX_PAYLOAD) return bad(HUB_ERROR.OVER_MTU, `SEND payload of ${n - 7} bytes exceeds ${HUB_MAX_PAYLOAD}`);
      return good({ type: 'send', dest: bytes.subarray(1, 7), payload: bytes.subarray(7) });
    case HUB_MSG.RADIO:
      if (n !== 6) return bad(HUB_ERROR.BAD_LENGTH, `RADIO of ${n} bytes, expected 6`);
      if (bytes[1] > 1) return bad(HUB_ERROR.BAD_VALUE, `RADIO unknown state ${bytes[1]}`);
      return good({ type: 'radio', on: bytes[1] === 1, durationMs: view.getUint32(2) });
    case HUB_MSG.KEEPALIVE:
      if (n !== 1) return bad(HUB_ERROR.BAD_LENGTH, `KEEPALIVE of ${n} bytes, expected 1`);
      return good({ type: 'keepalive' });
    case HUB_MSG.BYE:
      if (n !== 1) return bad(HUB_ERROR.BAD_LENGTH, `BYE of ${n} bytes, expected 1`);
      return good({ type: 'bye' });
    case HUB_MSG.WELCOME: {
      if (n < 2) return bad(HUB_ERROR.BAD_LENGTH, 'WELCOME without version');
      if (bytes[1] !== HUB_VERSION) return bad(HUB_ERROR.BAD_VERSION, `WELCOME version ${bytes[1]}, expected ${HUB_VERSION}`);
      if (n !== 17) return bad(HUB_ERROR.BAD_LENGTH, `WELCOME of ${n} bytes, expected 17`);
      const high = view.getUint32(8);
      // Clocks beyond 2^53 ms (285 000 years) cannot be numbers; refuse rather than round.
      if (high > 0x1fffff) return bad(HUB_ERROR.BAD_VALUE, 'WELCOME clock beyond 2^53 ms');
      const clockMs = high * 0x100000000 + view.getUint32(12);
      return good({ type: 'welcome', mac: bytes.subarray(2, 8), clockMs, channel: bytes[16] });
    }
    case HUB_MSG.RECV:
      if (n < 8) return bad(HUB_ERROR.BAD_LENGTH, `RECV of ${n} bytes is shorter than its 8-byte header`);
      if (n - 8 > HUB_MAX_PAYLOAD) return bad(HUB_ERROR.OVER_MTU, `RECV payload of ${n - 8} bytes exceeds ${HUB_MAX_PAYLOAD}`);
      return good({ type: 'recv', source: bytes.subarray(1, 7), rssi: view.getInt8(7), payload: bytes.subarray(8) });
    case HUB_MSG.SENT:
      if (n !== 8) return bad(HUB_ERROR.BAD_LENGTH, `SENT of ${n} bytes, expected 8`);
      if (!isSentStatus(bytes[7])) return bad(HUB_ERROR.BAD_VALUE, `SENT unknown status ${bytes[7]}`);
      return good({ type: 'sent', dest: bytes.subarray(1, 7), status: bytes[7] });
    case HUB_MSG.ERROR: {
      if (n < 2) return bad(HUB_ERROR.BAD_LENGTH, 'ERROR without code');
      const message = utf8Decode(bytes.subarray(2));
      if (message === undefined) return bad(HUB_ERROR.BAD_VALUE, 'ERROR message is not valid UTF-8');
      return good({ type: 'error', code: bytes[1], message });
    }
    default:
      return bad(HUB_ERROR.UNKNOWN_TYPE, `unknown message type 0x${type.toString(16)}`);
  }
}

function isMac(mac: Uint8Array): boolean {
  return mac instanceof Uint8Array && mac.length === MAC_BYTES;
}

function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function isSentStatus(status: number): boolean {
  return Number.isInteger(status) && status >= HUB_SENT.DELIVERED && status <= HUB_SENT.QUEUE_FULL;
}

function concat(type: number, ...parts: Uint8Array[]): Uint8Array {
  let length = 1;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  out[0] = type;
  let o = 1;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** UTF-8 by hand: TextEncoder is not an ECMAScript built-in (XS has none by default). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0xd800 && c <= 0xdfff) out.push(0xef, 0xbf, 0xbd); // lone surrogate → U+FFFD
    else if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decoding; `undefined` for overlong forms, surrogates, truncated or stray bytes. */
export function utf8Decode(bytes: Uint8Array): string | undefined {
  let s = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      s += String.fromCharCode(b);
      i++;
      continue;
    }
    // Lead byte → payload bits, continuation bytes, smallest code point (rejects overlong forms).
    let c = b & 0x07;
    let extra = 3;
    let min = 0x10000;
    if (b >= 0xc2 && b <= 0xdf) {
      c = b & 0x1f;
      extra = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      c = b & 0x0f;
      extra = 2;
      min = 0x800;
    } else if (b < 0xf0 || b > 0xf4) {
      return undefined;
    }
    if (i + extra >= bytes.length) return undefined; // truncated sequence
    for (let k = 1; k <= extra; k++) {
      const cont = bytes[i + k];
      if ((cont & 0xc0) !== 0x80) return undefined;
      c = (c << 6) | (cont & 63);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return undefined;
    s += String.fromCodePoint(c);
    i += extra + 1;
  }
  return s;
}
