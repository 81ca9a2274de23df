/**
 * How well one link works, both ways (docs/routing.md "Link quality"). Our neighbours number
 * their hellos, so a gap in the numbers is a lost hello: the share received over the last 16
 * hellos due is the inbound quality (Babel's history window, RFC 8966 §A.1). The neighbour tells
 * us in its own hellos how many of ours it received: the outbound quality. ETX = 1 / (in × out)
 * (De Couto et al.). A link becomes *good* when both ways are good enough and stops being good
 * only when clearly worse (hysteresis, so a link at the edge does not flap), or when the
 * neighbour falls silent for several of its hello periods.
 * Time counts too: hellos due but not heard lower the inbound figure before the next one
 * arrives, so a dead neighbour is noticed without waiting for a gap.
 */
import { ESTIMATE_CELLS, loneStore, putTime, type EstimateStore } from './estimate-cells.js';

const WINDOW = 16;
/** A jump in a neighbour's hello numbers this far from what the time explains is a restarted count (a reboot). */
const RESTART_GAP = 256;
/**
 * ETX at or below which a link becomes usable, and above which a usable link stops being so
 * (hysteresis). 4 is a link that loses half its frames each way: still worth a tree edge when
 * nothing better is around (a lossy line has nothing better); 8 is one that mostly fails.
 * Better links are preferred among usable ones by their ETX (next-hop.ts, the tree's parent choice).
 */
export const GOOD_ETX = 4;
export const BAD_ETX = 8;
/** ETX of a link routing prefers while one makes progress (about 20 % loss each way or less). */
export const PREFERRED_ETX = 1.6;
/**
 * A neighbour's report of us is stale after this many of its hello periods, and never sooner
 * than OUT_STALE_MIN_MS: reports ride on one hello in three, so a root's 1 s hellos carry one
 * every 3 s and a lossy link can miss several in a row.
 */
const OUT_STALE_PERIODS = 12;
const OUT_STALE_MIN_MS = 60_000;
/**
 * A neighbour counts as gone after k hellos missed in a row, k chosen so that a live link of its
 * quality does that by chance less than once in 10,000 checks: 4 for a clean link, up to 8 for
 * one that loses 30 %, so lossy links do not fake a dead neighbour.
 */
const FALSE_SILENCE = 1e-4;
const SILENCE_MIN = 3;
const SILENCE_MAX = 8;
/**
 * A new link is taken on trust for this many of the neighbour's hello periods while its first
 * report of us is on its way (in its next hello); then no report means a one-way link, never good.
 */
const REPORT_GRACE_PERIODS = 4;

export interface LinkFigures {
  readonly inbound: number;
  /** Undefined until the neighbour has reported how well it hears us. */
  readonly outbound: number | undefined;
  readonly etx: number;
  readonly good: boolean;
}

/** Where an estimate's numbers sit among its ESTIMATE_CELLS: codes, then times (estimate-cells.ts). */
const HISTORY = 0;
const SEQ_OUT = 1;
const LAST_AT = 2;
const OUT_AT = 3;
const SINCE = 4;
/** The rare figures no cell code holds (`odd` keys: 3 × slot + one of these). */
const ODD_SEQ_AT = 0;
const ODD_OUT_AT = 1;
const ODD_PERIOD_AT = 2;

export class LinkEstimate {
  // TS-private fields, not #private ones: on XS an object's first #private field costs a slot of
  // its own. The numbers are not fields: they sit in `store` (one estimate per neighbour that
  // speaks Hello, issue 21); an estimate of a Packager's neighbour is a view made when asked.
  private readonly store: EstimateStore;
  private readonly slot: number;

  /**
   * The history, its length, the good/bad state and what the neighbour said of its sleep in one
   * number: bits 0–15, bit i set = the i-th latest hello due was
   * heard (bit 0 newest); bits 16–20, hellos due covered (≤ WINDOW); bit 21, good; bit 22, it
   * said whether it sleeps; bit 23, it sleeps; bits 24–31, the neighbour's hello period in
   * hundreds of ms (what the wire carries: 100 ms to 25.5 s), 0 when it is another figure, then
   * held in `oddPeriodMs`. The period had a field of its own: 16 B more per neighbour (issue 21).
   */
  private get history(): number {
    return this.store.cells[ESTIMATE_CELLS * this.slot + HISTORY];
  }

