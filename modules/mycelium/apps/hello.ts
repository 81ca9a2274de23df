/**
 * Hello (docs/routing.md "Hello"): our own app, so our nodes can measure links and repair the
 * tree in seconds while upstream nodes, which drop Packages for app ids they do not run, never
 * see it. Its app id in a Beacon is the capability "speaks hello": such a peer understands
 * Beacon DISCONNECT and announces whether it sleeps.
 *
 * Every `interval_ms` (3 s; the tree root: every `root_interval_ms`, its heartbeat) a node broadcasts
 * a numbered hello with its tree position and, every `heard_every` hellos or when a neighbour
 * appears, how many hellos it receives from each neighbour, and then its own node id too, and its
 * neighbours' addresses (for short paths, packager/short-paths.ts) when they changed. While the
 * heard list would only repeat the last one (every neighbour clean and unchanged), it rides on
 * every `quiet_heard_every` hellos instead: the list is most of a hello's bytes. Receivers
 * feed each neighbour's LinkEstimate (packager/link-quality.ts) and pass the hello to the tree (a
 * HelloListener). A hello with the sender's id makes it a peer like a Beacon would, so a neighbour
 * whose Beacon was lost (collisions), or that comes back after a partition, is a peer again within
 * a few hellos rather than at the next minute's beacon.
 *
 * Hellos are most of a quiet mesh's control bytes, and most of a hello's bytes are the frame's:
 * a 19-byte message behind a 32-byte Package header (app id and half hash) and two addresses of
 * zero padding. While every peer's Beacon lists the CompactFrames capability (every build of ours
 * expands compact frames), hellos go on air compact (wire/compact-frame.ts): the receiver rebuilds
 * the exact upstream frame before anything reads it. One peer whose Beacon does not say so (an
 * upstream node, an older build of ours, a neighbour known only from its hellos) brings upstream's
 * layout back at the next hello (`compact`).
 */
import { MeshApp, type AppHook } from './app.js';
import { HELLO_DEFAULTS, type HelloParams } from './hello-params.js';
import { HELLO_ANSWER_OP, HELLO_ENTRY_BYTES, HELLO_FRAME_BYTES, HELLO_MAX_ENTRIES, HELLO_NEWS_OP, HELLO_PROBE_OP, HELLO_ROOT_BYTES, HelloFlag, addressTag, helloBytesWithoutHeard, parseHello, serializeHello, type HeardEntry, type HelloMessage, type NeighbourAddresses } from '../wire/messages/hello.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import type { Peer } from '../packager/peer.js';
import { LinkEstimate } from '../packager/link-quality.js';
import { SharedLandmarks } from './shared-landmarks.js';
import { heardReach } from './hello-reach.js';
import { Beacon } from './beacon.js';
import { bytesEqual, prefixEqual } from '../wire/bytes.js';
import { freshAnnouncement, scheduleHeard } from '../packager/schedule-sync.js';
import { leafWindows, type WakeSchedule } from '../packager/wake-schedule.js';
import { LEAF_BEHIND_EVENT, LEAF_COPY_EVENT, scheduleLeafCopies } from './hello-leaves.js';
import { HelloProbes } from './hello-probe.js';
import { AddressAsk } from './hello-where.js';
import { HELLO_HERE_OP, HELLO_WHERE_OP } from '../wire/messages/hello-where.js';
import { neighbourAddresses, neighbourListKey } from './hello-neighbour-list.js';
import { HeardLists, QUIET_QUALITY } from './hello-heard-list.js';
import { heardStranger, strangerLeafWindows } from './hello-stranger.js';
import { URGENT_FLAGS, afterNamed, namedAgain, neighbourAppeared, nextPace, paceSteps, pacedPeriod, resetPace, strangerHeard, treeSignature, withAppeared, withRestart, withStranger } from './hello-pace.js';

export { HELLO_DEFAULTS, type HelloParams } from './hello-params.js';

