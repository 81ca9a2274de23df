/**
 * Gossip's parameters: upstream's (protocol.md §6.2, defaults.ts) and ours, with the defaults of
 * ours. Units: s unless named.
 */
import { GOSSIP_DEFAULTS } from './defaults.js';

export type GossipParams = { -readonly [K in keyof typeof GOSSIP_DEFAULTS]: number } & {
  /** Seen message ids remembered (upstream 100), and for how long, s (upstream: until pushed out). */
  seen_limit: number;
  seen_ttl_s: number;
  /** Messages cached for REQUEST / REQUEST_IDS (upstream 100, 300 s). */
  cache_limit: number;
  cache_ttl_s: number;
  /**
   * Bytes the cached messages cost, each with its entry's overhead (`GOSSIP_ENTRY_OVERHEAD`, 272 B
   * on XS; upstream: no cap); the oldest are evicted beyond it. A message that cannot fit alone is
   * neither cached nor published. 32 KB: what the cache may really take of an ESP32's 45–100 KB
   * free heap (session 8; before, the cap counted message bytes only and 100 small messages held
   * ≈ 59 KB under a "32 KB" cap).
   */
  cache_bytes: number;
  /** Topics with subscribers. */
  topic_limit: number;
  /** Longest delay between syncs while nothing new arrives, s (upstream: = schedule_delay). */
  sync_max_delay: number;
  /** News brings the sync back to schedule_delay at most once per this many s (0: on every new message). */
  sync_reset_gap: number;
  /** Answer a REQUEST_IDS even when we hold no id on its topic (upstream: true). */
  respond_empty_ids: boolean;
  /**
   * Ask each new peer at once for the ids it holds (upstream). Off on LoRa: one unicast, its
   * ack and retries per new neighbour, usually answered by nothing; the next sync asks anyway.
   */
  greet_peers: boolean;
  /** Copies of a message heard that make the echo of our re-flood unnecessary (0: never, upstream). */
  relay_redundancy: number;
  /** Longest random wait before re-flooding a received message, ms (0: at once, upstream). */
  relay_jitter_ms: number;
  /** Re-floods per second of messages first heard from one neighbour, and the burst (0: unlimited, upstream). */
  relay_rate: number;
  relay_burst: number;
  /**
   * A sync round asks by one broadcast REQUEST_IDS per topic instead of a unicast to each peer,
   * while every peer speaks Hello (default true; false: upstream).
   */
  sync_broadcast: boolean;
};

/** Upstream's defaults and ours, one frozen object every Gossip without overrides shares. */
export const GOSSIP_APP_DEFAULTS: GossipParams = Object.freeze({ ...GOSSIP_DEFAULTS, seen_limit: 512, seen_ttl_s: 3600, cache_limit: 100, cache_ttl_s: 300, cache_bytes: 32 * 1024, topic_limit: 64, sync_max_delay: 320, sync_reset_gap: 60, respond_empty_ids: false, greet_peers: true, relay_redundancy: 2, relay_jitter_ms: 30, relay_rate: 10, relay_burst: 30, sync_broadcast: true });
