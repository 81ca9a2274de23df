/**
 * This node's own tree addresses, and the one it gave up last within its tree (docs/routing.md
 * "Routes and loops", item 5). One address per tree state, two kept: the previous tree's stays routable
 * while a tree changes, `PREVIOUS_ADDRESS_RESENDS` resend periods; after that it is kept (tree
 * messages and collisions read it) but neither sent from nor taken as ours.
 *
 * When a node moves within its tree (a new parent), senders keep using the address they knew:
 * resends of a message go to the address it was sent to, an answer goes to the address the
 * question carried. Such a packet reaches the place the node had, whose parent still names the
 * node by a direct route and hands it over, or the node on its way — and the node relayed it
 * on as a stranger's, round the neighbourhood until the loop guard dropped it (lossy-50 seed 16:
 * 108 arrivals at the node that had just left the address, 26 pings lost). So a node takes
 * packets for its previous address as its own for a while (`previousMs`), unless it knows
 * another node holds that address now (a neighbour says so, or a route names another node).
 */
import type { Address } from '../wire/address.js';

/**
 * How long a previous address stays ours, in end-to-end resend periods (`sendRetryDelayMs`): a
 * sender resends a message to the address it was sent to for a few periods (30 s on ESP-NOW); of
 * the 108 arrivals on lossy-50 seed 16, 83 came within 5 s of the move and none after 30 s.
 */
export const PREVIOUS_ADDRESS_RESENDS = 15;

export class OwnAddresses {
  /** Newest last. */
  readonly list: Address[] = [];
  // The address given up last within its tree, and until when it is still taken as ours.
  declare private previous: Address | undefined;
  declare private previousUntil: number;
  // Until when the other tree's address is still ours (set when the current tree changes).
  declare private otherUntil: number;

  /**
   * Take `address` at `now`; `alone`: every other goes, the previous one too (its tree's addresses
   * are another tree's: apps/tree-collisions.ts). `previousMs`: how long the one it replaces in
   * the same tree stays ours for packets still addressed to it, and the address of the tree we
   * leave for another stays ours (sourceIn).
   */
  set(address: Address, alone: boolean, now: number, previousMs: number): void {
    const list = this.list;
    if (list[list.length - 1]?.treeState !== address.treeState) this.otherUntil = now + previousMs;
    const i = list.findIndex((a) => a.treeState === address.treeState);
    if (i >= 0) {
      if (!list[i].equals(address)) this.keepPrevious(alone ? undefined : list[i], now + previousMs);
      list.splice(i, 1);
    } else if (alone) {
      this.keepPrevious(undefined, 0);
    }
    list.push(address);
    if (list.length > (alone ? 1 : 2)) list.splice(0, list.length - (alone ? 1 : 2));
  }

  in(treeState: number): Address | undefined {
    return this.list.find((a) => a.treeState === treeState);
  }

  /** None yet, or our current tree is one we took within `previousMs` (set) of `now`. */
  newInTree(now: number): boolean {
    return this.list.length === 0 || this.otherUntil > now;
  }

  /**
   * Our address in `treeState` to send from: the current tree's, or the previous tree's for
   * `previousMs` (set) after we left it (a tree change: answers to it still reach us). Past that it names
   * a place in a tree that may be gone, or another tree that drew the same state byte: a node of
   * a 150-node line sent from its formation tree's root address, and the relay next to the live
   * root of that state took the root for the sender and found no way on (docs/routing.md "Routes
   * and loops", item 5).
   */
  sourceIn(treeState: number, now: number): Address | undefined {
    const a = this.in(treeState);
    return a === undefined || this.fresh(a, now) ? a : undefined;
  }

  /** A packet to `bytes` in `treeState` is for one of our addresses: the current tree's, or the previous tree's while fresh (sourceIn). */
  holds(treeState: number, bytes: Uint8Array, now: number): boolean {
    for (const a of this.list) if (a.treeState === treeState && a.sameBytes(bytes)) return this.fresh(a, now);
    return false;
  }

  /** `address` is one of ours: the current tree's, or the previous tree's while fresh (sourceIn). */
  isOurs(address: Address, now: number): boolean {
    for (const a of this.list) if (a.equals(address)) return this.fresh(a, now);
    return false;
  }

  private fresh(a: Address, now: number): boolean {
    return a === this.list[this.list.length - 1] || now < this.otherUntil;
  }

  /**
   * The previous address when `bytes` in `treeState` name it and it is still taken as ours at
   * `now`; the caller checks that nobody else holds it now.
   */
  previousFor(treeState: number, bytes: Uint8Array, now: number): Address | undefined {
    const p = this.previous;
    if (p === undefined || now >= this.previousUntil) return undefined;
    if (p.treeState !== treeState || !p.sameBytes(bytes) || this.in(treeState) === undefined) return undefined;
    return p;
  }

  clear(): void {
    this.list.length = 0;
    this.keepPrevious(undefined, 0);
  }

  private keepPrevious(address: Address | undefined, until: number): void {
    this.previous = address;
    this.previousUntil = until;
  }
}
