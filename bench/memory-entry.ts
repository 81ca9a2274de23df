/**
 * Entry of the memory benchmark bundle that runs inside XS (xsnap-worker), driven by
 * scripts/bench-memory.mjs, one fresh worker per figure. Input JSON: `{ "op": "none" }` builds
 * nothing (the baseline: code and harness only), `{ "op": "star", "peers": n, "seconds": s }`
 * builds a star (bench/memory-star.ts) and keeps its centre reachable. The host snapshots the heap
 * after the answer. (No warm-up star: XS keeps the last Neighbours it built reachable after it is
 * dropped, cause unknown, so a dropped star would stay in the baseline. What XS creates on first
 * use therefore counts as the node's: the intercept is an upper bound.)
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import { memoHashes } from '../simulator/platform/hash-memo.js';
import { buildStar, type Star } from './memory-star.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

type Request = { op: 'none' } | { op: 'star'; peers: number; seconds: number };

/** Where the star stays reachable while the host takes its snapshot. */
const holder = globalThis as { benchStar?: Star };
const collect = (globalThis as { gc?: () => void }).gc;

globalThis.handleInput = (input: string) => {
  const req = JSON.parse(input) as Request;
  let answer: object = {};
  if (req.op === 'star') {
    const started = performance.now();
    const star = buildStar(req.peers, req.seconds, portableHashes, memoHashes(portableHashes, 8));
    holder.benchStar = star;
    answer = { peers: star.peers, routes: star.routes, timers: star.timers, ms: performance.now() - started };
  }
  if (collect) collect();
  return JSON.stringify(answer);
};
