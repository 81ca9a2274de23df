/// <reference lib="dom" />
/**
 * The dashboard page: receives the trace over Server-Sent Events (in full, then appended every
 * 200 ms during a live run), and shows it at the timeline's time: the graph and tree
 * (graph-view.ts), frames in flight, the side panel and the selected node's console (panel.ts).
 *
 * Rendering is throttled: the graph is recoloured at most 10 times a second and only when the
 * timeline reaches another sample, frames are drawn at most 30 times a second; the numbers the
 * browser test reads are on #app as data attributes.
 */
import { TraceIndex, formatMs, type TraceNodeState } from '../trace/state.js';
import type { Trace, TraceAppend, NodeDetail } from '../trace/types.js';
import { findNode } from '../trace/find.js';
import { ChartStrip } from './charts.js';
import type { ColorBy } from './colors.js';
import { byId } from './dom.js';
import { GraphView, legendHtml } from './graph-view.js';
import { ConsolePanel, NodePanel, renderSummary } from './panel.js';

interface Info {
  readonly mode: 'live' | 'file';
  readonly title: string;
  readonly speed: number;
  readonly console: { readonly available: boolean; readonly reason?: string };
}

const SPEEDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];
const GRAPH_EVERY_MS = 100;
const OVERLAY_EVERY_MS = 33;
const LIVE_DETAIL_EVERY_MS = 1000;

class Dashboard {
  readonly info: Info;
  readonly index: TraceIndex;
  readonly view: GraphView;
  readonly nodePanel: NodePanel;
  readonly consolePanel: ConsolePanel;
  readonly charts: ChartStrip;
  readonly app = byId('app');
  t = 0;
  playing = true;
  /** Following a live run's head. */
  follow: boolean;
  speed: number;
  selected = -1;
  #ended: boolean;
  #lastFrame = performance.now();
  #lastGraph = 0;
  #lastOverlay = 0;
  #shownSample = -2;
  #shownSelected = -2;
  #summaryAt = 0;
  #liveDetail: NodeDetail | null | undefined;
  #liveDetailAt = 0;
  #liveDetailNode = -1;

