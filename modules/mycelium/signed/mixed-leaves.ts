/**
 * Mixed mode's upstream neighbours (issue 20): they speak upstream's unsigned tree, and are taken
 * as leaves only — they may join under us, never become our parent or root. What SignedTree does
 * with their 90-byte messages, and how it sends a broadcast when some neighbours are upstream's.
 */
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import { Address } from '../wire/address.js';
import { bytesEqual } from '../wire/bytes.js';
import { TreeOp, parseTree } from '../wire/messages/tree.js';
import { isPrefix } from '../apps/tree-claims.js';

export type UpstreamVerdict = 'accept' | 'signed_unsigned_refused' | 'signed_leaf_only';

/**
 * Upstream's 90 bytes `blob` from `peer`: taken (our own, or an upstream leaf's REQUEST), or
 * refused with the counter to count: in signed mode, or from a node that should sign. A leaf's
 * SEND is not for the tree; we route to it only at an address directly under ours (one we gave).
 */
export function openUpstream(packager: Packager, mixed: boolean, ours: boolean, blob: Uint8Array, peer: Peer | undefined): UpstreamVerdict {
  const m = parseTree(blob);
  if (m.ok && bytesEqual(m.value.nodeId, packager.nodeId)) return 'accept'; // our own (mixed-mode unicast)
  if (!mixed || !peer || ours || !m.ok) return 'signed_unsigned_refused';
  if (m.value.op === TreeOp.REQUEST_ADDRESS_ASSIGNMENT) return 'accept';
  const mine = packager.address;
  if (m.value.op === TreeOp.SEND && mine) {
    const a = Address.fromBytes(mine.treeState, m.value.address);
    if (a.ok && a.value.coords.length === mine.coords.length + 1 && isPrefix(mine.coords, a.value.coords)) packager.addRoute(m.value.nodeId, a.value);
  }
  return 'signed_leaf_only';
}

/**
 * A broadcast with upstream neighbours around: one unicast each, upstream's bytes to them (a
 * signed blob is not the 90 bytes upstream's parser expects) and sealed to ours. False (nothing
 * sent) when every neighbour is ours: the broadcast is sealed as usual.
 */
export function fanOutMixed(packager: Packager, treeId: Uint8Array, bytes: Uint8Array, ours: (p: Peer) => boolean, seal: (to: Uint8Array) => Uint8Array | undefined): boolean {
  if (!packager.peers.some((p) => !ours(p))) return false;
  for (const p of packager.peers) {
    const out = ours(p) ? seal(p.id) : bytes;
    if (out) packager.send(treeId, out, { nodeId: p.id });
  }
  return true;
}
