/**
 * Where a Packager's peer columns (peer-columns.ts) are made, with the class of its peers.
 */
import { FirstLinks } from './first-links.js';
import { LinkEstimates } from './link-estimates.js';
import type { NodeSlots } from './node-slots.js';
import { Peer } from './peer.js';
import type { PeerColumns } from './peer-columns.js';
import { PeerTimes } from './peer-times.js';

export type { PeerColumns } from './peer-columns.js';

/**
 * The columns of a Packager's peers, on its key index `slots`. `classOfTheirOwn`: the peers are of
 * a class made for these columns, whose prototype holds them, where a field costs every peer a
 * 16 B slot on XS (issue 21); for a Packager with its engine to itself (a device: no
 * `platform.shared`). A simulator's thousands of Packagers in one V8 share `Peer` instead, whose
 * objects hold them in a field: reads on peers met a class each and went megamorphic (bench-sim
 * --case 300:3 took 18 % more CPU; docs/benchmarks.md, session 25).
 */
export function peerColumns(slots: NodeSlots, classOfTheirOwn = false): PeerColumns {
  const columns: { -readonly [K in keyof PeerColumns]: PeerColumns[K] } = { slots, times: new PeerTimes(slots), estimates: new LinkEstimates(slots), links: new FirstLinks(slots), peerClass: Peer };
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