  constructor(info: Info, trace: Trace) {
    this.info = info;
    this.index = new TraceIndex(trace);
    this.#ended = info.mode === 'file' || trace.summary !== null;
    this.follow = info.mode === 'live' && !this.#ended;
    this.speed = this.follow ? info.speed : Math.max(info.speed, 10);
    if (info.mode === 'file') this.t = 0;
    else this.t = this.follow ? trace.now : trace.now;
    this.playing = this.follow || info.mode === 'file';
    this.view = new GraphView(this.index);
    this.view.onSelect = (i) => this.select(i);
    this.nodePanel = new NodePanel(this.index);
    this.nodePanel.onSelect = (i) => this.select(i);
    this.consolePanel = new ConsolePanel(this.index, info.mode === 'live' ? info.console : { available: false, reason: info.console.reason });
    this.charts = new ChartStrip(this.index);
    this.charts.onSeek = (ms) => {
      this.follow = false;
      this.t = Math.min(this.#head, ms);
      this.#lastGraph = 0;
    };
    byId('legend').innerHTML = legendHtml(trace.kinds);
    byId('title').textContent = `${trace.scenario} · ${trace.nodes.length} nodes · seed ${trace.seed}`;
    this.#controls();
    this.#mode();
    this.app.dataset.ready = '1';
    this.app.dataset.nodes = String(this.view.graph.order);
    this.app.dataset.radioEdges = String(trace.edges.length);
    (window as unknown as { __dashboard: unknown }).__dashboard = {
      nodeOnPage: (i: number) => this.view.nodeOnPage(i),
      nodeColor: (i: number) => this.view.graph.getNodeAttribute(String(i), 'color'),
      get time() {
        return dashboard?.t;
      },
    };
    const loop = () => {
      this.#frame();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  append(a: TraceAppend): void {
    this.index.append(a);
    if (a.summary && !this.#ended) {
      this.#ended = true;
      byId('behind').hidden = true;
      this.app.dataset.behind = '0';
      if (this.follow) {
        this.follow = false;
        this.playing = false;
        this.t = this.index.endMs;
      }
      this.#mode();
    }
    this.consolePanel.refresh();
  }

  /** The live run's pace (server-sent): a badge while it trails the wall clock × speed. */
  pace(p: { speed: number; behind_ms: number; behind: boolean }): void {
    const badge = byId('behind');
    badge.hidden = !p.behind || this.#ended;
    badge.textContent = `behind by ${(p.behind_ms / 1000).toFixed(1)} s · running as fast as it can`;
    badge.title = `the run cannot keep up with ×${p.speed}: simulated time trails the wall clock × ${p.speed} by ${(p.behind_ms / 1000).toFixed(1)} s`;
    this.app.dataset.behindMs = String(p.behind_ms);
    this.app.dataset.behind = p.behind && !this.#ended ? '1' : '0';
  }

  select(i: number): void {
    this.selected = i;
    this.app.dataset.selected = String(i);
    this.view.select(i);
    this.consolePanel.show(i);
    this.#liveDetail = undefined;
    this.#liveDetailNode = i;
    this.#liveDetailAt = 0;
    this.#shownSelected = -2;
  }

  get #head(): number {
    return this.index.endMs;
  }

  #frame(): void {
    const now = performance.now();
    const dt = Math.min(250, now - this.#lastFrame);
    this.#lastFrame = now;
    const head = this.#head;
    if (this.follow) {
      // Trail the head a little, so frames settle before they are drawn.
      const lag = 400 * this.info.speed;
      this.t += dt * this.info.speed;
      if (this.t > head) this.t = head;
      if (this.t < head - 3 * lag) this.t = head - lag;
    } else if (this.playing) {
      this.t = Math.min(head, this.t + dt * this.speed);
      if (this.t >= head && this.#ended) this.playing = false;
    }
    this.t = Math.max(0, Math.min(this.t, head));
    if (now - this.#lastGraph >= GRAPH_EVERY_MS) {
      this.#lastGraph = now;
      this.#updateGraph(now);
      this.charts.update(this.t, now);
    }
    if (now - this.#lastOverlay >= OVERLAY_EVERY_MS) {
      this.#lastOverlay = now;
      this.view.drawPackets(this.t, this.follow ? this.info.speed : this.speed);
      this.app.dataset.packets = String(this.view.drawn);
      const [all, kept] = this.index.loadAt(this.t);
      byId('load').textContent = `frames drawn: at most ${this.index.trace.cap_per_s} per simulated second (this second: ${kept} of ${all})`;
    }
  }

  #updateGraph(now: number): void {
    const k = this.index.sampleIndexAt(this.t);
    let states: readonly TraceNodeState[] = this.view.states;
    if (k !== this.#shownSample) {
      this.#shownSample = k;
      states = this.index.statesAtSample(k);
      this.view.update(states, this.index.trace.link_events.length > 0 ? this.index.edgesAt(this.t) : undefined);
      this.app.dataset.treeEdges = String(this.view.treeEdgeCount);
      this.app.dataset.roots = this.view.roots.join(' ');
      if (this.view.colorBy === 'root') this.#legend();
      this.app.dataset.sample = String(k);
      if (now - this.#summaryAt > 500) {
        this.#summaryAt = now;
        renderSummary(this.index, this.t, states, this.view.treeEdgeCount, this.view.roots);
      }
      this.#shownSelected = -2;
    }
    // The selected node: its recorded state, or live details while following the run.
    if (this.selected >= 0) {
      if (this.follow && this.info.mode === 'live' && now - this.#liveDetailAt > LIVE_DETAIL_EVERY_MS) {
        this.#liveDetailAt = now;
        const i = this.selected;
        void fetch(`/api/node/${i}`)
          .then((r) => (r.ok ? (r.json() as Promise<NodeDetail | null>) : undefined))
          .then((d) => {
            if (this.#liveDetailNode !== i) return;
            this.#liveDetail = d;
            this.#shownSelected = -2;
          })
          .catch(() => {});
      }
      if (this.#shownSelected !== k) {
        this.#shownSelected = k;
        this.nodePanel.render(this.selected, this.t, states, this.follow ? this.#liveDetail : undefined);
      }
    } else if (this.#shownSelected !== -1) {
      this.#shownSelected = -1;
      this.nodePanel.render(-1, this.t, states, undefined);
    }
    this.app.dataset.timeMs = String(Math.round(this.t));
    const end = this.index.trace.duration_ms;
    byId('time').textContent = `${formatMs(this.t)} / ${formatMs(end)}`;
    const scrub = byId<HTMLInputElement>('scrub');
    if (document.activeElement !== scrub) scrub.value = String(Math.round((this.t / end) * 1000));
    byId('play').textContent = this.playing || this.follow ? 'pause' : 'play';
    byId('live').classList.toggle('on', this.follow);
    byId('stats').textContent = `t = ${formatMs(this.t)} · ${this.view.treeEdgeCount} tree links · ${
      this.view.roots.length === 1 ? `root n${this.view.roots[0]}` : `${this.view.roots.length} roots`
    }`;
  }

  #legend(): void {
    byId('legend').innerHTML = legendHtml(this.index.trace.kinds, this.view.colorBy, this.view.roots);
  }

  #mode(): void {
    const badge = byId('mode');
    const live = this.info.mode === 'live' && !this.#ended;
    badge.textContent = this.info.mode === 'file' ? 'saved trace' : live ? 'live' : 'run over · replay';
    badge.className = `badge ${live ? 'live' : this.info.mode === 'live' ? 'ended' : ''}`;
    byId<HTMLButtonElement>('live').disabled = !live;
    this.app.dataset.mode = live ? 'live' : 'replay';
  }

  #step(dir: 1 | -1): void {
    this.follow = false;
    this.playing = false;
    const samples = this.index.trace.samples;
    const k = this.index.sampleIndexAt(this.t);
    const target = dir > 0 ? samples[Math.min(samples.length - 1, k + 1)] : samples[Math.max(0, samples[k]?.t === this.t ? k - 1 : k)];
    if (target) this.t = target.t;
    this.#lastGraph = 0;
  }

