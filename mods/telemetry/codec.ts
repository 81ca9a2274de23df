/**
 * One telemetry reading on the wire (integers big-endian):
 *
 *   1 (op and format version) | node id (32) | u32 uptime s | u32 free heap bytes
 *   | u8 peers | u8 battery % | u8 n | address text (n, may be 0)
 *
 * Free heap 0xffffffff and battery 255 mean "unknown" (not every board can tell). 44 bytes
 * plus the address: small enough for Gossip to re-flood in one frame.
 *
 * `decodeReading` never throws: anything malformed comes back as undefined and is counted.
 */
import { NODE_ID_BYTES, fromHex, readU32, toHex, writeU32 } from '../common/bytes.js';

export const READING_V1 = 1;
export const UNKNOWN_HEAP = 0xffffffff;
export const UNKNOWN_BATTERY = 255;
/** `<tree state>-<32 hex digits>` is at most 36 characters; some room beyond. */
export const MAX_ADDRESS_BYTES = 48;
const FIXED_BYTES = 1 + NODE_ID_BYTES + 4 + 4 + 1 + 1 + 1;

export interface Reading {
  /** Node id, hex. */
  readonly node: string;
  readonly uptimeS: number;
  /** Bytes, when the node can tell. */
  readonly freeHeap?: number;
  readonly peers: number;
  /** Percent, when the board has a gauge. */
  readonly battery?: number;
  /** Tree address text, '' before the node has one. */
  readonly address: string;
}

export interface TextCodec {
  encodeText(text: string): Uint8Array;
  decodeText(bytes: Uint8Array): string;
}

/** Serialize a reading; values out of range are clamped to what the fields hold. */
export function encodeReading(r: Reading, text: TextCodec): Uint8Array {
  const id = fromHex(r.node);
  if (!id || id.length !== NODE_ID_BYTES) throw new RangeError('a telemetry node id must be 64 hex digits');
  const address = text.encodeText(r.address);
  if (address.length > MAX_ADDRESS_BYTES) throw new RangeError(`a telemetry address must be at most ${MAX_ADDRESS_BYTES} bytes`);
  const out = new Uint8Array(FIXED_BYTES + address.length);
  out[0] = READING_V1;
  out.set(id, 1);
  let at = 1 + NODE_ID_BYTES;
  writeU32(out, at, clamp(r.uptimeS, 0xffffffff));
  writeU32(out, at + 4, r.freeHeap === undefined ? UNKNOWN_HEAP : clamp(r.freeHeap, UNKNOWN_HEAP - 1));
  at += 8;
  out[at++] = clamp(r.peers, 255);
  out[at++] = r.battery === undefined ? UNKNOWN_BATTERY : clamp(r.battery, 100);
  out[at++] = address.length;
  out.set(address, at);
  return out;
}

export function decodeReading(bytes: Uint8Array, text: TextCodec): Reading | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length < FIXED_BYTES || bytes[0] !== READING_V1) return undefined;
  let at = 1 + NODE_ID_BYTES;
  const node = toHex(bytes.subarray(1, at));
  const uptimeS = readU32(bytes, at);
  const heap = readU32(bytes, at + 4);
  at += 8;
  const peers = bytes[at++];
  const battery = bytes[at++];
  const n = bytes[at++];
  if ((battery > 100 && battery !== UNKNOWN_BATTERY) || n > MAX_ADDRESS_BYTES || at + n !== bytes.length) return undefined;
  return {
    node,
    uptimeS,
    ...(heap !== UNKNOWN_HEAP && { freeHeap: heap }),
    peers,
    ...(battery !== UNKNOWN_BATTERY && { battery }),
    address: text.decodeText(bytes.subarray(at)),
  };
}

function clamp(value: number, max: number): number {
  if (!(value > 0)) return 0;
  return Math.min(Math.round(value), max);
}
