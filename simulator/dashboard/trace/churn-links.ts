/**
 * The trace's link events from a scenario's churn: link_cut / link_restore as they are, and each
 * named partition / heal as the cuts and restores of the radio edges it crosses, so the
 * dashboard draws a partition as the medium applies it (scenario/partition.ts). Time order.
 */
import type { ChurnEvent } from '../../scenario/types.js';
import { EDGE_CUT_AB, EDGE_CUT_BA, type EdgeRecord, type LinkEvent } from './types.js';

export function churnLinkEvents(churn: readonly ChurnEvent[], edges: readonly EdgeRecord[]): LinkEvent[] {
  const ordered = churn.map((e, i) => ({ e, i })).sort((x, y) => x.e.at_ms - y.e.at_ms || x.i - y.i);
  // Directed cut state as the events go, so a heal restores only what its partition cut.
  const cut = new Set<string>();
  for (const [a, b, flags] of edges) {
    if (flags & EDGE_CUT_AB) cut.add(`${a}>${b}`);
    if (flags & EDGE_CUT_BA) cut.add(`${b}>${a}`);
  }
  const madeBy = new Map<string, [number, number][]>();
  const out: LinkEvent[] = [];
  const set = (at: number, a: number, b: number, on: boolean) => {
    if (on) cut.add(`${a}>${b}`);
    else cut.delete(`${a}>${b}`);
    out.push([at, a, b, on ? 1 : 0, 1]);
  };
  for (const { e } of ordered) {
    if (e.action === 'link_cut' || e.action === 'link_restore') {
      const on = e.action === 'link_cut';
      out.push([e.at_ms, e.a, e.b, on ? 1 : 0, e.one_way ? 1 : 0]);
      for (const [x, y] of e.one_way ? [[e.a, e.b]] : [[e.a, e.b], [e.b, e.a]]) {
        if (on) cut.add(`${x}>${y}`);
        else cut.delete(`${x}>${y}`);
      }
    } else if (e.action === 'partition') {
      const inside = new Set(e.nodes);
      const mine: [number, number][] = [];
      for (const [a, b] of edges) {
        if (inside.has(a) === inside.has(b)) continue;
        for (const [x, y] of [[a, b], [b, a]]) {
          if (cut.has(`${x}>${y}`)) continue;
          set(e.at_ms, x, y, true);
          mine.push([x, y]);
        }
      }
      madeBy.set(e.name, mine);
    } else if (e.action === 'heal') {
      for (const [x, y] of madeBy.get(e.name) ?? []) set(e.at_ms, x, y, false);
      madeBy.delete(e.name);
    }
  }
  return out;
}