  #controls(): void {
    const speed = byId<HTMLSelectElement>('speed');
    const options = [...new Set([...SPEEDS, this.info.speed, this.speed])].sort((a, b) => a - b);
    for (const s of options) {
      const o = document.createElement('option');
      o.value = String(s);
      o.textContent = `×${s}`;
      speed.append(o);
    }
    speed.value = String(this.speed);
    speed.addEventListener('change', () => {
      this.speed = Number(speed.value);
      this.follow = false;
    });
    byId('play').addEventListener('click', () => this.#togglePlay());
    const colorBy = byId<HTMLSelectElement>('color-by');
    colorBy.addEventListener('change', () => {
      this.view.setColorBy(colorBy.value as ColorBy);
      this.app.dataset.colorBy = colorBy.value;
      this.#legend();
    });
    byId('search-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = byId<HTMLInputElement>('search');
      const r = findNode(this.index.trace, input.value);
      byId('search-msg').textContent = r.ok ? (r.matches > 1 ? `${r.matches} match, first shown` : '') : r.error;
      if (!r.ok) return;
      this.select(r.index);
      this.view.centre(r.index);
    });
    byId('step-back').addEventListener('click', () => this.#step(-1));
    byId('step-fwd').addEventListener('click', () => this.#step(1));
    byId('live').addEventListener('click', () => {
      if (this.#ended) return;
      this.follow = true;
      this.playing = true;
      this.t = this.#head;
    });
    const scrub = byId<HTMLInputElement>('scrub');
    scrub.addEventListener('input', () => {
      this.follow = false;
      this.t = Math.min(this.#head, (Number(scrub.value) / 1000) * this.index.trace.duration_ms);
      this.#lastGraph = 0;
    });
    document.addEventListener('keydown', (e) => {
      if ((e.target as HTMLElement | null)?.tagName === 'INPUT' || (e.target as HTMLElement | null)?.tagName === 'SELECT') return;
      if (e.key === ' ') {
        e.preventDefault();
        this.#togglePlay();
      } else if (e.key === 'ArrowRight') this.#step(1);
      else if (e.key === 'ArrowLeft') this.#step(-1);
    });
  }

  #togglePlay(): void {
    if (this.follow || this.playing) {
      this.follow = false;
      this.playing = false;
      return;
    }
    if (this.t >= this.#head && this.#ended) this.t = 0;
    this.playing = true;
  }
}

let dashboard: Dashboard | undefined;
let info: Info | undefined;

function connect(): void {
  const events = new EventSource('/api/events');
  events.addEventListener('info', (e) => {
    info = JSON.parse((e as MessageEvent<string>).data) as Info;
  });
  events.addEventListener('trace', (e) => {
    const trace = JSON.parse((e as MessageEvent<string>).data) as Trace;
    if (dashboard || !info) return; // a reconnect: the page already has it (reload for a new run)
    dashboard = new Dashboard(info, trace);
  });
  events.addEventListener('append', (e) => {
    dashboard?.append(JSON.parse((e as MessageEvent<string>).data) as TraceAppend);
  });
  events.addEventListener('pace', (e) => {
    dashboard?.pace(JSON.parse((e as MessageEvent<string>).data) as { speed: number; behind_ms: number; behind: boolean });
  });
  events.addEventListener('console-state', (e) => {
    dashboard?.consolePanel.states(JSON.parse((e as MessageEvent<string>).data) as { node: number; prompt: string; busy: boolean }[]);
  });
  events.onerror = () => {
    // The server is gone (Ctrl-C) or restarting: stop retrying once the run is loaded.
    if (dashboard && info?.mode === 'live') byId('mode').textContent = 'disconnected';
    if (dashboard) events.close();
  };
}

connect();
