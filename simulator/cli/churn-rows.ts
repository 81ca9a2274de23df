/** Summary rows of the convergence figures: one per churn event, and the roots/parts at the end. */
import type { RunReport } from '../runner/run.js';
import type { DeliveryWindow, Reconvergence } from '../runner/reconvergence.js';
import { formatDuration } from './progress.js';

/** e.g. "root_kill n17 at 3 min 0 s" | "stable after 1 min 30 s, peak 13 roots; delivered 100 % → 45 % → 100 %" */
export function churnRow(e: Reconvergence): [string, string] {
  const what = [e.action, e.name, e.node === undefined ? undefined : `n${e.node}`].filter((x) => x !== undefined).join(' ');
  const pct = (w: DeliveryWindow | null) => (w === null || w.ratio === null ? '-' : `${(w.ratio * 100).toFixed(0)} %`);
  const tree = e.reconverge_ms === null ? 'no stable live tree' : `stable after ${formatDuration(e.reconverge_ms)}`;
  const parts = e.parts > 1 ? `, ${e.parts} parts` : '';
  const d = e.delivery;
  return [`${what} at ${formatDuration(e.event_ms)}`, `${tree}${parts}, peak ${e.peak_roots} roots; delivered ${pct(d.before)} → ${pct(d.during)} → ${pct(d.after)}`];
}

/** "1", or "2 in 2 parts" when the live mesh is split. */
export function rootsAtEnd(r: RunReport): string {
  const parts = r.parts_at_end.length;
  return parts > 1 ? `${r.roots_at_end} in ${parts} parts` : String(r.roots_at_end);
}
