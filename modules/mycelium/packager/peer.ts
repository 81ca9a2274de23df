/**
 * A neighbour (protocol.md §4.2): its links, up to two tree addresses (one per tree state), the
 * Beacon's timeout counter, when it was last heard, and the datagrams waiting for it to wake.
 */
import type { Address } from '../wire/address.js';
import type { AttachedInterface, Link } from './attached.js';
import type { LinkEstimate } from './link-quality.js';
import type { PeerColumns } from './peer-columns.js';
import type { NodeSlots } from './node-slots.js';
import type { LinkSignal } from './link-signal.js';
import { inWindow, type WakeSchedule } from './wake-schedule.js';
import type { NeighbourReach } from './neighbour-reach.js';
import { macKey, type MacKey } from './link-index.js';
import { sameLink, type PeerLink } from './peer-link.js';
import { fromHex } from '../wire/bytes.js';

export { PeerLink, sameLink, sameMac } from './peer-link.js';

/** A frame is not started this close to the end of a sleeper's window: it would land after. */
export const WINDOW_GUARD_MS = 4;

export interface QueuedDatagram {
  readonly frame: Uint8Array;
  readonly link: Link;
  readonly windowRetries?: number; // times queued again for a later window (datagrams.ts `retryAtWindow`)
  readonly rerouted?: number; // times sent on after failures already (unacked.ts `REROUTES`); set when > 0
}

/** The queue of every peer with nothing queued (frozen: shared, never written). */
const NOTHING_QUEUED: readonly QueuedDatagram[] = Object.freeze([]);
/** The addresses of every peer with none yet (frozen: shared, never written). */
const NO_ADDRESSES: readonly Address[] = Object.freeze([]);
/** The links of every peer with none (frozen: shared, never written). */
const NO_LINKS: readonly PeerLink[] = Object.freeze([]);

export class Peer {
  /**
   * Its key string (read the key as `key`; set by the peer only), declared: kept by a peer made
   * alone or dropped, or whose key is no node key. A Packager's peer leaves it to the key index,
   * which keeps a node key as 32 bytes (node-slots.ts; 80 B and a 16 B field a peer on XS, issue 21).
   */
  declare keptKey: string | undefined;
  // The fields below are declared: a peer gets the property (a 16 B slot on XS, issue 21) only
  // once set; until then reading it gives undefined, as a field would.
  /**
   * Its links held as objects (read them as `links`; a Packager's peer keeps its first in columns,
   * first-links.ts): one bare, more in an array (a one-item array is 64 B on XS, issue 21).
   */
  declare private linked: PeerLink | PeerLink[] | undefined;
  /**
   * At most two addresses, one per tree state (read them as `addrs`): the newest here, the one
   * before it (when it has two) in `heldBefore`. Two fields, not an array: a two-item array is
   * 96 B on XS, a field 16 B (issue 21; a neighbour between two trees has two for a while).
   */
  declare private held: Address | undefined;
  declare private heldBefore: Address | undefined;
  /** `lastRx` and `timeout` of a peer made alone or dropped (else in columns: peer-times.ts). */
  declare private ownRx: number | undefined;
  declare private ownTimeout: number | undefined;
  /** Datagrams waiting for RNS/NIA, oldest first, while any wait (read as `queue`; Packager-bounded). */
  declare queued: QueuedDatagram[] | undefined;
  /**
   * The link estimate of a peer made alone (not by a Packager) or dropped by its Packager (read it
   * as `link`). A Packager's peers keep theirs in its columns (link-estimates.ts, issue 21).
   */
  declare private ownLink: LinkEstimate | undefined;
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
  declare reach?: NeighbourReach;

  /**
   * The Packager's columns (its times, link estimate and first link), declared: a Packager's peer
   * finds them on its class's prototype (peer-class.ts, a class per Packager), not in a field of
   * its own (16 B a peer on XS, issue 21), unless its class is `Peer` (a simulator's): then in a
   * field. A dropped peer shadows them with its own undefined; a peer made alone has none.
   */
  declare private cols: PeerColumns | undefined;
  /**
   * Its slot on the key index (node-slots.ts), held by its times from its making until dropped
   * (peer-times.ts `enter`), declared as `cols` is: the columns are read at it, not found by a
   * hash of the key (400–800 XS bytecodes a read, issue 21).
   */
  declare private slot: number | undefined;

