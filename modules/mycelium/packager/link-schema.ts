/**
 * A frame built for one radio, carried on another (a bridge relaying from ESP-NOW to LoRa).
 * Schemas 20–33 repeat the field layouts of 0–13 on the RYLR-998's 240-byte frame
 * (wire/schemas.ts): the same packet on the other radio differs only in the schema id byte of
 * its common header, as long as it fits that radio's frame. Our own sends are framed for the
 * link they take; this is for what we relay, ack or resend after the link changed.
 */
import type { Radio } from './radio.js';
import { COMPACT_MARKER } from '../wire/compact-frame.js';

/** Byte 2 of the common header (version, reserved, schema id, flags). */
const SCHEMA_BYTE = 2;
/** Distance between a layout's ESP-NOW schema id and its RYLR-998 twin. */
const TWIN_OFFSET = 20;

/**
 * `frame` as `radio` carries it: a copy under the twin schema id when the radio lists the twin
 * and not the frame's own (undefined when it is too long for the radio), else the frame itself
 * (schemas no radio lists, e.g. the one-hop relay schemas 11–13, go as they always did).
 */
export function frameForRadio(frame: Uint8Array, radio: Radio): Uint8Array | undefined {
  // A compact frame (wire/compact-frame.ts) is made for its link as the last step: byte 2 is not a schema id there.
  if (frame.length <= SCHEMA_BYTE || frame[0] === COMPACT_MARKER) return frame;
  const id = frame[SCHEMA_BYTE];
  const ids = radio.schemaIds;
  if (ids.includes(id)) return frame;
  const twin = id >= TWIN_OFFSET ? id - TWIN_OFFSET : id + TWIN_OFFSET;
  if (!ids.includes(twin)) return frame;
  if (frame.length > radio.mtu) return undefined;
  const copy = frame.slice();
  copy[SCHEMA_BYTE] = twin;
  return copy;
}