  private set history(bits: number) {
    this.store.cells[ESTIMATE_CELLS * this.slot + HISTORY] = bits;
  }

  private get lastAt(): number {
    const store = this.store;
    return store.cells[ESTIMATE_CELLS * this.slot + LAST_AT] + store.timeBase;
  }

  private set lastAt(at: number) {
    putTime(this.store, ESTIMATE_CELLS * this.slot + LAST_AT, at);
  }

  /**
   * The last hello's number and the neighbour's report of us in one number:
   * `seq + 1` (a 16-bit number; 0 before the first hello) plus OUT_UNIT ×
   * (the reported byte + 1; 0 before a report). A figure neither the wire nor a clamp gives (a
   * caller's own) is SEQ_ODD or OUT_ODD there and held in `oddSeq`/`oddOut`.
   */
  private get seqOut(): number {
    return this.store.cells[ESTIMATE_CELLS * this.slot + SEQ_OUT];
  }

  private set seqOut(code: number) {
    this.store.cells[ESTIMATE_CELLS * this.slot + SEQ_OUT] = code;
  }

  private get outAt(): number {
    const store = this.store;
    return store.cells[ESTIMATE_CELLS * this.slot + OUT_AT] + store.timeBase;
  }

  private set outAt(at: number) {
    putTime(this.store, ESTIMATE_CELLS * this.slot + OUT_AT, at);
  }

  /** When the current history started (first hello, or the first after a long silence). */
  private get since(): number {
    const store = this.store;
    return store.cells[ESTIMATE_CELLS * this.slot + SINCE] + store.timeBase;
  }

  private set since(at: number) {
    putTime(this.store, ESTIMATE_CELLS * this.slot + SINCE, at);
  }

  private oddOf(which: number): number | undefined {
    return this.store.odd?.get(3 * this.slot + which);
  }

  /** Hold a rare figure (undefined: forget it). */
  private setOdd(which: number, value: number | undefined): void {
    if (value !== undefined) (this.store.odd ??= new Map()).set(3 * this.slot + which, value);
    else this.store.odd?.delete(3 * this.slot + which);
  }

  private get oddSeq(): number | undefined {
    return this.oddOf(ODD_SEQ_AT);
  }

  private set oddSeq(seq: number | undefined) {
    this.setOdd(ODD_SEQ_AT, seq);
  }

  private get oddOut(): number | undefined {
    return this.oddOf(ODD_OUT_AT);
  }

  private set oddOut(out: number | undefined) {
    this.setOdd(ODD_OUT_AT, out);
  }

  /** The hello period when it is not a whole number of 100 ms up to 25.5 s. */
  private get oddPeriodMs(): number | undefined {
    return this.oddOf(ODD_PERIOD_AT);
  }

  private set oddPeriodMs(ms: number | undefined) {
    this.setOdd(ODD_PERIOD_AT, ms);
  }

  /** The number of the neighbour's last hello, -1 before the first. */
  private get lastSeq(): number {
    const code = this.seqOut % OUT_UNIT;
    return code === SEQ_ODD ? (this.oddSeq as number) : code - 1;
  }

  private set lastSeq(seq: number) {
    const fits = Number.isInteger(seq) && seq >= -1 && seq <= 0xffff;
    this.seqOut = this.seqOut - (this.seqOut % OUT_UNIT) + (fits ? seq + 1 : SEQ_ODD);
    if (!fits) this.oddSeq = seq;
  }

  /** How well the neighbour says it hears us (0..1), undefined before it said. */
  private get outQuality(): number | undefined {
    const code = this.seqOut >>> OUT_SHIFT;
    return code === 0 ? undefined : code === OUT_ODD ? this.oddOut : (code - 1) / 255;
  }

  /** `quality`: the byte reported (0..255, clamped), else undefined for none. */
  private setReport(quality: number | undefined): void {
    let code = 0;
    if (quality !== undefined) {
      const byte = Math.max(0, Math.min(255, quality));
      code = Number.isInteger(byte) ? byte + 1 : OUT_ODD;
      if (code === OUT_ODD) this.oddOut = byte / 255;
    }
    this.seqOut = (this.seqOut % OUT_UNIT) + code * OUT_UNIT;
  }

