/**
 * Answering a neighbour's REQUEST for an address (upstream's ASSIGN_ADDRESS): the next free
 * coordinate under our own address (tree-coordinates.ts), refused and counted when our children
 * are full, the address has no room for another level (a border then: tree-borders.ts), or we
 * are a sleepy leaf.
 */
import { Address, encodeCoords } from '../wire/address.js';
import { TreeOp } from '../wire/messages/tree.js';
import { isFull } from './tree-claims.js';
import type { Packager } from '../packager/packager.js';
import type { CoordMove, TreeCoordinates } from './tree-coordinates.js';
import type { TreeMessages } from './tree-messages.js';
import type { SpanningTreeParams } from './tree-params.js';

export function assignChild(p: Packager, coords: TreeCoordinates, msgs: TreeMessages, params: SpanningTreeParams, peerKey: string, peerId: Uint8Array, now: number, leaf: boolean): void {
  const mine = p.address;
  if (!mine) return;
  // A sleepy leaf is nobody's parent (docs/sleep.md): a neighbour that asked before our hello told
  // it what we are got an address under ours, and with it no way to route (no leaf relays).
  if (leaf) return p.counters.inc('tree_leaf_refused_child');
  coords.rebase(mine);
  // Neighbours at addresses under ours that we did not give (we rebooted, or came back to an
  // address whose table we no longer keep) keep their coordinates, the asker its own. Their
  // coordinates peeked, not read: a read keeps a decoded copy on each (≈ 60 B a peer on XS).
  const depth = mine.coords.length;
  for (const q of p.peers) {
    const addrs = q.addrs;
    const newest = addrs[addrs.length - 1];
    if (newest !== undefined && newest.treeState === mine.treeState && newest.peekCoords().length === depth + 1) tellToMove(p, msgs, coords.heard(q.key, newest, now));
  }
  const coord = coords.assign(peerKey, now);
  if (coord === undefined) {
    p.counters.inc('tree_children_full');
    return;
  }
  const bytes = encodeCoords([...mine.coords, coord]);
  if (!bytes.ok || isFull(mine.coords, params.address_levels)) {
    p.counters.inc('tree_too_deep');
    return;
  }
  msgs.send(TreeOp.ASSIGN_ADDRESS, peerId, bytes.value);
  // route_on_assign: what we assign is our route to the child now, not after its next advert.
  const child = params.route_on_assign ? Address.fromBytes(mine.treeState, bytes.value) : undefined;
  if (child?.ok) p.addRoute(peerId, child.value);
}

/**
 * Two neighbours held one address under ours (tree-coordinates.ts `contested`): `move.key` is told
 * the coordinate that is its own now, by an ASSIGN it did not ask for. A build of ours takes it for
 * a word to ask (SpanningTree `adopt`, tree-offer.ts `toldToMove`) and asks: the ASSIGN that
 * answers its REQUEST moves it. Upstream's answers with a RESPOND and stays; it is not told (only
 * a neighbour that speaks Hello is).
 */
export function tellToMove(p: Packager, msgs: TreeMessages, move: CoordMove | undefined): void {
  if (!move) return;
  const mine = p.address;
  const peer = p.peerByKey(move.key);
  if (!mine || !peer) return;
  const bytes = encodeCoords([...mine.coords, move.coord]);
  if (!bytes.ok) return;
  p.counters.inc('tree_address_contested');
  msgs.send(TreeOp.ASSIGN_ADDRESS, peer.id, bytes.value);
}

/** A new child could get an address under ours: we hold one, and the next free coordinate still fits under it. */
export function roomForChild(p: Packager, coords: TreeCoordinates, params: SpanningTreeParams, now: number): boolean {
  const mine = p.address;
  if (!mine || isFull(mine.coords, params.address_levels)) return false;
  const c = coords.nextFree(now);
  return c !== undefined && encodeCoords(mine.coords.concat(c)).ok; // concat: see isFull
}
