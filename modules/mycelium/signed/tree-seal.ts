/**
 * The signed form of a tree message among our nodes (issue 20): upstream's 90 bytes, then the
 * tree's epoch, then one signature, then (ASSIGN only) the parent's own chain:
 *
 *   inner (90) ‖ epoch u32 BE ‖ signature (64) [‖ parent chain: d × 112] [‖ root work nonce (8)]
 *
 * SEND, RESPOND and REQUEST carry the sender's signature over MESSAGE_DOMAIN ‖ inner ‖ epoch
 * (the sender's key is its node id, inside `inner`). ASSIGN carries instead the parent's *link*
 * signature for the child (tree-chain.ts) and the parent's chain, so the child verifies its new
 * address from the root before taking it. With `root_work` (root-work.ts) the claimed root's
 * best work nonce follows, unsigned: it proves itself (one hash), and a relay that strips or
 * swaps it only lowers that root's weight in its own claims. Upstream never receives this form:
 * a 90-byte blob is the unsigned one.
 */
import { bytesEqual, concatBytes, u32be, utf8Encode } from '../wire/bytes.js';
import { TREE_MESSAGE_BYTES } from '../wire/messages/tree.js';
import { LINK_BYTES, SIGNATURE_BYTES } from './tree-chain.js';
import { WORK_NONCE_BYTES } from './root-work.js';

export const EPOCH_BYTES = 4;
/** What signing adds to every tree message. */
export const SEAL_BYTES = EPOCH_BYTES + SIGNATURE_BYTES;
export const SIGNED_TREE_BYTES = TREE_MESSAGE_BYTES + SEAL_BYTES;
const MESSAGE_DOMAIN = 'myc-tree-msg\x01';

export interface Sealed {
  readonly inner: Uint8Array;
  readonly epoch: number;
  readonly signature: Uint8Array;
  /** The parent's chain (ASSIGN); empty otherwise. */
  readonly chain: Uint8Array;
  /** The claimed root's work nonce, when the sender attached one. */
  readonly work: Uint8Array | undefined;
}

/** The bytes a sender signs for `inner` in the tree of `epoch` (never a link's bytes: another domain). */
export function messageToSign(inner: Uint8Array, epoch: number): Uint8Array {
  return concatBytes(utf8Encode(MESSAGE_DOMAIN), inner, u32be(epoch >>> 0));
}

export function seal(inner: Uint8Array, epoch: number, signature: Uint8Array, chain: Uint8Array = new Uint8Array(0), work: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes(inner, u32be(epoch >>> 0), signature, chain, work);
}

/** The parts of a signed tree blob, or undefined when its length cannot be one. */
export function unseal(blob: Uint8Array): Sealed | undefined {
  const tail = (blob.length - SIGNED_TREE_BYTES) % LINK_BYTES;
  if (blob.length < SIGNED_TREE_BYTES || (tail !== 0 && tail !== WORK_NONCE_BYTES)) return undefined;
  const end = blob.length - tail;
  const at = TREE_MESSAGE_BYTES;
  const epoch = ((blob[at] << 24) | (blob[at + 1] << 16) | (blob[at + 2] << 8) | blob[at + 3]) >>> 0;
  return {
    inner: blob.subarray(0, at),
    epoch,
    signature: blob.subarray(at + EPOCH_BYTES, SIGNED_TREE_BYTES),
    chain: blob.subarray(SIGNED_TREE_BYTES, end),
    work: tail === 0 ? undefined : blob.subarray(end),
  };
}

/** Whether `address` (16 bytes) is a root's: all zero (no coordinates). */
export function isRootAddress(address: Uint8Array): boolean {
  return bytesEqual(address, new Uint8Array(address.length));
}
