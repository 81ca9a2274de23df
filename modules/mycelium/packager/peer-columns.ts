/**
 * A Packager's per-peer state in columns on its key index (issue 21): when each peer was last
 * heard and its timeout (peer-times.ts), its link estimate (link-estimates.ts) and its first link
 * (first-links.ts), and the class of its peers, which finds them (peer.ts `cols`). Made by
 * peer-class.ts; no import of peer.ts here, which reads these.
 */
import type { FirstLinks } from './first-links.js';
import type { LinkEstimates } from './link-estimates.js';
import type { NodeSlots } from './node-slots.js';
import type { PeerTimes } from './peer-times.js';

/** A class of peers (peer.ts `Peer` or one made for a Packager's columns, peer-class.ts). */
export type PeerMaker = new (key: string, now: number, timeout: number, columns?: PeerColumns) => object;

/** A Packager's columns of per-peer state, on its key index. */
export interface PeerColumns {
  /** The key index the columns are on, which answers a peer's key by its slot. */
  readonly slots: NodeSlots;
  readonly times: PeerTimes;
  readonly estimates: LinkEstimates;
  readonly links: FirstLinks;
  /**
   * The class the Packager makes its peers of, given these columns: its own, whose prototype
   * holds them (`classOfTheirOwn`), or `Peer`, whose objects then hold them in a field.
   */
  readonly peerClass: PeerMaker;
}
