/**
 * Which peer owns a link (a MAC on an interface): the index a received frame is looked up in.
 * Keyed per interface by the MAC as a number (up to 6 bytes, with its length so that 00:01 and
 * 00:00:01 differ), not by a hex string: on XS a 64-bit string key costs ≈ 80 B per link beside
 * the Map entry (issue 21). Longer MACs fall back to hex; no MAC (a broadcast-only radio) is -1.
 */
import { fromHex, toHex } from '../wire/bytes.js';
import type { AttachedInterface } from './attached.js';

export type MacKey = number | string;

/** 2^48: a 6-byte MAC times nothing fits a double exactly; the length rides above it. */
const LENGTH_UNIT = 0x1000000000000;

export function macKey(mac: Uint8Array | undefined): MacKey {
  if (!mac) return -1;
  if (mac.length > 6) return toHex(mac);
  let n = 0;
  for (let i = 0; i < mac.length; i++) n = n * 256 + mac[i];
  return mac.length * LENGTH_UNIT + n;
}

/** The MAC `macKey` was made from (a fresh copy), undefined for -1. */
export function macOf(key: MacKey): Uint8Array | undefined {
  if (typeof key === 'string') return fromHex(key);
  if (key < 0) return undefined;
  const length = Math.floor(key / LENGTH_UNIT);
  const mac = new Uint8Array(length);
  let n = key - length * LENGTH_UNIT;
  for (let i = length - 1; i >= 0; i--) {
    mac[i] = n % 256;
    n = Math.floor(n / 256);
  }
  return mac;
}

export class LinkIndex {
  /** Interface → MAC key → the owning peer's key (the peer table's own string). */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byIface: Map<AttachedInterface, Map<MacKey, string>> | undefined;

  get(mac: Uint8Array | undefined, iface: AttachedInterface): string | undefined {
    return this.byIface?.get(iface)?.get(macKey(mac));
  }

  has(mac: Uint8Array | undefined, iface: AttachedInterface): boolean {
    return this.byIface?.get(iface)?.has(macKey(mac)) ?? false;
  }

  set(mac: Uint8Array | undefined, iface: AttachedInterface, peerKey: string): void {
    let links = this.byIface?.get(iface);
    if (!links) (this.byIface ??= new Map()).set(iface, (links = new Map()));
    links.set(macKey(mac), peerKey);
  }

  /** Forget the link (its MAC's key), if `peerKey` owns it (another peer's entry for the same MAC stays). */
  deleteIfOwner(key: MacKey, iface: AttachedInterface, peerKey: string): void {
    const links = this.byIface?.get(iface);
    if (links && links.get(key) === peerKey) links.delete(key);
  }

  /** The interface went: its index with it. */
  dropInterface(iface: AttachedInterface): void {
    this.byIface?.delete(iface);
  }

  clear(): void {
    this.byIface?.clear();
  }
}
