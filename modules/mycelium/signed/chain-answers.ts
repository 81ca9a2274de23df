/**
 * Chain requests answered together (issue 20, session 10). A node that joins a tree broadcasts
 * its SEND; its neighbours outside that tree hear it at once and all ask it for its chain. Each
 * answer was a unicast of the same links: at 300 nodes, 426 of 825 whole chains went to a second
 * asker within 250 ms of the first. Requests are now gathered for ANSWER_WAIT_MS and answered
 * once: one broadcast from the lowest depth asked, from which each asker takes the links it
 * lacks (a neighbour that asked nothing ignores a whole chain, unless it is listening for that
 * tree: chain-fetch.ts, session 13); a one-link tail to a lone asker is a unicast (acknowledged).
 * An asker whose answer is lost asks again (ChainFetch).
 * Askers are capped (`limit`, the oldest out: an evicted asker asks again); a neighbour asking
 * many times within the wait gets one answer, so requests cost no more than they did.
 */
import { remember } from './chain-book.js';
import type { OwnChain } from './own-chain.js';
import { chainMessage } from './signed-messages.js';

/** How long requests are gathered before one answer: a few frames' time, far below a fetch's window. */
export const ANSWER_WAIT_MS = 100;

export interface ChainAnswer {
  /** The lone asker's id; undefined: a broadcast. */
  readonly to: Uint8Array | undefined;
  /** The chain message: our links from the lowest depth asked. */
  readonly blob: Uint8Array;
}

export class ChainAnswers {
  readonly #limit: () => number;
  readonly #askers = new Map<string, { readonly id: Uint8Array; readonly from: number }>();

  constructor(limit: () => number) {
    this.#limit = limit;
  }

  /** `peer` (`id`) asked for our links from depth `from`; true when it opens a batch (answer after ANSWER_WAIT_MS). */
  add(peer: string, id: Uint8Array, from: number): boolean {
    const first = this.#askers.size === 0;
    const before = this.#askers.get(peer);
    remember(this.#askers, peer, { id, from: before ? Math.min(before.from, from) : from }, this.#limit());
    return first;
  }

  /**
   * The answer to the batch from our chain `own`, and the batch cleared: undefined when nobody
   * asked or we are root (our next SEND proves itself), 'no_chain' before we proved one. An
   * asker holds the links above its `from`; a `from` beyond our depth means it saw us at
   * another address: the whole chain.
   */
  take(own: OwnChain | undefined): ChainAnswer | 'no_chain' | undefined {
    const depth = own?.links.length ?? 0;
    let start = depth;
    let to: Uint8Array | undefined;
    for (const a of this.#askers.values()) {
      start = Math.min(start, a.from > 0 && a.from < depth ? a.from : 0);
      to = a.id;
    }
    const n = this.#askers.size;
    this.#askers.clear();
    if (n === 0) return undefined;
    if (!own) return 'no_chain';
    // More than one link goes by broadcast even to one asker: neighbours listening for this tree take it too (chain-fetch.ts).
    return depth === 0 ? undefined : { to: n === 1 && depth - start <= 1 ? to : undefined, blob: chainMessage(own.root, own.epoch, start, own.links.slice(start)) };
  }

  clear(): void {
    this.#askers.clear();
  }
}
