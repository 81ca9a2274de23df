/**
 * The ESP-NOW figures every variant and the hub codec share, in a module of their own so that
 * core.ts (the API) and hub-codec.ts (the desktop variant's codec) both import them without
 * importing each other.
 */

/**
 * ESP-NOW v1 payload limit (ESP_NOW_MAX_DATA_LEN). Longer frames from v2 senders are dropped.
 * This figure, MAC_BYTES and BROADCAST copy wire/constants' ESPNOW_MTU, MAC_BYTES and
 * BROADCAST_MAC: this folder's modules are named mycelium/espnow/*, so XS resolves a relative
 * import against that name (`../wire/constants` → mycelium/wire/constants) while Node and tsc
 * resolve it against the file (`../mycelium/wire/constants`): no one specifier works for both.
 * tests/native/shared-constants.test.ts keeps the copies equal.
 */
export const ESPNOW_MAX_PAYLOAD = 250;
export const MAC_BYTES = 6;
// Never written: preload makes it read-only, which is what we want for a constant.
export const BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