/** What the tree puts in our hellos. */
export interface HelloTreeFields {
  readonly root: Uint8Array;
  readonly rootSeq: number;
  readonly depth: number;
  readonly isRoot: boolean;
  /** ROOT_LOST and BEATS. */
  readonly flags: number;
  /** Neighbours take us as their parent: they watch our hellos (and the heartbeat they carry). */
  readonly leads?: boolean;
}

/** The tree's side of hello: it fills our hellos and hears everyone's. */
export interface HelloListener {
  /** `answer`: for a probe's answer (hello-probe.ts), which uses up no poison hellos. */
  helloFields(answer?: boolean): HelloTreeFields;
  /** Our tree parent's peer key (undefined at a root or with no tree), and our tree's root. */
  parentKey(): string | undefined;
  treeRoot(): Uint8Array;
  /** `restarted`: its hello count started afresh (it rebooted: link-quality.ts). */
  onHello(peer: Peer, m: HelloMessage, now: number, restarted?: boolean): void;
  onNews(blob: Uint8Array, from: Delivery): void; // news of a better root (tree-news.ts)
}

const EVENT = 'h';
const WHERE_EVENT = 'hw';
/**
 * Aligned modem sleep: every this many hellos (and after each change of schedule) one is sent
 * across a whole cycle, so neighbours on another schedule hear it and the mesh merges onto one.
 */
const SPREAD_EVERY = 4;
/**
 * Our neighbours' addresses (and the landmarks we know) ride on a hello with the heard list when they
 * changed since we last sent them, when a neighbour appeared, and on every this many lists otherwise
 * (72 s): once the tree stands they seldom change, each list costs some 50 bytes and the landmarks up
 * to 64 more, and a lost list is resent at the next change or refresh.
 */
const NEIGHBOURS_REFRESH = 6;
/** A list with fewer entries than this leaves the neighbours' addresses (up to 179 B) to the next hello. */
const MIN_HEARD_ROOM = 8;
/** Past this many peers a hello keeps to one frame; below, a sequence costs a few acks, held sections more (routing.md). */
const DENSE_PEERS = 16;

/** How much of our hellos `m`'s sender says it receives (0..255), or -1 when its list does not name us. */
function names(m: HelloMessage, own: Uint8Array): number {
  const heard = m.heard; // an index loop: a for-of makes an iterator on XS, per hello
  for (let i = 0; i < heard.length; i++) if (prefixEqual(heard[i].shortId, own, Math.min(heard[i].shortId.length, HELLO_ROOT_BYTES))) return heard[i].quality;
  return -1;
}

/** Heard entries a hello with these sections has room for in `budget` bytes (below 0: over it without any). */
function heardRoom(budget: number, nodeId: Uint8Array | undefined, schedule: boolean, neighbours: NeighbourAddresses | undefined): number {
  const bytes = helloBytesWithoutHeard(nodeId !== undefined, schedule, neighbours) ?? budget + 1;
  return Math.floor((budget - bytes) / HELLO_ENTRY_BYTES);
}

export class Hello extends MeshApp<HelloParams> {
  #seq = 0;
  #sent = 0;
  /** Our "I heard you" lists: what the last said, where the next starts (hello-heard-list.ts). */
  readonly #heard = new HeardLists();
  #listener: HelloListener | undefined;
  /** The neighbour addresses we last sent (their keys), to send them again only when they change. */
  #neighboursSent = '';
  /** How far our hellos slowed down, whether a neighbour appeared since the last one, what it said of the tree: one number (hello-pace.ts). */
  #pace = 0;
  /** Neighbours' landmark entries, equal ones shared (declared: made with the first, issue 21). */
  declare private landmarks: SharedLandmarks | undefined;
  /** Probes of a silent parent, and our answers (declared: made with the first, issue 21). */
  declare private probes: HelloProbes | undefined;
  /** A sleepy leaf's questions for addresses, and our answers (declared: made with the first). */
  declare private where: AddressAsk | undefined;
  declare private heldNeighbours: NeighbourAddresses | undefined; // addresses our last hello had no room for (dense rooms only)
  declare private strangerLeaf: WakeSchedule | undefined; // a sleepy leaf heard as a stranger: our next hello goes in its window too
  /** When `soon` last hurried a hello (declared: most nodes never do, issue 21). */
  declare private soonAt: number | undefined;