  /** `columns`: the Packager's, held in a field unless the peer's class holds them (peer-class.ts). */
  constructor(key: string, now: number, timeout: number, columns?: PeerColumns) {
    const ofClass = this.cols; // on its class's prototype, if made per Packager
    const cols = columns ?? ofClass;
    if (cols !== ofClass) this.cols = cols;
    if (cols !== undefined) {
      const slot = (this.slot = cols.times.enter(key, now, timeout));
      if (!cols.slots.inBytes(slot)) this.keptKey = key;
    } else {
      this.keptKey = key;
      this.ownRx = now;
      this.ownTimeout = timeout;
    }
  }

  /**
   * The id as its hex key (what every table and app keys the peer by): for a Packager's peer, made
   * by the key index when not the key found or made last (≈ 900 XS bytecodes, an 80 B string).
   */
  get key(): string { return this.keptKey ?? ((this.cols as PeerColumns).slots.keyOf(this.slot as number) as string); }

  // The accessors below read `cols` themselves, not through a shared getter (150–350 XS bytecodes
  // a call, on every frame: issue 21). Without `cols` (made alone, or dropped): its own fields.

  /** Platform ms when the peer was last heard (creation, a refresh, NIA, or any frame from it). */
  get lastRx(): number {
    const cols = this.cols;
    return (cols === undefined ? this.ownRx : cols.times.rx.at(this.slot as number)) as number;
  }

  set lastRx(at: number) {
    const cols = this.cols;
    if (cols === undefined) this.ownRx = at;
    else cols.times.rx.put(this.slot as number, at);
  }

  /** Beacon cycles left before the peer is dropped (upstream starts at 4). */
  get timeout(): number {
    const cols = this.cols;
    return (cols === undefined ? this.ownTimeout : cols.times.timeouts.at(this.slot as number)) as number;
  }

  set timeout(cycles: number) {
    const cols = this.cols;
    if (cols === undefined) this.ownTimeout = cycles;
    else cols.times.timeouts.put(this.slot as number, cycles);
  }

  /** Forget what the neighbour listed (hello-reach.ts; a device's peer loses the property: peer-class.ts). */
  forgetReach(): void {
    this.reach = undefined;
  }

  /**
   * Link quality both ways, once the neighbour has sent us a hello (our extension,
   * docs/routing.md). Undefined for an upstream neighbour: nothing to measure it with. A
   * Packager's peer answers a view of its columns, made when asked (not the same object each
   * time); an estimate assigned is copied there (changing the object given later changes nothing).
   */
  get link(): LinkEstimate | undefined {
    const cols = this.cols;
    return cols === undefined ? this.ownLink : cols.estimates.atSlot(this.slot as number);
  }

  set link(link: LinkEstimate | undefined) {
    const estimates = this.cols?.estimates;
    if (estimates === undefined) {
      if (link !== undefined || this.ownLink !== undefined) this.ownLink = link;
    } else if (link === undefined) estimates.delete(this.key);
    else estimates.put(this.key, link);
  }

  /**
   * The Packager dropped the peer: its times, estimate and first link leave the columns (copies
   * stay with the object, for whoever still holds it) and its slot is freed for another key.
   */
  detach(): void {
    const columns = this.cols;
    if (columns === undefined) return;
    const key = this.key;
    this.keptKey = key; // before its slot can be freed
    this.ownRx = this.lastRx;
    this.ownTimeout = this.timeout;
    columns.times.delete(key);
    const link = columns.estimates.of(this.key);
    if (link !== undefined) {
      this.ownLink = link.detached();
      columns.estimates.delete(this.key);
    }
    const first = columns.links.get(this.key);
    if (first !== undefined) {
      first.writeThrough(undefined);
      columns.links.delete(this.key);
      const l = this.linked;
      this.linked = l === undefined ? first : Array.isArray(l) ? [first, ...l] : [first, l];
    }
    // Its own fields from now on; no `dropped` flag, which XS read past every member (issue 21).
    this.cols = undefined;
  }