  /** The neighbour's hello period, ms (3000 until its first hello says). */
  private get periodMs(): number {
    // The cell read here, not through `history`: read on every estimate figure, and on XS the
    // nested getter call is about 150 bytecodes (302 K reads on telemetry-25, issue 21).
    const hundreds = (this.store.cells[ESTIMATE_CELLS * this.slot + HISTORY] >>> PERIOD_SHIFT) & 0xff;
    return hundreds !== 0 ? hundreds * 100 : (this.oddPeriodMs as number);
  }

  private set periodMs(ms: number) {
    const hundreds = ms / 100;
    const fits = Number.isInteger(hundreds) && hundreds >= 1 && hundreds <= 0xff && hundreds * 100 === ms;
    this.history = (this.history & ~PERIOD_BITS) | ((fits ? hundreds : 0) << PERIOD_SHIFT);
    if (!fits) this.oddPeriodMs = ms;
    else if (this.oddPeriodMs !== undefined) this.oddPeriodMs = undefined;
  }

  /** The neighbour announced that it modem-sleeps (undefined: it never said). */
  get sleeps(): boolean | undefined {
    return (this.history & SLEEP_SAID_BIT) === 0 ? undefined : (this.history & SLEEPS_BIT) !== 0;
  }

  set sleeps(sleeps: boolean | undefined) {
    const rest = this.history & ~(SLEEP_SAID_BIT | SLEEPS_BIT);
    this.history = sleeps === undefined ? rest : rest | SLEEP_SAID_BIT | (sleeps ? SLEEPS_BIT : 0);
  }

  /**
   * `now`: when we learnt the neighbour speaks hello (its Beacon, or its first hello). With
   * `store`, a view of the estimate already at `slot` there (link-estimates.ts): `now` unused.
   */
  constructor(now = 0, store?: EstimateStore, slot = 0) {
    this.store = store ?? loneStore();
    this.slot = slot;
    if (store) return;
    this.history = DEFAULT_PERIOD_BITS;
    this.since = now;
    this.lastAt = now;
    this.outAt = now; // read only once a report sets it: written so that every time read was (estimate-cells.ts)
  }

  /** Put this estimate's numbers at `slot` of `store` (its rare figures too; the slot's old ones go). */
  copyTo(store: EstimateStore, slot: number): void {
    if (store === this.store && slot === this.slot) return;
    store.cells[ESTIMATE_CELLS * slot + HISTORY] = this.history;
    store.cells[ESTIMATE_CELLS * slot + SEQ_OUT] = this.seqOut;
    putTime(store, ESTIMATE_CELLS * slot + LAST_AT, this.lastAt);
    putTime(store, ESTIMATE_CELLS * slot + OUT_AT, this.outAt);
    putTime(store, ESTIMATE_CELLS * slot + SINCE, this.since);
    for (let which = 0; which < 3; which++) {
      const v = this.oddOf(which);
      if (v !== undefined) (store.odd ??= new Map()).set(3 * slot + which, v);
      else store.odd?.delete(3 * slot + which);
    }
  }

  /** A copy with a store of its own (what a view leaves behind when its neighbour goes). */
  detached(): LinkEstimate {
    const copy = new LinkEstimate(0);
    this.copyTo(copy.store, 0);
    return copy;
  }

  /** Hello `seq` arrived, the next due in `intervalMs`. True when its count restarted: a reboot, it knows us no more. */
  onHello(seq: number, intervalMs: number, now: number, heardEveryMs = 0): boolean {
    const seqGap = this.lastSeq < 0 ? 1 : (seq - this.lastSeq) & 0xffff;
    // The same hello twice (two radios, a repeat), or an older one: a copy held for a window or
    // spread over a cycle that came after a newer hello (its number was counted then).
    if (seqGap === 0 || seqGap >= 0x10000 - RESTART_GAP) return false;
    // A sleepy leaf hears a router's hellos at most once a superframe (`heardEveryMs`): those
    // sent faster (a root's, every second) fell between its windows, and are not losses.
    const gap = heardEveryMs > intervalMs && this.lastSeq >= 0 ? Math.min(seqGap, Math.max(1, Math.round((now - this.lastAt) / heardEveryMs))) : seqGap;
    intervalMs = Math.max(intervalMs, heardEveryMs);
    const byTime = this.lastSeq < 0 ? 0 : Math.floor((now - this.lastAt) / this.periodMs + 0.5);
    // A neighbour silent for a whole window, or one that restarted its count (a reboot: a random
    // count no time explains; news hurries hellos tens ahead, never hundreds): start afresh,
    // trusted until its report comes if new, rebooted or asleep; one unheard for a window waits
    // for its report (one lucky hello over a dead link made ETX 1: routing.md "Link quality").
    const restarted = this.lastSeq >= 0 && gap > byTime + RESTART_GAP;
    if (this.lastSeq < 0 || gap > WINDOW || gap > byTime + WINDOW) {
      const trusted = this.lastSeq < 0 || restarted || (this.history & SLEEPS_BIT) !== 0;
      this.history = 1 | (1 << SLOTS_SHIFT) | (this.history & KEPT_BITS);
      this.since = now;
      this.setReport(trusted ? undefined : 0);
      if (!trusted) this.outAt = now;
    } else {
      this.history = shifted(shifted(this.history, gap - 1, false), 1, true);
    }
    this.lastSeq = seq;
    this.lastAt = now;
    this.periodMs = Math.max(100, intervalMs);
    return restarted;
  }

