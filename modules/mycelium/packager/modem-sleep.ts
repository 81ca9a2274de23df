/**
 * Modem sleep (docs/sleep.md). Two cycles:
 *
 * - **aligned** (our default): the radio listens for `activeMs` at the start of every
 *   `activeMs + sleepMs`, on a schedule shared with the neighbours (schedule-sync.ts, announced in
 *   our hellos). Traffic does not stretch the window: a frame for a sleeping neighbour waits for its
 *   window (datagrams.ts), a broadcast made while we sleep waits for ours (wake-queue.ts). A node
 *   listens `bootListenMs` after starting to hear its neighbours' schedules first. While an upstream
 *   neighbour is around, no sleep lasts longer than upstream's 90 ms, so its RNS probes (4 × 36 ms)
 *   still meet one of our listens.
 * - **upstream** (`aligned: false`, protocol.md §4.10 `work`): every `activeMs` the node decides
 *   whether to sleep; recent traffic (a "sleep skip", at most 10) keeps it awake one more period.
 */
import { MODEM_SLEEP_MS } from '../wire/constants.js';
import { MODEM_SLEEP_DEFAULTS, type ModemSleepOptions } from './modem-sleep-options.js';
import type { OwnSleep } from './context.js';
import type { Packager } from './packager.js';
import type { Peer } from './peer.js';
import { LeafPromotion } from './leaf-promotion.js';
import { LeafWatch } from './leaf-watch.js';
import { SendListen } from './send-listen.js';
import { ScheduleSync, filteredSchedule, scheduleHeard, scheduleRank, type ScheduleAnnouncement } from './schedule-sync.js';
import { LEAF_SEND_AWAKE_MS, inSendSlot, sendSlotMs } from './leaf-send-slot.js';
import { UpstreamEchoes, upstreamNeighbour } from './upstream-echoes.js';
import { windowTail } from './window-tail.js';
import { SUPERFRAME_WINDOWS, leafSlotOf, leafWindows, msUntilWindow, phaseOf, sameWindows, type WakeSchedule } from './wake-schedule.js';

export { MODEM_SLEEP_DEFAULTS, type ModemSleepOptions } from './modem-sleep-options.js';
export { LEAF_SEND_AWAKE_MS } from './leaf-send-slot.js';

/** Shorter sleeps than this are not worth switching the radio for. */
const MIN_SLEEP_MS = 4;
const EVENT = 'modem-sleep';
const SPREAD_EVENT = 'modem-spread';
const LEAF_SEND_EVENT = 'modem-leaf-send';
const LEAF_PROBE_EVENT = 'modem-leaf-probe';

export class ModemSleep implements OwnSleep {
  readonly sleepMs: number;
  readonly activeMs: number;
  readonly aligned: boolean;
  readonly bootListenMs: number;
  /** A sleepy leaf now (configured so and not promoted: leaf-promotion.ts); one that broadcasts in its send slot. */
  #leaf: boolean;
  #leafSendSlot: boolean;
  /** Configured a sleepy leaf: even promoted, its root claim loses to any other (tree-host.ts). */
  readonly leafByConfig: boolean;
  /** A leaf that may become a routing node (ModemSleepOptions.promote): what it heard of other trees. */
  readonly promotion: LeafPromotion | undefined;
  readonly #packager: Packager;
  readonly #sync: ScheduleSync;
  readonly #slot: number; // a leaf's window in the superframe (wake-schedule.ts `leafSlotOf`)
  #running = false;
  #asleep = false;
  #awakeUntil = 0;
  readonly #echoes = new UpstreamEchoes();
  /** Leaf: when it last heard a routing neighbour, and how it looks for one after a silence. */
  readonly #watch = new LeafWatch();
  /** The listen after a frame we woke to send: ends once the radio has sent it (send-listen.ts). */
  readonly #sendListen = new SendListen();
  /**
   * Leaf: listening continuously to find its routers' schedule, at boot or again after a
   * silence (resync); ends soon after the first routing neighbour's hello: a superframe after it
   * at boot (the other routers' hellos, spread over the superframe's windows, come in meanwhile),
   * a window after it on a resync (docs/sleep.md "Session 18").
   */
  #finding: 'boot' | 'resync' | undefined;
  /** Leaf: its send slot is sending what it held (those broadcasts go out, not back in the queue). */
  #sendingHeld = false;
  /** Leaf: until when it listens continuously (boot or resync): its broadcasts go at once then. */
  #listenEnd = 0;
  /** Completed sleep periods and skipped decisions, for stats. */
  sleeps = 0;
  skips = 0;