  constructor(hashes: Hashes, params: Partial<HelloParams> = {}) {
    super(hashes, 'Hello', 'Link quality and tree heartbeat (moddable-mycelium)', 0, HELLO_DEFAULTS, params);
  }

  protected override exposeCallbacks(): void {
    this.expose('send_hello', () => this.send());
  }

  /** Neighbours' landmark entries on a device, equal ones shared (hello-reach.ts). */
  reachLandmarks(): SharedLandmarks {
    return (this.landmarks ??= new SharedLandmarks());
  }

  /** The tree registers here (one listener). */
  listen(listener: HelloListener | undefined): void {
    this.#listener = listener;
  }

  protected override onStart(): void {
    // A neighbour whose Beacon lists Hello speaks it: watch its link from now, so that even a
    // parent that dies before its first hello reaches us is noticed by its silence.
    this.node.app(Beacon)?.addHook('peer_apps', this.peerApps as AppHook, this); // a method and its app: no closure (issue 21)
    // We moved to a neighbour's wake schedule: tell every phase soon (a spread hello), not in 3 s.
    this.packager.addHook('sleep_aligned', this.aligned, this); // a method and its app: no closure (issue 21)
    if (this.node.modemSleep?.leaf) {
      this.packager.addHook('sleep_leaf_silent', this.askRouter, this);
      this.packager.addHook('route_missing', this.routeMissing, this);
    }
    const r = this.node.platform.randomBytes(new Uint8Array(3));
    this.#seq = (r[0] << 8) | r[1];
    this.packager.schedule(this.eventId(EVENT), Math.floor((r[2] / 256) * this.params.interval_ms), Hello.#sendNow, this);
  }

  protected override onStop(): void {
    this.node.app(Beacon)?.removeHook('peer_apps');
    this.packager.removeHook('sleep_aligned', this.aligned, this);
    this.packager.removeHook('sleep_leaf_silent', this.askRouter, this);
    this.packager.removeHook('route_missing', this.routeMissing, this);
    this.packager.cancel(this.eventId(EVENT));
    this.packager.cancel(this.eventId(LEAF_COPY_EVENT));
    this.packager.cancel(this.eventId(LEAF_BEHIND_EVENT));
    this.packager.cancel(this.eventId(WHERE_EVENT));
  }

  /** The hello event's handler: shared, given the app (no closure per pending event, issue 21). */
  static #sendNow(h: Hello): void {
    h.send();
  }