  /** The neighbour reports receiving `quality` (0..255) of our hellos. */
  onReport(quality: number, now: number): void {
    this.setReport(quality);
    this.outAt = now;
  }

  /** Hello periods of the neighbour elapsed since its last hello (0 right after one). */
  silentPeriods(now: number): number {
    // The time read here, not through `lastAt`: asked by every lost() and usable(), and on XS
    // each getter call is a few dozen bytecodes (89 K calls on telemetry-25, issue 21).
    const store = this.store;
    return (now - (store.cells[ESTIMATE_CELLS * this.slot + LAST_AT] + store.timeBase)) / this.periodMs;
  }

  /**
   * The neighbour has been silent too long to be alive: more hello periods than a live link of
   * its quality would miss in a row (quality smoothed as (heard + 1) / (due + 2), so a short
   * history does not look perfect).
   */
  lost(now: number): boolean {
    // The limit is at least SILENCE_MIN: a neighbour heard lately is answered without the two
    // logarithms, which every usable() asks for since a gone neighbour is no next hop (peer.ts).
    const silent = this.silentPeriods(now);
    return silent > SILENCE_MIN && silent > this.silenceLimit();
  }

  /** Hello periods of silence after which the neighbour counts as gone (see `lost`). */
  silenceLimit(): number {
    const q = (popcount(this.history & HISTORY_MASK) + 1) / (slotsOf(this.history) + 2);
    return Math.max(SILENCE_MIN, Math.min(SILENCE_MAX, Math.ceil(Math.log(FALSE_SILENCE) / Math.log(1 - q))));
  }

  /**
   * The neighbour answered a probe (apps/hello-probe.ts): it is alive and hears us, though its
   * hellos did not reach us. Its silence starts again from now; the hellos we missed still count
   * as lost when its next one shows the gap in their numbers.
   */
  answered(now: number): void {
    if (this.lastSeq >= 0 && now > this.lastAt) this.lastAt = now;
  }

  /**
   * A neighbour that slowed its hellos down (a quiet leaf, apps/hello-pace.ts: it announced a
   * period longer than NORMAL_PERIOD_MS) and has missed SLOW_SILENCE_PERIODS of them in a row: not
   * one to route through until it is heard again. Counted in its own long periods alone, its
   * death would take minutes to show in its figures; this keeps it near a normal neighbour's.
   */
  slowAndSilent(now: number): boolean {
    return this.periodMs > NORMAL_PERIOD_MS && this.silentPeriods(now) > SLOW_SILENCE_PERIODS;
  }

  get intervalMs(): number {
    return this.periodMs;
  }

  get lastHeard(): number {
    return this.lastAt;
  }

  /** Share of the neighbour's hellos received, counting those due now but not heard. */
  inbound(now: number): number {
    return inboundOf(this.history, this.silentPeriods(now));
  }

  /** How well the neighbour hears us, undefined when it has not said (lately). */
  outbound(now: number): number | undefined {
    if (this.outQuality === undefined || now - this.outAt > Math.max(OUT_STALE_MIN_MS, OUT_STALE_PERIODS * this.periodMs)) return undefined;
    return this.outQuality;
  }

