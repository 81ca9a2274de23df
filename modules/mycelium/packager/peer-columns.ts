/**
 * A Packager's per-peer state in columns on its key index (issue 21): when each peer was last
 * heard and its timeout (peer-times.ts), its link estimate (link-estimates.ts) and its first link
 * (first-links.ts), and the class of its peers, whose prototype holds the columns (peer.ts `cols`).
 */
import { FirstLinks } from './first-links.js';
import { LinkEstimates } from './link-estimates.js';
import type { NodeSlots } from './node-slots.js';
import { Peer } from './peer.js';
import { PeerTimes } from './peer-times.js';

/** A Packager's columns of per-peer state, on its key index. */
export interface PeerColumns {
  /** The key index the columns are on, which answers a peer's key by its slot. */
  readonly slots: NodeSlots;
  readonly times: PeerTimes;
  readonly estimates: LinkEstimates;
  readonly links: FirstLinks;
  /** The class the Packager makes its peers of: a `Peer` that finds these columns on its prototype. */
  readonly peerClass: typeof Peer;
}

/** The columns of a Packager's peers, on its key index `slots`. */
export function peerColumns(slots: NodeSlots): PeerColumns {
  const columns = { slots, times: new PeerTimes(slots), estimates: new LinkEstimates(slots), links: new FirstLinks(slots), peerClass: Peer };
  columns.peerClass = peerClassOn(columns);
  return columns;
}

/**
 * A class of peers that find `columns` on their prototype, where a field would cost each peer a
 * 16 B slot on XS (issue 21). Made at run time, one per Packager (a module-level class is frozen
 * by XS's preload). Writable: a peer its Packager drops shadows it with its own `undefined`.
 */
function peerClassOn(columns: PeerColumns): typeof Peer {
  const PeerOfOurs = class extends Peer {};
  Object.defineProperty(PeerOfOurs.prototype, 'cols', { value: columns, writable: true });
  return PeerOfOurs;
}
