/**
 * A Packager's per-peer state in columns on its key index (issue 21): when each peer was last
 * heard and its timeout (peer-times.ts), its link estimate (link-estimates.ts) and its first link
 * (first-links.ts), and the class of its peers, which finds them.
 */
import { FirstLinks } from './first-links.js';
import { LinkEstimates } from './link-estimates.js';
import type { NodeSlots } from './node-slots.js';
import { Peer } from './peer.js';
import { PeerTimes } from './peer-times.js';

/** A Packager's columns of per-peer state, on its key index. */
export interface PeerColumns {
  readonly times: PeerTimes;
  readonly estimates: LinkEstimates;
  readonly links: FirstLinks;
}

/**
 * The class of a Packager's peers: a `Peer` whose times, link estimate and first link live in
 * `columns`. One class per Packager holds the reference on its prototype, where a field would cost
 * every peer a 16 B slot on XS (issue 21).
 */
export function peerClassOn(columns: PeerColumns): typeof Peer {
  return class NeighbourPeer extends Peer {
    protected override get columns(): PeerColumns {
      return columns;
    }
  };
}


/** The columns of a Packager's peers, on its key index `slots`. */
export function peerColumns(slots: NodeSlots): PeerColumns {
  return { times: new PeerTimes(slots), estimates: new LinkEstimates(slots), links: new FirstLinks(slots) };
}
