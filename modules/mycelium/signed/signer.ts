/**
 * What signs for a signed node, and the SignedTree app's identity (issue 20): its app id, listed
 * in our Beacons, is the capability "this neighbour signs" (the simulator and tests need it
 * without building the app).
 */
import type { Hashes } from '../platform/platform.js';
import { appId } from '../wire/ids.js';
import { unwrap } from '../wire/result.js';

/** What signs for this node: its NodeKey (and, for `root_work`, its best work nonce: loadRootWork). */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
  readonly rootWork?: { readonly nonce: Uint8Array; readonly bits: number };
}

export const SIGNED_TREE_NAME = 'SignedTree';
export const SIGNED_TREE_DESCRIPTION = 'Signed tree layer';

/** SignedTree's app id (the capability our Beacons list) without building the app. */
export function signedTreeAppId(hashes: Hashes): Uint8Array {
  return unwrap(appId(hashes, SIGNED_TREE_NAME, SIGNED_TREE_DESCRIPTION, 0));
}
