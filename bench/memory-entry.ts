/**
 * Entry of the memory benchmark bundle that runs inside XS (xsnap-worker), driven by
 * scripts/bench-memory.mjs, one fresh worker per figure. Input JSON: `{ "op": "none" }` builds
 * nothing (the baseline: code and harness only), `{ "op": "star", "peers": n, "seconds": s }`
 * builds a star (bench/memory-star.ts; `"sized": true` caps the centre's peers at n) and keeps
 * its centre reachable; `{ "op": "forget" }` then makes that centre forget its peers and routes;
 * `{ "op": "tables", "peers": n, "hello": b }` builds a bare Packager told of n peers
 * (bench/memory-table.ts); `{ "op": "app", "name": "Gossip" }` builds one standard app. The host
 * snapshots the heap after each answer. (No warm-up star: XS keeps the last Neighbours it built
 * reachable after it is dropped, cause unknown, so a dropped star would stay in the baseline.
 * What XS creates on first use therefore counts as the node's: the intercept is an upper bound.)
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import { memoHashes } from '../simulator/platform/hash-memo.js';
import { buildStar, type Star } from './memory-star.js';
import { buildTables, type TableRows } from './memory-table.js';
import { Beacon } from '../modules/mycelium/apps/beacon.js';
import { Gossip } from '../modules/mycelium/apps/gossip.js';
import { SpanningTree } from '../modules/mycelium/apps/spanning-tree.js';
import { Ping } from '../modules/mycelium/apps/ping.js';
import { DebugApp } from '../modules/mycelium/apps/debug.js';
import { Hello } from '../modules/mycelium/apps/hello.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

type Request = { op: 'none' } | { op: 'star'; peers: number; seconds: number; sized?: boolean } | { op: 'forget' } | { op: 'tables'; peers: number; hello: boolean; rows?: TableRows } | { op: 'app'; name: string };

/** Where the star (or the bare tables) stays reachable while the host takes its snapshot. */
const holder = globalThis as { benchStar?: Star; benchTables?: unknown };
const collect = (globalThis as { gc?: () => void }).gc;

/** How full the centre's capped tables are (size/limit), and Gossip's message cache. */
function tableFill(star: Star): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, t] of Object.entries(star.centre.packager.sizes())) out[name] = `${t.size}/${t.limit}`;
  for (const app of star.centre.apps) {
    const g = app as { cacheEntries?: number; params?: { cache_limit?: number } };
    if (typeof g.cacheEntries === 'number') out.gossipCache = `${g.cacheEntries}/${g.params?.cache_limit ?? '?'}`;
  }
  return out;
}

globalThis.handleInput = (input: string) => {
  const req = JSON.parse(input) as Request;
  let answer: object = {};
  if (req.op === 'star') {
    const started = performance.now();
    const star = buildStar(req.peers, req.seconds, portableHashes, memoHashes(portableHashes, 8), req.sized ? Math.max(1, req.peers) : undefined);
    holder.benchStar = star;
    answer = { peers: star.peers, routes: star.routes, timers: star.timers, ms: performance.now() - started, tables: tableFill(star) };
  } else if (req.op === 'tables') {
    const p = buildTables(req.peers, req.hello, portableHashes, req.rows);
    holder.benchTables = p;
    answer = { peers: p.peers.length, routes: p.routes.length };
  } else if (req.op === 'app') {
    // One standard app, built and not started: what its constructor allocates. SHA-256 runs
    // first in every such worker (app ids are digests), so its first use is in the baseline.
    portableHashes.sha256(new Uint8Array(1));
    const Apps = { Beacon, Gossip, SpanningTree, Ping, DebugApp, Hello } as const;
    const App = Apps[req.name as keyof typeof Apps] as (new (h: typeof portableHashes) => object) | undefined;
    holder.benchTables = App ? new App(portableHashes) : undefined;
    answer = { found: holder.benchTables !== undefined };
  } else if (req.op === 'forget' && holder.benchStar) {
    // What the peers and routes themselves hold: the host weighs the heap again after this, and
    // the difference is freed by forgetting them (through the public API, so the apps' hooks
    // drop their per-peer state too). What stays is traffic (capped caches) and first use.
    const p = holder.benchStar.centre.packager;
    for (const peer of p.peers.slice()) p.removePeer(peer.id);
    for (const r of p.routes.slice()) p.removeRoute(r.address);
    answer = { peers: p.peers.length, routes: p.routes.length };
  }
  if (collect) collect();
  return JSON.stringify(answer);
};
