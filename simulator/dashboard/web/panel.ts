/// <reference lib="dom" />
/** The side panel: the run's totals, the selected node's state, and its console. */
import { describeCoords, formatMs, type TraceNodeState, type TraceIndex } from '../trace/state.js';
import { OUTCOMES, type NodeDetail } from '../trace/types.js';
import { byId, h, kvTable } from './dom.js';
import { sparkline } from './sparkline.js';

/** Packager counters that mean something was lost (as in the run's report). */
function isDropCounter(name: string): boolean {
  return name.startsWith('drop_') || name === 'sequence_abandoned' || name === 'radio_refused' || name === 'inbound_evicted' || name === 'send_unacked' || name === 'send_held_failed' || name === 'ping_wait_failed';
}

export function renderSummary(index: TraceIndex, t: number, states: readonly TraceNodeState[], treeEdges: number, roots: readonly number[]): void {
  const el = byId('summary');
  const tr = index.trace;
  const up = states.filter((s) => s.up).length;
  const m = index.mediumAt(t);
  const lost = m
    ? OUTCOMES.slice(1)
        .map((r, k) => [r, m[2 + k]] as const)
        .filter(([, c]) => c > 0)
        .map(([r, c]) => `${r} ${c}`)
        .join(', ') || 'none'
    : '—';
  // Packager drops: the nodes' latest details at t, summed.
  const drops: Record<string, number> = {};
  for (let i = 0; i < index.n; i++) {
    const d = index.detailAt(i, t)?.detail;
    if (!d) continue;
    for (const [k, c] of Object.entries(d.counters)) if (isDropCounter(k)) drops[k] = (drops[k] ?? 0) + c;
  }
  const dropText =
    Object.entries(drops)
      .map(([k, c]) => `${k} ${c}`)
      .join(', ') || 'none';
  const s = tr.summary;
  el.replaceChildren(
    h('h2', {}, tr.scenario),
    h('p', { class: 'hint' }, tr.description),
    kvTable([
      ['nodes', `${index.n} (${up} up)`],
      ['tree', `${treeEdges} links · ${roots.length === 0 ? 'no root' : roots.length === 1 ? `root n${roots[0]}` : `${roots.length} roots: ${roots.map((r) => `n${r}`).join(' ')}`}`],
      ['frames', m ? `${m[0]} on air · ${m[1]} received` : '—'],
      ['medium losses', lost],
      ['packager drops', dropText],
      s ? ['delivery', `${s.delivered} of ${s.sent} (${s.delivery_ratio === null ? '—' : (s.delivery_ratio * 100).toFixed(2) + ' %'})`] : ['delivery', undefined],
      s ? ['converged', s.converged_ms === null ? 'never' : formatMs(s.converged_ms)] : ['converged', undefined],
    ]),
  );
}

export class NodePanel {
  readonly #index: TraceIndex;
  /** A node chip was clicked. */
  onSelect: (i: number) => void = () => {};

  constructor(index: TraceIndex) {
    this.#index = index;
  }

