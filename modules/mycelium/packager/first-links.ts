/**
 * The first link of each of a Packager's neighbours (peer.ts `PeerLink`) as columns on the node's
 * key index (node-slots.ts), not as an object (issue 21): a link object was 64 B on XS and the
 * peer's property holding it 16 B; here its MAC's number, when it was last heard (4 B words,
 * whole-words.ts), and its interface with the candidate flag take 13 B by the neighbour's slot.
 * Most neighbours have one link; a second one (another radio, a candidate MAC) stays an object
 * on the peer.
 *
 * `get` hands out a copy (a `PeerLink` that writes `heard` and `candidate` through to the
 * columns while they still hold that link), so a link kept across turns keeps its MAC even after
 * the slot went to another node. A key is held on the index while it has a link here and
 * released with it; its cells are cleared then. Links with a MAC longer than 6 bytes (a hex
 * key) stay objects. Interfaces are numbered in `ifaces` (a removed one's number is reused).
 */
import type { AttachedInterface } from './attached.js';
import { grownSlots, heldSlot, type NodeSlots } from './node-slots.js';
import { PeerLink, type LinkHome } from './peer-link.js';
import { WholeWords } from './whole-words.js';

/** `ifaceAt`'s candidate bit; the low six bits are the interface's number + 1 (0: no link). */
const CANDIDATE = 0x80;
/** `ifaceAt`'s bit for a link that owns its MAC's entry in the link index (link-index.ts). */
const OWNER = 0x40;
/** `ifaceAt`'s interface number + 1. */
const NUMBER = 0x3f;

export class FirstLinks implements LinkHome {
  private readonly slots: NodeSlots;
  // Made with the first link (issue 21: a node with no neighbour holds none of them).
  /** Slot → the link's MAC key (link-index.ts `macKey`, a number here). */
  declare private macs: Float64Array | undefined;
  /** Slot → platform ms when the link was last heard (4 B words while the clock counts whole ms). */
  declare private heardAt: WholeWords | undefined;
  /** Slot → its interface's number + 1 (0: no link), CANDIDATE while a candidate, OWNER (see `own`). */
  declare private ifaceAt: Uint8Array | undefined;
  /** The interfaces links here are on, by number (undefined: free). */
  declare private ifaces: (AttachedInterface | undefined)[] | undefined;

  constructor(slots: NodeSlots) {
    this.slots = slots;
  }

  /** A copy of `key`'s link, undefined when it has none here. */
  get(key: string): PeerLink | undefined {
    const s = this.slotHeld(key);
    return s === undefined ? undefined : this.linkAt(s, key);
  }

  /**
   * A copy of the link at slot `s` when `key` (whose slot it is: a peer's own, see peer-times.ts
   * `enter`) has one here.
   */
  atSlot(s: number, key: string | { readonly key: string }): PeerLink | undefined {
    const at = this.ifaceAt;
    return at !== undefined && s < at.length && at[s] !== 0 ? this.linkAt(s, key) : undefined;
  }

  /** Whether slot `s`'s link here is the one on `iface` with MAC key `macKey` (see `atSlot`). */
  holdsAt(s: number, iface: AttachedInterface, macKey: number | string): boolean {
    const at = this.ifaceAt;
    return at !== undefined && s < at.length && at[s] !== 0 && (this.macs as Float64Array)[s] === macKey && this.ifaces?.[(at[s] & NUMBER) - 1] === iface;
  }

  /**
   * Slot `s`'s link (see `holdsAt`) heard at `heard`, with no copy made: true when it is a
   * candidate. For the receive path, which marks the link of every frame (issue 21).
   */
  markHeard(s: number, heard: number): boolean {
    (this.heardAt as WholeWords).put(s, heard);
    return ((this.ifaceAt as Uint8Array)[s] & CANDIDATE) !== 0;
  }

  /** A copy of slot `s`'s link (it has one), writing through as `key`'s. */
  private linkAt(s: number, key: string | { readonly key: string }): PeerLink {
    const code = (this.ifaceAt as Uint8Array)[s];
    const iface = (this.ifaces as (AttachedInterface | undefined)[])[(code & NUMBER) - 1] as AttachedInterface;
    const link = new PeerLink(undefined, iface, (this.heardAt as WholeWords).at(s), (code & CANDIDATE) !== 0, (this.macs as Float64Array)[s]);
    link.writeThrough(this, key);
    return link;
  }

  has(key: string): boolean {
    return this.slotHeld(key) !== undefined;
  }

  /** Whether `key`'s link here is the one on `iface` with MAC key `macKey`. */
  holds(key: string, iface: AttachedInterface, macKey: number | string): boolean {
    return this.slotHolding(key, iface, macKey) !== undefined;
  }

