/**
 * Binding a peer's id to the links it was heard on (neighbours.ts `addPeer`), capped per peer:
 * forged beacons from ever new MACs would otherwise grow a peer's links, and a MAC that starts
 * claiming a peer's id must not take over the link the peer is heard on (issue 19). Functions
 * over the Packager's context and link index, so that the neighbour table stays one idea a file.
 */
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { LinkIndex } from './link-index.js';
import { PeerLink, sameLink, type Peer } from './peer.js';
import { newestLink } from './peer-link.js';

/**
 * `peer`'s id was claimed on (`mac`, `iface`). A new MAC on an interface where the peer has a
 * bound link heard within peerIdleMs is a candidate: it neither replaces that link nor speaks
 * for the peer (not in `byLink`) until the bound links there fall silent. True when bound.
 */
export function claimLink(ctx: PackagerContext, byLink: LinkIndex, peer: Peer, mac: Uint8Array | undefined, iface: AttachedInterface, now: number): boolean {
  let link = peer.linkOf(mac, iface);
  if (link) link.heard = now;
  else {
    if (!roomForLink(ctx, byLink, peer, iface, now)) {
      ctx.counters.inc('link_refused');
      return false;
    }
    link = new PeerLink(mac, iface, now, boundHeard(ctx, peer, iface, now, link));
    peer.addLink(link);
    if (link.candidate) ctx.counters.inc('link_candidate');
  }
  if (link.candidate && !boundHeard(ctx, peer, iface, now, link)) {
    link.candidate = false;
    ctx.counters.inc('link_promoted');
  }
  if (!link.candidate && !byLink.has(mac, iface)) byLink.set(mac, iface, peer.key);
  return !link.candidate;
}

/** Drop `link` from `peer`: its index entry, its wake probes and the datagrams queued on it go too. */
export function unlink(ctx: PackagerContext, byLink: LinkIndex, peer: Peer, link: PeerLink): void {
  if (!peer.dropLink(link)) return;
  byLink.deleteIfOwner(link.macKey, link.iface, peer.key);
  if (!peer.links.some((l) => l.iface === link.iface)) ctx.cancel('rns' + peer.key + link.iface.key);
  peer.dropQueued((q) => sameLink(q.link, link));
}

/** `peer` has a bound link on `iface` other than `except`, heard within peerIdleMs. */
function boundHeard(ctx: PackagerContext, peer: Peer, iface: AttachedInterface, now: number, except: PeerLink | undefined): boolean {
  return peer.links.some((l) => !sameLink(l, except) && !l.candidate && l.iface === iface && now - l.heard < ctx.timings.peerIdleMs);
}

/**
 * Room for one more link of `peer` (capped by linksPerPeer): the least recently heard link silent
 * for peerIdleMs gives its slot; else, for a first link on `iface`, the least recently heard candidate.
 */
function roomForLink(ctx: PackagerContext, byLink: LinkIndex, peer: Peer, iface: AttachedInterface, now: number): boolean {
  if (peer.links.length < ctx.limits.linksPerPeer) return true;
  let victim = newestLink(peer.links.filter((l) => now - l.heard >= ctx.timings.peerIdleMs), true);
  if (!victim && !peer.links.some((l) => l.iface === iface)) victim = newestLink(peer.links.filter((l) => l.candidate), true);
  if (!victim) return false;
  unlink(ctx, byLink, peer, victim);
  return true;
}
