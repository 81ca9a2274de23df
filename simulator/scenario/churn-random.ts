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
  return rounds * 2 * downPerRound(spec.fraction, n);
}

/**
 * The node_down / node_up events, in time order: each round's downs at its start (nodes in
 * ascending index), their ups `down_ms` later (ups past `duration_ms` are left out: the node
 * stays down to the end).
 */
export function expandRandomDown(spec: RandomDownSpec, n: number, scenarioSeed: number, entry: number, duration_ms: number): ChurnEvent[] {
  const random = spec.seed !== undefined ? new SeededRandom(spec.seed) : new SeededRandom(scenarioSeed).fork(`churn/${entry}`);
  const k = downPerRound(spec.fraction, n);
  const out: ChurnEvent[] = [];
  const order = Array.from({ length: n }, (_, i) => i);
  for (let t = spec.at_ms, round = 0; t < spec.until_ms; t += spec.every_ms, round++) {
    // A partial Fisher–Yates shuffle on a fresh identity order: the first k are this round's nodes.
    for (let i = 0; i < n; i++) order[i] = i;
    const r = random.fork(`round/${round}`);
    for (let i = 0; i < k; i++) {
      const j = i + r.int(n - i);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const chosen = order.slice(0, k).sort((a, b) => a - b);
    for (const node of chosen) out.push({ at_ms: t, action: 'node_down', node });
    const up = t + spec.down_ms;
    if (up <= duration_ms) for (const node of chosen) out.push({ at_ms: up, action: 'node_up', node });
  }
  return out;
}
