/**
 * What the status screen and the console's `status` show, gathered once from a running node:
 * its stats, the spanning tree's root, and the host's battery gauge. Plain data, so the screen
 * and the console (and tests) format the same snapshot.
 */
import type { Node } from '../mycelium/node.js';
import { SpanningTree } from '../mycelium/apps/spanning-tree.js';
import { toHex } from '../mycelium/wire/bytes.js';

/** Anything that knows a node, and optionally its tree app and battery (a ConsoleHost is one). */
export interface StatusSource {
  readonly node: Node;
  readonly tree?: { readonly root: Uint8Array };
  battery?(): number | undefined;
}

export interface StatusPeer {
  /** Node id, hex. */
  readonly id: string;
  /** Its newest known tree address, if any. */
  readonly address?: string;
  readonly lastRxAgoMs: number;
}

export type ModemSleepState = 'off' | 'awake' | 'asleep';

export interface StatusInput {
  /** Node id, hex (64 digits). */
  readonly nodeId: string;
  /** Own tree addresses, newest last. */
  readonly addresses: readonly string[];
  /** Root id of the tree we follow, hex; undefined without a SpanningTree or before it runs. */
  readonly root?: string;
  readonly peers: readonly StatusPeer[];
  readonly routes: number;
  /** Frames sent and received on every radio, and packets dropped (all `drop_*` counters). */
  readonly tx: number;
  readonly rx: number;
  readonly drop: number;
  readonly running: boolean;
  readonly uptimeMs: number;
  /** Percent 0..100, when the host has a gauge. */
  readonly battery?: number;
  readonly modemSleep: ModemSleepState;
}

/** A snapshot of `source`'s node. Never throws because of a failing battery gauge. */
export function statusInputOf(source: StatusSource): StatusInput {
  const { node } = source;
  const stats = node.stats();
  let drop = 0;
  for (const [name, n] of Object.entries(stats.counters)) if (name.startsWith('drop_')) drop += n;
  const tree = source.tree ?? node.app(SpanningTree);
  const root = tree ? tree.root : undefined;
  return {
    nodeId: stats.nodeId,
    addresses: stats.addresses,
    root: root && root.some((b) => b !== 0) ? toHex(root) : undefined, // all zeros: not started yet
    peers: stats.peers.map((p) => ({ id: p.id, address: p.addrs[p.addrs.length - 1], lastRxAgoMs: p.lastRxAgoMs })),
    routes: stats.routes.length,
    tx: stats.counters.tx_frames ?? 0,
    rx: stats.counters.rx_frames ?? 0,
    drop,
    running: stats.running,
    uptimeMs: stats.uptimeMs,
    battery: batteryOf(source),
    modemSleep: !node.modemSleep || !node.running ? 'off' : node.modemSleep.asleep ? 'asleep' : 'awake',
  };
}

/** The gauge's reading as a whole percent, or undefined when absent, failing or nonsense. */
function batteryOf(source: StatusSource): number | undefined {
  if (typeof source.battery !== 'function') return undefined;
  let v: unknown;
  try {
    v = source.battery();
  } catch {
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  return Math.min(100, Math.max(0, Math.round(v)));
}
