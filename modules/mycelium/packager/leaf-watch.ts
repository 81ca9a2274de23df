/**
 * A sleepy leaf's watch on its routers' schedule (docs/sleep.md "Sleepy leaves", "Session 18"):
 * when it has heard no routing neighbour's hello for a while, what it does to hear one again.
 *
 * First it **asks** the routing neighbour it heard last to answer (Hello's probe, a unicast in
 * that router's window, retried by the radio; the answer is held for our window): on a lossy
 * radio most silences are hello copies lost in a row, and a router that answers still listens
 * where we think and knows where we listen, which is all the leaf needs, for one frame each way.
 * Without an answer within two superframes it listens in **every window** of the schedule it
 * holds, for two superframes (a hello
 * period of every router: each sends its hello in whichever window it falls due, besides the copy
 * in the leaves' window): on a lossy radio most silences are copies lost in a row, or the
 * leaves' window moved to another window of the same schedule, and the windows still hear the
 * routers. That costs 16 windows (640 ms with the default cycle). Only when they heard nobody does
 * the leaf listen **continuously** as at boot (3.5 s), for a schedule it does not know; each such
 * listen that found nobody doubles the wait before the next, up to 32×, so a lone leaf stays within
 * its radio-on budget. A leaf that has heard no router since it started has nobody to ask and no
 * routers' windows to listen in: it goes straight to the continuous listen (session 33). Pure
 * state on the caller's clock; no timers.
 */

/** Heard no routing neighbour's hello for this long (four hello periods): look for one. */
export const LEAF_RESYNC_MS = 12_000;
/**
 * A lone leaf (its routers gone) looks again at most every 12 s × 2^5 = 6.4 min: with 3 doublings
 * (96 s) its every-window and continuous listens, 4.1 s a round, kept its radio on 6.6 % of the
 * time with its own windows' 2.5 %, over the 5 % a leaf is for; now about 3.6 %. The price: a leaf
 * alone for minutes finds a router that comes back up to 6.4 min later.
 */
export const LEAF_RESYNC_MAX_DOUBLINGS = 5;
/** Superframes of every-window listening before a continuous listen. */
export const LEAF_WINDOWS_SUPERFRAMES = 2;
/** Superframes to wait for the answer of the router asked (it comes in our window, one a superframe). */
export const LEAF_PROBE_SUPERFRAMES = 2;

/**
 * Continuous listens that found no router before a leaf that may route, and hears other leaves,
 * becomes a routing node (ModemSleepOptions.promote): about 95 s after boot, or after its
 * routers fell silent, of hearing no routing neighbour even in two 3.5-s listens (docs/sleep.md
 * "A leaf that routes when the routers do not connect").
 */
export const LEAF_PROMOTE_AFTER_LISTENS = 2;

/** What begins now: nothing, a router asked to answer, the every-window listen, or a continuous listen. */
export type LeafWatchStep = 'none' | 'probe' | 'windows' | 'listen';

export class LeafWatch {
  /** When a routing neighbour's hello was last heard (or a continuous listen ended). */
  #heardAt = 0;
  /** Continuous listens since a routing hello was last heard. */
  #listens = 0;
  /** Until when the leaf listens in every window; 0: not doing so. */
  #windowsUntil = 0;
  /** Until when it waits for the answer of the router it asked; 0: none asked this silence. */
  #probeUntil = 0;
  /** Another leaf was heard since a routing hello was last heard. */
  #leaves = false;
  /** A routing neighbour was heard since the leaf started (a slot on every sleeping node: 16 B on XS). */
  #found = false;

  /** The leaf starts (or starts again): its boot listen ends at `listenEnd`. */
  start(listenEnd: number): void {
    this.#heardAt = listenEnd;
    this.#found = false;
    this.#leaves = false;
    this.#listens = 0;
    this.#windowsUntil = 0;
    this.#probeUntil = 0;
  }

  /** A routing neighbour's hello was heard: back to the sparse windows. */
  heard(now: number): void {
    this.#found = true;
    this.#heardAt = now;
    this.#leaves = false;
    this.#listens = 0;
    this.#windowsUntil = 0;
    this.#probeUntil = 0;
  }

  /** Another sleepy leaf was heard: there is someone a router here could serve. */
  heardLeaf(): void {
    this.#leaves = true;
  }

  /**
   * Whether the continuous listens since a routing hello was last heard found no router
   * LEAF_PROMOTE_AFTER_LISTENS times, but other leaves: a leaf that hears nobody at all would
   * route for nobody, and keeps its radio budget instead.
   */
  lonely(): boolean {
    return this.#listens > LEAF_PROMOTE_AFTER_LISTENS && this.#leaves;
  }

  /** Whether the leaf listens in every window at `now`. */
  inWindows(now: number): boolean {
    return now < this.#windowsUntil;
  }

  /**
   * At `now`, outside any continuous listen: 'windows' when the every-window listen begins
   * (lasting `superframeMs` × LEAF_WINDOWS_SUPERFRAMES), 'listen' when it ended with nobody heard
   * (the caller listens until `listenEnd(now)`), otherwise 'none'.
   */
  step(now: number, superframeMs: number, listenEnd: (now: number) => number): LeafWatchStep {
    if (now - this.#heardAt <= LEAF_RESYNC_MS * 2 ** Math.min(this.#listens, LEAF_RESYNC_MAX_DOUBLINGS)) return 'none';
    if (!this.#found) return this.listenNow(now, listenEnd);
    if (this.#probeUntil === 0) {
      this.#probeUntil = now + LEAF_PROBE_SUPERFRAMES * superframeMs;
      return 'probe';
    }
    if (now < this.#probeUntil) return 'none';
    if (this.#windowsUntil === 0) {
      this.#windowsUntil = now + LEAF_WINDOWS_SUPERFRAMES * superframeMs;
      return 'windows';
    }
    if (now < this.#windowsUntil) return 'none';
    return this.listenNow(now, listenEnd);
  }

  /** A prototype method, not a `#private` one: that costs every instance 16 B on XS (issue 21). */
  private listenNow(now: number, listenEnd: (now: number) => number): LeafWatchStep {
    this.#windowsUntil = 0;
    this.#probeUntil = 0;
    this.#listens++;
    this.#heardAt = listenEnd(now);
    return 'listen';
  }
}
