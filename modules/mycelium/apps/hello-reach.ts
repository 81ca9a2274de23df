/**
 * What a neighbour's hello says of where it is and whom it reaches: its neighbour section (its
 * own address, its usable neighbours' addresses, its landmarks). Kept apart from hello.ts, which
 * decides when hellos go out.
 *
 * Its own address is where it is now, said by itself on the air, as its tree SEND says it. A node
 * in modem sleep believes both alike (`believeOwn`, open mode only). Without it a parent whose
 * record of a child was overwritten (a child's late tree message from another tree, while the
 * child came back under us: sleepy-leaves-lossy-40 seed 6) held no address for it until the
 * child's next SEND, up to 160 s later in a quiet mesh, and every packet for the child's subtree
 * died at the parent (docs/routing.md "A neighbour's own word in its hello"). An awake node
 * believes it only for a neighbour it holds no address for (`OwnWord`): believed always there,
 * it bought no delivery and cost 5 % more control traffic (lossy-50, session 24). Signed and
 * mixed modes prove tree addresses hop by hop; an unsigned hello must not move them.
 */
import { addressTag, type NeighbourAddresses } from '../wire/messages/hello.js';
import type { LandmarkDistance } from '../wire/messages/hello-landmarks.js';
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import { NeighbourReach } from '../packager/neighbour-reach.js';
import type { SharedValues } from '../platform/platform.js';
import { heldAddress, heldLandmark } from './reach-addresses.js';
import type { SharedLandmarks } from './shared-landmarks.js';

/** Where a hello's neighbour section is kept: the Hello app. */
export interface ReachHolder {
  readonly packager: Packager;
  readonly node: { readonly platform: { readonly shared?: SharedValues } };
  /** A device's own table of landmark entries (made with the first). */
  reachLandmarks(): SharedLandmarks;
}

/**
 * How a hello's own address moves our record of where its sender is (`Peer.holdsNow`):
 * - `always`: as its SEND does (modem sleep, open mode);
 * - `unknown`: only while we hold no address for it at all, and not a root's `[]` (awake, open
 *   mode). A neighbour new to us, or back as a new peer after it rebooted or timed out, is
 *   otherwise at no known place until its SEND, which in a quiet mesh comes every 160 s
 *   (`advert_max_ms`): packets for it and for the subtree behind it stopped at us. A root's []
 *   is left out: a lone node's own tree is what a neighbour holds for a few seconds after boot,
 *   and a [] in another tree reads as a landmark at depth 0 (docs/routing.md "A neighbour's own
 *   word in its hello");
 * - `never`: signed and mixed modes prove tree addresses hop by hop; an unsigned hello must not
 *   move them.
 */
export type OwnWord = 'always' | 'unknown' | 'never';

/** A neighbour's hello section `n`: believed `lifetimeMs`; its own address as `ownWord` says. */
export function heardReach(h: ReachHolder, peer: Peer, n: NeighbourAddresses, now: number, lifetimeMs: number, ownWord: OwnWord): void {
  const p = h.packager;
  const shared = h.node.platform.shared;
  const own = heldAddress(p, shared, n.own, true); // parseNeighbours reads it from bytes
  if (ownWord === 'always' || (ownWord === 'unknown' && peer.addrs.length === 0 && own.coords.length > 0)) peer.holdsNow(own);
  const mine = p.address;
  if ((n.addrs.length === 0 && !n.landmarks?.length) || (n.addrs.length === 1 && mine !== undefined && n.addrs[0].equals(mine))) {
    // It lists nobody: routing reads an empty list as no list (short-paths.ts, landmarks.ts), and
    // a reach is 80 B on XS (issue 21). Or its one usable neighbour is us: whatever it reaches
    // (its landmarks too) it reaches through us, so no path of ours is shorter through it (a
    // 64-leaf star's centre held one per leaf once every leaf's link was usable: session 49).
    peer.forgetReach();
    return;
  }
  // The addresses it lists are mostly ones we hold (its own is our route to it): share those objects.
  const addrs = n.addrs.map((a) => heldAddress(p, shared, a));
  // A process-wide table (the simulator's) shares landmark entries across nodes; a device
  // shares them across its own neighbours (shared-landmarks.ts).
  const landmark = (l: LandmarkDistance): LandmarkDistance => (shared ? heldLandmark(shared, l) : h.reachLandmarks().of(p, l));
  peer.reach = new NeighbourReach(own, addrs, addressTag(n.own.bytes), now, lifetimeMs, n.landmarks?.map(landmark));
}
