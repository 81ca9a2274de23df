/**
 * Signed tree addresses (issue 20): an address is a certificate chain from the root, as
 * micropycelium's spec intends. Each link is one parent's signature binding one child's key
 * (= node id, signed mode) to one coordinate under the parent's own address, in one tree
 * (root key + the root's epoch, a counter the root bumps when it restarts the tree):
 *
 *   signed bytes = "myc-tree-link\x01" ‖ root (32) ‖ epoch (u32 BE) ‖ child (32) ‖ address (16)
 *   link on the wire = child (32) ‖ address (16) ‖ signature (64)            = 112 bytes
 *
 * The signer of link i is the child of link i−1 (link 0: the root), so a chain needs no signer
 * keys on the wire. A chain verifies only if every coordinate list extends its parent's by
 * exactly one coordinate: a parent cannot hand out an address it does not hold, and an
 * address proves nothing for any key but the child named in it. A parent that signs one
 * coordinate for two children leaves two valid links that differ only in the child: any node
 * holding both has proof of the parent's equivocation (`conflicting`).
 * Pure functions over the platform's Signatures; nothing here is kept between calls.
 */
import type { Signatures } from '../platform/platform.js';
import { decodeAddress, encodeCoords } from '../wire/address.js';
import { ADDRESS_BYTES, NODE_ID_BYTES } from '../wire/constants.js';
import { bytesEqual, concatBytes, u32be, utf8Encode } from '../wire/bytes.js';

export const SIGNATURE_BYTES = 64;
/** One link on the wire: child id, child address, the parent's signature. */
export const LINK_BYTES = NODE_ID_BYTES + ADDRESS_BYTES + SIGNATURE_BYTES;
/**
 * The most links a chain can have: one per coordinate, and a 16-byte address holds at most 32
 * (one nibble each). A shorter limit would refuse addresses the tree hands out: nodes below it
 * found trees of their own, and no border forms there (borders form only where an address is
 * full, tree-borders.ts), so the mesh splits (1,000 nodes in s6: 26 roots).
 */
export const MAX_CHAIN_LINKS = ADDRESS_BYTES * 2;
/** Domain separation: a link signature can never be taken for another signed message. */
const LINK_DOMAIN = 'myc-tree-link\x01';

export interface TreeOfChain {
  /** The root's key (its node id in signed mode). */
  readonly root: Uint8Array;
  /** The root's epoch: links of an older epoch do not verify in a newer tree. */
  readonly epoch: number;
}

export interface Link {
  readonly child: Uint8Array;
  readonly address: Uint8Array;
  readonly signature: Uint8Array;
}

export type ChainCheck =
  | { readonly ok: true; readonly holder: Uint8Array; readonly coords: number[] }
  | { readonly ok: false; readonly why: 'bad_link' | 'bad_address' | 'not_child' | 'bad_signature' | 'too_deep' };

/** The bytes a parent signs to give `child` the address `address` in `tree`. */
export function linkMessage(tree: TreeOfChain, child: Uint8Array, address: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(LINK_DOMAIN), tree.root, u32be(tree.epoch >>> 0), child, address);
}

/** A parent's link for `child` at `coords` (the parent's coordinates plus one). */
export function signLink(
  sign: (message: Uint8Array) => Uint8Array,
  tree: TreeOfChain,
  child: Uint8Array,
  coords: readonly number[],
): Link | undefined {
  const address = encodeCoords(coords);
  if (!address.ok) return undefined;
  return { child: child.slice(), address: address.value, signature: sign(linkMessage(tree, child, address.value)) };
}

export function encodeChain(links: readonly Link[]): Uint8Array {
  const out = new Uint8Array(links.length * LINK_BYTES);
  links.forEach((l, i) => {
    out.set(l.child, i * LINK_BYTES);
    out.set(l.address, i * LINK_BYTES + NODE_ID_BYTES);
    out.set(l.signature, i * LINK_BYTES + NODE_ID_BYTES + ADDRESS_BYTES);
  });
  return out;
}

/** The links of `bytes`, or undefined when its length is not a whole number of links. */
export function decodeChain(bytes: Uint8Array): Link[] | undefined {
  if (bytes.length % LINK_BYTES !== 0) return undefined;
  const links: Link[] = [];
  for (let at = 0; at < bytes.length; at += LINK_BYTES) {
    links.push({
      child: bytes.slice(at, at + NODE_ID_BYTES),
      address: bytes.slice(at + NODE_ID_BYTES, at + NODE_ID_BYTES + ADDRESS_BYTES),
      signature: bytes.slice(at + NODE_ID_BYTES + ADDRESS_BYTES, at + LINK_BYTES),
    });
  }
  return links;
}

/**
 * Verify a chain from the root of `tree`: link 0 signed by the root, each next link signed by
 * the previous link's child, each address one coordinate below the previous one. The root's own
 * chain is empty (holder = root, coords []). `maxDepth` bounds the work a peer can ask for.
 * The first `verified` links were verified by this node before (ChainBook.verifiedPrefix): their
 * shape and signers are checked again, their signatures are not.
 */
export function verifyChain(ed: Signatures, tree: TreeOfChain, links: readonly Link[], maxDepth = MAX_CHAIN_LINKS, verified = 0): ChainCheck {
  if (links.length > maxDepth) return { ok: false, why: 'too_deep' };
  let signer = tree.root;
  let coords: number[] = [];
  for (const link of links) {
    if (link.child.length !== NODE_ID_BYTES || link.address.length !== ADDRESS_BYTES || link.signature.length !== SIGNATURE_BYTES) {
      return { ok: false, why: 'bad_link' };
    }
    const decoded = decodeAddress(link.address);
    if (!decoded.ok) return { ok: false, why: 'bad_address' };
    const next = decoded.value;
    if (next.length !== coords.length + 1 || coords.some((c, i) => next[i] !== c)) return { ok: false, why: 'not_child' };
    const known = verified > 0 && coords.length < verified; // a link this node verified before (ChainBook)
    if (!known && !ed.verify(signer, linkMessage(tree, link.child, link.address), link.signature)) return { ok: false, why: 'bad_signature' };
    signer = link.child;
    coords = next;
  }
  return { ok: true, holder: signer, coords };
}

/** Two verified links from the same signer for one address but different children: equivocation. */
export function conflicting(a: Link, b: Link): boolean {
  return bytesEqual(a.address, b.address) && !bytesEqual(a.child, b.child);
}