  render(i: number, t: number, states: readonly TraceNodeState[], live: NodeDetail | null | undefined): void {
    const el = byId('node');
    if (i < 0) {
      el.replaceChildren(h('p', { class: 'hint' }, 'Click a node to see its state and its console.'));
      return;
    }
    const tr = this.#index.trace;
    const node = tr.nodes[i];
    const s = states[i];
    const recorded = this.#index.detailAt(i, t);
    const d = live ?? recorded?.detail ?? null;
    const chip = (j: number) => {
      const c = h('span', { class: 'chip', 'data-node': j }, j >= 0 ? `n${j}` : '?');
      if (j >= 0) c.addEventListener('click', () => this.onSelect(j));
      return c;
    };
    const children: number[] = [];
    states.forEach((x, j) => {
      if (x.parent === i && x.up && x.running) children.push(j);
    });
    const state = !s.up ? h('span', { class: 'down' }, 'down') : !s.running ? 'powered off' : s.awake ? h('span', { class: 'up' }, 'up, radio on') : 'up, radio asleep';
    const rows: [string, Parameters<typeof kvTable>[0][number][1]][] = [
      ['id', h('span', { class: 'mono', title: node.id }, `${node.id.slice(0, 16)}…`)],
      ['mac', h('span', { class: 'mono' }, node.mac)],
      ['position', `${node.x.toFixed(1)}, ${node.y.toFixed(1)} m`],
      ['state', state],
      ['address', h('span', { class: 'mono' }, s.address ?? '—')],
      ['tree position', describeCoords(s.coords)],
      ['root', s.root >= 0 ? chip(s.root) : '—'],
      ['parent', s.parent >= 0 ? chip(s.parent) : s.root === i ? '(is the root)' : '—'],
      ['children', children.length ? h('span', { class: 'chips' }, ...children.map(chip)) : 'none'],
    ];
    const parts: (Element | null)[] = [h('h2', {}, `n${i}`), kvTable(rows), sparkline(this.#index, i, t)];
    if (d) {
      parts.push(
        h('h3', {}, `peers (${d.peers.length})`),
        h('div', { class: 'chips' }, ...d.peers.map(chip)),
        h('h3', {}, `routes (${d.routes.length})`),
        h('div', { class: 'mono' }, ...d.routes.slice(0, 40).map(([a, j]) => h('div', {}, `${a} → ${j >= 0 ? `n${j}` : '?'}`))),
        d.routes.length > 40 ? h('div', { class: 'hint' }, `… ${d.routes.length - 40} more`) : null,
        h('h3', {}, 'addresses'),
        h('div', { class: 'mono' }, d.addresses.join('  ') || '—'),
        h('h3', {}, 'radio'),
        kvTable([
          ['frames', `${d.sent} sent · ${d.received} received`],
          ['airtime', `${d.airtime_ms.toFixed(1)} ms`],
          ['uptime', d.uptime_ms === undefined ? undefined : formatMs(d.uptime_ms)],
        ]),
        h('h3', {}, 'packager counters'),
        kvTable(Object.entries(d.counters).map(([k, c]) => [k, String(c)])),
        h('p', { class: 'hint' }, live ? 'details: live' : `details as of ${formatMs(recorded?.t ?? 0)} (recorded every ${(tr.detail_every * tr.sample_ms) / 1000} s)`),
      );
    } else {
      parts.push(h('p', { class: 'hint' }, `${s.peers} peers · ${s.routes} routes (no details recorded yet)`));
    }
    el.replaceChildren(...parts.filter((p): p is Element => p !== null));
  }
}

export interface ConsoleOptions {
  readonly available: boolean;
  readonly reason?: string;
}

export class ConsolePanel {
  readonly #index: TraceIndex;
  readonly #available: boolean;
  #node = -1;
  #shown = 0;
  #history: string[] = [];
  #historyAt = 0;
  #prompt = '';
  #busy = false;

  constructor(index: TraceIndex, options: ConsoleOptions) {
    this.#index = index;
    this.#available = options.available;
    const input = byId<HTMLInputElement>('console-input');
    input.disabled = !options.available;
    byId<HTMLButtonElement>('console-stop').disabled = !options.available;
    byId('console-hint').textContent = options.available
      ? 'Try: status · ping @3 (@3 = node 3’s tree address) · ping n3 (its id: needs a route) · help · ↑/↓ history'
      : `Console unavailable: ${options.reason ?? ''}. Recorded output is shown.`;
    byId('console-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const line = input.value;
      input.value = '';
      if (line.trim()) this.#history.push(line);
      this.#historyAt = this.#history.length;
      void this.#exec(line);
    });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        this.#historyAt = Math.max(0, Math.min(this.#history.length, this.#historyAt + (e.key === 'ArrowUp' ? -1 : 1)));
        input.value = this.#history[this.#historyAt] ?? '';
      } else if (e.key === 'c' && e.ctrlKey) {
        e.preventDefault();
        void this.#interrupt();
      }
    });
    byId('console-stop').addEventListener('click', () => void this.#interrupt());
  }

  show(i: number): void {
    byId('console').hidden = i < 0;
    if (i === this.#node) return;
    this.#node = i;
    this.#shown = 0;
    this.#prompt = '';
    this.#busy = false;
    byId('console-output').replaceChildren();
    this.#head();
    this.refresh();
    if (i >= 0 && this.#available) void this.#fetchState();
  }

  /** Append console records of the node that arrived since. */
  refresh(): void {
    if (this.#node < 0) return;
    const records = this.#index.trace.console;
    if (this.#shown > records.length) this.#shown = 0;
    const out = byId('console-output');
    let text = '';
    for (let k = this.#shown; k < records.length; k++) if (records[k][1] === this.#node) text += records[k][2] + '\n';
    this.#shown = records.length;
    if (text) {
      out.append(text);
      out.scrollTop = out.scrollHeight;
    }
  }

  /** Console states pushed by the server. */
  states(list: readonly { node: number; prompt: string; busy: boolean }[]): void {
    const mine = list.find((s) => s.node === this.#node);
    if (!mine) return;
    this.#prompt = mine.prompt;
    this.#busy = mine.busy;
    this.#head();
  }

  #head(): void {
    const i = this.#node;
    const head = byId('console-head');
    head.replaceChildren(h('strong', {}, `console of n${i}`));
    if (this.#busy) head.append(h('span', { class: 'hint' }, ' · running (stop ends it)'));
    byId<HTMLInputElement>('console-input').placeholder = this.#available ? `${this.#prompt || '> '}command` : 'console unavailable';
    byId('console').dataset.busy = this.#busy ? '1' : '0';
  }

  async #fetchState(): Promise<void> {
    const r = await fetch(`/api/console/${this.#node}`);
    if (r.ok) this.states([(await r.json()) as { node: number; prompt: string; busy: boolean }]);
  }

  async #exec(line: string): Promise<void> {
    if (this.#node < 0 || !this.#available) return;
    const r = await fetch(`/api/console/${this.#node}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ line }) });
    const body = (await r.json()) as { node: number; prompt: string; busy: boolean } | { error: string };
    if ('error' in body) byId('console-output').append(`error: ${body.error}\n`);
    else this.states([body]);
  }

  async #interrupt(): Promise<void> {
    if (this.#node < 0 || !this.#available) return;
    const r = await fetch(`/api/console/${this.#node}/interrupt`, { method: 'POST' });
    if (r.ok) this.states([(await r.json()) as { node: number; prompt: string; busy: boolean }]);
  }
}
