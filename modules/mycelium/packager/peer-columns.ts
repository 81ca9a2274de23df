/**
 * A Packager's per-peer state in columns on its key index (issue 21): when each peer was last
 * heard and its timeout (peer-times.ts), its link estimate (link-estimates.ts) and its first link
 * (first-links.ts), and the class of its peers, which finds them (peer.ts `cols`).
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
  /**
   * The class the Packager makes its peers of, given these columns: its own, whose prototype
   * holds them (`classOfTheirOwn`), or `Peer`, whose objects then hold them in a field.
   */
  readonly peerClass: typeof Peer;
}

/**
 * The columns of a Packager's peers, on its key index `slots`. `classOfTheirOwn`: the peers are of
 * a class made for these columns, whose prototype holds them, where a field costs every peer a
 * 16 B slot on XS (issue 21); for a Packager with its engine to itself (a device: no
 * `platform.shared`). A simulator's thousands of Packagers in one V8 share `Peer` instead, whose
 * objects hold them in a field: reads on peers met a class each and went megamorphic (bench-sim
 * --case 300:3 took 18 % more CPU; docs/benchmarks.md, session 25).
 */
export function peerColumns(slots: NodeSlots, classOfTheirOwn = false): PeerColumns {
  const columns = { slots, times: new PeerTimes(slots), estimates: new LinkEstimates(slots), links: new FirstLinks(slots), peerClass: Peer };
  if (classOfTheirOwn) columns.peerClass = peerClassOn(columns);
  return columns;
}

/**
 * A class of peers that find `columns` on their prototype. Made at run time (a module-level class
 * is frozen by XS's preload); writable, so a peer its Packager drops can shadow it with its own
 * `undefined` (peer.ts `detach`).
 */
function peerClassOn(columns: PeerColumns): typeof Peer {
  const PeerOfOurs = class extends Peer {
    // The property goes where an undefined kept its 16 B slot on XS (most leaves list nobody);
    // V8, where an object that loses a property turns into a slow dictionary, has plain `Peer`s.
    override forgetReach(): void {
      delete this.reach;
    }
  };
  Object.defineProperty(PeerOfOurs.prototype, 'cols', { value: columns, writable: true });
  return PeerOfOurs;
}