  /** Current figures; updates the good/bad state with hysteresis. */
  figures(now: number): LinkFigures {
    // What `outbound` and `inbound` read, each read once and straight from the cells (the period
    // and the report decoded as their getters do): every accessor is a call on XS, and the
    // figures are asked for each link judged (a tick's parent, every usable(); issue 21).
    const store = this.store;
    const cells = store.cells;
    const timeBase = store.timeBase;
    const base = ESTIMATE_CELLS * this.slot;
    const w = cells[base + HISTORY];
    const hundreds = (w >>> PERIOD_SHIFT) & 0xff;
    const period = hundreds !== 0 ? hundreds * 100 : (this.oddPeriodMs as number);
    const outCode = cells[base + SEQ_OUT] >>> OUT_SHIFT;
    const out = outCode === 0 ? undefined : outCode === OUT_ODD ? this.oddOut : (outCode - 1) / 255;
    const outbound = out === undefined || now - (cells[base + OUT_AT] + timeBase) > Math.max(OUT_STALE_MIN_MS, OUT_STALE_PERIODS * period) ? undefined : out;
    const young = now - (cells[base + SINCE] + timeBase) < REPORT_GRACE_PERIODS * period;
    const inbound = slotsOf(w) === 0 && young ? 1 : inboundOf(w, (now - (cells[base + LAST_AT] + timeBase)) / period);
    const product = inbound * (outbound ?? (young ? 1 : 0));
    const etx = product > 0 ? 1 / product : Infinity;
    const wasGood = (w & GOOD_BIT) !== 0;
    const flip = wasGood ? etx > BAD_ETX : etx <= GOOD_ETX;
    if (flip) cells[base + HISTORY] = w ^ GOOD_BIT;
    return { inbound, outbound, etx, good: wasGood !== flip };
  }

  good(now: number): boolean {
    return this.figures(now).good;
  }

  /** ETX now (Infinity for a dead link). */
  etx(now: number): number {
    return this.figures(now).etx;
  }

  /** 0..255 for our own hello's report of this neighbour. */
  report(now: number): number {
    return Math.round(this.inbound(now) * 255);
  }
}

/** Hello's usual period; a longer announced one means the sender slowed down. */
const NORMAL_PERIOD_MS = 3000;
/** Periods of a slowed neighbour missed in a row after which routing leaves it alone. */
const SLOW_SILENCE_PERIODS = 2;

const HISTORY_MASK = 0xffff;
const SLOTS_SHIFT = 16;
const GOOD_BIT = 1 << 21;
const SLEEP_SAID_BIT = 1 << 22;
const SLEEPS_BIT = 1 << 23;
/** `seqOut`'s parts (see the accessor). */
const OUT_SHIFT = 17;
const OUT_UNIT = 1 << OUT_SHIFT;
const SEQ_ODD = 0x10001;
const OUT_ODD = 257;
const PERIOD_SHIFT = 24;
const PERIOD_BITS = 0xff << PERIOD_SHIFT;
/** Hello's usual period (3000 ms), as the history holds it. */
const DEFAULT_PERIOD_BITS = 30 << PERIOD_SHIFT;
/** Bits a fresh history keeps from the old one: the good state, the sleep flag and the period. */
const KEPT_BITS = GOOD_BIT | SLEEP_SAID_BIT | SLEEPS_BIT | PERIOD_BITS;

function slotsOf(w: number): number {
  return (w >>> SLOTS_SHIFT) & 31;
}

/** `w` with `n` more hellos due (at most WINDOW), heard or not, shifted into its history. */
function shifted(w: number, n: number, heard: boolean): number {
  let history = w & HISTORY_MASK;
  let slots = slotsOf(w);
  for (let i = 0; i < n && i < WINDOW; i++) {
    history = ((history << 1) | (heard ? 1 : 0)) & HISTORY_MASK;
    if (slots < WINDOW) slots++;
  }
  return history | (slots << SLOTS_SHIFT) | (w & KEPT_BITS);
}

/** Share of hellos heard in history word `w`, counting those due in `silent` periods but not heard. */
function inboundOf(w: number, silent: number): number {
  if (slotsOf(w) === 0) return 0;
  const missed = Math.max(0, Math.floor(silent - 0.5));
  if (missed >= WINDOW) return 0;
  const history = ((w & HISTORY_MASK) << missed) & HISTORY_MASK;
  const slots = Math.min(WINDOW, slotsOf(w) + missed);
  return popcount(history) / slots;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
