/**
 * An address that hangs from nothing (docs/routing.md "Any diameter", session 36). Our parent
 * moved within the tree (a repair above it, or a shallower place) and left our REQUESTs for a
 * place under its new address unanswered: it has no room for us (its coordinates 1–7 taken one
 * nibble short of the 32, its children full). Nobody holds our address's prefix any more, so
 * nothing routed to us arrives, and a border we announce names a gateway nobody reaches; asking
 * again changes nothing, and the parent's heartbeat keeps our tree fresh for as long as it
 * lasts. On a 300-node strip four such nodes kept their addresses for 440 s, one of them the
 * only gateway its tree knew into the next, and a quarter of the flows died at the node above
 * the missing branch (strip-300-lossy seed 6).
 */
import type { Packager } from '../packager/packager.js';
import { isPrefix } from './tree-claims.js';

/**
 * True when our address is not our parent's (`parentKey`) plus one coordinate, and the parent
 * `ignores` us (TreeReplay.ignoring: our last REQUESTs to it in a row got no ASSIGN). Only where
 * the parent speaks Hello: without it (upstream's apps, LoRa) a REQUEST is as likely lost on the
 * air, and leaving costs a tree storm there.
 */
export function hangsFromNothing(p: Packager, parentKey: string, ignores: boolean): boolean {
  if (!ignores) return false;
  const mine = p.address;
  const peer = p.peerByKey(parentKey);
  const at = peer?.addrs[peer.addrs.length - 1];
  if (!mine || !at || peer?.link === undefined) return false;
  return at.treeState !== mine.treeState || at.coords.length !== mine.coords.length - 1 || !isPrefix(at.coords, mine.coords);
}
