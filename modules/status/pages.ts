/**
 * The status screen's view model (135 x 240 px on the M5StickC-PLUS2, and the desktop host):
 * pages of label/value rows already laid out for the screen's font, so the Piu drawing code
 * only puts text where it is told.
 *
 * Built from the node's state (`node.state()`, with the host's battery: input.ts). Page 0 is
 * the node; then its peers, two rows each (as many pages as they need, up to four); then one
 * page per app that asked for one (`mesh.screen`). Values are never cut while rows remain: one
 * too wide for its row continues on the next (layout.ts), so a tree address at any depth is
 * shown whole. The battery, when the board has a gauge, is in every page's title bar (`corner`).
 */
import type { NodeState, PeerState } from '../mycelium/node.js';
import { statusFigures } from './input.js';
import { compactCount, distinctPrefix, formatAge, formatUptime, shortHex } from './format.js';
import { CHARACTER_FIT, cutToFit, layoutLines, type RowFit, type StatusLine } from './layout.js';

export type { StatusLine } from './layout.js';

export interface StatusPage {
  title: string;
  /** Rows, each a label (left) and a value (right); a continued value has the label ''. */
  lines: StatusLine[];
  /** Shown at the right of the title bar: the battery charge, where the board reports it. */
  corner?: string;
}

export interface StatusPageOptions {
  /** Rows under a page's title (default 9). */
  readonly linesPerPage?: number;
  /** How wide a row is and how text is measured (default: 20 characters, CHARACTER_FIT). */
  readonly fit?: RowFit;
}

/** A page an app asked for through `mesh.screen`, as the app wrote it. */
export interface AppPage {
  readonly title: string;
  readonly lines: readonly StatusLine[];
}

export const DEFAULT_LINES_PER_PAGE = 9;
/** Peer pages at most; the last row of the last one then counts the peers left out. */
export const MAX_PEER_PAGES = 4;
const MAX_LINES_PER_PAGE = 64; // a bad option must not allocate without bound

/** Every page the screen can show: the node, its peers, then the apps' pages. */
export function screenPages(state: NodeState, apps: Iterable<AppPage>, options: StatusPageOptions = {}): StatusPage[] {
  const rows = clampInt(options.linesPerPage, DEFAULT_LINES_PER_PAGE, 1, MAX_LINES_PER_PAGE);
  const fit = options.fit ?? CHARACTER_FIT;
  const pages = statusPages(state, options);
  for (const app of apps) pages.push({ title: app.title, lines: layoutLines(app.lines, rows, fit) });
  if (state.battery !== undefined) for (const p of pages) p.corner = `${state.battery}%`;
  return pages;
}

/** The node's page and its peers' pages. */
export function statusPages(state: NodeState, options: StatusPageOptions = {}): StatusPage[] {
  const rows = clampInt(options.linesPerPage, DEFAULT_LINES_PER_PAGE, 1, MAX_LINES_PER_PAGE);
  const fit = options.fit ?? CHARACTER_FIT;
  return [{ title: 'Node', lines: layoutLines(nodeLines(state), rows, fit) }, ...peerPages(state, rows, fit)];
}

/** Most important first: a screen with fewer rows drops the tail. */
function nodeLines(state: NodeState): StatusLine[] {
  const f = statusFigures(state);
  const parent = state.tree?.parent;
  const out: [string, string][] = [
    ['id', shortHex(state.nodeId)],
    ['addr', state.addresses[state.addresses.length - 1] ?? 'none'],
    ['root', f.root === undefined ? 'none' : f.root === state.nodeId ? 'self' : shortHex(f.root)],
  ];
  if (parent !== undefined) out.push(['parent', shortHex(parent)]);
  out.push(
    ['peers', String(state.peers.length)],
    ['routes', String(state.routes.length)],
    ['up', state.running ? formatUptime(state.uptimeMs) : 'stopped'],
    ['tx/rx', `${compactCount(f.tx)}/${compactCount(f.rx)}`], // frames; 11 characters at most
    ['drop', compactCount(f.drop)],
    ['sleep', state.modemSleep === 'off' ? 'off' : 'on, ' + state.modemSleep],
  );
  return out.map(([label, value]) => ({ label, value }));
}

/**
 * Two lines a peer: its id (as many digits as tell it from the others, 8 at least) and when it
 * was last heard; then its tree role (parent, child, or nothing) and its newest address. Parent
 * first, then children, then the rest, each by id: a fixed order, so rows do not jump about
 * every second as the ages change.
 */
function peerPages(state: NodeState, rows: number, fit: RowFit): StatusPage[] {
  const title = `Peers (${state.peers.length})`;
  if (state.peers.length === 0) return [{ title, lines: [{ label: 'none', value: '' }] }];
  const tree = state.tree;
  const role = (p: PeerState) => (p.id === tree?.parent ? 'parent' : tree?.children.includes(p.id) ? 'child' : '');
  const rank = (p: PeerState) => (p.id === tree?.parent ? 0 : tree?.children.includes(p.id) ? 1 : 2);
  const sorted = state.peers.slice().sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = [state.nodeId, ...sorted.map((p) => p.id)];
  const blocks = sorted.map((p) =>
    layoutLines(
      [
        { label: distinctPrefix(p.id, ids), value: formatAge(p.lastRxAgoMs) },
        { label: role(p), value: p.addrs[p.addrs.length - 1] ?? 'no address' },
      ],
      rows,
      fit,
    ),
  );
  // Whole blocks per page; a block never straddles two pages.
  const pages: StatusLine[][][] = [[]];
  for (const block of blocks) {
    const page = pages[pages.length - 1];
    if (page.length > 0 && page.flat().length + block.length > rows) pages.push([block]);
    else page.push(block);
  }
  if (pages.length > MAX_PEER_PAGES) {
    pages.length = MAX_PEER_PAGES;
    const last = pages[MAX_PEER_PAGES - 1];
    while (last.length > 1 && last.flat().length + 1 > rows) last.pop();
    const shown = pages.reduce((n, p) => n + p.length, 0);
    last.push([{ label: cutToFit(`+${sorted.length - shown} more`, fit.width, fit), value: '' }]);
  }
  return pages.map((blocksOnPage) => ({ title, lines: blocksOnPage.flat().slice(0, rows) }));
}

function clampInt(v: number | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(v)));
}
