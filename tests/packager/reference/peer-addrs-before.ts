/**
 * How a `Peer` held its addresses before session 15 (peer.ts `held`: one bare, two in an array),
 * kept as the reference tests/packager/peer-addrs-layout.test.ts drives beside the two fields that
 * replaced it. The methods are unchanged from peer.ts.
 */
import type { Address } from '../../../modules/mycelium/wire/address.js';

const NO_ADDRESSES: readonly Address[] = Object.freeze([]);

export class PeerAddrsBefore {
  private held: Address | Address[] | undefined;

  get addrs(): readonly Address[] {
    const a = this.held;
    return a === undefined ? NO_ADDRESSES : Array.isArray(a) ? a : [a];
  }

  setAddr(addr: Address): void {
    const addrs = this.addrs.filter((a) => a.treeState !== addr.treeState);
    addrs.push(addr);
    if (addrs.length > 2) addrs.shift();
    this.held = addrs.length === 1 ? addrs[0] : addrs;
  }

  holdsNow(addr: Address): void {
    const addrs = this.addrs;
    if (!addrs[addrs.length - 1]?.equals(addr)) this.setAddr(addr);
  }

  dropAddr(treeState: number): void {
    const addrs = this.addrs.filter((a) => a.treeState !== treeState);
    if (addrs.length !== this.addrs.length) this.held = addrs.length === 0 ? undefined : addrs.length === 1 ? addrs[0] : addrs;
  }
}
