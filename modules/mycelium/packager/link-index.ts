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

/** The peers' first links in columns (first-links.ts), which can own an entry here. */
export interface OwnedLinks {
  own(key: string, iface: AttachedInterface, macKey: MacKey): boolean;
  ownerOf(iface: AttachedInterface, macKey: MacKey): string | undefined;
  ownerSlot(iface: AttachedInterface, macKey: MacKey): number;
}

/**
 * A link is entered once, by the first peer bound to it; the entry goes when that peer's link
 * goes (another peer's link with the same MAC takes it only when it is claimed again). An entry
 * for a link a peer holds in columns (first-links.ts) is a bit on that link there, found by a pass
 * over the column, not a `Map` entry (49 B on XS, issue 21): it goes with the link.
 */
export class LinkIndex {
  /** Interface → MAC key → the owning peer's key (the peer table's own string), for links held as objects. */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byIface: Map<AttachedInterface, Map<MacKey, string>> | undefined;
  /** The peers' first links, once the Packager has peers. */
  declare private columns: OwnedLinks | undefined;

  /** From now on links held in `columns` own their entries there. */
  useColumns(columns: OwnedLinks): void {
    this.columns = columns;
  }

  get(mac: Uint8Array | undefined, iface: AttachedInterface): string | undefined {
    const key = macKey(mac);
    return this.columns?.ownerOf(iface, key) ?? this.byIface?.get(iface)?.get(key);
  }

  /**
   * What `get` answers, as the owner's slot on the key index when a link in the columns owns the
   * entry (a frame's sender found without its key made: node-slots.ts), else as the key.
   */
  owner(mac: Uint8Array | undefined, iface: AttachedInterface, key: MacKey = macKey(mac)): number | string | undefined {
    const s = this.columns?.ownerSlot(iface, key) ?? 0;
    return s !== 0 ? s : this.byIface?.get(iface)?.get(key);
  }

  has(mac: Uint8Array | undefined, iface: AttachedInterface): boolean {
    return this.get(mac, iface) !== undefined;
  }

  set(mac: Uint8Array | undefined, iface: AttachedInterface, peerKey: string): void {
    const key = macKey(mac);
    if (this.columns?.own(peerKey, iface, key)) return;
    let links = this.byIface?.get(iface);
    if (!links) (this.byIface ??= new Map()).set(iface, (links = new Map()));
    links.set(key, peerKey);
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
