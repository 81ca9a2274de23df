/// <reference lib="dom" />
/**
 * The graph: sigma.js (WebGL) draws the nodes at their positions, the radio links (light) and
 * the spanning tree (dark), recoloured when the timeline reaches another sample. Frames in
 * flight and drops are drawn on a 2D canvas above it, in sigma's viewport coordinates.
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import { describeCoords, rootsOf, treeEdges, type EdgeState, type TraceNodeState, type TraceIndex } from '../trace/state.js';
import { OUTCOMES } from '../trace/types.js';
import { KIND_COLORS, NODE_COLORS, REASON_COLORS, byId } from './dom.js';
import { colorByMode, colorLegendHtml, type ColorBy } from './colors.js';

interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  zIndex: number;
  highlighted?: boolean;
}

interface EdgeAttrs {
  size: number;
  color: string;
  zIndex: number;
}

/**
 * How long (wall ms) a frame stays visible at least, and a drop's mark after it; at high
 * playback speeds no longer than FLIGHT_MAX_MS / DROP_MAX_MS of simulated time, so fast
 * replays do not smear seconds of traffic together.
 */
const FLIGHT_WALL_MS = 300;
const FLIGHT_MAX_MS = 1500;
const DROP_WALL_MS = 900;
const DROP_MAX_MS = 5000;
/** Frames settled this long (simulated ms) after being sent are still looked for. */
const MAX_FLIGHT_MS = 2000;
const MAX_DRAWN = 4000;

export class GraphView {
  readonly graph = new Graph<NodeAttrs, EdgeAttrs>({ type: 'undirected', multi: true, allowSelfLoops: false });
  readonly sigma: Sigma<NodeAttrs, EdgeAttrs>;
  readonly #index: TraceIndex;
  readonly #overlay: HTMLCanvasElement;
  readonly #tooltip: HTMLElement;
  readonly #baseSize: number;
  #states: readonly TraceNodeState[] = [];
  #tree = new Map<number, number>();
  #roots: number[] = [];
  #selected = -1;
  #hovered = -1;
  #edgeCut: boolean[] = [];
  #overlayDirty = true;
  /** Called when a node is clicked (-1: the background). */
  onSelect: (i: number) => void = () => {};
  /** Frames drawn by the last overlay pass. */
  drawn = 0;
  /** What a node's colour says: its state, its root (tree or partition), or its depth. */
  #colorBy: ColorBy = 'state';

