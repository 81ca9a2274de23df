/**
 * What a signed node does with an equivocation (issue 20): two proved links by one signer giving
 * one coordinate to two children (ChainBook finds them; docs/security.md "Equivocation"). The
 * signer is refused for `rogue_ms`, dropped as a peer (its children look for another parent) and
 * the two links are broadcast as evidence, which every node verifies itself before refusing the
 * signer, and passes on once (a signer already refused is news to nobody).
 */
import type { Packager } from '../packager/packager.js';
import type { Peer } from '../packager/peer.js';
import type { Platform, Signatures } from '../platform/platform.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import type { ChainBook, Equivocation } from './chain-book.js';
import { evidenceMessage, parseEvidence, verifyEvidence } from './signed-messages.js';

/** What this needs of the signed layer (SignedTree). */
export interface RogueHost {
  readonly packager: Packager;
  readonly node: { readonly platform: Platform };
  readonly id: Uint8Array;
}

/** Refuse `e`'s signer and broadcast the evidence, once per signer while it is refused. */
export function refuseRogue(app: RogueHost, book: ChainBook, e: Equivocation, now: number): void {
  const key = toHex(e.signer);
  if (!book.markRogue(key, now)) return;
  app.packager.counters.inc('signed_equivocation');
  app.node.platform.log('warn', `SignedTree: ${key.slice(0, 16)}… gave one address to two children; refused`);
  app.packager.removePeer(e.signer); // its children look for another parent
  app.packager.broadcast(app.id, evidenceMessage(e));
}

/**
 * A neighbour's EVIDENCE: verified (two signatures, within `peer`'s budget: `verify` counts) before
 * its signer is refused. Malformed or self-contradictory evidence is dropped and counted.
 */
export function onEvidence(app: RogueHost, book: ChainBook, blob: Uint8Array, peer: Peer, verify: (peerKey: string, n: number, now: number, check: (ed: Signatures) => boolean) => boolean): void {
  const ev = parseEvidence(blob);
  if (!ev) return app.packager.counters.inc('signed_bad_message');
  const now = app.node.platform.now();
  if (book.isRogue(toHex(ev.signer), now)) return;
  if (!bytesEqual(ev.a.address, ev.b.address) || bytesEqual(ev.a.child, ev.b.child)) return app.packager.counters.inc('signed_bad_chain');
  if (verify(peer.key, 2, now, (ed) => verifyEvidence(ed, ev))) refuseRogue(app, book, ev, now);
}
