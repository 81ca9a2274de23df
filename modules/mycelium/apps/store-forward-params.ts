/**
 * StoreForward's parameters and their defaults (docs/store-forward.md; the scenario schema's
 * `store_forward` defaults must equal these).
 */
export interface StoreForwardParams {
  /** Accept custody of other nodes' bundles (an always-on node); listed in our Beacon. */
  custodian: boolean;
  store_count: number;
  store_bytes: number;
  /** Share of the store one origin's bundles may take in custody. */
  origin_share: number;
  /** Bundle identities delivered here, remembered for their lifetime (exactly once). */
  delivered_limit: number;
  /** Statuses of our own bundles kept for the sender to read. */
  tracked_limit: number;
  lifetime_ms: number;
  max_lifetime_ms: number;
  /** No DELIVERED within this long: the attempt failed. */
  receipt_timeout_ms: number;
  /** First wait after a failed attempt; doubles up to retry_max_ms. */
  retry_ms: number;
  retry_max_ms: number;
  /** Housekeeping period while anything is held. */
  tick_ms: number;
  /** A bundle handed to a custodian is refused back for this long (custody loops). */
  custody_memory_ms: number;
  /** Knowing no live route to a destination held for: ask for its address (WHERE) at most this often; 0: never. */
  lookup_ms: number;
}

export const STORE_FORWARD_DEFAULTS: StoreForwardParams = Object.freeze({
  custodian: true,
  store_count: 32,
  store_bytes: 8192,
  origin_share: 0.5,
  delivered_limit: 128,
  tracked_limit: 64,
  lifetime_ms: 3_600_000,
  max_lifetime_ms: 86_400_000,
  receipt_timeout_ms: 10_000,
  retry_ms: 15_000,
  retry_max_ms: 120_000,
  tick_ms: 2000,
  custody_memory_ms: 600_000,
  lookup_ms: 120_000,
});
