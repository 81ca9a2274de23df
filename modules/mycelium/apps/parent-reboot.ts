/**
 * A parent back from a reboot (docs/routing.md "Fast tree repair" item 9). A relay that reboots
 * comes back with empty tables beside its old child, which still follows it (a lost parent is
 * waited for: item 5) and watches it closely, so the child's claim reaches it first and it asks
 * the child for an address. Given one under the child's, each would be the other's parent: a loop
 * the root's beat, coming in from side links, keeps alive (churn-100 seed 4: 23 nodes hung from
 * two such loops when the root died). So the child refuses, and the rebooted node takes its old
 * address back from its old parent, whose claim it hears next (a known child: protocol.md);
 * meanwhile the child does not take its parent's own root for giving ours up, which would
 * re-address the whole subtree. A parent heard all along that left our tree (it started over;
 * no Hello: upstream's way) is answered as before.
 */
import type { LinkEstimate } from '../packager/link-quality.js';

/** The parent's own root is no word on ours for this many of our hello periods after its reboot shows. */
const REJOIN_PERIODS = 2;
/** A parent silent this many of its hello periods before its REQUEST was away: its REQUEST often comes before its first hello. */
const AWAY_PERIODS = 2;

/** Our parent's hellos restarted their count (`rebootedAt`, link-quality.ts) lately: it is taking its old address back. */
export function parentRejoining(rebootedAt: number | undefined, now: number, helloPeriodMs: number): boolean {
  return rebootedAt !== undefined && now - rebootedAt <= REJOIN_PERIODS * helloPeriodMs;
}

/** Our parent's REQUEST is that of a parent back from a reboot (or from away): refused. Only a neighbour that speaks Hello (`link`) can tell. */
export function parentBackFromReboot(link: LinkEstimate | undefined, rejoining: boolean, now: number): boolean {
  return link !== undefined && (rejoining || link.silentPeriods(now) >= AWAY_PERIODS);
}
