/**
 * Every name the node's counter table can hold (`node.state().counters`), so a misspelt counter
 * fails `tsc`. One table per node is shared by the Packager and the layers on top of it: a user
 * asking "why did my packet vanish?" reads one list. Those layers' names are listed here too (as
 * strings only: nothing is imported from above), each group next to the code that counts it.
 */
import type { WireErrorCode } from '../wire/result.js';

/** Frames and packets on the way in. */
type ReceiveCounter =
  | 'rx_frames'
  | 'receive_error' // something threw inside the receive path (contained)
  | `drop_${WireErrorCode}` // a frame, fragment or relayed packet the wire layer refused
  | `drop_package_${WireErrorCode}` // a reassembled payload that is not a Package
  | 'drop_half_hash'
  | 'drop_unknown_app'
  | 'drop_nia_unknown_peer'
  | 'drop_rns_no_mac'
  | 'rns_from_stranger'
  | 'nia_unsupported'
  | 'duplicate_packet'
  | 'duplicate_record_evicted' // a delivery forgotten before its window ended (cap reached)
  | 'delivered'
  | 'app_error' // an app's receive threw (also counted by Gossip for its subscribers)
  | 'rx_compact' // a compact frame, expanded to its upstream bytes (wire/compact-frame.ts)
  | 'drop_compact_invalid'; // a compact frame that does not expand

/** Reassembly of inbound sequences and their RTX requests. */
type InboundCounter =
  | 'duplicate_fragment'
  | 'drop_sequence_too_large'
  | 'drop_inbound_full'
  | 'inbound_evicted'
  | 'sequence_abandoned'
  | 'rtx_requested';

/** Frames on the way out: our sends, acks, relays, the per-peer queue and RNS. */
type TransmitCounter =
  | 'tx_frames'
  | 'tx_acks'
  | 'radio_refused'
  | `send_refused_${WireErrorCode}`
  | 'ack_unbuildable'
  | 'forwarded'
  | 'drop_relay_no_route'
  | 'drop_relay_rate' // the previous hop used up its relay budget (relay-limit.ts)
  | 'drop_routing_loop' // a relayed packet came back round a loop (loop-guard.ts)
  | 'to_previous_address' // a packet for the address we gave up last, taken as ours (own-addresses.ts)
  | 'route_refuted' // a belief that a neighbour holds an address, shown false by a relay or a loop
  | 'drop_ttl_expired'
  | 'drop_local_minimum'
  | 'drop_no_next_hop'
  | 'border_hop' // a packet for a tree we hold no address in, sent toward a gateway (borders.ts)
  | 'hop_around_busy' // the greedy next hop's radio said its duty hour is nearly spent: another that makes progress took it (next-hop.ts)
  | 'drop_no_link'
  | 'drop_peer_gone'
  | 'drop_peer_queue_full'
  | 'drop_peer_asleep'
  | 'drop_wake_queue_full' // a broadcast held for our next wake window, pushed out by newer ones
  | 'sleep_stale_schedule' // a hello whose fragments took over half a window to arrive: its wake phase ignored (schedule-sync.ts)
  | 'sleep_leaf_probe' // a sleepy leaf heard no routing neighbour's hello for a while: asked the one it heard last to answer (leaf-watch.ts)
  | 'sleep_leaf_windows' // a sleepy leaf heard no routing neighbour's hello for a while: listened in every window of its schedule (leaf-watch.ts)
  | 'sleep_leaf_resync' // nor then in every window: listened continuously to find the schedule again (modem-sleep.ts)
  | 'sleep_leaf_survey' // a sleepy leaf listened 3.5 s to hear again another tree it heard a minute before (leaf-promotion.ts)
  | 'sleep_leaf_promoted' // a sleepy leaf became a routing node: no router found, or routers of two trees heard (leaf-promotion.ts)
  | 'short_hop_two_hop' // relayed on a neighbour's neighbour (short-paths.ts)
  | 'short_hop_learned' // relayed on a path learnt from traffic (learned-paths.ts)
  | 'short_hop_landmark' // relayed towards a landmark a neighbour lists (landmarks.ts)
  | 'short_path_fallback' // a packet back at a relay: plain greedy for it, the learnt path it took forgotten
  | 'tx_compact'; // sent as a compact frame to a neighbour that expands them (wire/compact-frame.ts)

