/**
 * A device and a simulated node advertise the same ESP-NOW interface: same name, bitrate and
 * schema ids, hence the same interface id on the wire. (The simulator's airtime model is a
 * separate figure, RadioProfile.airtimeMs, and plays no part in the id.)
 */
import { EspNowRadio, type EspNowLike } from '../../modules/host/espnow-radio.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { interfaceId } from '../../modules/mycelium/wire/ids.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { Medium } from '../../simulator/medium/medium.js';

const idOf = (r: Radio) => toHex(unwrap(interfaceId(portableHashes, r.name, r.bitrate, r.schemaIds)));

function deviceRadio(): EspNowRadio {
  const espnow: EspNowLike = { mac: Uint8Array.of(2, 0, 0, 0, 0, 1), broadcast: () => true, send: () => true, close: () => {} };
  return new EspNowRadio(() => espnow);
}

test('a device, a simulated node and the in-memory medium derive the same ESP-NOW interface id', () => {
  const clock = new VirtualClock();
  const device = deviceRadio();
  const simulated = new Medium({ clock, random: new SeededRandom(1) }).addNode();
  const memory = new MemoryMedium(clock).radio(Uint8Array.of(2, 0, 0, 0, 0, 2));
  for (const r of [simulated, memory]) {
    expect({ name: r.name, bitrate: r.bitrate, schemaIds: r.schemaIds, mtu: r.mtu }).toEqual({
      name: device.name,
      bitrate: device.bitrate,
      schemaIds: device.schemaIds,
      mtu: device.mtu,
    });
  }
  // Upstream's ESP-NOW interface id (micropycelium: 'espnow', 12,000,000 b/s, schemas 0-10).
  expect([idOf(device), idOf(simulated), idOf(memory)]).toEqual(['26bf5ff6', '26bf5ff6', '26bf5ff6']);
});

test('the ESP-NOW radio reports each frame done from the ESPNow send callback (modem sleep ends a send listen on it)', () => {
  let status: ((mac: Uint8Array, ok: boolean) => void) | undefined;
  const espnow: EspNowLike = { mac: Uint8Array.of(2, 0, 0, 0, 0, 1), broadcast: () => true, send: () => true, close: () => {} };
  const radio = new EspNowRadio((_onReceive, onSent) => {
    status = onSent;
    return espnow;
  });
  const reports: [string, boolean][] = [];
  radio.onSent = (mac, delivered) => reports.push([toHex(mac ?? new Uint8Array(0)), delivered]);
  expect(radio.send(Uint8Array.of(2, 0, 0, 0, 0, 9), Uint8Array.of(1))).toBe(true);
  status?.(Uint8Array.of(2, 0, 0, 0, 0, 9), false);
  expect(reports).toEqual([['020000000009', false]]);
});