  constructor(packager: Packager, options: ModemSleepOptions = {}) {
    this.#packager = packager;
    this.aligned = options.aligned ?? true;
    this.sleepMs = options.sleepMs ?? (this.aligned ? MODEM_SLEEP_DEFAULTS.sleepMs : MODEM_SLEEP_DEFAULTS.upstreamSleepMs);
    this.activeMs = options.activeMs ?? MODEM_SLEEP_DEFAULTS.activeMs;
    this.bootListenMs = options.bootListenMs ?? MODEM_SLEEP_DEFAULTS.bootListenMs;
    this.#leaf = this.aligned && (options.leaf ?? MODEM_SLEEP_DEFAULTS.leaf);
    this.#leafSendSlot = this.#leaf && (options.leafSendSlot ?? MODEM_SLEEP_DEFAULTS.leafSendSlot);
    this.leafByConfig = this.#leaf;
    this.promotion = this.#leaf && (options.promote ?? MODEM_SLEEP_DEFAULTS.promote) ? new LeafPromotion(this.activeMs + this.sleepMs) : undefined;
    this.#slot = leafSlotOf(packager.nodeId);
    this.#sync = new ScheduleSync(this.#sourceId(), this.#ownSchedule(0));
    if (this.aligned) packager.setOwnSleep(this);
  }