/** Acks, retries and retransmissions of what we sent. */
type ReliabilityCounter =
  | 'rx_acks'
  | 'ack_unmatched'
  | 'rtx_served'
  | 'rtx_unknown'
  | 'send_retries'
  | 'send_retry_failed'
  | 'send_held' // our message found no way into its target's tree yet: held to try again (held-sends.ts)
  | 'send_held_full' // ... and no room to hold it: refused as before
  | 'send_held_failed' // a held message still found no way at its last try: given up (message_failed)
  | 'send_unacked'
  | 'sequence_unacked'
  | 'fragment_resent'
  | 'outbound_packet_evicted'
  | 'outbound_sequence_evicted'
  | 'flow_window_shrunk' // an end-to-end timeout halved a sequence's send window
  | 'flow_waiting'; // a fragment waited for the window or the node's in-flight budget (back-pressure)

/** Hop recovery among our own nodes (hop-custody.ts, hop-receipts.ts). */
type HopCounter =
  | 'hop_held' // a frame sent asking a hop ack
  | 'hop_acked'
  | 'hop_resent'
  | 'hop_gave_up' // never hop-acked: left to end-to-end recovery
  | 'hop_custody_full' // sent without hop recovery: the table was full
  | 'hop_ack_unmatched'
  | 'hop_acks_sent'
  | 'hop_duplicate' // a hop resend we already handled: acked again, dropped
  | 'unicast_unacked' // the radio said no ack answered a unicast (unacked.ts)
  | 'unicast_window_retry' // unacked once its sleeping neighbour's window had closed: sent in the next (datagrams.ts)
  | 'unicast_window_gave_up' // unacked once its sleeping neighbour's window had closed (a routed packet: in the next too): given up, the neighbour not marked (datagrams.ts)
  | 'rerouted_unacked' // such a routed packet sent on by another neighbour
  | 'resend_around' // a resend (ours or relayed) sent around the hop its copies died beyond (resend-around.ts)
  | 'resend_around_none' // no clean way around it: sent the usual way
  | 'reroute_none'; // such a routed packet with no other way: lost as before

/** Caps reached, and failures contained in hooks and timed events. */
type TableCounter = 'peer_evicted' | 'peer_unanswered_evicted' | 'peer_refused' | 'link_refused' | 'route_evicted' | 'route_expired' | 'ban_refused' | 'schedule_full' | 'schedule_owner_full' | 'event_error' | 'hook_error';

/** Links claimed by a peer's id (neighbours.ts): a second MAC is a candidate until the bound link falls silent. */
type LinkCounter =
  | 'link_candidate'
  | 'link_promoted'
  | 'send_around_weak_link'; // a message for a LoRa neighbour on a lossy link, routed through a better one (forwarding.ts)

export type PackagerCounterName = ReceiveCounter | InboundCounter | TransmitCounter | ReliabilityCounter | HopCounter | TableCounter | LinkCounter;

/** Why the Debug app refused an admin command (`debug_admin_<reason>`). */
export type AdminRefusal = 'stale' | 'replay' | 'full';