  /**
   * Its links, oldest first (a fresh list when it has one; never to be changed: see `addLink`).
   * The first of a Packager's peer is a copy of what its columns hold (first-links.ts): compare
   * links with `sameLink`, not by identity.
   */
  get links(): readonly PeerLink[] {
    const cols = this.cols;
    // The copy writes through as this peer's (its key read only then: made on demand).
    const first = cols === undefined ? undefined : cols.links.atSlot(this.slot as number, this);
    const l = this.linked;
    if (first === undefined) return l === undefined ? NO_LINKS : Array.isArray(l) ? l : [l];
    return l === undefined ? [first] : Array.isArray(l) ? [first, ...l] : [first, l];
  }

  /** Its addresses, at most one per tree state, the newest last (a fresh list when it has one). */
  get addrs(): readonly Address[] {
    return this.held === undefined ? NO_ADDRESSES : this.heldBefore === undefined ? [this.held] : [this.heldBefore, this.held];
  }

  /** Its address in `treeState`, if it holds one: `addrs` without making the list (read on hellos). */
  addressIn(treeState: number): Address | undefined {
    return this.held?.treeState === treeState ? this.held : this.heldBefore?.treeState === treeState ? this.heldBefore : undefined;
  }

  addLink(link: PeerLink): void {
    // A first link goes to the columns (links stay oldest first: the columns' is the oldest),
    // and the object given writes through to them.
    const first = this.cols?.links; // undefined for a peer made alone or dropped (then in `linked`)
    if (first !== undefined && this.linked === undefined && !first.has(this.key) && first.put(this.key, link)) {
      link.writeThrough(first, this);
      return;
    }
    const l = this.linked;
    if (l === undefined) this.linked = link;
    else if (Array.isArray(l)) l.push(link);
    else this.linked = [l, link];
  }

  /** Drop `link` (the others keep their order); false when it is not one of the peer's. */
  dropLink(link: PeerLink): boolean {
    const first = this.cols?.links;
    if (first !== undefined && first.holds(this.key, link.iface, link.macKey)) {
      first.delete(this.key);
      link.writeThrough(undefined);
      // The next oldest takes the columns, when they can hold it (else the columns stay empty:
      // every link is then an object, and a new one joins them, so the order holds).
      const l = this.linked;
      const next = l === undefined ? undefined : Array.isArray(l) ? l[0] : l;
      if (next !== undefined && first.put(this.key, next)) {
        next.writeThrough(first, this);
        this.takeOut(0);
      }
      return true;
    }
    const l = this.linked;
    if (l === undefined) return false;
    if (!Array.isArray(l)) {
      if (!sameLink(l, link)) return false;
      this.linked = undefined;
      return true;
    }
    const i = l.findIndex((x) => sameLink(x, link));
    if (i < 0) return false;
    this.takeOut(i);
    return true;
  }

  /** Take the `i`-th of the links held as objects out of `linked`. */
  private takeOut(i: number): void {
    const l = this.linked;
    if (!Array.isArray(l)) {
      this.linked = undefined;
      return;
    }
    l.splice(i, 1);
    if (l.length === 1) this.linked = l[0];
  }

  /** Its slot on `slots` while a Packager's peer there (undefined: find it by its key). */
  slotOn(slots: NodeSlots): number | undefined {
    const cols = this.cols;
    return cols !== undefined && cols.slots === slots ? this.slot : undefined;
  }

