/**
 * The SpanningTree's parameters: upstream's (protocol.md §6.3, defaults.ts) and ours, with the
 * defaults of ours. Units: ms unless named (max_tree_age in s, as upstream).
 */
import { SPANNING_TREE_DEFAULTS } from './defaults.js';

export type SpanningTreeParams = {
  max_start_delay: number;
  tree_maintenance_delay: number;
  max_tree_age: number;
  broadcast_count: number;
  broadcast_interval: number;
  pub: boolean;
  sub: boolean;
  /** Claims remembered (upstream 10; one per advertising peer here). */
  claims_limit: number;
  /** Upper bound of the random delay before re-advertising a parent's refresh, ms. */
  refresh_jitter_ms: number;
  /**
   * Gossip our advert at every maintenance round (upstream) rather than only when our address
   * changes. Every round floods one message per node through the whole mesh: large simulations
   * turn it off.
   */
  pub_each_round: boolean;
  /** How often the parent and the root's heartbeat are checked, ms (with Hello). */
  watch_ms: number;
  /** How long a root declared lost stays refused unless it beats again, ms. */
  dead_root_ms: number;
  /** Upper bound of the random delay before acting on a better claim, ms. */
  consider_jitter_ms: number;
  /**
   * A better root's claim is acted on after a further `claim_pace_ms` × its pace (0 best … 1
   * worst, tree-pace.ts), so the best root's wave overtakes worse ones while a tree forms
   * (docs/routing.md "Formation: better roots travel faster"). 0 (default): at once, as upstream;
   * the large-mesh benchmarks use 4000 (small meshes pay more than they gain: see that section).
   */
  claim_pace_ms: number;
  /** Within one tree, at most one address change is gossiped (pub) per this many ms (0: each at once, as upstream). */
  pub_holddown_ms: number;
  /**
   * With `pub_each_round` off: an address that has not changed is gossiped again this long after
   * it last was, so distant nodes keep their route to it (routes lapse `routeLifetimeMs`, 480 s,
   * after the last advert) at a fraction of a flood every round. 0: only changes (default).
   */
  pub_refresh_ms: number;
  /** A parent is kept this long before a better-ranked one of the same tree replaces it, ms. */
  parent_hold_ms: number;
  /**
   * The same for a node with children, ms: its move renumbers its whole subtree, and on a lossy
   * radio the link figures the rank reads keep moving (docs/routing.md "Fast tree repair", item 2).
   */
  parent_hold_leading_ms: number;
  /** Longest period of our periodic SEND while every neighbour speaks Hello and nothing changes, ms. */
  advert_max_ms: number;
  /** A tree message stamped (its `ts`) this much older than its sender's newest is still taken (a retry); older ones are replays, ms. */
  replay_window_ms: number;
  /**
   * > 0: a neighbour's worse claim is answered by one broadcast RESPOND within this many ms (at
   * most one per window, for every neighbour heard meanwhile) instead of a unicast RESPOND each
   * (0, upstream). On LoRa ten nodes booting together otherwise cost ten unicasts, ten acks and
   * their retries from every better-rooted neighbour (docs/lora.md).
   */
  answer_broadcast_ms: number;
  /**
   * A SEND, RESPOND or REQUEST from a neighbour we never heard a beacon of makes it a peer on the
   * link it came on (tree-strangers.ts; default false: dropped, upstream). On LoRa, start beacons
   * lost to collisions left neighbours strangers for 2 P, their claims unheard.
   */
  peers_from_tree: boolean;
  /**
   * A neighbour's claim worse than our root is answered (by our RESPOND, within
   * `answer_broadcast_ms` when that is set) whatever carried it: its SEND (upstream), but also
   * its RESPOND, and its REQUEST for a tree other than ours (it heard us in a tree we have left
   * since: the ASSIGN would be refused). Default false: upstream answers a SEND only. On LoRa an
   * advert is one broadcast every P (13 min at SF9): a node whose SEND was lost at a better
   * neighbour sent its RESPOND there in vain, and a node that missed our new tree's advert
   * asked for the old one, unanswered, three times over 13 minutes (docs/lora.md "Claims
   * heard once").
   */
  answer_any_claim: boolean;
  /**
   * > 0: a worse claim of a neighbour that speaks Hello is answered by one broadcast RESPOND
   * within this many ms, shared with every such neighbour heard meanwhile (0: a unicast each,
   * upstream). Upstream neighbours still get their unicast. Off by default: a sleeping leaf
   * misses the broadcast and stays under a dead parent, and nodes along a border between trees
   * stopped knowing a way into the other tree (tests/packager/sleepy-leaf, routing/border-adverts).
   */
  answer_ours_ms: number;
  /**
   * A parent takes the address it assigns as its route to the child at once, rather than from
   * the child's next advert (upstream; false restores it). On LoRa that advert is one broadcast
   * every few minutes and a collision loses it: the parent would route its child's traffic by
   * the child's old address until the next one (a RESPOND refusing the ASSIGN corrects it). On a
   * lossy ESP-NOW mesh the same: a parent that missed its child's adverts knew no address of
   * the child's, and every packet for its subtree stopped there at a local minimum (lossy-50 and
   * lossy-asym-50, ten seeds: 96.3 → 97.7 % and 94.5 → 96.9 % delivered; docs/routing.md
   * "Routes and loops"). Nothing changes on the air.
   */
  route_on_assign: boolean;
  /**
   * Our broadcasts go with unicasts' priority on radios that meter their airtime (default
   * false; Radio.broadcast's `priority`). On LoRa a relay that has spent its hour's share for
   * broadcasts on data shed its tree adverts, its children gave the tree up after max_tree_age,
   * and its whole subtree re-joined in a storm of REQUESTs (docs/lora.md "Session 10").
   */
  advert_priority: boolean;
  /**
   * A REQUEST to a neighbour whose last REQUEST (for the same claim) got no ASSIGN goes with our
   * beacon first, a unicast RESPONSE (default false, upstream). A node ignores REQUESTs from
   * neighbours it has not taken as peers (protocol.md §6.3), and it takes them from their
   * beacons: on LoRa a node whose start beacons all collided at a neighbour stays unknown there
   * until its next periodic beacon, half an hour away at SF9, and asks it in vain meanwhile.
   */
  introduce_on_retry: boolean;
  /**
   * > 0: a REQUEST with no ASSIGN is tried again after this many ms, doubling, a few times
   * (tree-request-retry.ts); 0 (upstream): only when the next advert of a better claim comes.
   */
  request_retry_ms: number;
  /**
   * Trees are judged by their age whenever used, not only at maintenance (default false,
   * upstream): before choosing a claim, expired ones are forgotten; a REQUEST finding our own
   * tree past max_tree_age gives it up instead of assigning an address in it; and an ASSIGN
   * refused as too old forgets its sender's claim. On LoRa maintenance comes every P (256 s at
   * SF7): a node asked a neighbour whose tree had aged out since its last advert, the answer
   * came too old and was refused, and it asked again every few seconds for the rest of the
   * period (lora-20 seed 1: 24 REQUESTs, 17 ASSIGNs, 11 RESPONDs in 256 s; docs/lora.md "Session 23").
   */
  expire_at_use: boolean;
  /**
   * A new address is gossiped (pub) once it has held this long, ms; each move before then
   * doubles the wait up to pub_holddown_ms (address-gossip.ts). 0: a new tree at once.
   */
  pub_settle_ms: number;
  /**
   * Test knob, never sent on the air: > 0 makes an address with this many coordinates full, as if
   * the 16 bytes held only that many levels, so that a mesh of a few hundred nodes forms trees
   * joined by borders (docs/routing.md "Any diameter") as 2,000 nodes do at 32 levels.
   * 0 (default): the address's own capacity. Every node of a mesh must use the same value.
   */
  address_levels: number;
  /**
   * Levels of room a node settled in a tree (a parent, or children) asks of a better root's
   * advertiser before crossing to it: its child must have this many levels below it
   * (tree-claims.ts mayCross; docs/routing.md "Any diameter"). Only near the address capacity
   * (32 levels, or address_levels) does it change anything. 0: any room, as before session 43.
   * Every node of a mesh should use the same value (the border test reads it both sides).
   */
  join_margin: number;
};

