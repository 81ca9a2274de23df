/**
 * The status screen's view model (135 x 240 px on the M5StickC-PLUS2, and the desktop host):
 * pages of label/value lines already cut to fit, so the Piu drawing code only lays text out.
 *
 * Page 0 is the node, page 1 its peers. A page never has more than `linesPerPage` lines; the
 * node page lists its lines by importance, so a short screen loses the least useful ones (with
 * a battery gauge and the default 9 lines, the modem-sleep line is the one left out).
 */
import type { StatusInput } from './input.js';
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

export function statusPages(input: StatusInput, options: StatusPageOptions = {}): StatusPage[] {
  const lines = clampInt(options.linesPerPage, DEFAULT_LINES_PER_PAGE, 1, MAX_LINES_PER_PAGE);
  const width = clampInt(options.width, DEFAULT_WIDTH, MIN_WIDTH, 1000);
  const fit = (label: string, value: string) => fitLine(label, value, width, options.ellipsis);
  return [
    { title: 'Node', lines: nodeLines(input).slice(0, lines).map(([l, v]) => fit(l, v)) },
    { title: `Peers (${input.peers.length})`, lines: peerLines(input, lines).map(([l, v]) => fit(l, v)) },
  ];
}

/** Most important first: a screen with fewer lines drops the tail. */
function nodeLines(input: StatusInput): [string, string][] {
  const root = input.root === undefined ? 'none' : shortHex(input.root) + (input.root === input.nodeId ? ' (self)' : '');
  const out: [string, string][] = [
    ['id', shortHex(input.nodeId)],
    ['addr', input.addresses[input.addresses.length - 1] ?? 'none'],
    ['root', root],
    ['peers', String(input.peers.length)],
    ['routes', String(input.routes)],
    ['tx/rx', `${compactCount(input.tx)}/${compactCount(input.rx)}`], // frames; 11 characters at most
    ['drop', compactCount(input.drop)],
    ['up', input.running ? formatUptime(input.uptimeMs) : 'stopped'],
  ];
  if (input.battery !== undefined) out.push(['batt', input.battery + '%']);
  out.push(['sleep', input.modemSleep === 'off' ? 'off' : 'on, ' + input.modemSleep]);
  return out;
}

/** Most recently heard first; when they do not all fit, the last line counts the rest. */
function peerLines(input: StatusInput, max: number): [string, string][] {
  if (input.peers.length === 0) return [['none', '']];
  const sorted = input.peers.slice().sort((a, b) => a.lastRxAgoMs - b.lastRxAgoMs);
  const shown = sorted.length <= max ? sorted : sorted.slice(0, max - 1);
  const out: [string, string][] = shown.map((p) => [shortHex(p.id), p.address ?? '-']);
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
