/**
 * The report of a scenario's second radios (`radios`, bridges): per extra interface, the frames
 * and airtime on its medium, and the duty cycle of each node that has it (the main interface's
 * figures stay in `radio` as before). Present only when the scenario has `radios`.
 */
import type { ExtraMedium } from '../scenario/build.js';
import { overLimit, radioFigures } from './radio-report.js';

export interface InterfaceReport {
  readonly interface: string;
  readonly nodes: readonly number[];
  /** Frames put on this medium, frames delivered, and frames lost by reason. */
  readonly frames: { readonly sent: number; readonly delivered: number; readonly lost: Readonly<Record<string, number>> };
  readonly airtime_ms: number;
  readonly duty_cycle: {
    readonly limit: number | null;
    /** Largest transmit share of a sliding hour among the members (of the run when shorter). */
    readonly max: number;
    readonly worst_node: number | null;
    /** Members over the limit in some hour (a run shorter than an hour is one hour's sending). */
    readonly over_limit: readonly number[];
    /** Each member's figure, by node index. */
    readonly per_node: Readonly<Record<string, number>>;
  };
}

export function interfaceReports(extras: readonly ExtraMedium[], n: number, now: number): InterfaceReport[] {
  return extras.map((x) => {
    const fig = radioFigures(x.medium, n, now, x.spec.radio);
    const perNode: Record<string, number> = {};
    let max = 0;
    let worst: number | null = null;
    const limit = x.spec.radio.duty_cycle_limit;
    const over: number[] = [];
    for (const i of x.spec.nodes) {
      const d = fig.perNode[i]?.duty_cycle ?? 0;
      perNode[String(i)] = d;
      if (d > max) [max, worst] = [d, i];
      if (limit !== null && overLimit(d, now, limit)) over.push(i);
    }
    const st = x.medium.stats;
    const lost: Record<string, number> = {};
    for (const [k, v] of Object.entries(st.lost)) if (v > 0) lost[k] = v;
    return {
      interface: x.spec.interface,
      nodes: x.spec.nodes,
      frames: { sent: st.sent, delivered: st.delivered, lost },
      airtime_ms: Math.round(st.airtimeMs * 1000) / 1000,
      duty_cycle: { limit, max, worst_node: worst, over_limit: over, per_node: perNode },
    };
  });
}