/** Counted by the bundled apps (modules/mycelium/apps/). */
type AppCounterName =
  | 'app_hook_error'
  | 'beacon_bad_message'
  | 'beacon_disconnect_refused' // a DISCONNECT naming a peer, not from one of its links
  | 'gossip_bad_message'
  | 'gossip_cache_evicted' // a cached message pushed out by the count or byte cap
  | 'gossip_relay_limited' // a re-flood skipped: its neighbour's relay rate was used up
  | 'gossip_relay_suppressed' // a re-flood's echo skipped: the message was heard relay_redundancy times
  | 'gossip_relay_unicast' // a re-flood sent by unicast to one neighbour of a sparse neighbourhood (gossip-relay.ts)
  | 'gossip_seen_evicted' // a live seen id pushed out by a full table (the heaviest sender's oldest)
  | 'gossip_too_large' // a large message that cannot fit the cache: not published, or received but not announced
  | 'tree_reset'
  | 'tree_refresh_asked' // a parent that sends no hellos asked to refresh our tree (apps/parent-refresh.ts)
  | 'tree_bad_message'
  | 'tree_advert_not_own'
  | 'tree_stranger_peer' // a tree message from a neighbour whose beacon we never heard made it a peer (tree-strangers.ts)
  | 'tree_replay' // a tree message older (by its sender's clock) than what the sender already said
  | 'tree_assign_unsolicited' // an ASSIGN that answers no REQUEST of ours
  | 'tree_address_contested' // two neighbours held one address under ours: one was told to move (tree-coordinates.ts)
  | 'tree_children_full'
  | 'tree_leaf_refused_child' // a sleepy leaf was asked for an address: nobody's parent (tree-assign.ts)
  | 'tree_too_deep'
  | 'tree_border_advert' // we border another tree and gossiped it (tree-borders.ts)
  | 'tree_border_bad' // a gossiped border advert that did not parse
  | 'tree_parent_lost'
  | 'tree_root_lost'
  | 'tree_root_unreachable'
  | 'tree_root_stale'
  | 'tree_repair_unanswered'
  | 'tree_assign_parent' // our parent or an ancestor, back from a reboot, asked us for an address: refused, it would be a loop (parent-reboot.ts)
  | 'tree_assign_inside' // an ASSIGN offered an address under our own (a loop): refused (tree-offer.ts)
  | 'tree_assign_crossed' // a REQUEST while ours to the same neighbour is out: the lower id waits (tree-offer.ts)
  | 'tree_far_detached' // our way to a root beyond a slow link is gone: started over, nothing poisoned
  | 'tree_root_poisoned'
  | 'tree_root_stepped_aside' // another root has our tree state and a better claim: we gave ours up (tree-collisions.ts)
  | 'tree_step_aside_refused' // a step-aside notice named us for a claim that does not beat ours
  | 'tree_collision_notice' // our root's tree meets another of its tree state: its root was told (tree-collisions.ts)
  | 'tree_rejoin' // a better root adopted: one re-join of the formation storm (spanning-tree.ts)
  | 'tree_news_taken' // news of a better root held: joins of worse roots wait for it (tree-news.ts)
  | 'tree_news_relayed' // that news passed on by broadcast
  | 'tree_news_suppressed' // not passed on: two neighbours did meanwhile
  | 'tree_news_bad' // a news op of the wrong length, or from no known peer
  | 'tree_parent_left' // our parent joined a tree with no room below it: repaired, or started over (tree-repair.ts)
  | 'hello_bad_message'
  | 'route_vector_bad_message' // a RouteVector advert that does not parse (apps/route-vector.ts)
  | 'route_vector_stranger' // a RouteVector advert from no peer, or relayed: dropped
  | 'hello_probe_sent' // our parent was silent too long: asked by unicast to answer (hello-probe.ts)
  | 'hello_probe_unsent' // a probe or an answer the Packager refused
  | 'hello_probe_answer' // a child's probe answered
  | 'hello_probe_refused' // a probe not answered: that asker or too many this period
  | 'hello_probe_answered' // our parent answered our probe: alive
  | 'hello_from_stranger' // a hello from no peer that did not carry its id: dropped, our next hello carries ours (hello-pace.ts)
  | 'hello_probe_stranger' // a probe or answer from no Hello-speaking neighbour, or relayed: dropped
  | 'hello_where_sent' // a sleepy leaf found no route to a node: asked a router where it is (hello-where.ts)
  | 'hello_where_answer' // a leaf's WHERE answered from our table
  | 'hello_where_learned' // a router's HERE gave us a route
  | 'hello_where_unasked' // a HERE for a node we did not ask about, or not from the router asked: dropped
  | 'ping_bad_message'
  | 'ping_respond_failed'
  | 'ping_wait' // our request made while we held no address: waits for one (ping-wait.ts)
  | 'ping_wait_full' // ... and WAITING requests wait already: refused (no_address) as before
  | 'ping_wait_failed' // a waiting request given up: no address within the retry span, or refused once made
  | 'debug_bad_message'
  | 'debug_auth_error'
  | 'debug_bad_admin'
  | `debug_admin_${AdminRefusal}`;

/** Counted by the signed layer (modules/mycelium/signed/, docs/security.md "Modes"). */
export type SignedCounterName =
  | 'signed_verify' // signatures verified
  | 'signed_bad_message'
  | 'signed_bad_signature'
  | 'signed_bad_chain'
  | 'signed_not_direct' // a signed tree message not from its sender (Gossip, a relay)
  | 'signed_not_pinned' // a claim for a root the operator did not pin
  | 'signed_rogue_refused' // from or through a signer proved to equivocate
  | 'signed_unsigned_refused' // upstream's unsigned tree message, from a node that should sign
  | 'signed_leaf_only' // mixed mode: an upstream neighbour's claim, not followed
  | 'signed_budget_exceeded' // over a neighbour's verification budget: dropped unverified
  | 'signed_no_chain' // asked for a chain (or to assign) before we proved our own
  | 'signed_no_signatures' // the platform cannot verify
  | 'signed_chain_requested'
  | 'signed_equivocation' // a parent proved to give one address to two children
  | 'signed_beacon_unproved' // a beacon whose id has not proved its key from that MAC: held, not admitted
  | 'signed_beacon_bad_proof' // a key proof that does not verify for the MAC it came from
  | 'signed_chain_local' // a neighbour's address proved from links already verified: nothing asked
  | 'signed_chain_stale' // a chain's tail that fits no prefix we hold: asked again, in full
  | 'signed_worse_unproved' // a neighbour's SEND for a root worse than ours: answered, its chain not asked
  | 'signed_claim_early' // a SEND or RESPOND of our own root claim before our turn (first-advert.ts): not sent
  | 'signed_chain_deferred' // an advert's chain not asked yet: its tree's chain is on its way, or a better root's was proved
  | 'signed_tail_held' // a neighbour's announced link whose links above we do not hold yet: kept for when they come
  | 'signed_held_superseded' // a held advert of a place its sender has since left (its newer advert or chain says so): dropped
  | 'signed_chain_listening' // a long chain request waits a moment to overhear a neighbour's answer of the same tree
  | 'signed_chain_unasked' // a whole chain broadcast to other askers, from a neighbour we wait on for nothing: ignored
  | 'signed_root_news'; // a better root's own signed message passed on (root-news.ts)

