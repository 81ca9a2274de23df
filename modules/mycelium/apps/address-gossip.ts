/**
 * When the SpanningTree gossips a new address of ours (upstream's `pub`): at once when it is in
 * another tree than the last one gossiped (a join or a new root: what others must learn), else at
 * most once per `holddownMs`, the latest address at the end of the window. While a tree forms or
 * repairs, nodes move several times in seconds, and each move would flood the whole mesh (a
 * 50-node lossy mesh spent 4 MB in 5 minutes on them).
 */
import type { Address } from '../wire/address.js';
import { bytesEqual } from '../wire/bytes.js';
import type { Packager } from '../packager/packager.js';

export interface AddressGossipHost {
  packager(): Packager;
  now(): number;
  /** Within one tree, at most one gossiped address per this many ms. */
  holddownMs(): number;
  /** Put `addr` on the wire (the tree's gossiped SEND). */
  publish(addr: Address): void;
}

export class AddressGossip {
  readonly #host: AddressGossipHost;
  /** The timer of the trailing advert. */
  readonly #eventId: string;
  #tree = -1;
  #bytes: Uint8Array | undefined;
  #at = -Infinity;

  constructor(host: AddressGossipHost, eventId: string) {
    this.#host = host;
    this.#eventId = eventId;
  }

  /** Our address became `a`. */
  changed(a: Address): void {
    const h = this.#host;
    const now = h.now();
    if (a.treeState !== this.#tree || now - this.#at >= h.holddownMs()) {
      h.packager().cancel(this.#eventId);
      this.#publish(a, now);
    } else if (!h.packager().isScheduled(this.#eventId)) {
      // At the end of the window, the latest address if it is not the one already gossiped (not
      // through changed(): with fractional clocks "now - at" can fall a hair short, for ever).
      h.packager().schedule(this.#eventId, Math.max(1, this.#at + h.holddownMs() - now), () => {
        const latest = h.packager().address;
        if (latest && !(latest.treeState === this.#tree && this.#bytes && bytesEqual(latest.bytes, this.#bytes))) this.#publish(latest, h.now());
      });
    }
  }

  stop(): void {
    this.#host.packager().cancel(this.#eventId);
  }

  #publish(a: Address, now: number): void {
    this.#tree = a.treeState;
    this.#bytes = a.bytes;
    this.#at = now;
    this.#host.publish(a);
  }
}
