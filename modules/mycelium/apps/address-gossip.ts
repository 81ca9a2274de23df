/**
 * When the SpanningTree gossips a new address of ours (upstream's `pub`). Every advert floods the
 * whole mesh, so n nodes each moving k times cost every node n·k relays: a 2,000-node mesh
 * powered on at once spent 1.5 million frames in its first 13 s on them, and a 300-node one
 * 46 KB per node in its first minute (issue 17).
 *
 * An address is gossiped once it has **settled**: held for `settleMs`, the latest address when
 * the timer fires. A move before then (the tree is still forming or repairing) restarts the wait
 * and doubles it, up to `holddownMs` (Trickle, RFC 6206: the interval grows while things keep
 * changing); a quiet spell of `holddownMs` brings it back to `settleMs`. Within the tree last
 * gossiped there is also at most one advert per `holddownMs`. An address that moved on before
 * it settled was useless to a subscriber anyway: routes to it would be stale when they arrived.
 * With `settleMs` 0 a new tree is gossiped at once (the rule before this one).
 */
import type { Address } from '../wire/address.js';
import type { Packager } from '../packager/packager.js';

export interface AddressGossipHost {
  packager(): Packager;
  now(): number;
  /** Within one tree, at most one gossiped address per this many ms; also the longest settle wait. */
  holddownMs(): number;
  /** How long a new address must hold before it is gossiped, at first, ms. */
  settleMs(): number;
  /** Put `addr` on the wire (the tree's gossiped SEND). */
  publish(addr: Address): void;
}

export class AddressGossip {
  readonly #host: AddressGossipHost;
  /** The timer of the pending advert. */
  readonly #eventId: string;
  #tree = -1;
  #bytes: Uint8Array | undefined;
  #at = -Infinity;
  /** The current settle wait, ms (0 until the first change). */
  #settle = 0;
  /** When our address last changed. */
  #changedAt = -Infinity;

  constructor(host: AddressGossipHost, eventId: string) {
    this.#host = host;
    this.#eventId = eventId;
  }

  /** Our address became `a`. */
  changed(a: Address): void {
    const h = this.#host;
    const now = h.now();
    const packager = h.packager();
    const holddown = h.holddownMs();
    const base = Math.min(h.settleMs(), holddown);
    const pending = packager.isScheduled(this.#eventId);
    if (this.isPublished(a)) {
      packager.cancel(this.#eventId);
      this.#changedAt = now;
      return;
    }
    // Moved again before the last address settled: formation is still going on, wait longer.
    if (pending && now - this.#changedAt < this.#settle) this.#settle = Math.min(holddown, Math.max(1, this.#settle * 2));
    else if (now - this.#changedAt >= holddown || this.#settle === 0) this.#settle = base;
    this.#changedAt = now;
    const sameTree = a.treeState === this.#tree;
    let wait = this.#settle;
    if (sameTree) wait = Math.max(wait, this.#at + holddown - now);
    if (wait <= 0) {
      packager.cancel(this.#eventId);
      this.#publish(a, now);
      return;
    }
    // Not through changed(): with fractional clocks "now - at" can fall a hair short, for ever.
    packager.schedule(this.#eventId, Math.max(1, wait), () => {
      const latest = h.packager().address;
      if (latest && !this.isPublished(latest)) this.#publish(latest, h.now());
    });
  }

  /** Our address as last gossiped, again once it is `everyMs` (> 0) old and nothing is pending (pub_refresh_ms). */
  refresh(everyMs: number): void {
    const h = this.#host;
    if (everyMs <= 0) return;
    const now = h.now();
    const a = h.packager().address;
    if (a && this.isPublished(a) && now - this.#at >= everyMs && !h.packager().isScheduled(this.#eventId)) this.#publish(a, now);
  }

  stop(): void {
    this.#host.packager().cancel(this.#eventId);
  }

  private isPublished(a: Address): boolean {
    return a.treeState === this.#tree && this.#bytes !== undefined && a.sameBytes(this.#bytes);
  }

  #publish(a: Address, now: number): void {
    this.#tree = a.treeState;
    this.#bytes = a.bytes;
    this.#at = now;
    this.#host.publish(a);
  }
}
