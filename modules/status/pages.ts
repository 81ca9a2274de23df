/**
 * The status screen's view model (135 x 240 px on the M5StickC-PLUS2, and the desktop host):
 * pages of label/value lines already cut to fit, so the Piu drawing code only lays text out.
 *
 * Built from the node's state (`node.state()`, with the host's battery: input.ts). Page 0 is
 * the node, page 1 its peers. A page never has more than `linesPerPage` lines; the
 * node page lists its lines by importance, so a short screen loses the least useful ones (with
 * a battery gauge and the default 9 lines, the modem-sleep line is the one left out).
 */
import type { NodeState } from '../mycelium/node.js';
import { statusFigures } from './input.js';
import { compactCount, formatUptime, shortHex, truncate } from './format.js';

export interface StatusLine {
  label: string;
  value: string;
}

export interface StatusPage {
  title: string;
  lines: StatusLine[];
}

export interface StatusPageOptions {
  /** Lines that fit under a page's title (default 9). */
  readonly linesPerPage?: number;
  /** Characters per line, label + space + value (default 20: 135 px of the default font). */
  readonly width?: number;
  /** Marks a cut value (default U+2026). */
  readonly ellipsis?: string;
}

export const DEFAULT_LINES_PER_PAGE = 9;
export const DEFAULT_WIDTH = 20;
const MAX_LINES_PER_PAGE = 64; // a bad option must not allocate without bound
const MIN_WIDTH = 4;

export function statusPages(state: NodeState, options: StatusPageOptions = {}): StatusPage[] {
  const lines = clampInt(options.linesPerPage, DEFAULT_LINES_PER_PAGE, 1, MAX_LINES_PER_PAGE);
  const width = clampInt(options.width, DEFAULT_WIDTH, MIN_WIDTH, 1000);
  const fit = (label: string, value: string) => fitLine(label, value, width, options.ellipsis);
  return [
    { title: 'Node', lines: nodeLines(state).slice(0, lines).map(([l, v]) => fit(l, v)) },
    { title: `Peers (${state.peers.length})`, lines: peerLines(state, lines).map(([l, v]) => fit(l, v)) },
  ];
}

/** Most important first: a screen with fewer lines drops the tail. */
function nodeLines(state: NodeState): [string, string][] {
  const f = statusFigures(state);
  const root = f.root === undefined ? 'none' : shortHex(f.root) + (f.root === state.nodeId ? ' (self)' : '');
  const out: [string, string][] = [
    ['id', shortHex(state.nodeId)],
    ['addr', state.addresses[state.addresses.length - 1] ?? 'none'],
    ['root', root],
    ['peers', String(state.peers.length)],
    ['routes', String(state.routes.length)],
    ['tx/rx', `${compactCount(f.tx)}/${compactCount(f.rx)}`], // frames; 11 characters at most
    ['drop', compactCount(f.drop)],
    ['up', state.running ? formatUptime(state.uptimeMs) : 'stopped'],
  ];
  if (state.battery !== undefined) out.push(['batt', state.battery + '%']);
  out.push(['sleep', state.modemSleep === 'off' ? 'off' : 'on, ' + state.modemSleep]);
  return out;
}

/** Most recently heard first; when they do not all fit, the last line counts the rest. */
function peerLines(state: NodeState, max: number): [string, string][] {
  if (state.peers.length === 0) return [['none', '']];
  const sorted = state.peers.slice().sort((a, b) => a.lastRxAgoMs - b.lastRxAgoMs);
  const shown = sorted.length <= max ? sorted : sorted.slice(0, max - 1);
  const out: [string, string][] = shown.map((p) => [shortHex(p.id), p.addrs[p.addrs.length - 1] ?? '-']);
  if (shown.length < sorted.length) out.push([`+${sorted.length - shown.length} more`, '']);
  return out;
}

/** Cut the value (then, on absurdly narrow screens, the label) so label + ' ' + value fits. */
export function fitLine(label: string, value: string, width: number, ellipsis?: string): StatusLine {
  const l = truncate(label, width, ellipsis);
  const room = width - l.length - 1;
  return { label: l, value: room > 0 ? truncate(value, room, ellipsis) : '' };
}

function clampInt(v: number | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined || !Number.isFinite(v)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(v)));
}
