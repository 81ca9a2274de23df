/**
 * A JobBatch in bytes, the XS runner's input from host to worker (xs-protocol.ts). Pure
 * ECMAScript: the host (Node) encodes, the worker (XS) decodes.
 *
 * Why bytes: nearly every job is a frame the medium delivered (`rx`) or a frame's fate (`sent`),
 * 87 K of them on telemetry-25 (14.8 MB of JSON with each frame and MAC in base64). In xsnap a
 * batch of three `rx` jobs took 8.7 µs to decode as UTF-8 text, JSON and base64 and 4.2 µs from
 * these bytes (docs/benchmarks.md, "Session 22"); the host skips the base64 and the JSON too.
 *
 * Layout, little-endian:
 *   u8 flags (1: `ahead` follows, 2: `outlook`), f64 now, f64 id, [f64 due, f64 id, f64 limit],
 *   [u32 length, the outlook's bytes], then jobs:
 *   RX    u8 1, u32 node, f64 rssi, f64 linkLoss, u8 macLength (255: none), mac, u32 frameLength, frame
 *   SENT  u8 2, u32 node, u8 delivered, u8 macLength (255: none), mac
 *   TICK  u8 3, f64 due, f64 id
 *   OTHER u8 4, u32 length, the job as JSON (UTF-8)
 * Each frame and MAC decodes into bytes of its own (an ArrayBuffer each), as base64 did.
 */
import type { Job, JobBatch } from './xs-protocol.js';

const RX = 1;
const SENT = 2;
const TICK = 3;
const OTHER = 4;
const NO_MAC = 255;
const HAS_AHEAD = 1;
const HAS_OUTLOOK = 2;

/** How a side turns JSON text into bytes and back (Node: Buffer; xsnap: TextEncoder/TextDecoder). */
export interface TextCodec {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

/** The bytes of `batch` (see the layout above). */
export function encodeBatch(batch: JobBatch, text: TextCodec): Uint8Array {
  const others: (Uint8Array | undefined)[] = [];
  const outlook = batch.outlook;
  let size = 17 + (batch.ahead ? 24 : 0) + (outlook ? 4 + outlook.length : 0);
  for (const job of batch.jobs) {
    let json: Uint8Array | undefined;
    if (job.k === 'rx') size += 26 + (job.mac ? job.mac.length : 0) + job.frame.length;
    else if (job.k === 'sent') size += 7 + (job.mac ? job.mac.length : 0);
    else if (job.k === 'tick') size += 17;
    else {
      json = text.encode(JSON.stringify(job));
      size += 5 + json.length;
    }
    others.push(json);
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes[0] = (batch.ahead ? HAS_AHEAD : 0) | (outlook ? HAS_OUTLOOK : 0);
  view.setFloat64(1, batch.now, true);
  view.setFloat64(9, batch.id, true);
  let o = 17;
  if (batch.ahead) {
    for (const v of batch.ahead) {
      view.setFloat64(o, v, true);
      o += 8;
    }
  }
  if (outlook) {
    view.setUint32(o, outlook.length, true);
    bytes.set(outlook, o + 4);
    o += 4 + outlook.length;
  }
  const putMac = (mac: Uint8Array | null): void => {
    if (mac && mac.length >= NO_MAC) throw new RangeError(`a MAC of ${mac.length} bytes`);
    bytes[o++] = mac ? mac.length : NO_MAC;
    if (mac) {
      bytes.set(mac, o);
      o += mac.length;
    }
  };
  batch.jobs.forEach((job, j) => {
    if (job.k === 'rx') {
      bytes[o] = RX;
      view.setUint32(o + 1, job.i, true);
      view.setFloat64(o + 5, job.rssi, true);
      view.setFloat64(o + 13, job.linkLoss, true);
      o += 21;
      putMac(job.mac);
      view.setUint32(o, job.frame.length, true);
      bytes.set(job.frame, o + 4);
      o += 4 + job.frame.length;
    } else if (job.k === 'sent') {
      bytes[o] = SENT;
      view.setUint32(o + 1, job.i, true);
      bytes[o + 5] = job.delivered ? 1 : 0;
      o += 6;
      putMac(job.mac);
    } else if (job.k === 'tick') {
      bytes[o] = TICK;
      view.setFloat64(o + 1, job.due, true);
      view.setFloat64(o + 9, job.id, true);
      o += 17;
    } else {
      const json = others[j] as Uint8Array;
      bytes[o] = OTHER;
      view.setUint32(o + 1, json.length, true);
      bytes.set(json, o + 5);
      o += 5 + json.length;
    }
  });
  if (o !== size) throw new Error(`a batch of ${size} bytes filled to ${o}`);
  return bytes;
}

/** The batch in `buffer` (encodeBatch's bytes); its frames and MACs are copies of their own. */
export function decodeBatch(buffer: ArrayBuffer, text: TextCodec): JobBatch {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const end = bytes.length;
  const now = view.getFloat64(1, true);
  const id = view.getFloat64(9, true);
  let o = 17;
  let ahead: [number, number, number] | undefined;
  if ((bytes[0] & HAS_AHEAD) !== 0) {
    ahead = [view.getFloat64(17, true), view.getFloat64(25, true), view.getFloat64(33, true)];
    o = 41;
  }
  let outlook: Uint8Array | undefined;
  if ((bytes[0] & HAS_OUTLOOK) !== 0) {
    const length = view.getUint32(o, true);
    outlook = new Uint8Array(buffer, o + 4, length); // a view: each node's part is read once at most
    o += 4 + length;
  }
  const jobs: Job[] = [];
  while (o < end) {
    const kind = bytes[o];
    if (kind === RX) {
      const i = view.getUint32(o + 1, true);
      const rssi = view.getFloat64(o + 5, true);
      const linkLoss = view.getFloat64(o + 13, true);
      const macLength = bytes[o + 21];
      o += 22;
      let mac: Uint8Array | null = null;
      if (macLength !== NO_MAC) {
        mac = new Uint8Array(buffer.slice(o, o + macLength));
        o += macLength;
      }
      const frameLength = view.getUint32(o, true);
      const frame = new Uint8Array(buffer.slice(o + 4, o + 4 + frameLength));
      o += 4 + frameLength;
      jobs.push({ k: 'rx', i, frame, mac, rssi, linkLoss });
    } else if (kind === SENT) {
      const i = view.getUint32(o + 1, true);
      const delivered = bytes[o + 5] === 1;
      const macLength = bytes[o + 6];
      o += 7;
      let mac: Uint8Array | null = null;
      if (macLength !== NO_MAC) {
        mac = new Uint8Array(buffer.slice(o, o + macLength));
        o += macLength;
      }
      jobs.push({ k: 'sent', i, mac, delivered });
    } else if (kind === TICK) {
      jobs.push({ k: 'tick', due: view.getFloat64(o + 1, true), id: view.getFloat64(o + 9, true) });
      o += 17;
    } else if (kind === OTHER) {
      const length = view.getUint32(o + 1, true);
      jobs.push(JSON.parse(text.decode(bytes.subarray(o + 5, o + 5 + length))) as Job);
      o += 5 + length;
    } else {
      throw new Error(`unknown job kind ${kind} at byte ${o} of a batch`);
    }
  }
  const batch: { now: number; id: number; ahead?: [number, number, number]; outlook?: Uint8Array; jobs: Job[] } = { now, id, jobs };
  if (ahead) batch.ahead = ahead;
  if (outlook) batch.outlook = outlook;
  return batch;
}
