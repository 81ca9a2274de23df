/**
 * What a neighbour told us of its own neighbours (docs/routing.md "Short paths"): their tree
 * addresses, from the NEIGHBOURS section of its hellos. Routing uses them to see two hops ahead,
 * and the landmarks it lists with them (landmarks.ts) to see a few more.
 *
 * A list is believed only while it can still be the neighbour's view: until it expires (a few of
 * the hellos that carry it) and while the neighbour's address tag, carried by every hello, is
 * the one of the address it was sent with (a neighbour that moved in the tree had neighbours
 * that moved too). A stale list can only cost a detour or a fallback, never a loop that lasts.
 */
import type { Address } from '../wire/address.js';
import type { LandmarkDistance } from '../wire/messages/hello-landmarks.js';

/** The landmarks of a neighbour that listed none (frozen: shared, never written; 32 B each on XS). */
const NO_LANDMARKS: readonly LandmarkDistance[] = Object.freeze([]);
/** The neighbours of a neighbour that listed none (frozen: shared, never written). */
const NO_ADDRESSES: readonly Address[] = Object.freeze([]);

/** Address tags are 16 bits (addressTag); expiries below EXPIRY_LIMIT ms share a number with one. */
const TAG_UNIT = 0x10000;
const EXPIRY_LIMIT = 2 ** 37;

export class NeighbourReach {
  readonly own: Address;
  /**
   * Its neighbours' addresses (read them as `addrs`): a lone one held bare, as most neighbours of
   * a leaf or a small star list one, and a one-item array costs 64 B on XS (issue 21).
   */
  private readonly listed: Address | readonly Address[];
  /**
   * The landmarks it knows nearby and its hops to each (landmarks.ts), from the same hello (read
   * them as `landmarks`): a lone one held bare, as a leaf lists only its parent's landmark.
   */
  private readonly marks: LandmarkDistance | readonly LandmarkDistance[];
  // TS-private, not #private: on XS an object's first #private field costs a slot of its own
  // (issue 21: one reach per neighbour that speaks Hello).
  /**
   * The address tag (16 bits) and when the list expires, in one number where that is exact —
   * `expiresAt × 65536 + tag` for a whole expiry below 2^37 ms — as each field is a 16 B slot on
   * XS; -1 when not (a clock with fractions), the two then in the declared fields below.
   */
  private readonly stamp: number;
  declare private readonly oddTag: number | undefined;
  declare private readonly oddExpiresAt: number | undefined;

  /** `tag`: addressTag of `own`; `lifetimeMs`: how long the list is believed without news. */
  constructor(own: Address, addrs: readonly Address[], tag: number, now: number, lifetimeMs: number, landmarks: readonly LandmarkDistance[] = NO_LANDMARKS) {
    this.own = own;
    this.listed = addrs.length === 0 ? NO_ADDRESSES : addrs.length === 1 ? addrs[0] : addrs;
    this.marks = landmarks.length === 0 ? NO_LANDMARKS : landmarks.length === 1 ? landmarks[0] : landmarks;
    const expiresAt = now + lifetimeMs;
    if (Number.isInteger(tag) && tag >= 0 && tag < TAG_UNIT && Number.isInteger(expiresAt) && expiresAt >= 0 && expiresAt < EXPIRY_LIMIT) this.stamp = expiresAt * TAG_UNIT + tag;
    else {
      this.stamp = -1;
      this.oddTag = tag;
      this.oddExpiresAt = expiresAt;
    }
  }

  /** Its neighbours' addresses, as listed (a fresh list when it listed one). */
  get addrs(): readonly Address[] {
    const l = this.listed;
    return Array.isArray(l) ? l : [l as Address];
  }

  /** Its landmarks and its hops to each, as listed (a fresh list when it listed one). */
  get landmarks(): readonly LandmarkDistance[] {
    const l = this.marks;
    return Array.isArray(l) ? l : [l as LandmarkDistance];
  }

  /** Whether the list is still the sender's, given the address tag of its latest hello. */
  matches(tag: number): boolean {
    return tag === (this.stamp >= 0 ? this.stamp % TAG_UNIT : this.oddTag);
  }

  fresh(now: number): boolean {
    return now < (this.stamp >= 0 ? Math.floor(this.stamp / TAG_UNIT) : (this.oddExpiresAt as number));
  }
}
