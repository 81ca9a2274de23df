/**
 * modules/espnow cannot import wire/constants (its modules are named mycelium/espnow/*, so no
 * relative specifier resolves the same on XS and on Node: see ESPNOW_MAX_PAYLOAD in core.ts).
 * Its copies of the ESP-NOW figures are held equal to the core's here.
 */
import { BROADCAST, ESPNOW_MAX_PAYLOAD, MAC_BYTES as ESPNOW_MAC_BYTES } from '../../modules/espnow/core.js';
import { HUB_INTERFACE, HUB_MAX_PAYLOAD, HUB_MTU, isBroadcastMac } from '../../modules/espnow/hub-codec.js';
import { BROADCAST_MAC, ESPNOW_MTU, MAC_BYTES, RYLR998_MTU } from '../../modules/mycelium/wire/constants.js';
import { ESPNOW_PROFILE, RYLR998_PROFILE } from '../../simulator/medium/profiles.js';
import { MAX_SEND_BYTES, MODULE_OVERHEAD_BYTES } from '../../modules/rylr998/config.js';

test('the ESP-NOW module, the hub codec, the simulator and the core agree on MTUs and MACs', () => {
  expect(ESPNOW_MAX_PAYLOAD).toBe(ESPNOW_MTU);
  expect(ESPNOW_MAC_BYTES).toBe(MAC_BYTES);
  expect(Array.from(BROADCAST)).toEqual(Array.from(BROADCAST_MAC));
  expect(isBroadcastMac(BROADCAST_MAC)).toBe(true);
  expect(HUB_MTU[HUB_INTERFACE.ESPNOW]).toBe(ESPNOW_MTU);
  expect(HUB_MTU[HUB_INTERFACE.RYLR998]).toBe(RYLR998_MTU);
  expect(HUB_MAX_PAYLOAD).toBe(Math.max(ESPNOW_MTU, RYLR998_MTU));
  expect([ESPNOW_PROFILE.mtu, RYLR998_PROFILE.mtu]).toEqual([ESPNOW_MTU, RYLR998_MTU]);
  // The RYLR-998 driver's AT+SEND limit is the core's frame MTU; the medium adds the module's 8 bytes.
  expect(MAX_SEND_BYTES).toBe(RYLR998_MTU);
  expect(RYLR998_PROFILE.airOverheadBytes).toBe(MODULE_OVERHEAD_BYTES);
});
