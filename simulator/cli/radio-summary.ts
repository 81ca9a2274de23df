/** The summary's radio rows: radio-on share, energy, and the duty cycle where a limit applies. */
import type { RunReport } from '../runner/run.js';

export function radioRows(r: RunReport): [string, string][] {
  const radio = r.radio;
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
  const rows: [string, string][] = [
    ['radio on (nodes min–max)', `${pct(radio.radio_on_ratio)} (${pct(radio.radio_on_ratio_min)}–${pct(radio.radio_on_ratio_max)})`],
    ['radio energy (radio only)', `${radio.energy_mah.toFixed(3)} mAh, ${radio.avg_current_ma.toFixed(2)} mA mean per node`],
  ];
  const days = (x: number | null) => (x === null ? '-' : x.toFixed(x < 10 ? 2 : 1));
  rows.push([`battery days (${radio.battery_mah} mAh, radio only)`, `worst node ${days(radio.battery_days_min)}, median ${days(radio.battery_days_median)}`]);
  const d = radio.duty_cycle;
  if (d.limit !== null) {
    const window = d.window_ms >= 3_600_000 ? 'largest hour' : 'over the run';
    const worst = d.worst_node === null ? '' : ` at n${d.worst_node}`;
    rows.push([`duty cycle max (${window})`, `${pct(d.max)}${worst}; limit ${pct(d.limit)} of any hour: ${d.over_limit.length} of ${r.nodes} nodes over`]);
  }
  return rows;
}
