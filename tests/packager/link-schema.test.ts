/**
 * frameForRadio (packager/link-schema.ts) moves a relayed frame to its twin schema on the other
 * radio, and must leave a compact frame (wire/compact-frame.ts) alone: its byte 2 is not a schema
 * id. Two LoRa boards lost every compact frame to that rewrite (tests/host/lora-board.test.ts).
 */
import { frameForRadio } from '../../modules/mycelium/packager/link-schema.js';
import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';

const lora = { schemaIds: [20, 21, 22], mtu: 240 } as unknown as Radio;

test('an ESP-NOW frame relayed onto LoRa takes the twin schema id', () => {
  const frame = Uint8Array.of(0, 0, 1, 0, 9, 9);
  expect(Array.from(frameForRadio(frame, lora) ?? [])).toEqual([0, 0, 21, 0, 9, 9]);
  expect(frame[2]).toBe(1); // the original is not touched
});

test('a compact frame goes as it is', () => {
  const compact = Uint8Array.of(COMPACT_MARKER, 0, 1, 5, 6);
  expect(frameForRadio(compact, lora)).toBe(compact);
});
