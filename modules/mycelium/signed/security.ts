/**
 * The security options of a node (issue 20), as a scenario, AppMesh or host config gives them:
 * `{ "mode": "open" | "signed" | "mixed", "pinned_roots": [hex keys] }`.
 * - open: upstream's bytes exactly; no keys used (today's behaviour).
 * - signed: every tree message is signed and verified; unsigned ones are refused.
 * - mixed: as signed among neighbours whose Beacon lists the SignedTree app; upstream
 *   neighbours speak upstream's tree and are taken as leaves only (never parent, never root).
 * `pinned_roots`: when not empty, only these keys may be root (others' claims are refused).
 * `root_work`: claims are weighted by their root's proof of work (root-work.ts) before their
 * score; every node of a mesh must agree on it, as on the pins (else they elect differently).
 */
import { fromHex } from '../wire/bytes.js';
import { MAX_CHAIN_LINKS } from './tree-chain.js';

export type SecurityMode = 'open' | 'signed' | 'mixed';

export interface SecurityOptions {
  readonly mode: SecurityMode;
  /** Hex public keys (= node ids in signed modes) allowed to be root; empty: any. */
  readonly pinned_roots?: readonly string[];
  /** Weight root claims by proof of work (root-work.ts); default false. */
  readonly root_work?: boolean;
  /** Work below this many bits counts for nothing; each bit from it on is a score bit (default ROOT_WORK_FLOOR_BITS, 20). */
  readonly root_work_floor?: number;
}

export const OPEN_SECURITY: SecurityOptions = Object.freeze({ mode: 'open', pinned_roots: Object.freeze([]) as readonly string[] });

export interface SignedTreeParams {
  /** Signatures one neighbour may make us verify per round (the rest are dropped unverified). */
  verify_per_round: number;
  /** The round of that budget: the tree's maintenance period. */
  verify_round_ms: number;
  /** Neighbours whose proved chains (and budgets) are kept. */
  chains_limit: number;
  /** Longest chain verified (links); below MAX_CHAIN_LINKS it cuts deep trees apart (tree-chain.ts). */
  max_depth: number;
  /** At most one chain request to a neighbour per this many ms. */
  chain_request_ms: number;
  /** Two children holding one coordinate within this window prove their parent's equivocation. */
  conflict_ms: number;
  /** How long a signer proved rogue is refused. */
  rogue_ms: number;
}

export const SIGNED_TREE_DEFAULTS: SignedTreeParams = Object.freeze({
  verify_per_round: 64,
  verify_round_ms: 20_000,
  chains_limit: 32,
  max_depth: MAX_CHAIN_LINKS,
  chain_request_ms: 2_000,
  conflict_ms: 60_000,
  rogue_ms: 600_000,
});

/** The pinned keys of `options` as bytes; a malformed key is a configuration error (throws). */
export function pinnedKeys(options: SecurityOptions): Uint8Array[] {
  return (options.pinned_roots ?? []).map((hex) => {
    const key = fromHex(hex);
    if (!key || key.length !== 32) throw new TypeError(`pinned root "${hex}" is not a 32-byte hex key`);
    return key;
  });
}
