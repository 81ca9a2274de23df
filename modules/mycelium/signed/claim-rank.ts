/**
 * How a signed node ranks root claims (issue 20): the lowest claim score as upstream, restricted
 * to operator-pinned roots (`pinned_roots`: any other claim is refused, and scores the worst) and
 * weighted by the roots' proof of work when `root_work` is on (root-work.ts). The same rank gives
 * a claim's pace while the tree forms (tree-pace.ts).
 */
import type { Hashes } from '../platform/platform.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import { claimScore } from '../wire/ids.js';
import { leadingFraction } from '../apps/tree-pace.js';
import { WorkBook, weightedPace, weightedScore, ROOT_WORK_FLOOR_BITS } from './root-work.js';
import { pinnedKeys, type SecurityOptions } from './security.js';

export class ClaimRank {
  readonly #pinned: Uint8Array[];
  /** Root keys' best work, when claims are weighted by it (`root_work`); else undefined. */
  readonly #work: WorkBook | undefined;
  readonly #workFloor: number;

  /** `ownKey`/`ownWork`: this node's key and best work nonce; `limit`: root keys whose work is kept. */
  constructor(security: SecurityOptions, ownKey: Uint8Array, ownWork: { readonly nonce: Uint8Array; readonly bits: number } | undefined, limit: () => number) {
    this.#pinned = pinnedKeys(security);
    this.#workFloor = security.root_work_floor ?? ROOT_WORK_FLOOR_BITS;
    this.#work = security.root_work ? new WorkBook(toHex(ownKey), ownWork, limit) : undefined;
  }

  /** Whether a claim for `root` is refused: roots are pinned and it is not one of them. */
  refused(root: Uint8Array): boolean {
    return this.#pinned.length > 0 && !this.#pinned.some((p) => bytesEqual(p, root));
  }

  score(claim: Uint8Array): Uint8Array {
    if (this.refused(claim)) return new Uint8Array(32).fill(0xff); // the worst score
    return this.#work ? weightedScore(claim, this.#work.bits(toHex(claim)), this.#workFloor) : claimScore(claim);
  }

  pace(claim: Uint8Array): number {
    if (this.refused(claim)) return 1;
    return this.#work ? weightedPace(claim, this.#work.bits(toHex(claim)), this.#workFloor) : leadingFraction(claimScore(claim));
  }

  /** Our own claim's pace when we first speak (first-advert.ts): a pinned root is one of the few that may win, so it goes first. */
  startPace(own: Uint8Array): number {
    return this.#pinned.length > 0 && !this.refused(own) ? 0 : this.pace(own);
  }

  /** The work nonce to attach to a message claiming `root` (none without `root_work`). */
  nonce(root: Uint8Array): Uint8Array | undefined {
    return this.#work?.nonce(toHex(root));
  }

  /** A nonce attached to a verified message claiming `root`: kept if it proves more work. */
  learn(hashes: Hashes, root: Uint8Array, nonce: Uint8Array | undefined): void {
    this.#work?.learnNonce(hashes, root, nonce);
  }
}
