/// <reference lib="dom" />
/**
 * The chart strip under the graph (uPlot, bundled into the page): delivery per time bucket,
 * roots and addressed nodes, frames/s and drops/s over the run, all on the same time axis (the
 * whole run), the scenario's churn events as dashed red lines and the timeline's time as an
 * orange one. A click on a chart moves the timeline there. Figures come from series.ts.
 */
import uPlot from 'uplot';
import { SeriesBuilder, type ChartSeries } from '../trace/series.js';
import type { TraceIndex } from '../trace/state.js';
import { byId } from './dom.js';

const HEIGHT = 120;
const DATA_EVERY_MS = 500;
const CHURN_COLOR = '#e03131';
const TIME_COLOR = '#e8590c';

interface Chart {
  readonly plot: uPlot;
  readonly cell: HTMLElement;
  readonly data: (s: ChartSeries) => uPlot.AlignedData;
}

export class ChartStrip {
  readonly #index: TraceIndex;
  readonly #builder: SeriesBuilder;
  readonly #charts: Chart[] = [];
  #t = 0;
  #samples = -1;
  #traffic = '';
  #dataAt = 0;
  /** The timeline should move to this simulated time (ms). */
  onSeek: (ms: number) => void = () => {};

  constructor(index: TraceIndex) {
    this.#index = index;
    this.#builder = new SeriesBuilder(index.trace);
    const root = byId('charts');
    const durationS = index.trace.duration_ms / 1000;
    const bucketS = this.#builder.bucketMs / 1000;
    const add = (title: string, series: uPlot.Series[], data: Chart['data'], axes: uPlot.Axis[] = [{}], scales: uPlot.Scales = {}): void => {
      const cell = document.createElement('div');
      cell.className = 'chart';
      cell.dataset.chart = title;
      root.append(cell);
      const opts: uPlot.Options = {
        title,
        width: Math.max(120, cell.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false }, points: { show: false } },
        scales: { x: { time: false, range: [0, durationS] }, ...scales },
        axes: [{ size: 22, font: '10px system-ui', values: (_u, vals) => vals.map(clock), grid: { stroke: '#f1f3f5' } }, ...axes.map((a) => ({ size: 44, font: '10px system-ui', grid: { stroke: '#f1f3f5' }, ...a }))],
        series: [{}, ...series],
        hooks: { draw: [(u) => this.#marks(u)] },
      };
      const plot = new uPlot(opts, data(this.#builder.series), cell);
      plot.over.addEventListener('click', (e) => this.onSeek(Math.max(0, plot.posToVal(e.offsetX, 'x') * 1000)));
      this.#charts.push({ plot, cell, data });
    };
    add(
      `delivery (per ${bucketS} s sent)`,
      [{ label: 'delivery', stroke: '#2b8a3e', fill: 'rgba(43,138,62,0.12)', width: 1.5, paths: uPlot.paths.stepped!({ align: 1 }) }],
      (s) => [s.bucketT, s.delivery],
      [{ values: (_u, vals) => vals.map((v) => `${Math.round(v * 100)}%`) }],
      { y: { range: [0, 1.05] } },
    );
    add(
      'addressed · roots',
      [
        { label: 'addressed', stroke: '#1c7ed6', width: 1.5, scale: 'y' },
        { label: 'roots', stroke: '#f59f00', width: 1.5, scale: 'r' },
      ],
      (s) => [s.t, s.addressed, s.roots],
      [{ scale: 'y' }, { scale: 'r', side: 1, size: 30, grid: { show: false }, stroke: '#f59f00' }],
      { y: { range: (_u, _min, max) => [0, Math.max(1, max)] }, r: { range: (_u, _min, max) => [0, Math.max(2, max + 1)] } },
    );
    add('frames/s', [{ label: 'frames/s', stroke: '#5f3dc4', width: 1 }], (s) => [s.t, s.framesPerS], [{}], { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } });
    add('drops/s', [{ label: 'drops/s', stroke: '#c92a2a', width: 1 }], (s) => [s.t, s.dropsPerS], [{}], { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } });
    new ResizeObserver(() => {
      for (const c of this.#charts) if (c.cell.clientWidth > 0 && c.cell.clientWidth !== c.plot.width) c.plot.setSize({ width: c.cell.clientWidth, height: HEIGHT });
    }).observe(root);
    root.dataset.charts = String(this.#charts.length);
  }

  /** New data (at most every DATA_EVERY_MS) and the time line at `t` (simulated ms). */
  update(t: number, now: number): void {
    const tr = this.#index.trace;
    const trafficKey = `${tr.traffic?.length ?? 0}:${tr.traffic?.at(-1)?.join() ?? ''}:${tr.summary ? 1 : 0}`;
    if ((tr.samples.length !== this.#samples || trafficKey !== this.#traffic) && now - this.#dataAt >= DATA_EVERY_MS) {
      this.#dataAt = now;
      this.#samples = tr.samples.length;
      this.#traffic = trafficKey;
      const s = this.#builder.update();
      for (const c of this.#charts) c.plot.setData(c.data(s), true);
      this.#t = t;
      const root = byId('charts');
      root.dataset.points = String(s.t.length);
      root.dataset.buckets = String(s.delivery.filter((d) => d !== null).length);
      return;
    }
    if (t !== this.#t) {
      this.#t = t;
      for (const c of this.#charts) c.plot.redraw(false, false);
    }
  }

  /** Churn events and the timeline's time, over the plotting area. */
  #marks(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    const dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.lineWidth = dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.strokeStyle = CHURN_COLOR;
    ctx.fillStyle = CHURN_COLOR;
    ctx.font = `${9 * dpr}px system-ui`;
    for (const [at, action] of this.#index.trace.churn ?? []) {
      const x = Math.round(u.valToPos(at / 1000, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.fillText(action, x + 2 * dpr, top + 9 * dpr);
    }
    ctx.setLineDash([]);
    ctx.strokeStyle = TIME_COLOR;
    ctx.lineWidth = 1.5 * dpr;
    const x = Math.round(u.valToPos(this.#t / 1000, 'x', true));
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  }
}

/** Seconds → m:ss. */
function clock(s: number): string {
  const m = Math.floor(s / 60);
  const r = Math.round(s - m * 60);
  return `${m}:${r < 10 ? '0' : ''}${r}`;
}