/** Counted by StoreForward (apps/store-forward.ts, docs/store-forward.md). */
type StoreForwardCounterName =
  | 'sf_bad_message'
  | 'sf_delivered' // a held message handed to its app here (once per bundle)
  | 'sf_duplicate' // a bundle delivered here before: receipt sent again, not delivered twice
  | 'sf_no_app' // for this node, but the app does not run here (receipted all the same)
  | 'sf_not_for_us' // a bundle for another node without a custody offer
  | 'sf_attempts' // delivery attempts toward a destination
  | 'sf_attempt_failed' // refused at once or no receipt in time: back-off
  | 'sf_custody_offered'
  | 'sf_custody_handed' // a custodian accepted one of ours: our copy is gone
  | 'sf_custody_refused' // our offer was refused
  | 'sf_custody_taken' // we accepted custody
  | 'sf_custody_refused_full'
  | 'sf_custody_refused_share' // that origin already holds its share of our store
  | 'sf_custody_refused_loop' // offered a bundle we handed away lately: a custody cycle, refused
  | 'sf_expired' // a held bundle outlived its lifetime here
  | 'sf_evicted' // a held bundle pushed out for room
  | 'sf_reply_unsent' // a receipt or status could not be sent (no route)
  | 'sf_storage_error' // the platform's storage refused to read or write the delivered identities
  | 'sf_status_back' // no route to a bundle's origin: its status went back along the custody path
  | 'sf_lookup_sent' // no live route to a destination we hold for: WHERE gossiped
  | 'sf_lookup_answered' // a WHERE for this node: HERE sent to the asker
  | 'sf_lookup_found'; // a HERE for a destination we asked about: its address tried next

/** Counted by the mesh API's app runner (a mod threw or was stopped) and the simulator's traffic app. */
type HostCounterName = 'app_failed' | 'sim_traffic_bad_message';

/** Counted by broadcast pacing on slow interfaces (packager/broadcast-pacing.ts, docs/lora.md "Bridges"). */
type PacingCounterName =
  | 'tx_paced_held' // a broadcast held on a slow interface until its app's spacing has passed
  | 'tx_paced_replaced' // a newer broadcast of the same app took the held one's place
  | 'tx_paced_full' // the pacing table was full of held broadcasts: this one not sent there
  | 'drop_frame_unfit_for_link'; // a frame built for another radio that this one cannot carry (too long for its MTU)

/** Counted by tree borders and their flood (apps/tree-borders.ts, Gossip's subscribeFlood; docs/routing.md "Any diameter"). */
type BorderCounterName =
  | 'vector_hop' // a next hop drawn among the equally short ones of RouteVector's table (hop-vectors.ts)
  | 'vector_full' // a destination RouteVector's full table had no room for (hop-vectors.ts)
  | 'vector_evicted' // a destination dropped to make room in RouteVector's table
  | 'gossip_relay_refused' // a flooded-only message delivered here but not re-flooded: its subscriber's gate (border adverts: scope or relay cap, border-relay.ts)
  | 'tree_border_kept_in'; // an untagged border advert about our own tree, not passed on: news only outside it (border-relay.ts)

/** Counted when a routed single packet goes without asking an end-to-end ack (Timings `endToEndAcks` 0: LoRa under a duty limit below 2 %; docs/lora.md). */
type UnackedCounterName =
  | 'tx_unicast_unacked'
  /** Of those, sent unacked because the first hop's radio had spent more of its duty hour than Timings `endToEndAckDutyMs`. */
  | 'tx_unacked_duty'
  /** Routed packets, acked or not, held a random time before going (Timings `sendSpreadMs`, send-spread.ts); sent at once because too many were held. */
  | 'tx_spread'
  | 'tx_spread_full';

export type CounterName = PackagerCounterName | AppCounterName | SignedCounterName | StoreForwardCounterName | HostCounterName | PacingCounterName | BorderCounterName | UnackedCounterName;