  /** Send a hello now (and the next one a period later). The tree calls it to spread news fast. */
  send(): void {
    const sleep = this.node.modemSleep?.aligned ? this.node.modemSleep : undefined;
    const now = this.node.platform.now();
    // Built and sent in our window, so the phase it announces is the one its receivers hear. A
    // sleepy leaf with a send slot's in that, a routing window other than its own (modem-sleep.ts),
    // which wakes its radio for the hello (sendInSlot).
    if (sleep?.leafSendSlot && !sleep.inSendSlot()) {
      this.packager.schedule(this.eventId(EVENT), sleep.sendSlotMs(), Hello.#sendNow, this);
      return;
    }
    const wait = sleep?.asleep && !sleep.leafSendSlot ? sleep.msUntilWindow() : 0;
    if (wait > 0) {
      const r = this.node.platform.randomBytes(new Uint8Array(1))[0];
      this.packager.schedule(this.eventId(EVENT), wait + 1 + Math.floor((r / 256) * ((sleep?.schedule.windowMs ?? 40) / 2)), Hello.#sendNow, this);
      return;
    }
    const t = this.#listener?.helloFields();
    const appeared = neighbourAppeared(this.#pace);
    const named = appeared || strangerHeard(this.#pace) || namedAgain(this.#pace);
    const slowed = paceSteps(this.#pace) > 0;
    const lists = this.#heard;
    // A slowed hello carries the list every other time: a neighbour's figure of how well we hear
    // it goes stale after 12 of our periods, and a quiet list every 8 would leave one loss to spare.
    const every = lists.every(slowed ? 2 : Math.max(1, this.params.heard_every));
    const quietEvery = slowed || lists.rotating ? every : Math.max(every, this.params.quiet_heard_every);
    const full = appeared || this.#sent % every === 0;
    // The id (32 bytes) rides on one hello in 3 × heard_every (counted as this one goes out), when a
    // neighbour appeared (three in a row after a reboot) and after a stranger's hello (hello-pace.ts):
    // for neighbours whose Beacon was lost.
    const nodeId = named || (this.#sent + 1) % (3 * Math.max(1, this.params.heard_every)) === 0 ? this.packager.nodeId : undefined;
    // Chosen once per hello (a sleeper's copies carry the same list). Addresses held back from the last hello go
    // first (their list was full) if they fit; the heard list fills the rest: one frame ("Dense neighbourhoods").
    const held = this.heldNeighbours;
    if (held) this.heldNeighbours = undefined;
    let neighbours = held ?? (full ? this.neighboursToSend(now, appeared || this.#sent % (NEIGHBOURS_REFRESH * every) === 0) : undefined);
    const peers = this.packager.peers; // a copy of the table at each read: made once a hello
    const dense = peers.length > DENSE_PEERS; // else no budget: nothing to size (a section is built to be sized)
    let room = dense ? heardRoom(HELLO_FRAME_BYTES, nodeId, sleep !== undefined, neighbours) : HELLO_MAX_ENTRIES;
    if (dense && neighbours && room < (full && !held ? MIN_HEARD_ROOM : 0)) {
      // No room beside the list: held for the next hello; none even there: sent again with the next list.
      if (held) this.#neighboursSent = '';
      else this.heldNeighbours = neighbours;
      neighbours = undefined;
      room = heardRoom(HELLO_FRAME_BYTES, nodeId, sleep !== undefined, undefined);
    }
    let heard: HeardEntry[] = [];
    let news = appeared;
    if (full) {
      heard = lists.pick(peers, room, now);
      const repeats = lists.repeats(heard);
      news ||= !repeats;
      // A list that would only repeat the last one waits for the quiet slot.
      if (!appeared && this.#sent % quietEvery !== 0 && repeats) heard = [];
      else lists.remember(heard);
    }
    this.#pace = afterNamed(withStranger(withAppeared(this.#pace, false), false));
    const tag = addressTag(this.packager.address?.bytes);
    const period = this.pacedPeriod(t, tag, news);
    const build = () => serializeHello({
      seq,
      intervalMs: period,
      flags: (this.node.modemSleep ? HelloFlag.SLEEPS : 0) | (sleep?.leaf ? HelloFlag.LEAF : 0) | (t?.flags ?? 0),
      rootSeq: t?.rootSeq ?? 0,
      depth: t?.depth ?? 255,
      root: t?.root ?? this.packager.nodeId,
      addressTag: tag,
      nodeId,
      heard,
      schedule: sleep?.announce(),
      neighbours,
    });
    const seq = this.#seq;
    const spread = sleep !== undefined && (sleep.takeChanged() || this.#sent % SPREAD_EVERY === 0);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#sent++;
    const compact = this.params.compact && this.neighboursExpand();
    const once = (): void => {
      const m = build(); // again for each copy: the phase it announces moves on
      if (!m.ok) return;
      // Upstream nodes ignore hellos: no echoes for them, whose phase would be stale.
      if (sleep?.leafSendSlot) sleep.sendInSlot(() => this.packager.broadcast(this.id, m.value, undefined, compact));
      else if (sleep) sleep.withoutEchoes(() => this.packager.broadcast(this.id, m.value, undefined, compact));
      else this.packager.broadcast(this.id, m.value, undefined, compact);
    };
    if (spread) sleep.repeatAcrossCycle(once);
    else once();
    if (sleep) scheduleLeafCopies(this.packager, sleep, (e) => this.eventId(e), once, this.strangerLeaf);
    if (this.strangerLeaf) this.strangerLeaf = undefined;
    this.scheduleNext(period);
  }

  /**
   * A neighbour took us as its parent: back to the normal pace at once (hello-pace.ts), so it
   * hears our hellos, and the heartbeat on them, as often as a child expects.
   */
  hurry(): void {
    if (paceSteps(this.#pace) === 0) return;
    this.#pace = resetPace(this.#pace);
    this.scheduleNext(this.params.interval_ms);
  }

  /**
   * Our tree changed in a way neighbours must hear from a hello, not a SEND (tree-repair.ts
   * `joined`): the next hello within a few tens of ms unless one is due sooner. At most once a
   * period, so news coming fast cannot make us flood; the hellos after it keep their pace.
   */
  soon(): void {
    const now = this.node.platform.now();
    const last = this.soonAt;
    if (last !== undefined && now - last < this.params.interval_ms) return;
    const r = this.node.platform.randomBytes(new Uint8Array(1))[0];
    const delay = 20 + r; // 20–275 ms: neighbours that joined at once do not send together
    const due = this.packager.dueTime(this.eventId(EVENT));
    if (due !== undefined && due - now <= delay) return;
    this.soonAt = now;
    this.packager.schedule(this.eventId(EVENT), delay, Hello.#sendNow, this);
  }

  /**
   * The period to our next hello, announced in this one: the root's or the normal one, or, for a
   * node nobody takes as parent, one that doubles while our hellos say nothing new (hello-pace.ts).
   * Not while we modem-sleep (hellos align the schedules) nor while a root is poisoned.
   */
  private pacedPeriod(t: HelloTreeFields | undefined, tag: number, news: boolean): number {
    if (t?.isRoot) return this.params.root_interval_ms;
    const flags = t?.flags ?? 0;
    const calm = !news && !t?.leads && (flags & URGENT_FLAGS) === 0 && !this.node.modemSleep && this.params.quiet_interval_ms > this.params.interval_ms && this.heardCleanly();
    const relayed = this.packager.counters.get('forwarded');
    this.#pace = nextPace(this.#pace, calm, treeSignature(t?.root ?? this.packager.nodeId, t?.depth ?? 255, flags, tag), relayed);
    return pacedPeriod(this.#pace, this.params.interval_ms, this.params.quiet_interval_ms);
  }

  /**
   * Every neighbour that speaks Hello says it hears us cleanly (≥ QUIET_QUALITY): over a lossy link
   * each of our hellos is a measurement it still needs, so we keep the normal pace.
   */
  private heardCleanly(): boolean {
    const now = this.node.platform.now();
    for (const p of this.packager.peers) if (p.link && (p.link.outbound(now) ?? 0) * 255 < QUIET_QUALITY) return false;
    return true;
  }

  /** Every peer's Beacon says it expands compact frames (an upstream neighbour's never does). */
  private neighboursExpand(): boolean {
    const beacon = this.node.app(Beacon);
    const peers = this.packager.peers;
    return beacon !== undefined && peers.length > 0 && peers.every((p) => beacon.expandsCompactPeer(p));
  }

  /** Ask `peer`, a silent parent, to answer by unicast (hello-probe.ts); in modem sleep only the `root` before it is given up. */
  probe(peer: Peer, root = false): boolean {
    if (!root && (this.node.modemSleep || peer.link?.sleeps)) return false;
    return (this.probes ??= new HelloProbes(this)).probe(peer);
  }

  /** Our hello period: the root's, or the (paced) normal one. */
  private periodFor(t: HelloTreeFields | undefined): number {
    return t?.isRoot ? this.params.root_interval_ms : pacedPeriod(this.#pace, this.params.interval_ms, this.params.quiet_interval_ms);
  }

  /** What a probe's answer says (hello-probe.ts): our last hello's header (its number too), without sections. */
  answerMessage(): HelloMessage {
    const t = this.#listener?.helloFields(true);
    const sleep = this.node.modemSleep;
    const flags = (sleep ? HelloFlag.SLEEPS : 0) | (sleep?.leaf ? HelloFlag.LEAF : 0) | (t?.flags ?? 0);
    const seq = (this.#seq - 1) & 0xffff;
    return { seq, intervalMs: this.periodFor(t), flags, rootSeq: t?.rootSeq ?? 0, depth: t?.depth ?? 255, root: t?.root ?? this.packager.nodeId, addressTag: addressTag(this.packager.address?.bytes), heard: [] };
  }

  protected onReceive(blob: Uint8Array, from: Delivery): void {
    if (!from.mac) return; // our own, back through the loopback
    if (blob[0] === HELLO_WHERE_OP || blob[0] === HELLO_HERE_OP) {
      if (from.peer?.link && from.hops === 1) (this.where ??= new AddressAsk(this)).receive(blob, from);
      else this.packager.counters.inc('hello_probe_stranger');
      return;
    }
    if (blob[0] === HELLO_PROBE_OP || blob[0] === HELLO_ANSWER_OP) {
      if ((this.probes ??= new HelloProbes(this)).receive(blob, from, this.#listener) && !from.peer?.leaf) this.node.modemSleep?.routerAnswered();
      return;
    }
    if (blob[0] === HELLO_NEWS_OP) return this.#listener?.onNews(blob, from);
    const parsed = parseHello(blob);
    if (!parsed.ok) return this.packager.counters.inc('hello_bad_message');
    const now = this.node.platform.now();
    const m = parsed.value;
    const sleep = this.node.modemSleep;
    // A hello with its sender's id makes it a peer (as its Beacon would have); one that names us may take the
    // slot of a peer that does not ("Dense neighbourhoods"). Any hello also keeps a known peer alive, as its
    // Beacon does: a minute's beacons can be lost four times in a row while its hellos get through.
    const report = names(m, this.packager.nodeId);
    const peer = from.peer ? this.packager.addPeer(undefined, [], from.peer) : m.nodeId && from.iface ? this.packager.addPeer(m.nodeId, [{ mac: from.mac, radio: from.iface.radio }], undefined, report >= 0) : undefined;
    if (!peer) {
      this.packager.counters.inc('hello_from_stranger');
      if (!heardStranger(this.packager.peers, this.node.modemSleep, m, from, now, this.node.uptimeMs)) return;
      this.#pace = withStranger(this.#pace, true);
      this.strangerLeaf = strangerLeafWindows(sleep, m, from, now) ?? this.strangerLeaf;
      return;
    }
    const held = peer.link; // each read makes a view of the table's cells (issue 21): two reads, not five
    if (!held || held.silentPeriods(now) > 16) this.#pace = withAppeared(this.#pace, true);
    if (!held) peer.link = new LinkEstimate(now); // copied into the table: its view is read next
    const link = held ?? (peer.link as LinkEstimate);
    // A leaf hears a router once a superframe at most. A neighbour that rebooted knows us no more: our next three hellos name us.
    const restarted = link.onHello(m.seq, m.intervalMs, now, sleep?.leaf && (m.flags & HelloFlag.LEAF) === 0 ? leafWindows(sleep.schedule).periodMs : 0);
    if (restarted) this.#pace = withRestart(this.#pace);
    link.sleeps = (m.flags & HelloFlag.SLEEPS) !== 0;
    // Its wake schedule: when frames for it go out, and perhaps the schedule we follow.
    const leaf = (m.flags & HelloFlag.LEAF) !== 0;
    if (leaf !== (peer.leaf === true)) peer.leaf = leaf; // only on a change: most peers never get the slot
    if (sleep?.promotion && sleep.leaf && this.#listener?.parentKey() !== undefined && sleep.promotion.heard(m, peer.id, this.#listener.treeRoot(), now)) sleep.promote(); // leaf-promotion.ts
    const schedule = m.schedule && freshAnnouncement(m.schedule, from.assembledMs);
    if (m.schedule && !schedule) this.packager.counters.inc('sleep_stale_schedule'); // its windows as they were
    else if (schedule && sleep?.aligned) sleep.hear(peer, schedule, leaf, this.fromParent(peer));
    else {
      const s = schedule ? scheduleHeard(schedule, now) : undefined;
      peer.setWakes(s && leaf ? leafWindows(s) : s);
    }
    if (report >= 0) link.onReport(report, now);
    if (!m.neighbours) {
      if (peer.reach && !peer.reach.matches(m.addressTag)) peer.forgetReach(); // it moved in the tree: so did the neighbours it listed, likely
    } else {
      // Believed for three refresh periods: lost broadcasts do not blind us, and a change is sent at once.
      // Open mode (no key proofs on our Beacons): its own address counts as its SEND in modem sleep, awake only where we hold none (hello-reach.ts).
      const ownWord = this.node.app(Beacon)?.layer !== undefined ? 'never' : this.node.modemSleep !== undefined ? 'always' : 'unknown';
      heardReach(this, peer, m.neighbours, now, 3 * NEIGHBOURS_REFRESH * Math.max(1, this.params.heard_every) * m.intervalMs, ownWord);
    }
    this.#listener?.onHello(peer, m, now, restarted);
  }

  /** A sleepy leaf's: whether `peer` is its tree parent, whose windows it keeps (undefined: not a leaf, or no parent). */
  private fromParent(peer: Peer): boolean | undefined {
    const parent = this.node.modemSleep?.leaf ? this.#listener?.parentKey() : undefined;
    return parent === undefined ? undefined : parent === peer.key;
  }

  /** Beacon's hook 'peer_apps' (called with this app as `this`): a neighbour listing Hello gets a link estimate. */
  private peerApps(peer: Peer, apps: Uint8Array[]): void {
    // Not over a link that keeps Hello off (a bridge's LoRa): no hello of its will come that way.
    if (peer.bestLink()?.iface.quietApps.includes(this.idHex)) return;
    if (!peer.link && apps.some((a) => bytesEqual(a, this.id))) peer.link = new LinkEstimate(this.node.platform.now());
  }

  /** Packager hook 'route_missing': a sleepy leaf asks a router where that node is, after this send (hello-where.ts). */
  private routeMissing(nodeId: Uint8Array): void {
    const id = nodeId.slice();
    this.packager.schedule(this.eventId(WHERE_EVENT), 1, () => (this.where ??= new AddressAsk(this)).ask(id));
  }

  /** Packager hook 'sleep_leaf_silent': a sleepy leaf's routers went quiet (leaf-watch.ts). */
  private askRouter(): void {
    (this.probes ??= new HelloProbes(this)).askRouter(this.packager.peers);
  }

  /** Packager hook 'sleep_aligned' (called with this app as `this`). */
  private aligned(): void {
    const r = this.node.platform.randomBytes(new Uint8Array(1))[0];
    this.packager.schedule(this.eventId(EVENT), 20 + r * 2, Hello.#sendNow, this);
  }

  /** Our neighbours' addresses when due: `refresh`, or changed since we last sent them. */
  private neighboursToSend(now: number, refresh: boolean): NeighbourAddresses | undefined {
    const n = neighbourAddresses(this.packager, this.node.modemSleep !== undefined, now);
    const key = n ? neighbourListKey(n) : '';
    if (!n || (!refresh && key === this.#neighboursSent)) return undefined;
    this.#neighboursSent = key;
    return n;
  }

  private scheduleNext(period: number): void {
    const r = this.node.platform.randomBytes(new Uint8Array(1));
    const jitter = ((r[0] / 255) * 2 - 1) * this.params.jitter_ratio * period;
    this.packager.schedule(this.eventId(EVENT), Math.max(1, Math.round(period + jitter)), Hello.#sendNow, this);
  }
}
