/**
 * A Packager's per-peer state in columns on its key index (issue 21): when each peer was last
 * heard and its timeout (peer-times.ts), its link estimate (link-estimates.ts) and its first link
 * (first-links.ts), which each of its peers holds (peer.ts `cols`).
 */
import { FirstLinks } from './first-links.js';
import { LinkEstimates } from './link-estimates.js';
import type { NodeSlots } from './node-slots.js';
import { PeerTimes } from './peer-times.js';

/** A Packager's columns of per-peer state, on its key index. */
export interface PeerColumns {
  /** The key index the columns are on, which answers a peer's key by its slot. */
  readonly slots: NodeSlots;
  readonly times: PeerTimes;
  readonly estimates: LinkEstimates;
  readonly links: FirstLinks;
}

/** The columns of a Packager's peers, on its key index `slots`. */
export function peerColumns(slots: NodeSlots): PeerColumns {
  return { slots, times: new PeerTimes(slots), estimates: new LinkEstimates(slots), links: new FirstLinks(slots) };
}
