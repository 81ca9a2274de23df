/**
 * A tree message from a stranger: a neighbour whose beacon we never heard (SpanningTree
 * `peers_from_tree`, docs/lora.md "Claims heard once"). Upstream takes its peers from
 * beacons only and drops any other message of a node it does not know (protocol.md §6.3). On
 * LoRa a node whose start beacons all collided at a neighbour stays unknown there until its next
 * periodic beacon, 2 P away (27 min at SF9): its adverts, answers and requests were dropped
 * meanwhile, and two halves of a 4-node line stood as two trees for 13 minutes (`lora-line`).
 *
 * A SEND, RESPOND or REQUEST names its sender and came on a link: the sender is taken as a peer
 * on that link, as a hello naming itself is (hello.ts), through the same admission and link
 * binding (neighbours.ts `addPeer`): a stranger can make itself a peer by a tree message as it
 * could by a beacon, and a link already bound to another peer is never moved. An ASSIGN answers
 * a REQUEST of ours, so it only ever comes from a peer. Nothing changes on the air.
 */
import type { Delivery } from '../packager/application.js';
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import { TreeOp, type TreeMessage } from '../wire/messages/tree.js';

/** The peer `m` came from: `from.peer`, or with `take` a stranger made a peer on the link it came on. */
export function treeSender(packager: Packager, m: TreeMessage, from: Delivery, take: boolean): Peer | undefined {
  if (from.peer !== undefined || !take || from.mac === undefined || from.iface === undefined || m.op === TreeOp.ASSIGN_ADDRESS) return from.peer;
  const peer = packager.addPeer(m.nodeId, [{ mac: from.mac, radio: from.iface.radio }]);
  if (peer) packager.counters.inc('tree_stranger_peer');
  return peer;
}