  get asleep(): boolean { return this.#asleep; }
  get leaf(): boolean { return this.#leaf; }
  get leafSendSlot(): boolean { return this.#leafSendSlot; }
  /** The wake schedule we follow (aligned cycle): the routing nodes' windows. */
  get schedule(): WakeSchedule { return this.#sync.schedule; }

  /** When our radio listens: the schedule's windows, or a leaf's own (all while it looks for its routers: leaf-watch.ts). */
  get listening(): WakeSchedule {
    return this.#leaf && !this.#watch.inWindows(this.#packager.platform.now()) ? this.ownLeafWindows : this.#sync.schedule;
  }

  /** A leaf's own windows: its slot of every superframe of the schedule it follows. */
  get ownLeafWindows(): WakeSchedule {
    return leafWindows(this.#sync.schedule, this.#slot);
  }

  /** Times we adopted a neighbour's schedule. */
  get adoptions(): number { return this.#sync.adoptions; }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    if (!this.aligned) {
      this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
      return;
    }
    const now = this.#packager.platform.now();
    this.#sync.reset(this.#sourceId(), this.#ownSchedule(now));
    this.#awakeUntil = now + this.bootListenMs;
    this.#listenEnd = this.#awakeUntil;
    this.#watch.start(this.#awakeUntil);
    this.#finding = this.#leaf ? 'boot' : undefined;
    this.#tick();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    this.#packager.cancel(EVENT);
    this.#packager.cancel(SPREAD_EVENT);
    this.#packager.cancel(LEAF_SEND_EVENT);
    this.#packager.cancel(LEAF_PROBE_EVENT);
    if (this.#asleep) this.#wake();
  }

  // ---- aligned cycle: what the Packager and the apps ask -------------------------------------

  msUntilWindow(): number {
    return this.#asleep ? msUntilWindow(this.listening, this.#packager.platform.now()) : 0;
  }

  holdsBroadcast(): boolean {
    if (this.#asleep) return true;
    // A leaf past its boot or resync listen sends broadcasts only in its send slot (sendSlotMs).
    return this.#leafSendSlot && this.#running && !this.#sendingHeld && this.#packager.platform.now() >= this.#listenEnd;
  }

  broadcastHeld(): void {
    if (!this.#leafSendSlot || !this.#running || this.#packager.isScheduled(LEAF_SEND_EVENT)) return;
    this.#packager.schedule(LEAF_SEND_EVENT, this.sendSlotMs(), () => this.sendInSlot());
  }

  /** Leaf: whether now is in a send slot (a routing window not its own, with time to spare). */
  inSendSlot(): boolean {
    const now = this.#packager.platform.now();
    return !this.#leafSendSlot || now < this.#listenEnd || inSendSlot(this.#sync.schedule, now, this.ownLeafWindows);
  }

  /**
   * Leaf, in a send slot: the radio on for LEAF_SEND_AWAKE_MS, the broadcasts it held go out, and
   * `send`'s (a hello, built now so that the phase it announces is the one heard).
   */
  sendInSlot(send?: () => void): void {
    this.#packager.cancel(LEAF_SEND_EVENT);
    this.keepAwakeUntil(this.#packager.platform.now() + LEAF_SEND_AWAKE_MS);
    this.#sendingHeld = true;
    try {
      this.#packager.radiosAwake(true);
      send?.();
    } finally {
      this.#sendingHeld = false;
    }
  }

  /**
   * Leaf: ms from now to a moment when its routing neighbours listen and it does not (a window
   * of the routers' schedule other than the leaf's own), at a random point of that window's
   * first part, so that the leaves sending in the same window spread out. 0 before the leaf
   * follows a routing schedule.
   */
  sendSlotMs(): number {
    const now = this.#packager.platform.now();
    if (!this.#leafSendSlot || now < this.#listenEnd) return 0;
    return sendSlotMs(this.#sync.schedule, now, this.#packager.platform.randomBytes(new Uint8Array(1))[0], this.ownLeafWindows);
  }

  /**
   * A frame goes out now to a neighbour that hears it now: listen up to a window's length, for
   * the answer when one comes at once (`answered`: a hop ack, a NIA), else, on a sleepy leaf,
   * until the radio has sent the frame (frameDone). A routing node keeps the whole window: it
   * listens in every window anyway, and its neighbours on lossy links may not know that it
   * sleeps and answer at once (docs/sleep.md "Session 19").
   */
  wakeToSend(answered = false): void {
    const now = this.#packager.platform.now();
    const framesOnly = this.#leaf && !answered && (now >= this.#awakeUntil || this.#sendListen.framesOnly);
    this.keepAwakeUntil(now + this.activeMs);
    this.#sendListen.begin(Math.max(this.#awakeUntil, now + this.activeMs), framesOnly);
  }

  frameHanded(): void {
    this.#sendListen.handed();
  }

  /** A frame heard: a routing node stays on while its neighbourhood is busy (window-tail.ts). */
  frameHeard(): void {
    const until = this.#running && !this.#asleep && !this.#leaf ? windowTail(this.#sync.schedule, this.#packager.platform.now()) : undefined;
    if (until !== undefined) this.keepAwakeUntil(until);
  }

  /** A radio sent one of our frames: a listen that waited only for them ends when none is left. */
  frameDone(): void {
    if (!this.#sendListen.done() || !this.#running || this.#asleep) return;
    const now = this.#packager.platform.now();
    if (now < this.#listenEnd || !this.#sendListen.mayEnd(now, this.#awakeUntil)) return;
    this.#sendListen.end();
    this.#awakeUntil = now;
    this.#tick();
  }

  /** While an upstream neighbour is around, our broadcasts are sent 3 more times (upstream-echoes.ts); a leaf's are not. */
  echoForUpstream(send: () => void): void {
    if (!this.#leaf) this.#echoes.echo(this.#packager, send, this);
  }

  /** Run `send` with no upstream echoes of what it broadcasts now (upstream-echoes.ts). */
  withoutEchoes(send: () => void): void {
    this.#echoes.without(send);
  }

  /** Keep the radio on until `t` (platform ms), waking it now if it sleeps. */
  keepAwakeUntil(t: number): void {
    if (!this.#running || !this.aligned) return;
    this.#sendListen.other();
    if (t > this.#awakeUntil) this.#awakeUntil = t;
    else if (!this.#asleep) return; // asleep before a listen already planned: wake now all the same
    this.#tick();
  }

  /** What our hellos announce. */
  announce(): ScheduleAnnouncement {
    return this.#sync.announce(this.#packager.platform.now(), this.#leaf ? this.#slot : 0);
  }

  /**
   * A neighbour announced its schedule: remember when it listens; follow it if it is better.
   * A leaf's schedule is never followed (it is ours, sparser), only remembered. No `peer`: a
   * routing stranger heard while no router serves us (apps/hello-stranger.ts). `fromParent`
   * (a leaf with a parent): whether it is `peer`, whose windows the leaf keeps (schedule-sync.ts).
   */
  hear(peer: Peer | undefined, a: ScheduleAnnouncement, fromLeaf: boolean, fromParent?: boolean): void {
    if (fromLeaf) {
      this.#watch.heardLeaf();
      if (!peer) return;
      const s = scheduleHeard(a, this.#packager.platform.now());
      const w = s && leafWindows(s);
      peer.setWakes(w && { epoch: w.epoch, periodMs: w.periodMs, windowMs: w.windowMs, rank: scheduleRank(a) });
      return;
    }
    const now = this.#packager.platform.now();
    const heard = this.#sync.hear(a, now, !this.#leaf || fromParent === undefined || this.#finding !== undefined ? 'rank' : fromParent ? 'parent' : 'none');
    // A leaf's watch counts a router on our windows: one on a schedule we do not follow (heard in a
    // spread hello) hears none of our frames, and kept the leaf from looking for one for good.
    if (heard.adopted || sameWindows(heard.schedule, this.#sync.schedule)) this.#watch.heard(now);
    // Its windows filtered against what we held (schedule-sync.ts `filteredSchedule`): a hello's
    // delay makes them look later than they are, and a frame sent late in its window by that
    // error arrives after it closed. (A leaf's are taken as heard, above: it jumps after a resync.)
    peer?.setWakes(heard.schedule && filteredSchedule(peer.wakes, heard.schedule, heard.schedule.periodMs * SUPERFRAME_WINDOWS));
    if (this.#finding !== undefined) {
      // Found: back to the leaf's sparse windows after one more window's length, or at boot a
      // superframe's (the full 3.5 s was 1.2 % of a 5-minute run's radio time on its own).
      const tail = this.#finding === 'boot' ? this.#sync.schedule.periodMs * SUPERFRAME_WINDOWS : this.activeMs;
      this.#finding = undefined;
      this.#awakeUntil = Math.min(this.#awakeUntil, now + tail);
      this.#listenEnd = Math.min(this.#listenEnd, this.#awakeUntil);
      if (this.#running) this.#tick();
    }
    if (heard.adopted && this.#running) {
      this.#packager.callHook('sleep_aligned');
      this.#tick();
    }
  }

  /** Whether a leaf on a schedule of `rank` would follow ours on hearing our hello (hello-leaves.ts). */
  leads(rank: number): boolean {
    return this.#sync.leads(rank);
  }

  /** True once after each change of schedule: the next hello should reach every phase. */
  takeChanged(): boolean {
    return this.#sync.takeChanged() && !this.#leaf;
  }

  /**
   * Send the same broadcast across one whole cycle, a copy every 0.9 window (upstream's RNS
   * spacing), so a neighbour on any schedule, or an upstream node in its own cycle, hears one:
   * how a changed schedule, and news for off-schedule sleepers, reach them. `send` is called at
   * each copy (so it can put the current phase in). We stay awake meanwhile.
   */
  repeatAcrossCycle(send: () => void): void {
    if (this.#leaf) return send(); // a leaf's own window is the one its neighbours hold frames for
    const s = this.#sync.schedule;
    const spacing = Math.max(1, Math.floor(0.9 * s.windowMs));
    const copies = Math.ceil(s.periodMs / spacing) + 1;
    this.keepAwakeUntil(this.#packager.platform.now() + (copies - 1) * spacing + 1);
    const next = (left: number): void => {
      send();
      if (left > 1) this.#packager.schedule(SPREAD_EVENT, spacing, () => next(left - 1));
    };
    next(copies);
  }

  // ---- aligned cycle: the radio --------------------------------------------------------------

  /** What our own schedule is ranked by: our id; a leaf's ranks last, so it follows any routing node's. */
  #sourceId(): Uint8Array {
    return this.#leaf ? new Uint8Array(4).fill(0xff) : this.#packager.nodeId;
  }

  #ownSchedule(now: number): WakeSchedule {
    return { epoch: now, periodMs: this.activeMs + this.sleepMs, windowMs: this.activeMs };
  }

  /** Put the radio in the state the schedule asks for now, and come back at the next change. */
  #tick(): void {
    if (!this.#running) return;
    const now = this.#packager.platform.now();
    if (this.#leaf && now >= this.#awakeUntil) {
      const step = this.#watch.step(now, this.#sync.schedule.periodMs * SUPERFRAME_WINDOWS, (t) => t + this.bootListenMs);
      if (step === 'listen' && this.promotion && this.#watch.lonely()) this.promote();
      else if (step === 'listen') this.#resync(now);
      else if (step === 'windows') this.#packager.counters.inc('sleep_leaf_windows');
      else if (step === 'probe') this.#askRouter();
      if (this.#leaf && this.promotion?.confirmDue(now)) {
        this.#packager.counters.inc('sleep_leaf_survey'); // hear the other tree again (leaf-promotion.ts)
        this.#awakeUntil = now + this.bootListenMs;
      }
    }
    const s = this.listening;
    if (now < this.#awakeUntil) return this.#awakeFor(this.#awakeUntil - now);
    const phase = phaseOf(s, now);
    if (phase < s.windowMs) {
      this.#awakeFor(s.windowMs - phase);
      // Our window: the broadcasts held while asleep go out (a leaf's in its send slot).
      if (!this.#leafSendSlot) this.#packager.radiosAwake();
      return;
    }
    const rest = s.periodMs - phase;
    // Upstream neighbours probe for 4 × 36 ms: never sleep longer than upstream does near them
    // (a leaf does not serve upstream neighbours: docs/sleep.md).
    const sleep = !this.#leaf && upstreamNeighbour(this.#packager) ? Math.min(rest, MODEM_SLEEP_MS) : rest;
    if (sleep < MIN_SLEEP_MS) return this.#awakeFor(rest);
    if (sleep < rest) this.#awakeUntil = now + sleep + Math.min(s.windowMs, rest - sleep);
    this.#sleep(sleep);
  }

  /**
   * A leaf heard no routing neighbour even in every window of its schedule (leaf-watch.ts): back
   * to its own, which ranks last, so the first routing neighbour's hello heard sets it again, and
   * listen as at boot to hear one.
   */
  #resync(now: number): void {
    this.#packager.counters.inc('sleep_leaf_resync');
    this.#sync.reset(this.#sourceId(), this.#ownSchedule(now));
    this.#awakeUntil = now + this.bootListenMs;
    this.#listenEnd = this.#awakeUntil;
    this.#finding = 'resync';
  }

  /**
   * A sleepy leaf becomes a routing node (leaf-promotion.ts): no routing neighbour found but other
   * leaves, or another live tree heard again. It listens in every window of the
   * schedule it holds (its parent's), which it may now spread; its hellos stop saying LEAF, so
   * neighbours route through it and the other tree's nodes, hearing its spread hello, join one
   * tree with ours.
   */
  promote(): void {
    if (!this.#leaf || !this.promotion) return;
    this.#leaf = false;
    this.#leafSendSlot = false;
    this.#finding = undefined;
    this.#packager.counters.inc('sleep_leaf_promoted');
    this.#packager.cancel(LEAF_SEND_EVENT);
    this.#packager.cancel(LEAF_PROBE_EVENT);
    const now = this.#packager.platform.now();
    // Alone, it holds its own schedule, ranked last as a leaf's: now ranked by its id.
    if (this.#sync.hops === 0) this.#sync.reset(this.#sourceId(), this.#sync.schedule);
    this.#sync.markChanged();
    this.#listenEnd = Math.min(this.#listenEnd, now);
    if (this.#running) {
      this.#packager.callHook('sleep_aligned');
      this.#tick();
    }
  }

  /** A leaf's silence: Hello asks a router to answer (after this tick: the ask may wake the radio). */
  #askRouter(): void {
    this.#packager.counters.inc('sleep_leaf_probe');
    this.#packager.schedule(LEAF_PROBE_EVENT, 1, () => this.#packager.callHook('sleep_leaf_silent'));
  }

  /** A leaf: a routing neighbour answered our question (hello-probe.ts), so our schedule holds. */
  routerAnswered(): void {
    if (this.#leaf && this.#finding === undefined) this.#watch.heard(this.#packager.platform.now());
  }

  #awakeFor(ms: number): void {
    if (this.#asleep) this.#wake();
    this.#packager.schedule(EVENT, Math.max(1, ms), () => this.#tick());
  }

  #sleep(ms: number): void {
    if (!this.#asleep) this.#packager.callHook('modemsleep');
    this.#asleep = true;
    // Again when already asleep: the radio wakes itself after the ms it was last given.
    for (const i of this.#packager.interfaces) i.radio.sleep?.(ms);
    this.#packager.schedule(EVENT, ms, () => {
      this.sleeps++;
      this.#tick();
    });
  }

  // ---- upstream cycle ------------------------------------------------------------------------

  #decide(): void {
    if (!this.#running) return;
    if (this.#packager.takeSleepSkip()) {
      this.skips++;
      this.#packager.callHook('sleepskip');
      this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
      return;
    }
    this.#packager.callHook('modemsleep');
    this.#asleep = true;
    for (const i of this.#packager.interfaces) i.radio.sleep?.(this.sleepMs);
    this.#packager.schedule(EVENT, this.sleepMs, () => {
      this.#wake();
      this.sleeps++;
      if (this.#running) this.#packager.schedule(EVENT, this.activeMs, () => this.#decide());
    });
  }

  #wake(): void {
    this.#asleep = false;
    for (const i of this.#packager.interfaces) i.radio.wake?.();
    this.#packager.callHook('wake');
  }
}
