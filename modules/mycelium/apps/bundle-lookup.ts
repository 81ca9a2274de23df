/**
 * Asking where a destination is (docs/store-forward.md "Finding the destination"). Routes lapse
 * 8 min after their last advert and a node that stays put does not advertise again, so a holder
 * that missed a returning destination's advert (its only neighbour was away just then) knows no
 * address for it, or only the ones it left: it would retry `no_route` until the bundles expire,
 * and it has nothing to choose a custodian by. Such a holder gossips WHERE on StoreForward's own
 * topic; the destination itself, the one node sure to know, answers HERE to the asker's address.
 *
 * Bounded: one WHERE per destination per interval, which starts at `intervalMs` and doubles
 * after each unanswered WHERE up to 8 × (a destination still away is asked about ever more
 * rarely: every WHERE is a flood; StoreForward subscribes with `resync` false, so a WHERE does
 * not restart anyone's anti-entropy), only for destinations we hold bundles for, at most `limit`; one HERE per asker per `intervalMs / 2` (`limit` askers remembered); a
 * HERE counts only for a destination we asked about in the last interval. A forged HERE costs
 * one attempt: the address is one candidate of the rotation (bundle-ways.ts), not the only one.
 */
import { Gossip } from './gossip.js';
import { TtlCache } from '../packager/ttl-cache.js';
import type { Packager } from '../packager/packager.js';
import type { Address } from '../wire/address.js';
import { bytesEqual as same, toHex } from '../wire/bytes.js';
import { LookupOp, parseLookup, serializeHere, serializeWhere } from '../wire/messages/bundle-lookup.js';

export interface LookupHost {
  packager(): Packager;
  gossip(): Gossip | undefined;
  /** StoreForward's app id: its Gossip topic and the app HERE is sent to. */
  readonly appId: Uint8Array;
  now(): number;
  nonce(): number;
  intervalMs(): number;
  /** A destination we asked about answered from `address`. */
  found(destKey: string, address: Address): void;
}

/** The wait between WHEREs for one destination grows to this many `intervalMs`. */
const MAX_BACKOFF = 8;

export class BundleLookup {
  readonly #host: LookupHost;
  readonly #limit: number;
  /** destKey → [when we last asked, the wait before the next WHERE]. */
  readonly #asked = new Map<string, [number, number]>();
  /** Asker node ids answered lately. */
  readonly #answered: TtlCache<true>;

  constructor(host: LookupHost, limit: number) {
    this.#host = host;
    this.#limit = Math.max(1, limit);
    this.#answered = new TtlCache(this.#limit, host);
  }

  /** We hold bundles for `dest` and know no live route to it: ask, unless we did lately. */
  ask(dest: Uint8Array, destKey: string): void {
    const h = this.#host;
    const interval = h.intervalMs();
    const now = h.now();
    const own = h.packager().address;
    const gossip = h.gossip();
    if (!(interval > 0) || !own || !gossip) return;
    // Alone, a WHERE reaches nobody: asking now would only lengthen the wait before the question
    // that counts, once a neighbour is back (an origin whose one neighbour is a sleeper).
    if (h.packager().peers.length === 0) return;
    const last = this.#asked.get(destKey);
    if (last !== undefined && now - last[0] < last[1]) return;
    const blob = serializeWhere({ nonce: h.nonce(), dest, asker: h.packager().nodeId, askerAddress: own });
    if (!blob.ok || !gossip.publish(h.appId, blob.value)) return;
    this.#asked.delete(destKey);
    this.#asked.set(destKey, [now, last === undefined ? interval : Math.min(interval * MAX_BACKOFF, last[1] * 2)]);
    while (this.#asked.size > this.#limit) this.#asked.delete(this.#asked.keys().next().value as string);
    h.packager().counters.inc('sf_lookup_sent');
  }

  /** Nothing is held for `destKey` any more. */
  forget(destKey: string): void {
    this.#asked.delete(destKey);
  }

  /** A WHERE or HERE (isLookup): answer one for us, note one we asked for. Never throws. */
  receive(blob: Uint8Array): void {
    const h = this.#host;
    const p = h.packager();
    const m = parseLookup(blob);
    if (!m.ok) {
      p.counters.inc('sf_bad_message');
      return;
    }
    const v = m.value;
    const now = h.now();
    if (v.op === LookupOp.WHERE) {
      const own = p.address;
      if (!own || !same(v.dest, p.nodeId) || same(v.asker, p.nodeId)) return;
      const askerKey = toHex(v.asker);
      if (this.#answered.get(askerKey)) return;
      this.#answered.add(askerKey, true, h.intervalMs() / 2);
      const here = serializeHere({ dest: p.nodeId, address: own });
      if (here.ok && p.send(h.appId, here.value, { nodeId: v.asker, address: v.askerAddress }).ok) p.counters.inc('sf_lookup_answered');
      else p.counters.inc('sf_reply_unsent');
      return;
    }
    const destKey = toHex(v.dest);
    const asked = this.#asked.get(destKey);
    if (asked === undefined || now - asked[0] > asked[1]) return;
    this.#asked.delete(destKey); // answered: ask at the first rate again next time
    p.counters.inc('sf_lookup_found');
    h.found(destKey, v.address);
  }
}
