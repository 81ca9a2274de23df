/**
 * Stacking the signed layer onto a node: the SignedTree, hooked into its SpanningTree and Beacon
 * before either starts.
 */
import type { Hashes } from '../platform/platform.js';
import type { Node } from '../node.js';
import { SpanningTree } from '../apps/spanning-tree.js';
import { Beacon } from '../apps/beacon.js';
import type { SecurityOptions, SignedTreeParams } from './security.js';
import { SignedTree, type Signer } from './signed-tree.js';

/**
 * Stack a SignedTree over `node`'s SpanningTree and add it (after the tree: the order of app ids
 * in Beacons). The layer is attached at once, before the tree starts, so the tree's first root
 * score is already the layer's (a node that is not pinned never starts as a better root).
 */
export function addSignedTree(node: Node, key: Signer, security: SecurityOptions, params: Partial<SignedTreeParams> = {}, hashes: Hashes = node.platform): SignedTree {
  const signed = new SignedTree(hashes, key, security, params);
  const tree = node.app(SpanningTree);
  if (tree) tree.layer = signed;
  const beacon = node.app(Beacon);
  if (beacon) beacon.layer = signed.beaconProof; // before the beacon's first burst
  node.addApp(signed);
  return signed;
}

