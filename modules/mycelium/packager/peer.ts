/**
 * A neighbour (protocol.md §4.2): its links, up to two tree addresses (one per tree state), the
 * Beacon's timeout counter, when it was last heard, and the datagrams waiting for it to wake.
 */
import type { Address } from '../wire/address.js';
import type { AttachedInterface, Link } from './attached.js';
import type { LinkEstimate } from './link-quality.js';
import type { LinkEstimates } from './link-estimates.js';
import type { LinkSignal } from './link-signal.js';
import { inWindow, type WakeSchedule } from './wake-schedule.js';
import type { NeighbourReach } from './neighbour-reach.js';
import { macKey, macOf, type MacKey } from './link-index.js';
import { fromHex } from '../wire/bytes.js';

/** A frame is not started this close to the end of a sleeper's window: it would land after. */
export const WINDOW_GUARD_MS = 4;

/**
 * A link of a peer as we hold it: when it was last heard, and whether it is bound (issue 19,
 * class 1). A MAC that claims the id of a peer already heard recently on another MAC of the
 * same interface is only a *candidate*: not used to reach the peer and not taken as the peer's
 * voice until the bound links there have gone silent. In open mode an id is a claim, not a proof:
 * the link that carried it first and keeps being heard is the one we believe.
 *
 * The MAC is held as its link-index key (a number for up to 6 bytes), not as a Uint8Array: on XS
 * one 6-byte array costs 128 B per link (issue 21). `mac` makes the bytes when a frame is sent.
 */
export class PeerLink implements Link {
  readonly iface: AttachedInterface;
  readonly macKey: MacKey;
  /** Platform ms when a frame last arrived on this link (or the peer's beacon named it). */
  heard: number;
  /**
   * True while a candidate (read it as `candidate`). Declared, not defined: a link gets the
   * property (a 16 B slot on XS, issue 21) only once it is a candidate, which most never are.
   */
  declare private unbound: boolean | undefined;

  constructor(mac: Uint8Array | undefined, iface: AttachedInterface, heard: number, candidate: boolean) {
    this.iface = iface;
    this.macKey = macKey(mac);
    this.heard = heard;
    if (candidate) this.unbound = true;
  }

  /** Not bound: a second MAC claiming the peer while its bound link is heard (see above). */
  get candidate(): boolean {
    return this.unbound === true;
  }

  set candidate(candidate: boolean) {
    if (candidate || this.unbound !== undefined) this.unbound = candidate;
  }

  /** The MAC's bytes, made afresh (undefined: the loopback). */
  get mac(): Uint8Array | undefined {
    return macOf(this.macKey);
  }
}

export interface QueuedDatagram {
  readonly frame: Uint8Array;
  readonly link: Link;
}

/** The queue of every peer with nothing queued (frozen: shared, never written). */
const NOTHING_QUEUED: readonly QueuedDatagram[] = Object.freeze([]);
/** The addresses of every peer with none yet (frozen: shared, never written). */
const NO_ADDRESSES: readonly Address[] = Object.freeze([]);
/** The links of every peer with none (frozen: shared, never written). */
const NO_LINKS: readonly PeerLink[] = Object.freeze([]);

export class Peer {
  /**
   * The id as its hex key (the string every table and app keys the peer by). The bytes are not
   * kept: a 32-byte Uint8Array costs 152 B on XS against 80 B for the key (issue 21); `id` makes
   * them when asked.
   */
  readonly key: string;
  /**
   * Its links (read them as `links`): most peers have one, held bare; two or more in an array.
   * A one-item array costs 64 B on XS (issue 21). Changed only through `addLink`/`dropLink`.
   */
  private linked: PeerLink | PeerLink[] | undefined = undefined;
  /**
   * At most two addresses, one per tree state, the newest last (read them as `addrs`): one held
   * bare, two in an array, as the route table holds a node's (a one-item array is 64 B on XS).
   */
  private held: Address | Address[] | undefined = undefined;
  /** Platform ms when the peer was last heard (creation, a refresh, NIA, or any frame from it). */
  lastRx: number;
  /** Beacon cycles left before the peer is dropped (upstream starts at 4). */
  timeout: number;
  // The six below are declared, not defined: a peer gets the property (one 16 B slot on XS)
  // only once it is set; until then reading it gives undefined, as a field would.
  /**
   * Datagrams waiting for RNS/NIA, oldest first, while any wait (read them as `queue`); bounded
   * by the Packager. Most peers never queue anything.
   */
  declare queued: QueuedDatagram[] | undefined;
  /**
   * The link estimate of a peer made alone (not by a Packager) or dropped by its Packager (read it
   * as `link`). A Packager's peers keep theirs in its columns (link-estimates.ts, issue 21).
   */
  declare private ownLink: LinkEstimate | undefined;
  /** Set when the Packager dropped the peer: its estimate moved to `ownLink`, its slot freed. */
  declare private dropped: true | undefined;
  /**
   * Link quality from the radio's signal figures (a LoRa module's SNR per frame, link-signal.ts),
   * judged when there are no hellos to count: our LoRa nodes keep Hello off.
   */
  declare signal: LinkSignal | undefined;
  /** When the neighbour listens, if its hellos announce an aligned sleep schedule (docs/sleep.md). */
  declare wakes: WakeSchedule | undefined;
  /**
   * Its hellos say it is a sleepy leaf: never a parent or a relay (docs/sleep.md). Undefined
   * (not a leaf) until a hello says otherwise: Hello sets it only when it changes.
   */
  declare leaf: boolean | undefined;
  /** Its neighbours' addresses, from its hellos (neighbour-reach.ts); routing's view two hops ahead. */
  declare reach: NeighbourReach | undefined;