  /** `key`'s slot when its link here is the one on `iface` with MAC key `macKey` (one lookup). */
  private slotHolding(key: string, iface: AttachedInterface, macKey: number | string): number | undefined {
    const s = this.slotHeld(key);
    return s !== undefined && this.holdsAt(s, iface, macKey) ? s : undefined;
  }

  /**
   * Hold `link` as `key`'s (not owning its index entry); false (nothing held) when its MAC key is
   * not a number or 63 interfaces are in use.
   */
  put(key: string, link: PeerLink): boolean {
    if (typeof link.macKey !== 'number') return false;
    const n = this.numberOf(link.iface);
    if (n === undefined) return false;
    let s = this.slotHeld(key);
    if (s === undefined) {
      s = this.slots.hold(key);
      this.cover(s);
    }
    (this.macs as Float64Array)[s] = link.macKey;
    (this.heardAt as WholeWords).put(s, link.heard);
    (this.ifaceAt as Uint8Array)[s] = n + 1 + (link.candidate ? CANDIDATE : 0);
    return true;
  }

  delete(key: string): void {
    const s = this.slotHeld(key);
    if (s === undefined) return;
    (this.macs as Float64Array)[s] = 0;
    (this.heardAt as WholeWords).put(s, 0);
    (this.ifaceAt as Uint8Array)[s] = 0;
    this.slots.release(s);
  }

  /** A copy's `heard` written through, while `key`'s link here is still that one. */
  setHeard(key: string, iface: AttachedInterface, macKey: number | string, heard: number): void {
    const s = this.slotHolding(key, iface, macKey);
    if (s !== undefined) (this.heardAt as WholeWords).put(s, heard);
  }

  /** A copy's `candidate` written through, while `key`'s link here is still that one. */
  setCandidate(key: string, iface: AttachedInterface, macKey: number | string, candidate: boolean): void {
    const s = this.slotHolding(key, iface, macKey);
    if (s === undefined) return;
    const at = this.ifaceAt as Uint8Array;
    at[s] = (at[s] & ~CANDIDATE) | (candidate ? CANDIDATE : 0);
  }

  /**
   * The link index's entry for (`iface`, `macKey`) is `key`'s link here (link-index.ts): a bit
   * on the link, not a `Map` entry (49 B on XS, issue 21). False when `key`'s link here is not
   * that one. The entry goes with the link.
   */
  own(key: string, iface: AttachedInterface, macKey: number | string): boolean {
    const s = this.slotHolding(key, iface, macKey);
    if (s === undefined) return false;
    (this.ifaceAt as Uint8Array)[s] |= OWNER;
    return true;
  }

  /** The key whose link here owns the index entry for (`iface`, `macKey`), if any: one pass over the column. */
  ownerOf(iface: AttachedInterface, macKey: number | string): string | undefined {
    const s = this.ownerSlot(iface, macKey);
    return s === 0 ? undefined : this.slots.keyOf(s);
  }

  /** The slot of `ownerOf`'s key, 0 when none: its peer without the key made (node-slots.ts). */
  ownerSlot(iface: AttachedInterface, macKey: number | string): number {
    const at = this.ifaceAt;
    const n = this.ifaces?.indexOf(iface) ?? -1;
    if (at === undefined || n < 0 || typeof macKey !== 'number') return 0;
    const want = OWNER | (n + 1);
    const macs = this.macs as Float64Array;
    for (let s = 1; s < at.length; s++) if ((at[s] & (OWNER | NUMBER)) === want && macs[s] === macKey) return s;
    return 0;
  }

  /** The interface went (its links first): its number is free for another. */
  forgetInterface(iface: AttachedInterface): void {
    const i = this.ifaces?.indexOf(iface) ?? -1;
    if (i >= 0) (this.ifaces as (AttachedInterface | undefined)[])[i] = undefined;
  }

  private numberOf(iface: AttachedInterface): number | undefined {
    const ifaces = (this.ifaces ??= []);
    let i = ifaces.indexOf(iface);
    if (i >= 0) return i;
    i = ifaces.indexOf(undefined);
    if (i < 0) {
      if (ifaces.length >= NUMBER) return undefined;
      i = ifaces.length;
      ifaces.push(iface);
    } else ifaces[i] = iface;
    return i;
  }

  private slotHeld(key: string): number | undefined {
    return heldSlot(this.slots, this.ifaceAt, key);
  }

  /** Grow the columns (node-slots.ts `grownSlots`) until they have slot `s`. */
  private cover(s: number): void {
    const old = this.ifaceAt;
    const have = old ? old.length : 0;
    if (old && s < have) return;
    const n = grownSlots(have, s, this.slots.expected);
    const macs = new Float64Array(n);
    const at = new Uint8Array(n);
    if (old) {
      macs.set(this.macs as Float64Array);
      at.set(old);
    }
    this.macs = macs;
    this.heardAt = this.heardAt ? this.heardAt.grown(n) : new WholeWords(n);
    this.ifaceAt = at;
  }
}
