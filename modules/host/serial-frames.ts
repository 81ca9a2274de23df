/**
 * The serial bridge's framing (docs/operator.md "Serial bridge"): frames between a board and a
 * host program over the board's USB serial, beside the console's text lines. SLIP (RFC 1055):
 * a frame is END, its bytes with END and ESC escaped, END. END is 0xC0, a byte that never occurs
 * in UTF-8 text, so whatever lies outside frames is the console's text, untouched. Each frame's
 * first byte says what it is:
 *
 *   SEND     host → board  mac(6) frame   put `frame` on the air (mac ff:ff:ff:ff:ff:ff broadcasts)
 *   RECEIVE  board → host  mac(6) frame   a frame the board's radio received from `mac`
 *   HELLO    host → board  (empty)        take the radio over; answered by INFO
 *   INFO     board → host  version(1) bitrate(u32 BE) mtu(u16 BE) count(1) schema ids(count) name(UTF-8)
 *   RELEASE  host → board  (empty)        give the radio back to the board's own node
 */

import { utf8Decode, utf8Encode } from '../mycelium/wire/bytes.js';

export const SLIP_END = 0xc0;
const SLIP_ESC = 0xdb;
const SLIP_ESC_END = 0xdc;
const SLIP_ESC_ESC = 0xdd;

export const BRIDGE_SEND = 0x01;
export const BRIDGE_RECEIVE = 0x02;
export const BRIDGE_HELLO = 0x03;
export const BRIDGE_INFO = 0x04;
export const BRIDGE_RELEASE = 0x05;
export const BRIDGE_VERSION = 1;

/** Longest frame body accepted (type + MAC + a 250-byte radio frame, with room to spare). */
export const MAX_BRIDGE_FRAME = 512;

export function slipEncode(type: number, body: Uint8Array): Uint8Array {
  const out: number[] = [SLIP_END];
  const put = (b: number) => {
    if (b === SLIP_END) out.push(SLIP_ESC, SLIP_ESC_END);
    else if (b === SLIP_ESC) out.push(SLIP_ESC, SLIP_ESC_ESC);
    else out.push(b);
  };
  put(type);
  for (let i = 0; i < body.length; i++) put(body[i]);
  out.push(SLIP_END);
  return Uint8Array.from(out);
}

export interface BridgeInfo {
  readonly name: string;
  readonly bitrate: number;
  readonly mtu: number;
  readonly schemaIds: readonly number[];
}

export function encodeInfo(info: BridgeInfo): Uint8Array {
  const name = utf8Encode(info.name);
  const ids = info.schemaIds.slice(0, 255);
  const out = new Uint8Array(9 + ids.length + name.length);
  const v = new DataView(out.buffer);
  out[0] = BRIDGE_VERSION;
  v.setUint32(1, info.bitrate >>> 0);
  v.setUint16(5, info.mtu & 0xffff);
  out[7] = ids.length;
  out.set(ids, 8);
  out.set(name, 8 + ids.length);
  return out.subarray(0, 8 + ids.length + name.length);
}

export function decodeInfo(body: Uint8Array): BridgeInfo | undefined {
  if (body.length < 8 || body[0] !== BRIDGE_VERSION) return undefined;
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const count = body[7];
  if (body.length < 8 + count) return undefined;
  const schemaIds = Array.from(body.subarray(8, 8 + count));
  const name = utf8Decode(body.subarray(8 + count));
  return { name, bitrate: v.getUint32(1), mtu: v.getUint16(5), schemaIds };
}

/**
 * Splits a byte stream into frames and text. Bytes outside frames go to `onText` as they come;
 * a frame over MAX_BRIDGE_FRAME or with a bad escape is dropped (counted), never thrown.
 */
export class SlipDecoder {
  readonly #onFrame: (type: number, body: Uint8Array) => void;
  readonly #onText: (bytes: Uint8Array) => void;
  readonly #buf = new Uint8Array(MAX_BRIDGE_FRAME);
  #len = 0;
  #inFrame = false;
  #escaped = false;
  #bad = false;
  /** Frames dropped: too long, a bad escape, or empty. */
  dropped = 0;

  constructor(onFrame: (type: number, body: Uint8Array) => void, onText: (bytes: Uint8Array) => void) {
    this.#onFrame = onFrame;
    this.#onText = onText;
  }

  push(chunk: Uint8Array): void {
    let textFrom = -1;
    const flushText = (end: number) => {
      if (textFrom >= 0 && end > textFrom) this.#onText(chunk.subarray(textFrom, end));
      textFrom = -1;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (!this.#inFrame) {
        if (b === SLIP_END) {
          flushText(i);
          this.#start();
        } else if (textFrom < 0) textFrom = i;
        continue;
      }
      if (b === SLIP_END) {
        // A closing END ends the frame (text may follow); END right after END opens the frame anew.
        if (this.#len > 0 || this.#bad) this.#finish();
        continue;
      }
      if (this.#escaped) {
        this.#escaped = false;
        if (b === SLIP_ESC_END) this.#put(SLIP_END);
        else if (b === SLIP_ESC_ESC) this.#put(SLIP_ESC);
        else this.#bad = true;
      } else if (b === SLIP_ESC) this.#escaped = true;
      else this.#put(b);
    }
    flushText(chunk.length);
  }

  #start(): void {
    this.#inFrame = true;
    this.#len = 0;
    this.#escaped = false;
    this.#bad = false;
  }

  #put(b: number): void {
    if (this.#len >= this.#buf.length) this.#bad = true;
    else this.#buf[this.#len++] = b;
  }

  #finish(): void {
    if (this.#bad || this.#len === 0) this.dropped++;
    else this.#onFrame(this.#buf[0], this.#buf.slice(1, this.#len));
    this.#inFrame = false;
    this.#len = 0;
  }
}
