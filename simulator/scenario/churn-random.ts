/**
 * The `random_down` churn entry: every `every_ms` from `at_ms` a random share of the nodes goes
 * down and comes back `down_ms` later. validate.ts expands it into plain node_down / node_up
 * events, so the runners, the report and the dashboard only ever see those.
 *
 * Deterministic: the nodes of each round come from a stream of the scenario seed (or the entry's
 * own `seed`) forked per entry, so adding other events does not change them.
 */
import { SeededRandom } from '../engine/random.js';
import type { ChurnEvent } from './types.js';

export interface RandomDownSpec {
  readonly at_ms: number;
  readonly every_ms: number;
  /** Share of the nodes taken down each round (rounded, at least one node). */
  readonly fraction: number;
  /** How long each chosen node stays down; below every_ms so rounds do not overlap. */
  readonly down_ms: number;
  /** Each chosen node stays down a time drawn in [down_ms, down_max_ms] ("away for 5–20 min"). */
  readonly down_max_ms: number;
  /** The nodes to choose from (default: all): e.g. the battery-powered ones. */
  readonly nodes?: readonly number[];
  /** No round starts at or after this. */
  readonly until_ms: number;
  /** Default: a stream of the scenario seed. */
  readonly seed: number | undefined;
}

/** Largest number of events one entry may expand into (a typo in every_ms should not hang the run). */
export const MAX_RANDOM_DOWN_EVENTS = 200_000;

/** How many nodes go down each round out of n. */
export function downPerRound(fraction: number, n: number): number {
  return Math.min(n, Math.max(1, Math.round(fraction * n)));
}

/** How many events the entry expands into (to check against the cap before expanding). */
export function randomDownEventCount(spec: RandomDownSpec, n: number): number {
  const rounds = Math.max(0, Math.ceil((spec.until_ms - spec.at_ms) / spec.every_ms));
  return rounds * 2 * downPerRound(spec.fraction, spec.nodes?.length ?? n);
}

/**
 * The node_down / node_up events, in time order: each round's downs at its start (nodes in
 * ascending index), their ups `down_ms` later (ups past `duration_ms` are left out: the node
 * stays down to the end).
 */
export function expandRandomDown(spec: RandomDownSpec, n: number, scenarioSeed: number, entry: number, duration_ms: number): ChurnEvent[] {
  const random = spec.seed !== undefined ? new SeededRandom(spec.seed) : new SeededRandom(scenarioSeed).fork(`churn/${entry}`);
  const pool = spec.nodes ?? Array.from({ length: n }, (_, i) => i);
  const m = pool.length;
  const k = downPerRound(spec.fraction, m);
  const out: ChurnEvent[] = [];
  const order = pool.slice();
  for (let t = spec.at_ms, round = 0; t < spec.until_ms; t += spec.every_ms, round++) {
    // A partial Fisher–Yates shuffle on a fresh order of the pool: the first k are this round's nodes.
    for (let i = 0; i < m; i++) order[i] = pool[i];
    const r = random.fork(`round/${round}`);
    for (let i = 0; i < k; i++) {
      const j = i + r.int(m - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const chosen = order.slice(0, k).sort((a, b) => a - b);
    for (const node of chosen) out.push({ at_ms: t, action: 'node_down', node });
    // Fixed length unless a range is given (then one draw per node, from its own stream).
    const ups = chosen.map((node) => ({ node, at: t + (spec.down_max_ms > spec.down_ms ? spec.down_ms + r.fork(`away/${node}`).int(spec.down_max_ms - spec.down_ms + 1) : spec.down_ms) }));
    ups.sort((a, b) => a.at - b.at || a.node - b.node);
    for (const u of ups) if (u.at <= duration_ms) out.push({ at_ms: u.at, action: 'node_up', node: u.node });
  }
  // Time order (ties keep the order above): a long absence may end after the next round's downs.
  return out.map((e, i) => [e, i] as const).sort((a, b) => a[0].at_ms - b[0].at_ms || a[1] - b[1]).map(([e]) => e);
}
