/**
 * StoreForward (docs/store-forward.md): opt-in delay-tolerant delivery of app messages. Our own
 * app, so upstream nodes never see its Packages; a message sent through it is a bundle with an
 * identity (origin id + counter), a lifetime and an age, held at its origin until the
 * destination's StoreForward answers DELIVERED. While the destination cannot be reached the
 * holder retries with back-off, at once when the destination reappears (as a peer, or as a
 * route), and hands custody to a custodian neighbour closer to the destination's last known
 * tree address (CustodyMarker lists the capability in our Beacon): one custodian at a time, the
 * holder deleting its copy only once the custodian accepted. The destination remembers the
 * identities it delivered for their lifetime, so a bundle resent after a lost receipt is
 * acknowledged again but delivered once.
 *
 * Bounded: the store (bundle-store.ts), the delivered identities, the statuses an origin
 * tracks; one bundle in flight per destination, one custody offer per destination.
 */
import { MeshApp, type ConsoleCommand } from './app.js';
import { STORE_FORWARD_DEFAULTS, type StoreForwardParams } from './store-forward-params.js';
import { Beacon } from './beacon.js';
import { HeldStatuses, type HeldStatus, type StatusListener } from './held-statuses.js';
import { BundleStore, ageOf, type HeldBundle } from './bundle-store.js';
import { BundleOp, BundleFlag, BundleStatus, CustodyResult, parseBundleMessage, serializeBundle, serializeReply, type Bundle, type BundleReply } from '../wire/messages/bundle.js';
import { BundleWays } from './bundle-ways.js';
import { BundleLookup } from './bundle-lookup.js';
import { Gossip } from './gossip.js';
import { isLookup } from '../wire/messages/bundle-lookup.js';
import { DeliveredBundles } from './delivered-bundles.js';
import type { Delivery } from '../packager/application.js';
import type { Hashes } from '../platform/platform.js';
import type { Node } from '../node.js';
import type { Address } from '../wire/address.js';
import { bytesEqual as eq, toHex } from '../wire/bytes.js';
import { CustodyMarker } from './custody-marker.js';
import { fail, ok, type Result } from '../wire/result.js';

export { STORE_FORWARD_DEFAULTS, type StoreForwardParams } from './store-forward-params.js';

export type { HeldStatus, StatusListener } from './held-statuses.js';
export { CustodyMarker } from './custody-marker.js';

/** A held message delivered here: its app id, bytes and origin node id. */
export type DeliveryListener = (app: Uint8Array, data: Uint8Array, origin: Uint8Array) => void;

export interface HeldSendOptions {
  readonly lifetimeMs?: number;
  /** The destination's tree address when the sender knows it and the node has no route. */
  readonly address?: Address;
}

const STATUS_NAMES: Readonly<Record<number, HeldStatus>> = Object.freeze({ [BundleStatus.IN_CUSTODY]: 'in_custody', [BundleStatus.DELIVERED]: 'delivered', [BundleStatus.EXPIRED]: 'expired', [BundleStatus.EVICTED]: 'evicted' });

interface Attempt {
  readonly key: string;
  readonly since: number;
  /** Node id hex of the neighbour offered custody; undefined for a delivery attempt. */
  readonly custodian?: string;
}

export class StoreForward extends MeshApp<StoreForwardParams> {
  readonly store: BundleStore;
  readonly marker: CustodyMarker;
  #delivered: DeliveredBundles | undefined;
  readonly #statuses: HeldStatuses;
  /** destKey → the delivery attempt or custody offer waiting for its answer. */
  readonly #attempts = new Map<string, Attempt>();
  /** destKey → [next attempt due, current back-off]. */
  readonly #backoff = new Map<string, [number, number]>();
  /** Which address to try next, which custodian to offer, which bundles not to take back. */
  readonly #ways: BundleWays;
  /** Asking for the address of a destination we know no route to (bundle-lookup.ts). */
  readonly #lookup: BundleLookup;
  #counter = 0;
  /** Hosts told of each held message delivered here (the MQTT gateway publishes them). */
  readonly #deliveryListeners: DeliveryListener[] = [];
  readonly #onPeer = (id: Uint8Array) => this.#reappeared(toHex(id));
  readonly #onRoute = (id: Uint8Array) => this.#reappeared(toHex(id));

