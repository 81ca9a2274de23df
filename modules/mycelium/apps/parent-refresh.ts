/**
 * A parent that sends no hellos (upstream's nodes, ours with Hello off) keeps our tree fresh only
 * with its SEND, one a maintenance round (20 s): three lost in a row on a lossy radio and the tree
 * ages out here (max_tree_age, 60 s), and with it our subtree's addresses. Before that we ask the
 * parent, as upstream's own protocol lets a child: a REQUEST for our root, which any parent
 * answers with our address again ("a known child gets its address again", docs/protocol.md)
 * carrying its tree age: the refresh its SEND would have brought (spanning-tree.ts takes an
 * ASSIGN from the parent as a refresh, as upstream takes any message from it). Unicasts: the
 * radio retries them, where a broadcast SEND is sent once (docs/routing.md, "Mixed meshes").
 */
import type { Peer } from '../packager/peer.js';

/** Share of the tree age after which we ask: two rounds' SENDs missed, time left for three asks. */
export const REFRESH_ASK_SHARE = 0.75;
/** Ms between two asks. */
export const REFRESH_ASK_SPACING_MS = 5000;

/** Our tree, last refreshed at `lastRefresh`, is past REFRESH_ASK_SHARE of `maxAgeMs`: time to ask. */
export function stale(lastRefresh: number, now: number, maxAgeMs: number): boolean {
  return now - lastRefresh >= maxAgeMs * REFRESH_ASK_SHARE;
}

export class ParentRefresh {
  #askedAt = -Infinity;

  /**
   * Whether to ask our parent (one we ask: `quiet`, our tree past `stale`) now: at most one ask
   * per REFRESH_ASK_SPACING_MS.
   */
  due(now: number): boolean {
    if (now - this.#askedAt < REFRESH_ASK_SPACING_MS) return false;
    this.#askedAt = now;
    return true;
  }
}

/**
 * A parent whose tree no heartbeat refreshes: one that sends no hellos (no link estimate: no beat
 * reaches us through it), or any parent while our root is far (`beatsReach` false: tree-repair.ts,
 * far-root.ts; under an upstream root or upstream parent every node's tree lives on SEND adverts
 * alone, relayed a hop at a time, and on a lossy radio three rounds of them were lost often
 * enough that whole subtrees reset; session 50). Reached on a radio without a duty limit: we ask
 * it, and its ASSIGN refreshes our tree as its SEND does (upstream takes any message from its
 * parent so). Not over LoRa (its duty limit; Hello is off there): an ask's three unicasts cost
 * seconds of the hour's airtime, and a tree stale there is mostly stale at the parent too (the
 * root's refresh did not cross), which an ask cannot mend.
 */
export function quiet(parent: Peer, beatsReach: boolean): boolean {
  return (!parent.link || !beatsReach) && parent.bestLink()?.iface.radio.dutyUsedMs === undefined;
}
