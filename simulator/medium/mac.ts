/** MAC addresses of simulated nodes: deterministic from the node index, keyed as numbers. */
import { BROADCAST_MAC, MAC_BYTES } from '../../modules/mycelium/wire/constants.js';

/**
 * The MAC of simulated node `index`: 02:6d:xx:xx:xx:xx — locally administered, unicast
 * ("m" for mycelium), then index + 1 big-endian so no node gets an all-zero tail.
 */
export function macOf(index: number): Uint8Array {
  const n = index + 1;
  return Uint8Array.of(0x02, 0x6d, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** A 6-byte MAC as an exact integer (< 2^48), for Map keys without string building. */
export function macKey(mac: Uint8Array): number {
  return ((mac[0] << 8) | mac[1]) * 4294967296 + (((mac[2] << 24) | (mac[3] << 16) | (mac[4] << 8) | mac[5]) >>> 0);
}

export const BROADCAST_KEY = macKey(BROADCAST_MAC);

export function formatMac(mac: Uint8Array): string {
  let s = '';
  for (let i = 0; i < mac.length; i++) s += (i ? ':' : '') + (mac[i] < 16 ? '0' : '') + mac[i].toString(16);
  return s;
}

/** True when `mac` is the ESP-NOW broadcast address ff:ff:ff:ff:ff:ff. */
export function isBroadcast(mac: Uint8Array): boolean {
  return mac.length === MAC_BYTES && macKey(mac) === BROADCAST_KEY;
}
