/**
 * SignedTree's own messages (issue 20), beside the tree's sealed ones (tree-seal.ts):
 *
 *   CHAIN_REQUEST (1) [‖ from u8]       "send your chain from depth `from`": the asker verified
 *                                        the links above it (absent: from 0, the whole chain)
 *   CHAIN (2)      ‖ root ‖ epoch ‖ links          a whole chain, root first
 *   CHAIN_TAIL (5) ‖ root ‖ epoch ‖ from u8 ‖ links  its links from depth `from`
 *   EVIDENCE (3)   ‖ signer ‖ root ‖ epoch ‖ two links (an equivocation)
 *   KEY_PROOF (4)  beacon-proof.ts
 *
 * root = 32 bytes, epoch = u32 BE, a link = 112 bytes (tree-chain.ts). Building and parsing
 * only; parsing returns undefined for anything malformed.
 */
import { concatBytes, u32be } from '../wire/bytes.js';
import { decodeChain, encodeChain, type Link } from './tree-chain.js';
import { KEY_PROOF_OP } from './beacon-proof.js';

// Frozen: module-level objects are read-only once preloaded on a board.
export const SignedOp = Object.freeze({ CHAIN_REQUEST: 1, CHAIN: 2, EVIDENCE: 3, KEY_PROOF: KEY_PROOF_OP, CHAIN_TAIL: 5 } as const);
const HEAD = 1 + 32 + 4; // op ‖ root ‖ epoch

export interface ChainMessage {
  readonly root: Uint8Array;
  readonly epoch: number;
  /** Depth of the first link sent (0: the whole chain). */
  readonly from: number;
  readonly links: Link[];
}

export function chainRequest(from: number): Uint8Array {
  return from > 0 ? Uint8Array.of(SignedOp.CHAIN_REQUEST, from) : Uint8Array.of(SignedOp.CHAIN_REQUEST);
}

/** `links` from depth `from` of a chain: CHAIN when from is 0, else CHAIN_TAIL. */
export function chainMessage(root: Uint8Array, epoch: number, from: number, links: readonly Link[]): Uint8Array {
  const head = concatBytes(root, u32be(epoch >>> 0));
  if (from === 0) return concatBytes(Uint8Array.of(SignedOp.CHAIN), head, encodeChain(links));
  return concatBytes(Uint8Array.of(SignedOp.CHAIN_TAIL), head, Uint8Array.of(from), encodeChain(links));
}

/** A CHAIN or CHAIN_TAIL with at least one link, or undefined. */
export function parseChainMessage(blob: Uint8Array): ChainMessage | undefined {
  const tail = blob[0] === SignedOp.CHAIN_TAIL;
  const at = tail ? HEAD + 1 : HEAD;
  const links = blob.length > at ? decodeChain(blob.subarray(at)) : undefined;
  if (!links || links.length === 0) return undefined;
  return { root: blob.slice(1, 33), epoch: readU32(blob, 33), from: tail ? blob[HEAD] : 0, links };
}

export interface Evidence {
  readonly signer: Uint8Array;
  readonly root: Uint8Array;
  readonly epoch: number;
  readonly a: Link;
  readonly b: Link;
}

export function evidenceMessage(e: Evidence): Uint8Array {
  return concatBytes(Uint8Array.of(SignedOp.EVIDENCE), e.signer, e.root, u32be(e.epoch >>> 0), encodeChain([e.a, e.b]));
}

export function parseEvidence(blob: Uint8Array): Evidence | undefined {
  const head = 1 + 32 + 32 + 4;
  const links = blob.length > head ? decodeChain(blob.subarray(head)) : undefined;
  if (!links || links.length !== 2) return undefined;
  return { signer: blob.slice(1, 33), root: blob.slice(33, 65), epoch: readU32(blob, 65), a: links[0], b: links[1] };
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}
