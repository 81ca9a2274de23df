/**
 * A scenario's traffic as concrete flows (who sends what to whom, how often) and their
 * schedule on the clock. The runner does the sending (Ping app or a blob through the Node):
 * this module only decides *when* and *between whom*, deterministically from the seed.
 */
import type { Clock, Timers } from '../../modules/mycelium/platform/platform.js';
import { SeededRandom } from '../engine/random.js';
import type { Metric, Scenario, TrafficKind } from './types.js';

export interface Flow {
  /** Index in the plan (stable: report keys). */
  readonly id: number;
  readonly src: number;
  readonly dst: number;
  readonly kind: TrafficKind;
  readonly size: number;
  readonly intervalMs: number;
  readonly startMs: number;
  readonly stopMs: number;
  readonly metric: Metric;
  /** Index of the scenario's traffic entry it comes from. */
  readonly entry: number;
  /** `held` flows: the messages' lifetime. */
  readonly lifetimeMs: number;
  /** Sent by the destination's node id alone (TrafficSpec.by_id). */
  readonly byId: boolean;
}

/**
 * Expand the traffic entries into flows. Random flows draw from `traffic/<entry>` streams of
 * the scenario seed (or the entry's own seed), so the same scenario always picks the same pairs;
 * nodes in `exclude` take part in none.
 */
export function planFlows(scenario: Scenario, root: SeededRandom = new SeededRandom(scenario.seed), exclude: ReadonlySet<number> = new Set()): Flow[] {
  const flows: Flow[] = [];
  scenario.traffic.forEach((t, k) => {
    // Each flow's phase comes from its own stream, so adding flows does not move the others.
    const phases = root.fork(`traffic-phase/${k}`);
    const add = (src: number, dst: number) => {
      const phase = t.aligned ? 0 : Math.floor(phases.float() * t.interval_ms);
      flows.push({ id: flows.length, src, dst, kind: t.kind, size: t.size, intervalMs: t.interval_ms, startMs: t.start_ms + phase, stopMs: t.stop_ms, metric: t.metric, entry: k, lifetimeMs: t.lifetime_ms, byId: t.by_id });
    };
    if (t.pairs) for (const [src, dst] of t.pairs) add(src, dst);
    if (t.random && scenario.nodes - exclude.size >= 2) {
      const r = t.random.seed !== undefined ? new SeededRandom(t.random.seed) : root.fork(`traffic/${k}`);
      for (let i = 0; i < t.random.flows; i++) {
        let src: number;
        let dst: number;
        // Random flows run between honest nodes only (`exclude`: the hostile ones); without
        // exclusions the first draw is taken, as it always was.
        do {
          src = r.int(scenario.nodes);
          dst = (src + 1 + r.int(scenario.nodes - 1)) % scenario.nodes; // ≠ src
        } while (exclude.has(src) || exclude.has(dst));
        add(src, dst);
      }
    }
  });
  return flows;
}

/**
 * Calls `send(flow, seq)` at startMs, startMs + intervalMs, ... while < stopMs (seq from 0).
 * Flows with the same times fire in plan order.
 */
export function scheduleFlows(flows: readonly Flow[], clock: Clock & Timers, send: (flow: Flow, seq: number) => void): void {
  for (const flow of flows) {
    let seq = 0;
    const fire = (): void => {
      const at = flow.startMs + seq * flow.intervalMs;
      const current = seq++;
      const next = flow.startMs + seq * flow.intervalMs;
      // Set the next firing before sending: a driver that runs the node's work later (XS) must
      // see the same order of timers as one that runs it at once.
      if (next < flow.stopMs) clock.setTimeout(fire, next - at);
      send(flow, current);
    };
    if (flow.startMs < flow.stopMs) clock.setTimeout(fire, flow.startMs - clock.now());
  }
}
