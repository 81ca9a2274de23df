/**
 * The "I heard you" list of our hellos (docs/routing.md "Dense neighbourhoods"), kept apart from
 * hello.ts, which decides when a list rides.
 *
 * A neighbour's link to us becomes usable only once our list names it (link-quality.ts: past its
 * grace, no report means a one-way link), and a report goes stale after 12 of our periods. A list
 * holds at most HELLO_MAX_ENTRIES and must leave the hello one frame (hello.ts), so where more
 * neighbours hear us than one list can name (a table of 64 peers in a room of ESP32s), the first
 * 32 peers were named forever and every other neighbour saw a one-way link to us. Now each list
 * starts where the last one stopped, and while one cannot name them all, lists ride sooner: every
 * neighbour is named within NAME_WITHIN_PERIODS of our periods, half the time its report of us
 * lasts, so one lost list still leaves it usable.
 */
import { HELLO_MAX_ENTRIES, HELLO_SHORT_ID_BYTES, type HeardEntry } from '../wire/messages/hello.js';
import type { Peer } from '../packager/peer.js';

/** Every neighbour is named within this many of our hello periods (a report lasts 12). */
export const NAME_WITHIN_PERIODS = 6;
/** A report at least this good (of 255) is a clean link: its neighbour can wait for the next list. */
export const QUIET_QUALITY = 224;
/** A report that moved more than this (of 255) since the last list is news. */
const QUIET_DRIFT = 16;

export class HeardLists {
  /** What our last list said, by short id (its 4 bytes as a number); none while it was empty or the lists rotate. */
  private last: Map<number, number> | undefined;
  /** Where the next list starts among our peers (their table order). */
  private cursor = 0;
  /** Neighbours our last list could have named, and how many it did: fewer means the lists rotate. */
  private named = 0;
  private listed = 0;
  /** Neighbours the list before could have named. */
  private namedBefore = 0;

  /** One list cannot name every neighbour we hear: each names the next ones. */
  get rotating(): boolean {
    return this.named > this.listed;
  }

  /** The list's period in hellos: `every`, or fewer while the lists rotate. */
  every(every: number): number {
    if (!this.rotating) return every;
    return Math.min(every, Math.max(1, Math.floor(NAME_WITHIN_PERIODS / Math.ceil(this.named / Math.max(1, this.listed)))));
  }

  /**
   * Up to `room` neighbours we hear, with how much of their hellos we receive, starting where the
   * last list stopped; the next list starts after the last one named.
   */
  pick(peers: readonly Peer[], room: number, now: number): HeardEntry[] {
    const out: HeardEntry[] = [];
    const n = peers.length;
    const start = n > 0 ? this.cursor % n : 0;
    const max = Math.max(0, Math.min(room, HELLO_MAX_ENTRIES));
    let next = start;
    let candidates = 0;
    // An index loop: a for-of makes an iterator on XS, and every list runs it.
    for (let k = 0; k < n; k++) {
      const p = peers[(start + k) % n];
      const link = p.link;
      if (!link) continue;
      const quality = link.report(now);
      if (quality <= 0) continue;
      candidates++;
      if (out.length >= max) continue;
      out.push({ shortId: p.id.subarray(0, HELLO_SHORT_ID_BYTES), quality });
      next = start + k + 1;
    }
    this.namedBefore = this.named;
    this.named = candidates;
    this.listed = out.length;
    if (candidates > out.length) this.cursor = next % n;
    return out;
  }

  /**
   * The list says nothing new: the same neighbours as last time, each clean and about as clean.
   * While the lists rotate no figure is kept per neighbour (64 entries, 3 KB on XS for a table of
   * 64): as many neighbours as before, every one named clean, is no news.
   */
  repeats(heard: readonly HeardEntry[]): boolean {
    if (this.rotating) {
      if (this.named !== this.namedBefore) return false;
      for (const e of heard) if (e.quality < QUIET_QUALITY) return false;
      return true;
    }
    if (heard.length !== (this.last?.size ?? 0)) return false;
    for (const e of heard) {
      const before = this.last?.get(shortKey(e.shortId));
      if (before === undefined || e.quality < QUIET_QUALITY || Math.abs(e.quality - before) > QUIET_DRIFT) return false;
    }
    return true;
  }

  /** What this list said (nothing while the lists rotate: see `repeats`). */
  remember(heard: readonly HeardEntry[]): void {
    this.last = heard.length && !this.rotating ? new Map(heard.map((e) => [shortKey(e.shortId), e.quality])) : undefined;
  }
}

/** A neighbour's 4-byte short id as a number: a Map key with no string to hold (issue 21). */
function shortKey(short: Uint8Array): number {
  return (short[0] << 24) | (short[1] << 16) | (short[2] << 8) | short[3];
}
