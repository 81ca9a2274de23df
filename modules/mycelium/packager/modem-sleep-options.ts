/** What a node's modem sleep is given (docs/sleep.md "Configuration"), and its defaults. */
import { MODEM_SLEEP_MS, MODEM_WAKE_MS } from '../wire/constants.js';

export interface ModemSleepOptions {
  /** Radio off per cycle, ms (aligned default 160; upstream cycle 90). */
  readonly sleepMs?: number;
  /** Radio on per cycle, ms (40, as upstream). */
  readonly activeMs?: number;
  /** Share a wake window with the neighbours (default true); false: upstream's free-running cycle. */
  readonly aligned?: boolean;
  /** Aligned: listen this long after start before the first sleep (default 3500: over one hello period). */
  readonly bootListenMs?: number;
  /**
   * A sleepy leaf (docs/sleep.md "Sleepy leaves"): listens only in the first window of every
   * superframe (1 in 8: 40 ms in 1.6 s by default), never routes, never sets the schedule; its
   * neighbours hold its frames until it listens. Aligned only (default false).
   */
  readonly leaf?: boolean;
  /**
   * Leaf: broadcast in a send slot, a routing window other than its own (docs/sleep.md "Session
   * 17"): on a lossy radio with collisions the leaves' window cannot carry every leaf's hello.
   * Default true (session 28): without it 30 leaves of 40 on a lossy radio got 87 % delivered,
   * with it 99 %, and a clean radio lost nothing by it (leaves hear routers only, for ~0.3 %
   * more radio-on). False keeps a leaf's broadcasts in its own window.
   */
  readonly leafSendSlot?: boolean;
  /**
   * Leaf: route when the routing nodes alone do not connect (docs/sleep.md "A leaf that routes
   * when the routers do not connect"): a leaf that finds no routing neighbour but other leaves,
   * or keeps hearing a node of another live tree than its own, becomes a routing node (its radio
   * then on as theirs). Default true; false keeps it a leaf whatever happens (Thread's sleepy end device).
   */
  readonly promote?: boolean;
}

export const MODEM_SLEEP_DEFAULTS = Object.freeze({ sleepMs: 160, upstreamSleepMs: MODEM_SLEEP_MS, activeMs: MODEM_WAKE_MS, bootListenMs: 3500, leaf: false, leafSendSlot: true, promote: true });
