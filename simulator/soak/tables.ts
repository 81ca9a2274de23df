/**
 * One node's bounded tables as the soak reads them (sizes only, from the node's public API):
 * the Packager's tables (Packager.sizes()), the links summed over its peers, and the Gossip
 * cache's messages and bytes on every topic.
 */
import type { SimNode } from '../runner/sim-node.js';

/** Figure name → value, in print order. */
export const TABLE_FIGURES = [
  'peers',
  'links',
  'routes',
  'inbound',
  'inbound_bytes',
  'gossip_entries',
  'gossip_bytes',
  'events',
  'packet_cache',
  'sequence_cache',
  'sequence_cache_bytes',
  'peer_queues',
  'hop_custody',
  'hop_receipts',
] as const;

export type TableFigure = (typeof TABLE_FIGURES)[number];
export type Tables = Record<TableFigure, number>;

export function tablesOf(n: SimNode): Tables {
  const p = n.node.packager;
  const s = p.sizes();
  const size = (k: string): number => s[k]?.size ?? 0;
  let links = 0;
  for (const peer of p.peers) links += peer.links.length;
  return {
    peers: size('peers'),
    links,
    routes: size('routes'),
    inbound: size('inbound'),
    inbound_bytes: size('inboundBytes'),
    // The whole cache, every topic: adverts and forged publishes are cached whether or not
    // anyone here subscribes to their topic.
    gossip_entries: n.gossip.cacheEntries,
    gossip_bytes: n.gossip.cacheBytes,
    events: size('events'),
    packet_cache: size('packetCache'),
    sequence_cache: size('sequenceCache'),
    sequence_cache_bytes: size('sequenceCacheBytes'),
    peer_queues: size('peerQueues'),
    hop_custody: size('hopCustody'),
    hop_receipts: size('hopReceipts'),
  };
}

/** Each table's cap on node `n` (undefined: it has none). */
export function capsOf(n: SimNode): Record<TableFigure, number | undefined> {
  const p = n.node.packager;
  const s = p.sizes();
  const cap = (k: string): number | undefined => s[k]?.limit;
  return {
    peers: cap('peers'),
    links: (cap('peers') ?? 0) * p.limits.linksPerPeer || undefined,
    routes: cap('routes'),
    inbound: cap('inbound'),
    inbound_bytes: cap('inboundBytes'),
    gossip_entries: n.gossip.params.cache_limit,
    gossip_bytes: n.gossip.params.cache_bytes,
    events: cap('events'),
    packet_cache: cap('packetCache'),
    sequence_cache: cap('sequenceCache'),
    sequence_cache_bytes: cap('sequenceCacheBytes'),
    peer_queues: cap('peerQueues'),
    hop_custody: cap('hopCustody'),
    hop_receipts: cap('hopReceipts'),
  };
}

/** Per-figure mean and max over nodes. */
export function summarise(all: readonly Tables[]): Record<TableFigure, { mean: number; max: number }> {
  const out = {} as Record<TableFigure, { mean: number; max: number }>;
  for (const f of TABLE_FIGURES) {
    let sum = 0;
    let max = 0;
    for (const t of all) {
      sum += t[f];
      max = Math.max(max, t[f]);
    }
    out[f] = { mean: all.length ? sum / all.length : 0, max };
  }
  return out;
}
