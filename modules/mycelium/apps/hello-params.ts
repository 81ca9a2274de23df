/** What a Hello app is given (docs/routing.md "Hello: our capability and our measuring stick"), and its defaults. */
export interface HelloParams {
  /** Period of a node's hellos, ms. */
  interval_ms: number;
  /** Period of the tree root's hellos (its heartbeat), ms. */
  root_interval_ms: number;
  /** Every this many hellos carries the "I heard you" list. */
  heard_every: number;
  /**
   * While the list would repeat the last one sent (same neighbours, every one clean and within
   * QUIET_DRIFT of what we last said), it rides on every this many hellos instead.
   */
  quiet_heard_every: number;
  /** Each period is drawn in ±jitter_ratio of itself, so neighbours do not keep colliding. */
  jitter_ratio: number;
  /**
   * Hellos go on air as compact frames while every peer's Beacon says it expands them (default
   * true; false: upstream's frame layout). See the header.
   */
  compact: boolean;
  /**
   * A node nobody takes as parent, and that relays nothing for others, slows its hellos down to
   * this period, doubling from `interval_ms`, while nothing changes around it (hello-pace.ts);
   * 0 or ≤ interval_ms: never.
   */
  quiet_interval_ms: number;
}

export const HELLO_DEFAULTS: HelloParams = Object.freeze({
  interval_ms: 3000,
  root_interval_ms: 1000,
  heard_every: 4,
  quiet_heard_every: 8,
  jitter_ratio: 0.1,
  compact: true,
  quiet_interval_ms: 12_000,
});