  constructor(key: string, now: number, timeout: number) {
    this.key = key;
    this.lastRx = now;
    this.timeout = timeout;
  }

  /**
   * The Packager's link estimates (peerClassOn gives its peers a class that answers them), where
   * this peer's estimate lives: undefined for a peer made alone.
   */
  protected get estimates(): LinkEstimates | undefined {
    return undefined;
  }

  /**
   * Link quality both ways, once the neighbour has sent us a hello (our extension,
   * docs/routing.md). Undefined for an upstream neighbour: nothing to measure it with. A
   * Packager's peer answers a view of its columns, made when asked (not the same object each
   * time); an estimate assigned is copied there (changing the object given later changes nothing).
   */
  get link(): LinkEstimate | undefined {
    const estimates = this.estimates;
    return estimates === undefined || this.dropped ? this.ownLink : estimates.of(this.key);
  }

  set link(link: LinkEstimate | undefined) {
    const estimates = this.estimates;
    if (estimates === undefined || this.dropped) {
      if (link !== undefined || this.ownLink !== undefined) this.ownLink = link;
    } else if (link === undefined) estimates.delete(this.key);
    else estimates.put(this.key, link);
  }

  /**
   * The Packager dropped the peer: its estimate leaves the columns (a copy stays with the object,
   * for whoever still holds it) and its slot is freed for another key.
   */
  detach(): void {
    const estimates = this.estimates;
    if (estimates === undefined || this.dropped) return;
    const link = estimates.of(this.key);
    if (link !== undefined) {
      this.ownLink = link.detached();
      estimates.delete(this.key);
    }
    this.dropped = true;
  }

  /** Its links, oldest first (a fresh list when it has one; never to be changed: see `addLink`). */
  get links(): readonly PeerLink[] {
    const l = this.linked;
    return l === undefined ? NO_LINKS : Array.isArray(l) ? l : [l];
  }

  /** Its addresses, at most one per tree state, the newest last (a fresh list when it has one). */
  get addrs(): readonly Address[] {
    const a = this.held;
    return a === undefined ? NO_ADDRESSES : Array.isArray(a) ? a : [a];
  }

  addLink(link: PeerLink): void {
    const l = this.linked;
    if (l === undefined) this.linked = link;
    else if (Array.isArray(l)) l.push(link);
    else this.linked = [l, link];
  }

  /** Drop `link` (the others keep their order); false when it is not one of the peer's. */
  dropLink(link: PeerLink): boolean {
    const l = this.linked;
    if (l === link) this.linked = undefined;
    else if (!Array.isArray(l)) return false;
    else {
      const i = l.indexOf(link);
      if (i < 0) return false;
      l.splice(i, 1);
      if (l.length === 1) this.linked = l[0];
    }
    return true;
  }

  /** The peer's id, made afresh from its key (a copy: nothing can change the peer through it). */
  get id(): Uint8Array {
    return fromHex(this.key) as Uint8Array;
  }

  /** The datagrams waiting for the peer to wake, oldest first (a shared empty list when none). */
  get queue(): readonly QueuedDatagram[] {
    return this.queued ?? NOTHING_QUEUED;
  }

  /** Queue a datagram until the peer wakes (the caller bounds the queue). */
  enqueue(q: QueuedDatagram): void {
    if (this.queued) this.queued.push(q);
    else this.queued = [q];
  }

  /** The oldest queued datagram, taken off the queue. */
  dequeue(): QueuedDatagram | undefined {
    const queued = this.queued;
    if (!queued) return undefined;
    const q = queued.shift();
    if (queued.length === 0) this.queued = undefined;
    return q;
  }

