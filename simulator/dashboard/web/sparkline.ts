/// <reference lib="dom" />
/**
 * The node panel's sparkline: node i's frames (sent + received) per second over the run, from
 * its recorded details (cumulative medium counters, stored every `detail_every` samples when they
 * changed, so each point is the average rate since the previous one), with the timeline's time
 * marked. Plain SVG: a few dozen points need no charting library.
 */
import type { TraceIndex } from '../trace/state.js';

const W = 320;
const H = 44;
const SVG = 'http://www.w3.org/2000/svg';

/** [t seconds, frames per second since the previous detail] of node i's details. */
export function frameRates(index: TraceIndex, i: number): [number, number][] {
  const out: [number, number][] = [];
  let prevT = 0;
  let prevFrames = 0;
  for (const { t, detail } of index.detailsOf(i)) {
    if (!detail) continue; // powered off: its counters start again at the next boot
    const frames = detail.sent + detail.received;
    if (t > prevT && frames >= prevFrames) out.push([t / 1000, (frames - prevFrames) / ((t - prevT) / 1000)]);
    prevT = t;
    prevFrames = frames;
  }
  return out;
}

export function sparkline(index: TraceIndex, i: number, t: number): SVGSVGElement {
  const points = frameRates(index, i);
  const end = index.trace.duration_ms / 1000;
  const max = Math.max(1, ...points.map((p) => p[1]));
  const x = (s: number) => (s / end) * W;
  const y = (v: number) => H - 2 - (v / max) * (H - 12);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'sparkline');
  svg.dataset.points = String(points.length);
  const el = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    svg.append(e);
    return e;
  };
  if (points.length > 0) {
    // Steps: each rate holds from the previous detail to this one.
    let d = `M0 ${y(0)}`;
    let from = 0;
    for (const [s, v] of points) {
      d += ` L${x(from).toFixed(1)} ${y(v).toFixed(1)} L${x(s).toFixed(1)} ${y(v).toFixed(1)}`;
      from = s;
    }
    el('path', { d, fill: 'none', stroke: '#5f3dc4', 'stroke-width': 1.2 });
  }
  el('line', { x1: x(t / 1000), x2: x(t / 1000), y1: 0, y2: H, stroke: '#e8590c', 'stroke-width': 1 });
  const label = el('text', { x: 2, y: 9, 'font-size': 9, fill: '#868e96' });
  label.textContent = `frames/s (sent + received), peak ${max.toFixed(1)}`;
  return svg;
}
