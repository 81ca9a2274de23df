/**
 * `--snapshot out.svg`: the radio graph and the spanning tree of a trace at one moment (the end
 * by default) as a standalone SVG, made without a browser. Nodes at their positions, radio links
 * light, tree links dark, roots larger and orange, each node's tree address in its <title>
 * (a tooltip in browsers). Counts are on the root element (data-nodes, data-tree-edges,
 * data-radio-edges, data-roots) for tests and scripts.
 */
import { TraceIndex, describeCoords, formatMs, rootsOf, treeEdges, type TraceNodeState } from './trace/state.js';
import type { Trace } from './trace/types.js';

export interface SnapshotOptions {
  /** Simulated time to draw (default: the end of the trace). */
  readonly atMs?: number;
  /** Drawing width in px (default 900). */
  readonly width?: number;
}

export const SNAPSHOT_COLORS = {
  radio: '#c9d1d9',
  cut: '#f4a6a6',
  tree: '#1f2933',
  node: '#1c7ed6',
  unaddressed: '#adb5bd',
  asleep: '#74c0fc',
  down: '#e03131',
  root: '#f59f00',
} as const;

export function snapshotSvg(trace: Trace, options: SnapshotOptions = {}): string {
  const index = new TraceIndex(trace);
  const t = options.atMs ?? trace.now;
  const states = index.statesAt(t);
  const edges = index.edgesAt(t);
  const tree = treeEdges(states);
  const roots = new Set(rootsOf(states));
  const nodes = trace.nodes;

  const width = options.width ?? 900;
  const margin = 30;
  const legend = 44;
  const xs = nodes.map((p) => p.x);
  const ys = nodes.map((p) => p.y);
  const minX = Math.min(...xs, 0);
  const maxX = Math.max(...xs, 0);
  const minY = Math.min(...ys, 0);
  const maxY = Math.max(...ys, 0);
  const span = Math.max(maxX - minX, maxY - minY, 1);
  const scale = (width - 2 * margin) / span;
  const height = Math.ceil((maxY - minY) * scale + 2 * margin + legend);
  const X = (x: number) => fmt(margin + (x - minX) * scale);
  const Y = (y: number) => fmt(margin + (y - minY) * scale);

  let meanEdge = 0;
  for (const e of edges) meanEdge += Math.hypot(nodes[e.a].x - nodes[e.b].x, nodes[e.a].y - nodes[e.b].y);
  meanEdge = edges.length > 0 ? (meanEdge / edges.length) * scale : width / Math.sqrt(Math.max(1, nodes.length));
  const r = Math.max(1.5, Math.min(9, meanEdge * 0.12));
  const labels = nodes.length <= 150;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif"` +
      ` data-nodes="${nodes.length}" data-tree-edges="${tree.length}" data-radio-edges="${edges.length}" data-roots="${[...roots].join(' ')}" data-time-ms="${t}">`,
  );
  out.push(`<title>${esc(trace.scenario)} at ${formatMs(t)} (seed ${trace.seed})</title>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<g class="radio" stroke="${SNAPSHOT_COLORS.radio}" stroke-width="1">`);
  for (const e of edges) {
    const a = nodes[e.a];
    const b = nodes[e.b];
    const attrs = e.cut ? ` stroke="${SNAPSHOT_COLORS.cut}" stroke-dasharray="4 3"` : e.both ? '' : ` stroke-dasharray="2 2"`;
    out.push(`<line x1="${X(a.x)}" y1="${Y(a.y)}" x2="${X(b.x)}" y2="${Y(b.y)}"${attrs}/>`);
  }
  out.push('</g>');
  out.push(`<g class="tree" stroke="${SNAPSHOT_COLORS.tree}" stroke-width="${fmt(Math.max(1.5, r * 0.45))}" stroke-linecap="round">`);
  for (const [child, parent] of tree) {
    const a = nodes[child];
    const b = nodes[parent];
    out.push(`<line x1="${X(a.x)}" y1="${Y(a.y)}" x2="${X(b.x)}" y2="${Y(b.y)}" data-child="${child}" data-parent="${parent}"/>`);
  }
  out.push('</g>');
  out.push('<g class="nodes" stroke="#ffffff" stroke-width="1">');
  nodes.forEach((p, i) => {
    const s = states[i];
    const isRoot = roots.has(i);
    const fill = isRoot ? SNAPSHOT_COLORS.root : colorOf(s);
    const rr = isRoot ? r * 1.8 : r;
    const title = `n${i} · ${s.address ?? 'no address'} · ${describeCoords(s.coords)}${s.root >= 0 ? ` · root n${s.root}` : ''}${s.up ? '' : ' · down'}`;
    out.push(
      `<circle class="node${isRoot ? ' root' : ''}" data-index="${i}" cx="${X(p.x)}" cy="${Y(p.y)}" r="${fmt(rr)}" fill="${fill}"${isRoot ? ` stroke="${SNAPSHOT_COLORS.tree}" stroke-width="2"` : ''}><title>${esc(title)}</title></circle>`,
    );
  });
  out.push('</g>');
  if (labels) {
    out.push(`<g class="labels" font-size="${fmt(Math.max(8, Math.min(12, r * 1.4)))}" fill="#343a40">`);
    nodes.forEach((p, i) => out.push(`<text x="${fmt(margin + (p.x - minX) * scale + r + 2)}" y="${fmt(margin + (p.y - minY) * scale - r - 1)}">${i}</text>`));
    out.push('</g>');
  }
  const rootText = roots.size === 0 ? 'no root' : roots.size === 1 ? `root n${[...roots][0]}` : `${roots.size} roots`;
  const y0 = height - legend + 18;
  out.push(
    `<text x="${margin}" y="${y0}" font-size="13" fill="#212529">${esc(trace.scenario)} · ${nodes.length} nodes · t = ${formatMs(t)} · ${tree.length} tree links · ${rootText}</text>`,
  );
  out.push(
    `<text x="${margin}" y="${y0 + 17}" font-size="11" fill="#495057">light: radio links (dashed: one way, red: cut) · dark: spanning tree · orange: root · grey: no address · red: down</text>`,
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function colorOf(s: TraceNodeState): string {
  if (!s.up) return SNAPSHOT_COLORS.down;
  if (!s.running || s.coords === null) return SNAPSHOT_COLORS.unaddressed;
  if (!s.awake) return SNAPSHOT_COLORS.asleep;
  return SNAPSHOT_COLORS.node;
}

function fmt(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function esc(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