  constructor(hashes: Hashes, params: Partial<StoreForwardParams> = {}) {
    super(hashes, 'StoreForward', 'Store-and-forward of app messages (moddable-mycelium)', 0, { ...STORE_FORWARD_DEFAULTS }, params);
    const p = this.params;
    this.store = new BundleStore({ count: p.store_count, bytes: p.store_bytes, originShare: p.origin_share });
    this.marker = new CustodyMarker(hashes);
    this.#ways = new BundleWays(p.store_count, p.custody_memory_ms, () => (this.started ? this.node.platform.now() : 0));
    this.#lookup = new BundleLookup(
      {
        packager: () => this.packager,
        gossip: () => this.node.app(Gossip),
        appId: this.id,
        now: () => this.node.platform.now(),
        nonce: () => new DataView(this.node.platform.randomBytes(new Uint8Array(4)).buffer).getUint32(0),
        intervalMs: () => this.params.lookup_ms,
        found: (destKey, address) => {
          this.#ways.forget(destKey); // the rotation starts again, with this address first
          this.#ways.heard(destKey, address);
          this.#reappeared(destKey);
        },
      },
      p.store_count,
    );
    this.#statuses = new HeldStatuses(p.tracked_limit, () => this.packager.counters.inc('app_hook_error'));
  }

  /** Hear about the statuses of bundles this node sends. */
  onStatus(listener: StatusListener): () => void {
    return this.#statuses.listen(listener);
  }

  /** Hear about each held message delivered to an app here, once (after the app got it). */
  onDelivery(listener: DeliveryListener): () => void {
    this.#deliveryListeners.push(listener);
    return () => {
      const i = this.#deliveryListeners.indexOf(listener);
      if (i >= 0) this.#deliveryListeners.splice(i, 1);
    };
  }

  /** Status of one of our bundles, while tracked. */
  status(key: string): HeldStatus | undefined {
    return this.#statuses.get(key);
  }

  /**
   * Send `data` to app `app` on node `dest`, held until delivered or `lifetimeMs` passes.
   * Answers the bundle's key (`originhex:counter`); refuses `store_full` when the store has no
   * room even after evicting expired bundles and this node's own oldest ones.
   */
  send(app: Uint8Array, dest: Uint8Array, data: Uint8Array, options: HeldSendOptions = {}): Result<string> {
    if (!this.started) return fail('bad_argument', 'StoreForward is not running');
    if (eq(dest, this.packager.nodeId)) return fail('bad_argument', 'a held message to this node itself');
    const lifetimeMs = Math.min(options.lifetimeMs ?? this.params.lifetime_ms, this.params.max_lifetime_ms);
    if (!(lifetimeMs > 0)) return fail('field_range', 'lifetime must be positive');
    const own = this.packager.nodeId;
    const counter = this.#counter;
    this.#counter = (this.#counter + 1) >>> 0;
    const b: Bundle = { flags: 0, counter, lifetimeMs, ageMs: 0, origin: own, dest: dest.slice(), holder: own, app: app.slice(), data: data.slice() };
    const held = this.#hold(b, false, options.address);
    if (!held) return fail('busy', 'the store-and-forward store is full');
    this.#statuses.start(held.key, app, dest);
    this.#attempt(held.destKey, this.node.platform.now());
    return ok(held.key);
  }

  protected override onStart(): void {
    // A fresh counter per boot: a rebooted origin must not reuse identities still remembered.
    const r = this.node.platform.randomBytes(new Uint8Array(4));
    this.#counter = ((r[0] << 24) | (r[1] << 16) | (r[2] << 8) | r[3]) >>> 0;
    if (!this.#delivered) {
      // Kept over a stop and start; what an earlier boot delivered comes from storage.
      const platform = this.node.platform;
      this.#delivered = new DeliveredBundles(this.params.delivered_limit, () => platform.now(), platform.storage, () => this.packager.counters.inc('sf_storage_error'));
      this.#delivered.load();
    }
    this.node.app(Beacon)?.watch(this.marker.id);
    this.packager.addHook('add_peer', this.#onPeer);
    this.packager.addHook('add_route', this.#onRoute);
    // A WHERE is a question answered by a HERE, not state to reconcile: no faster sync for it.
    if (this.params.lookup_ms > 0) this.node.app(Gossip)?.subscribe(this.id, this.id, false);
    if (this.store.count > 0) this.#tick();
  }

  protected override onStop(): void {
    this.packager.removeHook('add_peer', this.#onPeer);
    this.packager.removeHook('add_route', this.#onRoute);
    this.node.app(Gossip)?.unsubscribe(this.id, this.id);
    this.packager.cancel(this.eventId('tick'));
    this.packager.cancel(this.eventId('soon'));
    this.#attempts.clear();
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    if (isLookup(blob)) return this.#lookup.receive(blob);
    const parsed = parseBundleMessage(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('sf_bad_message');
      return;
    }
    const m = parsed.value;
    if (m.op === BundleOp.BUNDLE) this.#onBundle(m, from);
    else if (m.op === BundleOp.CUSTODY) this.#onCustody(m, from);
    else this.#onStatusMessage(m, from);
  }

  override commands(): ConsoleCommand[] {
    return [{ name: 'held', help: 'held: store-and-forward bundles held here and the status of those sent from here', run: (_args, out) => this.#print(out) }];
  }

  // ------------------------------------------------------------------ receiving

  #onBundle(b: Bundle, from: Delivery): void {
    const own = this.packager.nodeId;
    const key = keyOf(b.origin, b.counter);
    if (eq(b.dest, own)) {
      // The receipt goes out for a duplicate too: the first one may have been lost. Back to the
      // address the bundle came from: the holder sent it just now, so that is its freshest.
      this.#reply(b.holder, { op: BundleOp.STATUS, code: BundleStatus.DELIVERED, counter: b.counter, origin: b.origin }, from.from);
      const delivered = this.#delivered as DeliveredBundles;
      if (delivered.has(b.origin, b.counter)) {
        this.packager.counters.inc('sf_duplicate');
        return;
      }
      // Remembered (and stored) before the app sees it: see delivered-bundles.ts.
      delivered.add(b.origin, b.counter, Math.max(1, b.lifetimeMs - b.ageMs));
      const target = this.packager.application(b.app);
      if (!target) {
        this.packager.counters.inc('sf_no_app');
        return;
      }
      this.packager.counters.inc('sf_delivered');
      target.receive(b.data, { iface: from.iface, mac: from.mac, peer: from.peer, from: from.from, hops: from.hops, origin: b.origin });
      for (const l of this.#deliveryListeners.slice()) {
        try {
          l(b.app, b.data, b.origin);
        } catch {
          this.packager.counters.inc('app_hook_error');
        }
      }
      return;
    }
    if ((b.flags & BundleFlag.CUSTODY) === 0 || !from.peer) {
      this.packager.counters.inc('sf_not_for_us');
      return;
    }
    const answer = (code: number) => this.#reply(from.peer?.id as Uint8Array, { op: BundleOp.CUSTODY, code, counter: b.counter, origin: b.origin });
    if (!this.params.custodian) return answer(CustodyResult.NOT_CUSTODIAN);
    if (this.store.has(key)) return answer(CustodyResult.ACCEPTED); // our acceptance was lost
    if (this.#ways.handedLately(key)) {
      this.packager.counters.inc('sf_custody_refused_loop');
      return answer(CustodyResult.HANDED_BEFORE);
    }
    // The holder's best address for the destination comes along: we may know no route to it.
    const r = this.store.add({ ...this.#held({ ...b, flags: 0 }, true, b.way), from: from.peer.key }, this.node.platform.now());
    if (!r.stored) {
      this.packager.counters.inc(r.reason === 'full' ? 'sf_custody_refused_full' : 'sf_custody_refused_share');
      return answer(r.reason === 'full' ? CustodyResult.FULL : CustodyResult.OVER_SHARE);
    }
    this.#evicted(r.evicted);
    this.#ways.remember(this.packager, toHex(b.dest), b.dest);
    this.packager.counters.inc('sf_custody_taken');
    answer(CustodyResult.ACCEPTED);
    if (!eq(b.origin, from.peer.id)) this.#toOrigin({ op: BundleOp.STATUS, code: BundleStatus.IN_CUSTODY, counter: b.counter, origin: b.origin }, from.peer.key);
    this.#soon();
  }

  #onCustody(m: BundleReply, from: Delivery): void {
    const key = keyOf(m.origin, m.counter);
    for (const [destKey, a] of this.#attempts) {
      if (a.key !== key || a.custodian === undefined || (from.peer && from.peer.key !== a.custodian)) continue;
      this.#attempts.delete(destKey);
      if (m.code !== CustodyResult.ACCEPTED) {
        this.packager.counters.inc('sf_custody_refused');
        return;
      }
      const handed = this.store.remove(key);
      this.#ways.handedAway(key, handed?.from);
      this.packager.counters.inc('sf_custody_handed');
      if (eq(m.origin, this.packager.nodeId)) this.#statuses.set(key, 'in_custody');
      this.#offer(destKey, a.custodian, this.node.platform.now()); // the next one for the same way
      return;
    }
  }

  #onStatusMessage(m: BundleReply, from: Delivery): void {
    const key = keyOf(m.origin, m.counter);
    const status = STATUS_NAMES[m.code];
    if (!status) {
      this.packager.counters.inc('sf_bad_message');
      return;
    }
    if (status === 'delivered') {
      const held = this.store.remove(key);
      if (held) {
        // We hold it, so this came from the destination (a custodian passes receipts on only
        // to origins, which gave theirs away): where it answered from is where it is now.
        this.#ways.heard(held.destKey, from.from);
        this.#backoff.delete(held.destKey);
        const a = this.#attempts.get(held.destKey);
        if (a?.key === key) this.#attempts.delete(held.destKey);
        // A custodian passes the news on to the origin, which may be waiting for it.
        this.#toOrigin(m, held.from);
        this.#attempt(held.destKey, this.node.platform.now()); // the destination is there: the rest now
      }
    }
    if (eq(m.origin, this.packager.nodeId)) this.#statuses.set(key, status);
    else if (!this.store.has(key)) {
      // News walking back along the custody path (see #toOrigin): pass it on, once.
      const back = this.#ways.passBack(key, m.code);
      if (back) this.#toOrigin(m, back.from);
    }
  }

  // ------------------------------------------------------------------ holding and trying

  #held(bundle: Bundle, custody: boolean, hint?: Address): HeldBundle {
    const { way: _way, ...b } = bundle;
    return { ...b, key: keyOf(b.origin, b.counter), originKey: toHex(b.origin), destKey: toHex(b.dest), storedAt: this.node.platform.now(), custody, ...(hint && { hint }) };
  }

  #hold(b: Bundle, custody: boolean, hint?: Address): HeldBundle | undefined {
    const held = this.#held(b, custody, hint);
    const r = this.store.add(held, this.node.platform.now());
    if (!r.stored) return undefined;
    this.#evicted(r.evicted);
    this.#ways.remember(this.packager, held.destKey, held.dest);
    this.#tick();
    return held;
  }

  /** Try to deliver the oldest bundle held for `destKey`, unless one is on its way already. */
  #attempt(destKey: string, now: number): void {
    if (this.#attempts.has(destKey)) return;
    const b = this.store.forDest(destKey)[0];
    if (!b) {
      this.#backoff.delete(destKey);
      this.#ways.forget(destKey);
      this.#lookup.forget(destKey);
      return;
    }
    const { address, metric } = this.#ways.next(this.packager, b);
    const target = address ? { nodeId: b.dest, address } : { nodeId: b.dest };
    const blob = serializeBundle({ ...b, flags: 0, ageMs: ageOf(b, now), holder: this.packager.nodeId });
    const sent = blob.ok && this.packager.send(this.id, blob.value, target, { metric }).ok;
    this.packager.counters.inc('sf_attempts');
    if (sent) this.#attempts.set(destKey, { key: b.key, since: now });
    else this.#failed(destKey, now);
  }

  /** A delivery attempt failed: wait longer next time, and give the bundles to a custodian nearer the destination if there is one. */
  #failed(destKey: string, now: number): void {
    this.packager.counters.inc('sf_attempt_failed');
    const prev = this.#backoff.get(destKey)?.[1];
    const wait = prev === undefined ? this.params.retry_ms : Math.min(this.params.retry_max_ms, prev * 2);
    this.#backoff.set(destKey, [now + wait, wait]);
    const b = this.store.forDest(destKey)[0];
    // No live route: the addresses we still try may be where it was; ask where it is.
    if (b && this.packager.addressesOf(b.dest).length === 0) this.#lookup.ask(b.dest, destKey);
    const custodian = b && this.#ways.custodianToward(this.packager, this.node.app(Beacon), this.marker.id, b, now);
    if (custodian) this.#offer(destKey, custodian, now);
  }

  /** Offer the oldest bundle for `destKey` to the neighbour `peerKey` for custody. */
  #offer(destKey: string, peerKey: string, now: number): void {
    if (this.#attempts.has(destKey)) return;
    const b = this.store.forDest(destKey)[0];
    const peer = this.packager.peerByKey(peerKey);
    if (!b || !peer) return;
    const way = this.#ways.candidates(this.packager, b)[0];
    const blob = serializeBundle({ ...b, flags: BundleFlag.CUSTODY, ageMs: ageOf(b, now), holder: this.packager.nodeId, ...(way && { way }) });
    if (blob.ok && this.packager.send(this.id, blob.value, { nodeId: peer.id }).ok) {
      this.#attempts.set(destKey, { key: b.key, since: now, custodian: peerKey });
      this.packager.counters.inc('sf_custody_offered');
    }
  }

  /** The destination is back in sight: try now, whatever the back-off said. */
  #reappeared(key: string): void {
    if (!this.#backoff.has(key) && this.store.forDest(key).length === 0) return;
    this.#backoff.delete(key);
    this.#soon();
  }

  #soon(): void {
    // add_peer fires before the peer exists: let the Packager finish first.
    this.packager.schedule(this.eventId('soon'), 50, () => this.#pump());
  }

  #tick(): void {
    if (!this.packager.isScheduled(this.eventId('tick'))) this.packager.schedule(this.eventId('tick'), this.params.tick_ms, () => this.#pump());
  }

  /** Housekeeping: expire, time out attempts, retry what is due. Re-arms while anything is held. */
  #pump(): void {
    const now = this.node.platform.now();
    for (const b of this.store.takeExpired(now)) this.#finished(b, 'expired');
    for (const [destKey, a] of [...this.#attempts]) {
      if (now - a.since < this.params.receipt_timeout_ms) continue;
      this.#attempts.delete(destKey);
      // No answer to a custody offer: offer again (likely to the same custodian, which answers
      // ACCEPTED again if it took it and only the answer was lost) rather than deliver ourselves
      // and leave two holders.
      this.#failed(destKey, now);
    }
    const dests = new Set<string>();
    for (const b of this.store.values()) dests.add(b.destKey);
    for (const d of dests) if ((this.#backoff.get(d)?.[0] ?? 0) <= now) this.#attempt(d, now);
    for (const d of this.#backoff.keys()) if (!dests.has(d)) this.#backoff.delete(d);
    if (this.store.count > 0 || this.#attempts.size > 0) this.#tick();
  }

  #evicted(list: readonly HeldBundle[]): void {
    for (const b of list) this.#finished(b, 'evicted');
  }

  /** A held bundle left the store undelivered: tell its origin. */
  #finished(b: HeldBundle, why: 'expired' | 'evicted'): void {
    this.packager.counters.inc(why === 'expired' ? 'sf_expired' : 'sf_evicted');
    if (eq(b.origin, this.packager.nodeId)) this.#statuses.set(b.key, why);
    else this.#toOrigin({ op: BundleOp.STATUS, code: why === 'expired' ? BundleStatus.EXPIRED : BundleStatus.EVICTED, counter: b.counter, origin: b.origin }, b.from);
  }

  /**
   * A status for the bundle's origin. Routed to it by node id; when we know no route (a custodian
   * far from the origin, or one whose routes lapsed in a partition) it goes to `back`, the peer
   * that handed us the bundle, which passes it on the same way: back along the custody path.
   */
  #toOrigin(m: BundleReply, back: string | undefined): void {
    if (eq(m.origin, this.packager.nodeId)) return;
    const blob = serializeReply(m);
    if (!blob.ok) return;
    if (this.packager.send(this.id, blob.value, { nodeId: m.origin }).ok) return;
    const peer = back === undefined ? undefined : this.packager.peerByKey(back);
    if (peer && this.packager.send(this.id, blob.value, { nodeId: peer.id }).ok) this.packager.counters.inc('sf_status_back');
    else this.packager.counters.inc('sf_reply_unsent');
  }

  #reply(to: Uint8Array, m: BundleReply, address?: Address): void {
    const blob = serializeReply(m);
    if (!blob.ok || eq(to, this.packager.nodeId)) return;
    if (!this.packager.send(this.id, blob.value, address ? { nodeId: to, address } : { nodeId: to }).ok) this.packager.counters.inc('sf_reply_unsent');
  }

  #print(out: (line: string) => void): void {
    const now = this.node.platform.now();
    out(`held ${this.store.count}/${this.params.store_count} bundles, ${this.store.bytes}/${this.params.store_bytes} bytes (peak ${this.store.peakCount}, ${this.store.peakBytes} B)${this.params.custodian ? ', custodian' : ''}`);
    for (const b of this.store.values()) out(`  ${b.key.slice(0, 8)}…:${b.counter} to ${b.destKey.slice(0, 8)}… age ${Math.round(ageOf(b, now) / 1000)}/${Math.round(b.lifetimeMs / 1000)} s${b.custody ? ' (custody)' : ''}`);
    for (const [key, t] of this.#statuses.entries()) out(`  sent ${key.slice(65)} to ${toHex(t.dest).slice(0, 8)}…: ${t.status}`);
  }
}

/**
 * Add StoreForward to `node` (and its CustodyMarker when it is a custodian): after the standard
 * apps, so the Beacon is there to watch capabilities; before `start`, so the first beacons list it.
 */
export function addStoreForward(node: Node, params: Partial<StoreForwardParams> = {}, hashes: Hashes = node.platform): StoreForward {
  const sf = new StoreForward(hashes, params);
  node.addApp(sf);
  if (sf.params.custodian) node.addApp(sf.marker);
  return sf;
}

function keyOf(origin: Uint8Array, counter: number): string {
  return toHex(origin) + ':' + String(counter);
}
