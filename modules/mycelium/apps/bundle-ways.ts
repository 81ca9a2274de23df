/**
 * Where a holder sends a destination's bundles (docs/store-forward.md "Finding the destination"
 * and "Custodians"): which address to try at each delivery attempt, which neighbour to offer
 * custody, and which bundles this node must not take back.
 *
 * Addresses. The route table keeps a node's last two addresses, and a gossiped tree advert
 * replayed by anti-entropy makes an old address look newest again, so "the newest known route"
 * is not always where the destination is. A holder therefore tries, one per attempt in turn,
 * the address the destination's last receipt came from (the freshest evidence there is), every
 * known route in a tree we share (newest first) — or, when there is none, the routes it had when
 * we last looked (routes lapse, and a destination that stays put does not advertise again) — and
 * the sender's hint: a stale address costs one attempt, not every attempt until the next
 * advert. A custody offer carries the first of these (the bundle's WAY), since the custodian may
 * know no route at all.
 *
 * Custody loops. Holders judge "closer to the destination" by their own view of its address,
 * and views differ while the mesh is settling (a merge, a replayed advert), so a bundle could be
 * handed round a cycle for ever. A node refuses custody of a bundle it handed away within
 * `memoryMs`: a bundle visits each node at most once per window.
 */
import { Beacon } from './beacon.js';
import { distance } from '../packager/next-hop.js';
import { TtlCache } from '../packager/ttl-cache.js';
import type { Packager } from '../packager/packager.js';
import { Address } from '../wire/address.js';
import { Metric } from '../wire/constants.js';
import type { HeldBundle } from './bundle-store.js';

/** Addresses remembered per destination: the route table keeps two per node, plus one more. */
const REMEMBERED = 3;

export class BundleWays {
  /** destKey → the address its last receipt came from; oldest dropped beyond `limit`. */
  readonly #heard = new Map<string, Address>();
  /**
   * destKey → the addresses its routes named when we last saw them (newest first, at most
   * REMEMBERED): routes lapse 8 min after their last advert and a node that stays put does not
   * re-advertise, so a holder cut off for longer (a partition) comes back knowing no way to it.
   * Oldest destination dropped beyond `limit`.
   */
  readonly #remembered = new Map<string, Address[]>();
  /** destKey → attempts made (picks the next address in turn). */
  readonly #tries = new Map<string, number>();
  /**
   * Bundle keys handed to a custodian lately (see above), with the peer that had handed each to
   * us (statuses for the origin walk back along that path) and the statuses passed back already.
   */
  readonly #handed: TtlCache<{ readonly from: string | undefined; told: number }>;
  readonly #limit: number;
  readonly #memoryMs: number;

  constructor(limit: number, memoryMs: number, now: () => number) {
    this.#limit = Math.max(1, limit);
    this.#memoryMs = memoryMs;
    this.#handed = new TtlCache(this.#limit, { now });
  }

