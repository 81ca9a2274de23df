/**
 * Beacon messages (protocol.md §6.1): op (1) ‖ sender node id (32) ‖ up to 10 app ids (16 each).
 */
import { APP_ID_BYTES, NODE_ID_BYTES } from '../constants.js';
import { fail, ok, type Result } from '../result.js';
import { isBytes } from './reader.js';

export const BeaconOp = Object.freeze({
  BEACON: 0x00, // announce; the receiver answers with RESPONSE
  RESPONSE: 0x01, // answer to a beacon, unicast
  DISCONNECT: 0xff, // leaving (upstream's spec defines it; its code never sent it)
} as const);

export const BEACON_MAX_APPS = 10; // app ids a sender puts in one message (beaconMessages); parsers accept more
const HEADER = 1 + NODE_ID_BYTES;

export interface BeaconMessage {
  readonly op: number;
  readonly nodeId: Uint8Array;
  readonly apps: readonly Uint8Array[];
}

export function serializeBeacon(m: BeaconMessage): Result<Uint8Array> {
  if (m.op !== BeaconOp.BEACON && m.op !== BeaconOp.RESPONSE && m.op !== BeaconOp.DISCONNECT) {
    return fail('bad_message', `beacon op ${String(m.op)} is not 0x00, 0x01 or 0xff`);
  }
  if (!isBytes(m.nodeId, NODE_ID_BYTES)) return fail('field_length', 'beacon node id must be 32 bytes');
  const out = new Uint8Array(HEADER + m.apps.length * APP_ID_BYTES);
  out[0] = m.op;
  out.set(m.nodeId, 1);
  for (let i = 0; i < m.apps.length; i++) {
    if (!isBytes(m.apps[i], APP_ID_BYTES)) return fail('field_length', `app id ${i} must be 16 bytes`);
    out.set(m.apps[i], HEADER + i * APP_ID_BYTES);
  }
  return ok(out);
}

/**
 * Parse a beacon; every whole app id is kept (senders put at most 10 in one message) and
 * trailing bytes short of a whole app id are ignored, as upstream does.
 */
export function parseBeacon(blob: Uint8Array): Result<BeaconMessage> {
  if (blob.length < HEADER) return fail('truncated', `a beacon needs ${HEADER} bytes, got ${blob.length}`);
  const op = blob[0];
  if (op !== BeaconOp.BEACON && op !== BeaconOp.RESPONSE && op !== BeaconOp.DISCONNECT) {
    return fail('bad_message', `unknown beacon op 0x${op.toString(16)}`);
  }
  const n = Math.floor((blob.length - HEADER) / APP_ID_BYTES);
  const apps: Uint8Array[] = [];
  for (let i = 0; i < n; i++) apps.push(blob.subarray(HEADER + i * APP_ID_BYTES, HEADER + (i + 1) * APP_ID_BYTES));
  return ok({ op, nodeId: blob.subarray(1, HEADER), apps });
}

/** The messages announcing `appIds`: chunks of 10 in registration order (at least one message). */
export function beaconMessages(op: number, nodeId: Uint8Array, appIds: readonly Uint8Array[]): Result<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i === 0 || i < appIds.length; i += BEACON_MAX_APPS) {
    const m = serializeBeacon({ op, nodeId, apps: appIds.slice(i, i + BEACON_MAX_APPS) });
    if (!m.ok) return m as Result<never>;
    out.push(m.value);
  }
  return ok(out);
}
