/**
 * The report's radio figures (`report.radio`, `per_node[i].radio`): time in each radio state,
 * radio-on ratio, energy from the scenario's current profile, and the transmit duty cycle over
 * a sliding hour checked against the limit. Definitions in docs/simulator.md ("Radio time and
 * energy"); schema in simulator/schema/report-radio.schema.json.
 */
import type { Medium } from '../medium/medium.js';
import { DUTY_WINDOW_MS } from '../medium/duty-cycle.js';
import type { CurrentProfile } from '../medium/current-profiles.js';
import type { RadioSpec } from '../scenario/types.js';

/** Milliseconds in each radio state (for a node; summed over nodes in the summary). */
export interface RadioStateTimes {
  readonly tx_ms: number;
  readonly rx_ms: number;
  readonly listen_ms: number;
  readonly sleep_ms: number;
  readonly off_ms: number;
}

export interface NodeRadio extends RadioStateTimes {
  /** (tx + rx + listen) / (run − off); null when the node was never powered. */
  readonly radio_on_ratio: number | null;
  readonly energy_mah: number;
  readonly avg_current_ma: number;
  /** Largest transmit share of a sliding hour (of the whole run when it is shorter). */
  readonly duty_cycle: number;
  /** Days the scenario's battery lasts at avg_current_ma (radio only); null when it drew nothing. */
  readonly battery_days: number | null;
}

export interface RadioSummary extends RadioStateTimes {
  readonly radio_on_ratio: number | null;
  readonly radio_on_ratio_min: number | null;
  readonly radio_on_ratio_max: number | null;
  readonly energy_mah: number;
  readonly energy_mwh: number;
  readonly avg_current_ma: number;
  readonly current_ma: CurrentProfile;
  readonly supply_v: number;
  readonly battery_mah: number;
  /** The worst node's battery_days, and the median node's. */
  readonly battery_days_min: number | null;
  readonly battery_days_median: number | null;
  readonly duty_cycle: {
    readonly limit: number | null;
    readonly window_ms: number;
    readonly max: number;
    readonly worst_node: number | null;
    /** Nodes over the limit in some hour (a run shorter than an hour is one hour's sending: `overLimit`). */
    readonly over_limit: readonly number[];
  };
}

/**
 * Whether a node's `duty` (its share of the largest hour, or of the run when shorter) is over
 * `limit` in some hour. A run shorter than an hour fits in one hour window with nothing sent
 * before the boot, so its hour share is the run's share scaled to the hour: a LoRa node that
 * spent its 36 s in a 40-minute run is within 1 %, not over it at 1.5 % (session 28).
 */
export function overLimit(duty: number, now: number, limit: number): boolean {
  return (duty * Math.min(now, DUTY_WINDOW_MS)) / DUTY_WINDOW_MS > limit;
}

/** Radio figures of nodes 0..n−1 at `now` (the end of the run); settles duty-cycle state, so call once. */
export function radioFigures(medium: Medium, n: number, now: number, radio: RadioSpec): { summary: RadioSummary; perNode: NodeRadio[] } {
  const c = radio.current_ma;
  const hours = now / 3_600_000;
  const window = now >= DUTY_WINDOW_MS ? DUTY_WINDOW_MS : now;
  const totals = { tx: 0, rx: 0, listen: 0, sleep: 0, off: 0, mah: 0 };
  let minOn: number | null = null;
  let maxOn: number | null = null;
  let worst: number | null = null;
  let worstDuty = 0;
  const over: number[] = [];
  const perNode = Array.from({ length: n }, (_, i): NodeRadio => {
    const t = medium.radioTime.times(i, now);
    const on = t.txMs + t.rxMs + t.listenMs;
    const ratio = on + t.sleepMs > 0 ? on / (on + t.sleepMs) : null;
    const mah = (t.txMs * c.tx + t.rxMs * c.rx + t.listenMs * c.listen + t.sleepMs * c.sleep) / 3_600_000;
    const d = medium.radioTime.duty(i, now);
    const duty = window <= 0 ? 0 : (now >= DUTY_WINDOW_MS ? d.maxWindowMs : d.totalMs) / window;
    totals.tx += t.txMs;
    totals.rx += t.rxMs;
    totals.listen += t.listenMs;
    totals.sleep += t.sleepMs;
    totals.off += t.offMs;
    totals.mah += mah;
    if (ratio !== null) {
      if (minOn === null || ratio < minOn) minOn = ratio;
      if (maxOn === null || ratio > maxOn) maxOn = ratio;
    }
    if (duty > worstDuty) [worst, worstDuty] = [i, duty];
    if (radio.duty_cycle_limit !== null && overLimit(duty, now, radio.duty_cycle_limit)) over.push(i);
    const current = hours > 0 ? mah / hours : 0;
    return {
      tx_ms: round3(t.txMs),
      rx_ms: round3(t.rxMs),
      listen_ms: round3(t.listenMs),
      sleep_ms: round3(t.sleepMs),
      off_ms: round3(t.offMs),
      radio_on_ratio: ratio === null ? null : round6(ratio),
      energy_mah: round6(mah),
      avg_current_ma: round6(current),
      duty_cycle: round6(duty),
      battery_days: current > 0 ? round3(radio.battery_mah / current / 24) : null,
    };
  });
  const onTotal = totals.tx + totals.rx + totals.listen;
  const days = perNode.flatMap((r) => (r.battery_days === null ? [] : [r.battery_days])).sort((a, b) => a - b);
  return {
    summary: {
      tx_ms: round3(totals.tx),
      rx_ms: round3(totals.rx),
      listen_ms: round3(totals.listen),
      sleep_ms: round3(totals.sleep),
      off_ms: round3(totals.off),
      radio_on_ratio: onTotal + totals.sleep > 0 ? round6(onTotal / (onTotal + totals.sleep)) : null,
      radio_on_ratio_min: minOn === null ? null : round6(minOn),
      radio_on_ratio_max: maxOn === null ? null : round6(maxOn),
      energy_mah: round6(totals.mah),
      energy_mwh: round6(totals.mah * radio.supply_v),
      avg_current_ma: hours > 0 && n > 0 ? round6(totals.mah / hours / n) : 0,
      current_ma: { ...c },
      supply_v: radio.supply_v,
      battery_mah: radio.battery_mah,
      battery_days_min: days.length > 0 ? days[0] : null,
      battery_days_median: days.length > 0 ? days[Math.floor((days.length - 1) / 2)] : null,
      duty_cycle: { limit: radio.duty_cycle_limit, window_ms: window, max: round6(worstDuty), worst_node: worst, over_limit: over },
    },
    perNode,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
