/**
 * The landmark entries a node keeps from its neighbours' hellos (neighbour-reach.ts), shared
 * (issue 21). Every neighbour of a landmark lists it, mostly at the same hop count, and each kept
 * entry was an object of its own (48 B on XS a neighbour, beside the Address that was already
 * shared): equal entries now name one object. Entries are never changed (`LandmarkDistance` is
 * read-only), so sharing one changes nothing a reader sees.
 *
 * The last `LIMIT` entries made are remembered, oldest out first: a neighbour listing ever new
 * landmarks only pushes remembered ones out, which costs sharing, never an answer (rule 2).
 */
import type { Packager } from '../packager/packager.js';
import type { LandmarkDistance } from '../wire/messages/hello-landmarks.js';

/** Entries remembered: the landmarks around a node (≈ 20 at most, landmarks.ts) at two hop counts. */
const LIMIT = 48;

export class SharedLandmarks {
  /** Remembered entries, oldest first (made on the first shared entry: issue 21). */
  declare private made: LandmarkDistance[] | undefined;

  /**
   * `l` with the Address object this node already holds for its landmark (its own, a route's), if
   * any, as one entry object for equal ones: on XS each parsed copy is an Address with its
   * coordinate array, ≈ 150 B a neighbour. Only a list of whole coordinates (as every sender
   * writes) is shared: its coordinates are then those of any equal address.
   */
  of(p: Packager, l: LandmarkDistance): LandmarkDistance {
    if (l.address.coords.includes(0)) return l;
    const address = p.sharedAddress(l.address);
    if (address === l.address) return l;
    const made = (this.made ??= []);
    for (const e of made) if (e.address === address && e.hops === l.hops) return e;
    const e: LandmarkDistance = { address, hops: l.hops };
    if (made.length >= LIMIT) made.shift();
    made.push(e);
    return e;
  }
}