  constructor(index: TraceIndex) {
    this.#index = index;
    const trace = index.trace;
    const n = trace.nodes.length;
    this.#baseSize = Math.max(2, Math.min(9, 60 / Math.sqrt(Math.max(1, n))));
    trace.nodes.forEach((p, i) => {
      // Sigma's y axis points up; scenario y grows downwards (as in the SVG snapshot).
      this.graph.addNode(String(i), { x: p.x, y: -p.y, size: this.#baseSize, color: NODE_COLORS.unaddressed, label: `n${i}`, zIndex: 1 });
    });
    const radioSize = n > 300 ? 0.4 : 0.8;
    trace.edges.forEach(([a, b], k) => {
      this.graph.addEdgeWithKey(`r${k}`, String(a), String(b), { size: radioSize, color: NODE_COLORS.radio, zIndex: 0 });
      this.#edgeCut.push(false);
    });
    this.sigma = new Sigma(this.graph, byId('graph'), {
      zIndex: true,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: n > 200 ? 12 : 5,
      labelSize: 11,
      defaultEdgeColor: NODE_COLORS.radio,
      hideEdgesOnMove: n > 2000,
      stagePadding: 24,
      nodeReducer: (node, data) => (Number(node) === this.#selected ? { ...data, highlighted: true, forceLabel: true, size: data.size * 1.3 } : data),
    });
    this.#overlay = byId<HTMLCanvasElement>('overlay');
    this.#tooltip = byId('tooltip');
    this.sigma.on('clickNode', ({ node }) => this.onSelect(Number(node)));
    this.sigma.on('clickStage', () => this.onSelect(-1));
    this.sigma.on('enterNode', ({ node }) => {
      this.#hovered = Number(node);
      this.#showTooltip();
    });
    this.sigma.on('leaveNode', () => {
      this.#hovered = -1;
      this.#tooltip.hidden = true;
    });
    this.sigma.on('afterRender', () => this.#needOverlay());
  }

  get treeEdgeCount(): number {
    return this.#tree.size;
  }

  get roots(): readonly number[] {
    return this.#roots;
  }

  get states(): readonly TraceNodeState[] {
    return this.#states;
  }

  get colorBy(): ColorBy {
    return this.#colorBy;
  }

  /** Colour by another figure (the next update repaints). */
  setColorBy(mode: ColorBy): void {
    this.#colorBy = mode;
    this.update(this.#states, undefined);
  }

  /** Select node i and move the camera onto it. */
  centre(i: number): void {
    const d = this.sigma.getNodeDisplayData(String(i));
    if (!d) return;
    const camera = this.sigma.getCamera();
    void camera.animate({ x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.4) }, { duration: 300 });
  }

  select(i: number): void {
    this.#selected = i;
    this.sigma.refresh({ skipIndexation: true });
  }

  /** Recolour nodes, move tree edges and mark cut links for the states at one sample. */
  update(states: readonly TraceNodeState[], edges: readonly EdgeState[] | undefined): void {
    this.#states = states;
    const g = this.graph;
    const roots = rootsOf(states);
    const rootSet = new Set(roots);
    this.#roots = roots;
    states.forEach((s, i) => {
      const isRoot = rootSet.has(i);
      const color = this.#colorBy === 'state' ? (isRoot ? NODE_COLORS.root : colorOf(s)) : colorByMode(this.#colorBy, s);
      const size = isRoot ? this.#baseSize * 1.8 : s.up ? this.#baseSize : this.#baseSize * 0.8;
      const key = String(i);
      const a = g.getNodeAttributes(key);
      if (a.color !== color || a.size !== size) g.mergeNodeAttributes(key, { color, size, zIndex: isRoot ? 3 : 1 });
    });
    const next = new Map(treeEdges(states));
    for (const [child, parent] of this.#tree) {
      if (next.get(child) !== parent) g.dropEdge(`t${child}`);
    }
    const treeSize = Math.max(1.5, this.#baseSize * 0.35);
    for (const [child, parent] of next) {
      if (this.#tree.get(child) !== parent) g.addEdgeWithKey(`t${child}`, String(child), String(parent), { size: treeSize, color: NODE_COLORS.tree, zIndex: 2 });
    }
    this.#tree = next;
    if (edges) {
      edges.forEach((e, k) => {
        if (this.#edgeCut[k] === e.cut) return;
        this.#edgeCut[k] = e.cut;
        g.mergeEdgeAttributes(`r${k}`, { color: e.cut ? NODE_COLORS.cut : NODE_COLORS.radio });
      });
    }
    if (this.#hovered >= 0) this.#showTooltip();
  }

  /** Where node i is on the page (client coordinates), for tests and tooltips. */
  nodeOnPage(i: number): { x: number; y: number } {
    const a = this.graph.getNodeAttributes(String(i));
    const p = this.sigma.graphToViewport({ x: a.x, y: a.y });
    const r = byId('graph').getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  #showTooltip(): void {
    const i = this.#hovered;
    const s = this.#states[i];
    if (!s) return;
    const p = this.sigma.graphToViewport(this.graph.getNodeAttributes(String(i)));
    const parent = s.parent >= 0 ? `parent n${s.parent}` : s.root === i ? 'root' : 'no parent';
    this.#tooltip.textContent =
      `n${i}  ${describeCoords(s.coords)}\n` +
      `${s.address ?? 'no address'}  ${s.root >= 0 ? `root n${s.root}` : ''}\n` +
      `${parent} · ${s.peers} peers · ${s.routes} routes${s.up ? '' : ' · DOWN'}${s.awake ? '' : ' · asleep'}`;
    this.#tooltip.style.left = `${p.x + 12}px`;
    this.#tooltip.style.top = `${p.y + 12}px`;
    this.#tooltip.hidden = false;
  }

  #needOverlay(): void {
    this.#overlayDirty = true;
  }

  /**
   * Draw the frames visible at simulated time t; `simPerWall` is the playback pace (simulated
   * ms per wall ms), so a frame stays long enough on screen to be seen.
   */
  drawPackets(t: number, simPerWall: number, force = false): void {
    const canvas = this.#overlay;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const hgt = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(hgt * dpr);
      force = true;
    }
    const flight = Math.min(FLIGHT_MAX_MS, FLIGHT_WALL_MS * simPerWall);
    const linger = Math.min(DROP_MAX_MS, DROP_WALL_MS * simPerWall);
    const range = this.#index.packetsAround(t, flight + linger, MAX_FLIGHT_MS);
    if (!force && !this.#overlayDirty && range.from === range.to && this.drawn === 0) return;
    this.#overlayDirty = false;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    ctx.globalAlpha = 0.8; // nodes and labels stay readable under a flood
    const packets = this.#index.trace.packets;
    const kinds = this.#index.trace.kinds;
    const pos: ({ x: number; y: number } | undefined)[] = [];
    const at = (i: number) => (pos[i] ??= this.sigma.graphToViewport(this.graph.getNodeAttributes(String(i))));
    let drawn = 0;
    const dot = Math.max(2.2, Math.min(4, this.#baseSize * 0.45));
    for (let k = range.from; k < range.to && drawn < MAX_DRAWN; k++) {
      const [tSend, tEnd, from, to, kind, outcome] = packets[k];
      if (tSend > t) continue;
      const end = Math.max(tEnd, tSend + flight);
      const dropped = outcome !== 0;
      if (t > end + (dropped ? linger : 0)) continue;
      const a = at(from);
      const b = to >= 0 ? at(to) : a;
      if (t <= end) {
        const f = end > tSend ? Math.min(1, (t - tSend) / (end - tSend)) : 1;
        ctx.fillStyle = KIND_COLORS[kinds[kind]] ?? KIND_COLORS.unknown;
        ctx.beginPath();
        ctx.arc(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f, dot, 0, 2 * Math.PI);
        ctx.fill();
      } else {
        // A drop: a cross at the receiver (or at the sender, for a refused frame).
        const c = REASON_COLORS[OUTCOMES[outcome]] ?? '#000';
        const x = to >= 0 ? a.x + (b.x - a.x) * 0.85 : a.x;
        const y = to >= 0 ? a.y + (b.y - a.y) * 0.85 : a.y - dot * 2.5;
        const s = dot * 1.4;
        ctx.strokeStyle = c;
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x - s, y - s);
        ctx.lineTo(x + s, y + s);
        ctx.moveTo(x + s, y - s);
        ctx.lineTo(x - s, y + s);
        ctx.stroke();
      }
      drawn++;
    }
    ctx.globalAlpha = 1;
    if (this.#selected >= 0 && this.#selected < this.graph.order) {
      const p = at(this.#selected);
      ctx.strokeStyle = '#e8590c';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p.x, p.y, this.#baseSize * 2.2 + 4, 0, 2 * Math.PI);
      ctx.stroke();
    }
    this.drawn = drawn;
  }
}

function colorOf(s: TraceNodeState): string {
  if (!s.up) return NODE_COLORS.down;
  if (!s.running || s.coords === null) return NODE_COLORS.unaddressed;
  if (!s.awake) return NODE_COLORS.asleep;
  return NODE_COLORS.node;
}

export function legendHtml(kinds: readonly string[], colorBy: ColorBy = 'state', roots: readonly number[] = []): string {
  const sw = (c: string, label: string) => `<span><span class="sw" style="background:${c}"></span>${label}</span>`;
  const x = (c: string, label: string) => `<span><span class="x" style="color:${c}">×</span>${label}</span>`;
  return (
    (colorBy !== 'state' ? colorLegendHtml(colorBy, roots) : '') +
    `<div class="row"${colorBy !== 'state' ? ' hidden' : ''}>${sw(NODE_COLORS.root, 'root')}${sw(NODE_COLORS.node, 'in the tree')}${sw(NODE_COLORS.unaddressed, 'no address')}` +
    `${sw(NODE_COLORS.asleep, 'radio asleep')}${sw(NODE_COLORS.down, 'down')}<span>— tree link</span><span style="color:#adb5bd">— radio link</span></div>` +
    `<div class="row">frames: ${kinds.filter((k) => k !== 'unknown').map((k) => sw(KIND_COLORS[k] ?? KIND_COLORS.unknown, k)).join('')}</div>` +
    `<div class="row">drops: ${Object.entries(REASON_COLORS)
      .map(([k, c]) => x(c, k))
      .join('')}</div>`
  );
}
