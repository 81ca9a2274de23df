/**
 * Default parameters of the bundled apps: upstream's values (protocol.md §6), overridable per node.
 * Units follow upstream: Gossip delays in seconds, everything else in milliseconds unless named.
 */

export const BEACON_DEFAULTS = Object.freeze({
  beacon_interval: 60_000, // ms between periodic beacons
  beacon_period: 36, // ms between the broadcasts of one burst (MODEM_INTERSECT_INTERVAL)
  beacon_count: 1, // broadcasts per periodic burst (2 at start)
});

export const GOSSIP_DEFAULTS = Object.freeze({
  start_delay: 10, // s before the first anti-entropy sync
  schedule_delay: 20, // s between syncs
  echo_delay_ms: 20, // every gossip send is repeated once after this
});

export const SPANNING_TREE_DEFAULTS = Object.freeze({
  max_start_delay: 10_000, // ms: first maintenance at a random time in [0, this)
  tree_maintenance_delay: 20_000, // ms between maintenance rounds
  max_tree_age: 60, // s without refresh before a node resets to its own root
  broadcast_count: 1,
  broadcast_interval: 36, // ms
  pub: true, // gossip our address when it changes
  sub: false, // subscribe to gossiped tree adverts (populates routes)
});
