/// <reference lib="dom" />
/** Small DOM helpers and the page's colours. */

export const KIND_COLORS: Record<string, string> = {
  Beacon: '#868e96',
  Gossip: '#5f3dc4',
  SpanningTree: '#2f9e44',
  Ping: '#c2255c',
  SimTraffic: '#1971c2',
  signalling: '#0ca678',
  fragment: '#ae3ec9',
  unknown: '#495057',
};

export const REASON_COLORS: Record<string, string> = {
  range: '#c92a2a',
  loss: '#e8590c',
  collision: '#d6336c',
  asleep: '#1098ad',
  down: '#212529',
  mtu: '#5f3dc4',
  cut: '#a61e4d',
  queue: '#f59f00',
};

export const NODE_COLORS = {
  node: '#1c7ed6',
  unaddressed: '#adb5bd',
  asleep: '#74c0fc',
  down: '#e03131',
  root: '#f59f00',
  radio: '#d3d9df',
  cut: '#f4a6a6',
  tree: '#1f2933',
} as const;

type Child = Node | string | number | null | undefined | false;

/** `h('td', { class: 'x' }, 'text', other)`: an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'object' ? c : String(c));
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** A two-column table of label → value rows (rows with undefined values are skipped). */
export function kvTable(rows: [string, Child | Child[]][]): HTMLTableElement {
  const t = h('table', { class: 'kv' });
  for (const [k, v] of rows) {
    if (v === undefined) continue;
    const td = h('td');
    for (const c of Array.isArray(v) ? v : [v]) if (c !== null && c !== undefined && c !== false) td.append(typeof c === 'object' ? c : String(c));
    t.append(h('tr', {}, h('td', {}, k), td));
  }
  return t;
}