/** Every parameter's default: upstream's values, then those of our extensions (docs/routing.md). */
export const TREE_DEFAULTS: SpanningTreeParams = Object.freeze({
  ...SPANNING_TREE_DEFAULTS,
  claims_limit: 32,
  refresh_jitter_ms: 200,
  pub_each_round: true,
  watch_ms: 500,
  dead_root_ms: 30_000,
  consider_jitter_ms: 100,
  claim_pace_ms: 0,
  pub_holddown_ms: 60_000,
  pub_refresh_ms: 0,
  parent_hold_ms: 60_000,
  parent_hold_leading_ms: 300_000,
  advert_max_ms: 160_000,
  replay_window_ms: 10_000,
  answer_broadcast_ms: 0,
  peers_from_tree: false,
  answer_any_claim: false,
  route_on_assign: true,
  advert_priority: false,
  introduce_on_retry: false,
  request_retry_ms: 0,
  expire_at_use: false,
  pub_settle_ms: 2_000,
  address_levels: 0,
  join_margin: 2,
  answer_ours_ms: 0,
});

/**
 * How long a parent is held before a better-ranked one of its tree may replace it: longer for a
 * node with children (`leads`), whose move renumbers its subtree. On a lossy radio a node 11
 * levels down a 30-level tree swung between two parents on link figures that kept moving, and
 * each swing renumbered everything below it (strip-300-lossy seed 6, session 47).
 */
export function parentHoldMs(p: Pick<SpanningTreeParams, 'parent_hold_ms' | 'parent_hold_leading_ms'>, leads: boolean): number {
  return leads ? p.parent_hold_leading_ms : p.parent_hold_ms;
}