  /** Drop the queued datagrams `drop` picks (all of them without it); returns how many went. */
  dropQueued(drop?: (q: QueuedDatagram) => boolean): number {
    const queued = this.queued;
    if (!queued) return 0;
    const kept = drop ? queued.filter((q) => !drop(q)) : [];
    this.queued = kept.length ? kept : undefined;
    return queued.length - kept.length;
  }

  /**
   * True while the peer can receive. A neighbour whose hellos say it never modem-sleeps is always
   * awake; any other (upstream, or one that sleeps) only for 800 ms after it was last heard, as
   * upstream assumes, and is woken with RNS probes otherwise. One that announced its wake
   * schedule hears us exactly inside its windows: frames for it wait for the next one.
   */
  canTx(now: number, awakeMs: number): boolean {
    const link = this.link;
    if (link && link.sleeps === false) return true;
    if (this.wakes && link?.sleeps) return inWindow(this.wakes, now, WINDOW_GUARD_MS);
    return this.lastRx + awakeMs > now;
  }

  /**
   * Whether routing and the tree may use this neighbour: a measured link must be good both ways
   * (with hysteresis), by its hellos or else by its signal; an unmeasured one (an upstream
   * neighbour on a radio without signal figures) is taken on trust, as upstream does.
   */
  usable(now: number): boolean {
    const link = this.link;
    if (link) return link.good(now) && !link.slowAndSilent(now);
    return this.signal === undefined || this.signal.good();
  }

  /** Expected transmissions per frame on this link (ETX); 1 when unmeasured (upstream neighbour). */
  linkCost(now: number): number {
    const link = this.link;
    if (link) return link.etx(now);
    return this.signal === undefined ? 1 : this.signal.etx();
  }

  /**
   * Its wake schedule as its latest hello gives it (undefined: none). Set through here, not on
   * `wakes`: a peer gets the property (a 16 B slot on XS, issue 21) only once it has a schedule,
   * where assigning undefined made the slot for every neighbour that says hello.
   */
  setWakes(wakes: WakeSchedule | undefined): void {
    if (wakes !== undefined || this.wakes !== undefined) this.wakes = wakes;
  }

  /** Keep one address per tree state: replace the old one of the same state, newest last. */
  setAddr(addr: Address): void {
    const addrs = this.addrs.filter((a) => a.treeState !== addr.treeState);
    addrs.push(addr);
    if (addrs.length > 2) addrs.shift();
    this.held = addrs.length === 1 ? addrs[0] : addrs;
  }

  /** Forget its address in `treeState` (that tree's addresses are another tree's too: apps/tree-collisions.ts). */
  dropAddr(treeState: number): void {
    const addrs = this.addrs.filter((a) => a.treeState !== treeState);
    if (addrs.length !== this.addrs.length) this.held = addrs.length === 0 ? undefined : addrs.length === 1 ? addrs[0] : addrs;
  }

  /**
   * The bound link to send on, optionally on one interface: the fastest radio's (upstream: highest
   * bitrate; among equals the one heard last, not the first added: that one may have gone quiet),
   * unless it has been silent its interface's `linkStaleMs` longer than another bound link: then
   * the one heard last. A bridge keeps ESP-NOW to a neighbour in reach of both radios and falls
   * back to LoRa once ESP-NOW has gone silent while LoRa is still heard.
   */
  bestLink(on?: AttachedInterface): Link | undefined {
    let best: PeerLink | undefined;
    let newest: PeerLink | undefined;
    for (const l of this.links) {
      if (l.candidate || (on && l.iface !== on)) continue;
      const rate = l.iface.radio.bitrate;
      if (!best || rate > best.iface.radio.bitrate || (rate === best.iface.radio.bitrate && l.heard > best.heard)) best = l;
      if (!newest || l.heard > newest.heard) newest = l;
    }
    if (best && newest && newest.heard - best.heard > best.iface.timings.linkStaleMs) return newest;
    return best;
  }

  linkOf(mac: Uint8Array | undefined, iface: AttachedInterface): PeerLink | undefined {
    const key = macKey(mac);
    const l = this.linked;
    if (l === undefined || !Array.isArray(l)) return l !== undefined && l.iface === iface && l.macKey === key ? l : undefined;
    return l.find((x) => x.iface === iface && x.macKey === key);
  }

  hasLink(mac: Uint8Array | undefined, iface: AttachedInterface): boolean {
    return this.linkOf(mac, iface) !== undefined;
  }
}

/**
 * The class of a Packager's peers: a `Peer` whose link estimate lives in `estimates` (its
 * columns). One class per Packager holds the reference on its prototype, where a field would cost
 * every peer a 16 B slot on XS (issue 21).
 */
export function peerClassOn(estimates: LinkEstimates): typeof Peer {
  return class NeighbourPeer extends Peer {
    protected override get estimates(): LinkEstimates {
      return estimates;
    }
  };
}

export function sameMac(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
