/**
 * SignedTree's own messages (issue 20), beside the tree's sealed ones (tree-seal.ts):
 *
 *   CHAIN_REQUEST (1) [‖ from u8]       "send your chain from depth `from`": the asker verified
 *                                        the links above it (absent: from 0, the whole chain)
 *   CHAIN (6)      ‖ root ‖ epoch ‖ compact links             a whole chain, root first
 *   CHAIN_TAIL (7) ‖ root ‖ epoch ‖ from u8 ‖ compact links   its links from depth `from`
 *   EVIDENCE (3)   ‖ signer ‖ root ‖ epoch ‖ two links (an equivocation)
 *   KEY_PROOF (4)  beacon-proof.ts
 *   ROOT_NEWS (8)  root-news.ts
 *
 * root = 32 bytes, epoch = u32 BE, a link = 112 bytes (tree-chain.ts). A chain sent by its
 * holder is *compact*: the holder's address (16) ‖ for each link but the last, child (32) ‖
 * signature (64) ‖ then the last link's signature (64): 96 bytes a link, less 16. Each link's
 * address is the holder's cut to that link's depth (a chain goes one coordinate down per link),
 * and the last link's child is the sender, so neither needs to cross the air again: the same
 * links, 14–21 % fewer bytes (a one-link tail 150 → 118 bytes; twelve links 1,381 → 1,189). Ops 2
 * and 5 were the full 112-byte-link forms (before session 8); they are refused as unknown.
 * Building and parsing only; parsing returns undefined for anything malformed.
 */
import { concatBytes, u32be } from '../wire/bytes.js';
import { decodeAddress, encodeCoords } from '../wire/address.js';
import { ADDRESS_BYTES, NODE_ID_BYTES } from '../wire/constants.js';
import { SIGNATURE_BYTES, decodeChain, encodeChain, linkMessage, type Link } from './tree-chain.js';
import type { Signatures } from '../platform/platform.js';
import { KEY_PROOF_OP } from './beacon-proof.js';

// Frozen: module-level objects are read-only once preloaded on a board.
export const SignedOp = Object.freeze({ CHAIN_REQUEST: 1, CHAIN: 6, EVIDENCE: 3, KEY_PROOF: KEY_PROOF_OP, CHAIN_TAIL: 7, ROOT_NEWS: 8 /* root-news.ts */ } as const);
/** A compact link but the last: child ‖ signature. */
const COMPACT_LINK = NODE_ID_BYTES + SIGNATURE_BYTES;
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

/**
 * `links` (at least one) from depth `from` of the sender's own chain: CHAIN when from is 0, else
 * CHAIN_TAIL; compact (above), so only the chain's holder may send it.
 */
export function chainMessage(root: Uint8Array, epoch: number, from: number, links: readonly Link[]): Uint8Array {
  const head = from === 0 ? Uint8Array.of(SignedOp.CHAIN) : Uint8Array.of(SignedOp.CHAIN_TAIL);
  const last = links[links.length - 1];
  const out = new Uint8Array(HEAD + (from === 0 ? 0 : 1) + ADDRESS_BYTES + links.length * COMPACT_LINK - NODE_ID_BYTES);
  out.set(concatBytes(head, root, u32be(epoch >>> 0)));
  let at = HEAD;
  if (from > 0) out[at++] = from;
  out.set(last.address, at);
  at += ADDRESS_BYTES;
  for (let i = 0; i < links.length - 1; i++, at += COMPACT_LINK) {
    out.set(links[i].child, at);
    out.set(links[i].signature, at + NODE_ID_BYTES);
  }
  out.set(last.signature, at);
  return out;
}

/**
 * The one-link chain message (CHAIN at depth 1, else CHAIN_TAIL) for the link a sealed SEND
 * carries (tree-seal.ts): `holder` at `address` in root/epoch, its parent's `signature`;
 * undefined for a root's address.
 */
export function linkAsTail(root: Uint8Array, epoch: number, address: Uint8Array, holder: Uint8Array, signature: Uint8Array): Uint8Array | undefined {
  const coords = decodeAddress(address);
  if (!coords.ok || coords.value.length === 0) return undefined;
  return chainMessage(root, epoch, coords.value.length - 1, [{ child: holder, address, signature }]);
}

/** A CHAIN or CHAIN_TAIL with at least one link, sent by `holder` (its last link's child), or undefined. */
export function parseChainMessage(blob: Uint8Array, holder: Uint8Array): ChainMessage | undefined {
  const tail = blob[0] === SignedOp.CHAIN_TAIL;
  const from = tail ? blob[HEAD] : 0;
  let at = tail ? HEAD + 1 : HEAD;
  const body = blob.length - at - ADDRESS_BYTES + NODE_ID_BYTES;
  if (blob.length < at + ADDRESS_BYTES + SIGNATURE_BYTES || body % COMPACT_LINK !== 0 || holder.length !== NODE_ID_BYTES) return undefined;
  const n = body / COMPACT_LINK;
  const coords = decodeAddress(blob.subarray(at, at + ADDRESS_BYTES));
  if (!coords.ok || coords.value.length !== from + n) return undefined;
  at += ADDRESS_BYTES;
  const links: Link[] = [];
  for (let i = 0; i < n; i++) {
    const address = encodeCoords(coords.value.slice(0, from + i + 1));
    if (!address.ok) return undefined;
    const last = i === n - 1;
    const child = last ? holder.slice() : blob.slice(at, at + NODE_ID_BYTES);
    if (!last) at += NODE_ID_BYTES;
    links.push({ child, address: address.value, signature: blob.slice(at, at + SIGNATURE_BYTES) });
    at += SIGNATURE_BYTES;
  }
  return { root: blob.slice(1, 33), epoch: readU32(blob, 33), from, links };
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

/** Whether both links of `e` verify under its signer (the caller checked they differ only in child). */
export function verifyEvidence(ed: Signatures, e: Evidence): boolean {
  const tree = { root: e.root, epoch: e.epoch };
  return ed.verify(e.signer, linkMessage(tree, e.a.child, e.a.address), e.a.signature) && ed.verify(e.signer, linkMessage(tree, e.b.child, e.b.address), e.b.signature);
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
