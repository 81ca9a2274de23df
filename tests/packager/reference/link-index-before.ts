/**
 * The link index as one Map per interface, the layout before session 14 (link-index.ts at
 * 1a2434e), kept to drive the columns' owner bits (first-links.ts) against in
 * tests/packager/peer-links-layout.test.ts.
 */
import type { AttachedInterface } from '../../../modules/mycelium/packager/attached.js';
import { macKey, type MacKey } from '../../../modules/mycelium/packager/link-index.js';

export class LinkIndexBefore {
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