  /** The peer's id, made afresh (a copy), from the key index's bytes when it keeps them. */
  get id(): Uint8Array {
    const cols = this.cols;
    if (this.keptKey === undefined && cols !== undefined) return cols.slots.idOf(this.slot as number) as Uint8Array;
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
   * (with hysteresis), by its hellos or else by its signal, and its hellos not silent past the
   * limit that gives a parent up (`gone`); an unmeasured one (an upstream neighbour on a radio
   * without signal figures) is taken on trust, as upstream does.
   */
  usable(now: number): boolean {
    const link = this.link;
    if (link) return link.good(now) && !link.slowAndSilent(now) && !this.gone(now, link);
    return this.signal === undefined || this.signal.good();
  }

  /**
   * Its hellos have been silent longer than a live link of its quality stays silent
   * (LinkEstimate.lost, 3–8 of its periods): it is down or gone, and a frame to it is lost. Its
   * ETX alone takes ~15 missed hellos (45 s) to pass BAD_ETX, as the silent periods lower only
   * the inbound figure: churn-100 lost a third of its pings to neighbours down 3–30 s.
   * `link`: its estimate when the caller holds it (each read of `link` makes a view: issue 21).
   */
  gone(now: number, link = this.link): boolean {
    // Any frame from it (a unicast it relayed, a hop ack, a probe's answer) says it lives: on a
    // radio with collisions a hidden neighbour can drown its hellos while its unicasts, retried
    // by the radio, get through (lossy-50 seed 3 lost 30 more pings without this).
    return link !== undefined && link.lost(now) && now - this.lastRx > link.silenceLimit() * link.intervalMs;
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
    this.keepAddrs(addrs);
  }

  /** Hold `addrs` (at most two, the newest last) in `held` and `heldBefore`. */
  private keepAddrs(addrs: readonly Address[]): void {
    this.held = addrs[addrs.length - 1];
    const before = addrs.length === 2 ? addrs[0] : undefined;
    if (before !== undefined || this.heldBefore !== undefined) this.heldBefore = before;
  }

  /**
   * The neighbour itself says it holds `addr` (its own tree message): that is where it is now,
   * newest, also when it is an address it held before. A node back at its old coordinate after a
   * spell in another tree otherwise kept that tree's address as its newest, and packets for the
   * other tree were handed to it and back (random-1000-trees seed 42).
   */
  holdsNow(addr: Address): void {
    const addrs = this.addrs;
    if (!addrs[addrs.length - 1]?.equals(addr)) this.setAddr(addr);
  }

  /** Forget its address in `treeState` (that tree's addresses are another tree's too: apps/tree-collisions.ts). */
  dropAddr(treeState: number): void {
    const addrs = this.addrs.filter((a) => a.treeState !== treeState);
    if (addrs.length !== this.addrs.length) this.keepAddrs(addrs);
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
    for (let i = 0, links = this.links; i < links.length; i++) {
      const l = links[i]; // an index loop: for-of makes an iterator on XS (60 K walks on telemetry-25)
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
    const cols = this.cols;
    if (cols !== undefined && cols.links.holdsAt(this.slot as number, iface, key)) return cols.links.atSlot(this.slot as number, this);
    const l = this.linked;
    if (l === undefined || !Array.isArray(l)) return l !== undefined && l.iface === iface && l.macKey === key ? l : undefined;
    return l.find((x) => x.iface === iface && x.macKey === key);
  }

  /**
   * A frame arrived on (`mac`, `iface`): that link heard at `now`. Its `candidate` flag, or
   * undefined when the peer has no such link. The first link is marked in its columns with no
   * copy made (linkOf makes one): the receive path does this for every frame (issue 21). `key`: `mac`'s, when the caller has it.
   */
  heardLink(mac: Uint8Array | undefined, iface: AttachedInterface, now: number, key: MacKey = macKey(mac)): boolean | undefined {
    const cols = this.cols;
    if (cols !== undefined && cols.links.holdsAt(this.slot as number, iface, key)) return cols.links.markHeard(this.slot as number, now);
    const link = this.linkOf(mac, iface);
    if (link === undefined) return undefined;
    link.heard = now;
    return link.candidate;
  }

  hasLink(mac: Uint8Array | undefined, iface: AttachedInterface): boolean {
    return this.linkOf(mac, iface) !== undefined;
  }
}
