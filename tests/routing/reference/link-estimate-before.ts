// The link estimate as it was before its period moved into the history bits (main at 5d1a27e):
// the reference tests/routing/link-estimate-layout.test.ts compares the current one with.
/**
 * How well one link works, both ways (docs/routing.md "Link quality"). Our neighbours number
 * their hellos, so a gap in the numbers is a lost hello: the share received over the last 16
 * hellos due is the inbound quality (Babel's history window, RFC 8966 §A.1). The neighbour tells
 * us in its own hellos how many of ours it received: the outbound quality. ETX = 1 / (in × out)
 * (De Couto et al.). A link becomes *good* when both ways are good enough and stops being good
 * only when clearly worse (hysteresis, so a link at the edge does not flap), or when the
 * neighbour falls silent for several of its hello periods.
 *
 * Time counts too: hellos due but not heard lower the inbound figure before the next one
 * arrives, so a dead neighbour is noticed without waiting for a gap.
 */

const WINDOW = 16;
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
 * report of us is on its way (it reports a new neighbour in its next hello); after that, no
 * report means it does not hear us: a one-way link, never good.
 */
const REPORT_GRACE_PERIODS = 4;

export interface LinkFigures {
  readonly inbound: number;
  /** Undefined until the neighbour has reported how well it hears us. */
  readonly outbound: number | undefined;
  readonly etx: number;
  readonly good: boolean;
}

export class LinkEstimateBefore {
  // TS-private fields, not #private ones: on XS an object's first #private field costs a slot of
  // its own (issue 21: one estimate per neighbour that speaks Hello).
  /**
   * The history, its length, the good/bad state and what the neighbour said of its sleep in one
   * number (a field is a 16 B slot on XS): bits 0–15, bit i set = the i-th latest hello due was
   * heard (bit 0 newest); bits 16–20, hellos due covered (≤ WINDOW); bit 21, good; bit 22, it
   * said whether it sleeps; bit 23, it sleeps.
   */
  private history = 0;
  private lastSeq = -1;
  private lastAt = 0;
  private periodMs = 3000;
  private outQuality: number | undefined;
  private outAt = 0;
  /** When the current history started (first hello, or the first after a long silence). */
  private since = 0;

  /** The neighbour announced that it modem-sleeps (undefined: it never said). */
  get sleeps(): boolean | undefined {
    return (this.history & SLEEP_SAID_BIT) === 0 ? undefined : (this.history & SLEEPS_BIT) !== 0;
  }

  set sleeps(sleeps: boolean | undefined) {
    const rest = this.history & ~(SLEEP_SAID_BIT | SLEEPS_BIT);
    this.history = sleeps === undefined ? rest : rest | SLEEP_SAID_BIT | (sleeps ? SLEEPS_BIT : 0);
  }

  /** `now`: when we learnt the neighbour speaks hello (its Beacon, or its first hello). */
  constructor(now = 0) {
    this.since = now;
    this.lastAt = now;
  }

  /** A hello numbered `seq` arrived; the sender says its next is due in `intervalMs`. */
  onHello(seq: number, intervalMs: number, now: number): void {
    const gap = this.lastSeq < 0 ? 1 : (seq - this.lastSeq) & 0xffff;
    // The same hello twice, or an older copy (session 30: the current one skips those too; this
    // reference is for the layout of the columns, not the rule).
    if (gap === 0 || gap >= 0x10000 - 256) return;
    const byTime = this.lastSeq < 0 ? 0 : Math.floor((now - this.lastAt) / this.periodMs + 0.5);
    // A neighbour silent for a whole window, or one that restarted its count (a reboot, a
    // gap no hello period explains): start afresh rather than carry stale history.
    if (this.lastSeq < 0 || gap > WINDOW || gap > byTime + WINDOW) {
      // Session 35: only a new, rebooted (a count no time explains) or sleeping neighbour is
      // trusted before its report; one unheard for a window reports 0 until it says otherwise.
      const trusted = this.lastSeq < 0 || gap > byTime + 256 || (this.history & SLEEPS_BIT) !== 0;
      this.history = 1 | (1 << SLOTS_SHIFT) | (this.history & KEPT_BITS);
      this.since = now;
      this.outQuality = trusted ? undefined : 0;
      if (!trusted) this.outAt = now;
    } else {
      this.history = shifted(shifted(this.history, gap - 1, false), 1, true);
    }
    this.lastSeq = seq;
    this.lastAt = now;
    this.periodMs = Math.max(100, intervalMs);
  }

  /** The neighbour reports receiving `quality` (0..255) of our hellos. */
  onReport(quality: number, now: number): void {
    this.outQuality = Math.max(0, Math.min(1, quality / 255));
    this.outAt = now;
  }

  /** Hello periods of the neighbour elapsed since its last hello (0 right after one). */
  silentPeriods(now: number): number {
    return (now - this.lastAt) / this.periodMs;
  }

  /**
   * The neighbour has been silent too long to be alive: more hello periods than a live link of
   * its quality would miss in a row (quality smoothed as (heard + 1) / (due + 2), so a short
   * history does not look perfect).
   */
  lost(now: number): boolean {
    const q = (popcount(this.history & HISTORY_MASK) + 1) / (slotsOf(this.history) + 2);
    const k = Math.max(SILENCE_MIN, Math.min(SILENCE_MAX, Math.ceil(Math.log(FALSE_SILENCE) / Math.log(1 - q))));
    return this.silentPeriods(now) > k;
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
    const w = this.history;
    if (slotsOf(w) === 0) return 0;
    const missed = Math.max(0, Math.floor(this.silentPeriods(now) - 0.5));
    if (missed >= WINDOW) return 0;
    const history = ((w & HISTORY_MASK) << missed) & HISTORY_MASK;
    const slots = Math.min(WINDOW, slotsOf(w) + missed);
    return popcount(history) / slots;
  }

  /** How well the neighbour hears us, undefined when it has not said (lately). */
  outbound(now: number): number | undefined {
    if (this.outQuality === undefined || now - this.outAt > Math.max(OUT_STALE_MIN_MS, OUT_STALE_PERIODS * this.periodMs)) return undefined;
    return this.outQuality;
  }

  /** Current figures; updates the good/bad state with hysteresis. */
  figures(now: number): LinkFigures {
    const outbound = this.outbound(now);
    const young = now - this.since < REPORT_GRACE_PERIODS * this.periodMs;
    const inbound = slotsOf(this.history) === 0 && young ? 1 : this.inbound(now);
    const product = inbound * (outbound ?? (young ? 1 : 0));
    const etx = product > 0 ? 1 / product : Infinity;
    if ((this.history & GOOD_BIT) !== 0 ? etx > BAD_ETX : etx <= GOOD_ETX) this.history ^= GOOD_BIT;
    return { inbound, outbound, etx, good: (this.history & GOOD_BIT) !== 0 };
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
/** Bits a fresh history keeps from the old one: the good state and the sleep flag. */
const KEPT_BITS = GOOD_BIT | SLEEP_SAID_BIT | SLEEPS_BIT;

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

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
