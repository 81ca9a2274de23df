/**
 * This node's own place in the signed tree (issue 20): the chains it was assigned and verified
 * (the last four, so that moving back to a recent place needs no new proof), the epoch it draws
 * as root (bumped each time it becomes root again: links of an older tree do not verify in the
 * new one), and the place whose link it last announced (once per place).
 */
import type { Address } from '../wire/address.js';
import { bytesEqual, toHex } from '../wire/bytes.js';
import type { Link } from './tree-chain.js';

export interface OwnChain {
  readonly root: Uint8Array;
  readonly epoch: number;
  readonly address: Uint8Array;
  readonly links: Link[];
}

/** Own chains kept: a node moving back to a place it held lately proves it without asking. */
const OWN_CHAINS = 4;

export class OwnChains {
  #chains: OwnChain[] = [];
  #rootEpoch = 0;
  #wasRoot = false;
  /** The place (root/epoch/address) whose link we last broadcast. */
  #announced = '';

  /** A random 32-bit start for our epochs as root (4 random bytes). */
  seed(r: Uint8Array): void {
    this.#rootEpoch = ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0;
  }

  /** A chain we were assigned and verified. */
  add(chain: OwnChain): void {
    this.#chains = [...this.#chains.filter((c) => !bytesEqual(c.address, chain.address) || !bytesEqual(c.root, chain.root)), chain].slice(-OWN_CHAINS);
  }

  /** Our chain at `address` under `root`: [] when we are root (`nodeId`); undefined before one is proved. */
  current(isRoot: boolean, nodeId: Uint8Array, root: Uint8Array, address: Address): OwnChain | undefined {
    if (isRoot) {
      if (!this.#wasRoot) this.#rootEpoch = (this.#rootEpoch + 1) >>> 0; // a new tree
      this.#wasRoot = true;
      return { root: nodeId, epoch: this.#rootEpoch, address: address.bytes, links: [] };
    }
    this.#wasRoot = false;
    return this.#chains.find((o) => bytesEqual(o.root, root) && address.sameBytes(o.address)); // no copy of our address per entry
  }

  /**
   * Our address changed: the link that gives it to us (its signature), once per place, to carry
   * in the broadcast SEND that advertises it (tree-seal.ts), so that neighbours holding our
   * parent's chain prove us without asking; 64 bytes instead of a request and an answer per
   * neighbour. Undefined when it went out already or we are root.
   */
  announcement(own: OwnChain): Uint8Array | undefined {
    const place = toHex(own.root) + '/' + own.epoch + '/' + toHex(own.address);
    const d = own.links.length;
    if (d === 0 || place === this.#announced) return undefined;
    this.#announced = place;
    return own.links[d - 1].signature;
  }
}