  /** The destination answered from `address`. */
  heard(destKey: string, address: Address | undefined): void {
    if (!address) return;
    this.#heard.delete(destKey);
    this.#heard.set(destKey, address);
    while (this.#heard.size > this.#limit) this.#heard.delete(this.#heard.keys().next().value as string);
  }

  /** Nothing is held for `destKey` any more. */
  forget(destKey: string): void {
    this.#tries.delete(destKey);
  }

  /** We handed bundle `key` to a custodian; `from`: the peer that had handed it to us. */
  handedAway(key: string, from: string | undefined): void {
    this.#handed.add(key, { from, told: 0 }, this.#memoryMs);
  }

  handedLately(key: string): boolean {
    return this.#handed.get(key) !== undefined;
  }

  /**
   * Status `code` of a bundle we handed away lately came back to us: the peer to pass it on to
   * when the origin has no route (undefined: we were its first holder, or passed it on already —
   * each status walks back once).
   */
  passBack(key: string, code: number): { from: string | undefined } | undefined {
    const h = this.#handed.get(key);
    const bit = 1 << (code & 7);
    if (!h || h.told & bit) return undefined;
    h.told |= bit;
    return { from: h.from };
  }

  /**
   * The address and metric to try this time for bundle `b` (no address: by node id alone, a
   * neighbour or nothing known). Every other round of the addresses goes by dCPL instead of
   * dTree: greedy dTree routing can die at a local minimum where a node's view of its
   * neighbours' addresses is stale, and the other metric takes another path.
   */
  next(packager: Packager, b: HeldBundle): { address?: Address; metric: Metric } {
    if (packager.peerByKey(b.destKey)?.links.length) return { metric: Metric.dTree };
    const list = this.candidates(packager, b);
    if (list.length === 0) return { metric: Metric.dTree };
    const n = this.#tries.get(b.destKey) ?? 0;
    this.#tries.set(b.destKey, n + 1);
    return { address: list[n % list.length], metric: Math.floor(n / list.length) % 2 === 0 ? Metric.dTree : Metric.dCPL };
  }

  /**
   * Addresses worth trying, best first, without repeats: heard, routes in our trees (or, when
   * the table has none, those remembered from before they lapsed), the hint.
   */
  candidates(packager: Packager, b: HeldBundle): Address[] {
    const out: Address[] = [];
    const add = (a: Address | undefined) => {
      if (a && packager.addresses.some((o) => o.treeState === a.treeState) && !out.some((o) => o.equals(a))) out.push(a);
    };
    add(this.#heard.get(b.destKey));
    const live = packager.addressesOf(b.dest).length;
    const known = this.remember(packager, b.destKey, b.dest);
    // Remembered addresses only when the table knows none: a live route is fresher evidence, and
    // a destination that came back elsewhere leaves old ones that would each cost an attempt.
    for (const a of live > 0 ? known.slice(0, live) : known) add(a);
    add(b.hint);
    return out;
  }

  /**
   * Note the routes the table has for a destination we hold bundles for, and answer them with
   * the ones remembered from earlier (newest first). Called when a bundle comes into the store
   * and at every attempt, so a custodian keeps what it knew when it took the bundle.
   */
  remember(packager: Packager, destKey: string, dest: Uint8Array): Address[] {
    const known = packager.addressesOf(dest);
    const list: Address[] = [];
    for (let i = known.length - 1; i >= 0; i--) list.push(known[i]);
    for (const a of this.#remembered.get(destKey) ?? []) if (list.length < REMEMBERED && !list.some((o) => o.equals(a))) list.push(a);
    if (list.length === 0) return list;
    this.#remembered.delete(destKey);
    this.#remembered.set(destKey, list);
    while (this.#remembered.size > this.#limit) this.#remembered.delete(this.#remembered.keys().next().value as string);
    return list;
  }

  /**
   * The custody rule (docs/store-forward.md): a usable neighbour that lists the custody
   * capability `marker`, does not modem-sleep, is not the destination, and is strictly closer
   * (tree hops) than this node to the best address we know for the destination. Knowing no
   * address at all (an advert we missed: nothing to try, nothing to be "closer" to), toward the
   * root of our tree instead: every address advert is gossiped through the tree, and nodes
   * nearer its core hear more of them, so the bundle climbs, one accepted hop per failed
   * attempt, until a holder knows where the destination is (then it walks toward it) or it
   * reaches the root. Depth strictly decreases at each such hand-off, so it cannot cycle; the
   * walk back down is guarded by the handed-lately refusal like any other.
   */
  custodianToward(packager: Packager, beacon: Beacon | undefined, marker: Uint8Array, b: HeldBundle, now: number): string | undefined {
    const to = this.candidates(packager, b)[0] ?? rootOf(packager.address);
    if (!beacon || !to) return undefined;
    const own = packager.addresses.find((a) => a.treeState === to.treeState) as Address;
    let best: string | undefined;
    let bestD = distance(Metric.dTree, own, to);
    for (const p of packager.peers) {
      if (p.key === b.destKey || !p.usable(now) || p.link?.sleeps || !beacon.lists(p.key, marker)) continue;
      const a = p.addressIn(to.treeState);
      if (!a) continue;
      const d = distance(Metric.dTree, a, to);
      if (d < bestD) {
        bestD = d;
        best = p.key;
      }
    }
    return best;
  }
}

/** The root of `own`'s tree (coordinates []), or undefined when we are in no tree. */
function rootOf(own: Address | undefined): Address | undefined {
  if (!own || own.coords.length === 0) return undefined;
  const r = Address.fromCoords(own.treeState, []);
  return r.ok ? r.value : undefined;
}
