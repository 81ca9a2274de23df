/**
 * An ancestor back from a reboot (docs/routing.md "Fast tree repair" item 9). A relay that reboots
 * comes back with empty tables beside its old subtree, which still hangs from its old address (a
 * lost parent is waited for: item 5). Its old child watches it closely and answers first; given an
 * address under the child's, each was the other's parent: a loop the root's beat, coming in from
 * side links, kept alive (churn-100 seed 4: 23 nodes hung from two such loops when the root died).
 * The same through a grandchild. So its old subtree refuses it, and the relay takes its old
 * address back from its old parent, whose claim it hears next (a known child: protocol.md);
 * meanwhile its child does not take the parent's own root for giving ours up, which would
 * re-address the whole subtree. A neighbour heard all along that left our tree (it started
 * over), and any without Hello (upstream), is answered as before.
 */
import type { Peer } from '../packager/peer.js';
import type { Address } from '../wire/address.js';
import { isPrefix } from './tree-claims.js';

/** The parent's own root is no word on ours for this many of our hello periods after its reboot shows. */
const REJOIN_PERIODS = 2;
/** A neighbour silent this many of its hello periods before its REQUEST was away: its REQUEST often comes before its first hello. */
const AWAY_PERIODS = 2;

/** Our parent's hellos restarted their count (`rebootedAt`, link-quality.ts) lately: it is taking its old address back. */
export function parentRejoining(rebootedAt: number | undefined, now: number, helloPeriodMs: number): boolean {
  return rebootedAt !== undefined && now - rebootedAt <= REJOIN_PERIODS * helloPeriodMs;
}

/**
 * `peer` asks us for an address and is our parent (`parent`; `rejoining`: its hellos showed a
 * reboot lately) or our ancestor by the address it last held in our tree (a prefix of `mine`),
 * and is back from a reboot or from away: refused. Only a neighbour that speaks Hello (its link
 * figures kept) can tell.
 */
export function ancestorBackFromReboot(peer: Peer | undefined, mine: Address | undefined, parent: boolean, rejoining: boolean, now: number): boolean {
  const link = peer?.link; // read once: each read makes a view of the table's cells (issue 21)
  if (!peer || !link || (!parent && !above(peer, mine))) return false;
  return rejoining || link.silentPeriods(now) >= AWAY_PERIODS;
}

/** `peer`'s last address in our tree is a prefix of ours: it is our ancestor (or was, until it left the tree). */
function above(peer: Peer, mine: Address | undefined): boolean {
  if (!mine) return false;
  const theirs = peer.addressIn(mine.treeState)?.peekCoords();
  return theirs !== undefined && theirs.length < mine.coords.length && isPrefix(theirs, mine.coords);
}
