/**
 * What signing costs on the air (issue 20, "cost on the air"), computed from the schema table
 * rather than typed in: each signed tree message as a blob, as a Package (app id 16 + half
 * hash 16 + blob), and whether it still fits one packet of the tree's schemas (0: ESP-NOW,
 * 250-byte frames; 20: RYLR-998, 240-byte frames). Signed tree messages are upstream's 90-byte
 * message less the sender's node id (the receiver knows it from the link, tree-seal.ts) followed
 * by the tree epoch (u32) and one signature: the sender's over the message for
 * SEND/RESPOND/REQUEST, the parent's link signature (tree-chain.ts) for ASSIGN. A neighbour's
 * chain travels on request, 96 bytes a link (signed-messages.ts), or, for its last link, inside
 * the SEND that advertises a new address (+64 bytes).
 */
import { getSchema } from '../wire/schemas.js';
import { NODE_ID_BYTES } from '../wire/constants.js';
import { SIGNATURE_BYTES } from './tree-chain.js';
import { WORK_NONCE_BYTES } from './root-work.js';

export const TREE_MESSAGE_BYTES = 90; // protocol.md §6.3
export const EPOCH_BYTES = 4;
export const PACKAGE_OVERHEAD_BYTES = 32; // app id (16) + half SHA-256 (16)
export const BEACON_SIGNATURE_BYTES = SIGNATURE_BYTES; // a Beacon signed by its sender's key

export interface AirCost {
  readonly what: string;
  readonly openBlob: number;
  readonly signedBlob: number;
  readonly signedPackage: number;
  /** Largest Package one packet of the schema carries, and whether the signed one fits. */
  readonly espnowBody: number;
  readonly fitsEspnow: boolean;
  readonly rylrBody: number;
  readonly fitsRylr: boolean;
}

function cost(what: string, openBlob: number, added: number): AirCost {
  const espnowBody = getSchema(0)?.maxBody ?? 0;
  const rylrBody = getSchema(20)?.maxBody ?? 0;
  const signedBlob = openBlob + added;
  const signedPackage = signedBlob + PACKAGE_OVERHEAD_BYTES;
  return { what, openBlob, signedBlob, signedPackage, espnowBody, fitsEspnow: signedPackage <= espnowBody, rylrBody, fitsRylr: signedPackage <= rylrBody };
}

/** The table docs/security.md prints. */
export function signedTreeCosts(): AirCost[] {
  return [
    cost('tree SEND / RESPOND / REQUEST', TREE_MESSAGE_BYTES, EPOCH_BYTES + SIGNATURE_BYTES - NODE_ID_BYTES),
    cost('tree ASSIGN (carries the link)', TREE_MESSAGE_BYTES, EPOCH_BYTES + SIGNATURE_BYTES - NODE_ID_BYTES),
    cost('one chain link (compact: child + signature)', 0, NODE_ID_BYTES + SIGNATURE_BYTES),
    cost('tree SEND / RESPOND with root_work (+ the root\'s nonce)', TREE_MESSAGE_BYTES, EPOCH_BYTES + SIGNATURE_BYTES - NODE_ID_BYTES + WORK_NONCE_BYTES),
    // A broadcast SEND from a new place carries the link to it (tree-seal.ts), with root_work too.
    cost('tree SEND from a new place (+ its link, + nonce)', TREE_MESSAGE_BYTES, EPOCH_BYTES + 2 * SIGNATURE_BYTES - NODE_ID_BYTES + WORK_NONCE_BYTES),
    // A root's own sealed SEND passed on ahead of its tree (root-news.ts): op + the sealed message.
    cost('root news (op + a root\'s sealed SEND, + nonce)', TREE_MESSAGE_BYTES, 1 + EPOCH_BYTES + SIGNATURE_BYTES - NODE_ID_BYTES + WORK_NONCE_BYTES),
  ];
}
