/**
 * A link of a peer as we hold it: when it was last heard, and whether it is bound (issue 19,
 * class 1). A MAC that claims the id of a peer already heard recently on another MAC of the
 * same interface is only a *candidate*: not used to reach the peer and not taken as the peer's
 * voice until the bound links there have gone silent. In open mode an id is a claim, not a proof:
 * the link that carried it first and keeps being heard is the one we believe.
 *
 * The MAC is held as its link-index key (a number for up to 6 bytes), not as a Uint8Array: on XS
 * one 6-byte array costs 128 B per link (issue 21). `mac` makes the bytes when a frame is sent.
 * A Packager's peer keeps its first link in columns (first-links.ts), not as this object: what
 * it hands out for that link is a copy that writes `heard` and `candidate` through.
 */
import type { AttachedInterface, Link } from './attached.js';
import { macKey, macOf, type MacKey } from './link-index.js';

/** Where a copy of a link held in columns writes through (first-links.ts `FirstLinks`). */
export interface LinkHome {
  setHeard(key: string, iface: AttachedInterface, macKey: MacKey, heard: number): void;
  setCandidate(key: string, iface: AttachedInterface, macKey: MacKey, candidate: boolean): void;
}

export class PeerLink implements Link {
  readonly iface: AttachedInterface;
  readonly macKey: MacKey;
  /** Platform ms when a frame last arrived on this link (read it as `heard`). */
  private at: number;
  /**
   * True while a candidate (read it as `candidate`). Declared, not defined: a link gets the
   * property (a 16 B slot on XS, issue 21) only once it is a candidate, which most never are.
   */
  declare private unbound: boolean | undefined;
  /** For a copy of a link held in columns: where it writes through, and for which peer's key. */
  declare private home: LinkHome | undefined;
  /** The peer's key, or the peer (its key read only when writing: the key is made on demand, peer.ts). */
  declare private homeKey: string | { readonly key: string } | undefined;

  /** `key`: the MAC's key when it is known (a copy from the columns), else made from `mac`. */
  constructor(mac: Uint8Array | undefined, iface: AttachedInterface, heard: number, candidate: boolean, key: MacKey = macKey(mac)) {
    this.iface = iface;
    this.macKey = key;
    this.at = heard;
    if (candidate) this.unbound = true;
  }

  /** Platform ms when a frame last arrived on this link (or the peer's beacon named it). */
  get heard(): number {
    return this.at;
  }

  set heard(heard: number) {
    this.at = heard;
    const home = this.home;
    if (home !== undefined) home.setHeard(keyOf(this.homeKey), this.iface, this.macKey, heard);
  }

  /** Not bound: a second MAC claiming the peer while its bound link is heard (see above). */
  get candidate(): boolean {
    return this.unbound === true;
  }

  set candidate(candidate: boolean) {
    if (candidate || this.unbound !== undefined) this.unbound = candidate;
    const home = this.home;
    if (home !== undefined) home.setCandidate(keyOf(this.homeKey), this.iface, this.macKey, candidate);
  }

  /** The MAC's bytes, made afresh (undefined: the loopback). */
  get mac(): Uint8Array | undefined {
    return macOf(this.macKey);
  }

  /** From now on (`home` undefined: no longer) what is written here goes to `key`'s link in `home` too. */
  writeThrough(home: LinkHome | undefined, key?: string | { readonly key: string }): void {
    if (home === undefined && this.home === undefined) return;
    this.home = home;
    this.homeKey = key;
  }
}

/**
 * Whether `a` is the link `b`: the same object, or a copy of it (a peer has one link per MAC
 * and interface, so those name it).
 */
export function sameLink(a: Link | undefined, b: PeerLink | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.iface !== b.iface) return false;
  return (a instanceof PeerLink ? a.macKey : macKey(a.mac)) === b.macKey;
}

/** The link heard last (`oldest`: first), if any. */
export function newestLink(links: readonly PeerLink[], oldest = false): PeerLink | undefined {
  let best: PeerLink | undefined;
  for (const l of links) if (!best || (oldest ? l.heard < best.heard : l.heard > best.heard)) best = l;
  return best;
}

/** The key a link writes through as: given, or its peer's. */
function keyOf(home: string | { readonly key: string } | undefined): string {
  return typeof home === 'object' ? home.key : (home as string);
}

export function sameMac(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
