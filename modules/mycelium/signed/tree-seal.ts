/**
 * The signed form of a tree message among our nodes (issue 20): upstream's 90 bytes without
 * their last field, the sender's node id, then the tree's epoch, then one signature:
 *
 *   inner less its node id (58) ‖ epoch u32 BE ‖ signature (64) [‖ root work nonce (8)]
 *
 * The node id is the sender's: signed nodes take tree messages only from the neighbour that
 * wrote them (signed-tree.ts), whose id the receiver knows from the link, so it is put back from
 * there (126 bytes instead of 158; 32 bytes off every signed tree message). SEND, RESPOND and
 * REQUEST carry the sender's signature over MESSAGE_DOMAIN ‖ inner (all 90 bytes) ‖ epoch: a
 * message taken for another sender's does not verify. ASSIGN carries instead the parent's *link*
 * signature for the child (tree-chain.ts), and no chain: the child proved its parent's before
 * asking. With `root_work` (root-work.ts) the claimed root's best work nonce follows, unsigned:
 * it proves itself (one hash), and a relay that strips or swaps it only lowers that root's
 * weight in its own claims. A broadcast SEND from a new place carries, before the nonce, the
 * *link* that gives the sender that place (its parent's signature; root, epoch, child and address
 * are the SEND's own fields): neighbours that hold the parent's chain prove the place from it,
 * as from the one-link announcement (CHAIN_TAIL) it replaces — 64 bytes in the SEND instead of a
 * Package of 118 (session 11). Lengths: 126, +64 with a link, +8 with a nonce. Upstream never
 * receives this form: a 90-byte blob is the unsigned one.
 */
import { bytesEqual, concatBytes, u32be, utf8Encode } from '../wire/bytes.js';
import { TREE_MESSAGE_BYTES } from '../wire/messages/tree.js';
import { NODE_ID_BYTES } from '../wire/constants.js';
import { SIGNATURE_BYTES } from './tree-chain.js';
import { WORK_NONCE_BYTES } from './root-work.js';

export const EPOCH_BYTES = 4;
/** What signing adds to every tree message. */
export const SEAL_BYTES = EPOCH_BYTES + SIGNATURE_BYTES;
/** The tree message as sent sealed: all but the sender's node id (its last field). */
const SENT_INNER_BYTES = TREE_MESSAGE_BYTES - NODE_ID_BYTES;
export const SIGNED_TREE_BYTES = SENT_INNER_BYTES + SEAL_BYTES;
const MESSAGE_DOMAIN = 'myc-tree-msg\x01';

export interface Sealed {
  readonly inner: Uint8Array;
  readonly epoch: number;
  readonly signature: Uint8Array;
  /** The parent's chain: always empty (parents send none; kept for the ASSIGN path's shape). */
  readonly chain: Uint8Array;
  /** The claimed root's work nonce, when the sender attached one. */
  readonly work: Uint8Array | undefined;
  /** A SEND's link to the place it advertises (its parent's signature), when attached. */
  readonly link: Uint8Array | undefined;
}

/** The bytes a sender signs for `inner` in the tree of `epoch` (never a link's bytes: another domain). */
export function messageToSign(inner: Uint8Array, epoch: number): Uint8Array {
  return concatBytes(utf8Encode(MESSAGE_DOMAIN), inner, u32be(epoch >>> 0));
}

/** Seal the 90-byte `inner` written by its sender (its node id, the last field, is left out); `link`: a SEND's link (above). */
export function seal(inner: Uint8Array, epoch: number, signature: Uint8Array, work: Uint8Array = new Uint8Array(0), link: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concatBytes(inner.subarray(0, SENT_INNER_BYTES), u32be(epoch >>> 0), signature, link, work);
}

/** The parts of a signed tree blob sent by `sender` (a 32-byte node id), or undefined when its length cannot be one. */
export function unseal(blob: Uint8Array, sender: Uint8Array): Sealed | undefined {
  const extra = blob.length - SIGNED_TREE_BYTES;
  const work = extra === WORK_NONCE_BYTES || extra === SIGNATURE_BYTES + WORK_NONCE_BYTES;
  const link = extra === SIGNATURE_BYTES || extra === SIGNATURE_BYTES + WORK_NONCE_BYTES;
  if ((extra !== 0 && !work && !link) || sender.length !== NODE_ID_BYTES) return undefined;
  const at = SENT_INNER_BYTES;
  const epoch = ((blob[at] << 24) | (blob[at + 1] << 16) | (blob[at + 2] << 8) | blob[at + 3]) >>> 0;
  return {
    inner: concatBytes(blob.subarray(0, at), sender),
    epoch,
    signature: blob.subarray(at + EPOCH_BYTES, SIGNED_TREE_BYTES),
    chain: new Uint8Array(0),
    work: work ? blob.subarray(blob.length - WORK_NONCE_BYTES) : undefined,
    link: link ? blob.subarray(SIGNED_TREE_BYTES, SIGNED_TREE_BYTES + SIGNATURE_BYTES) : undefined,
  };
}

/** Whether `address` (16 bytes) is a root's: all zero (no coordinates). */
export function isRootAddress(address: Uint8Array): boolean {
  return bytesEqual(address, new Uint8Array(address.length));
}
